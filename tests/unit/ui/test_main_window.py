"""MainWindow: refresh and close signals, the non-modal error banner, status bar, About box."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton, QWidget

from dashboard_desktop import __version__
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.ui.filtering import TableFilter
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.unit.ui.test_model import COL, make

SERVER = "http://127.0.0.1:8765"

# The offscreen platform plugin warns whenever a shown widget has size constraints; that is a
# limitation of the test platform, not of the window. Every other Qt warning still fails.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture
def window(qtbot: Any, qapp: QApplication) -> Iterator[MainWindow]:
    qapp.setQuitOnLastWindowClosed(False)
    model = ScheduleTableModel(Schedule())
    main = MainWindow(model, SERVER)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    for box in main.findChildren(QMessageBox):
        box.close()
    model.detach()


def action(window: MainWindow, text: str) -> QAction:
    """The menu action whose text (without the & mnemonic) is ``text``."""
    for menu_action in window.menuBar().actions():
        for candidate in menu_action.menu().actions():
            if candidate.text().replace("&", "") == text:
                return candidate
    raise LookupError(text)


def dismiss_button(window: MainWindow) -> QToolButton:
    (button,) = [b for b in window.banner.findChildren(QToolButton) if b.text() == "Dismiss"]
    return button


def status(state: ConnectionState, **fields: Any) -> ConnectionStatus:
    values: dict[str, Any] = {
        "state": state,
        "now": datetime(2026, 11, 27, 15, 0, tzinfo=UTC),
        "attempt": 0,
        "max_attempts": 60,
        "poll_interval": 30.0,
        "last_poll_at": None,
        "confirmed_at": None,
        "version": None,
        "item_count": 0,
        "stale": False,
        "reason": "r",
    }
    values.update(fields)
    return ConnectionStatus(**values)


# -- refresh and close --------------------------------------------------------------------------


def test_f5_emits_refresh_requested_when_window_is_active(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)

    with qtbot.waitSignal(window.refreshRequested, timeout=2000):
        qtbot.keyClick(window.table, Qt.Key.Key_F5)


def test_refresh_action_emits_refresh_requested_when_triggered(
    qtbot: Any, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.refreshRequested, timeout=2000):
        action(window, "Refresh Now").trigger()

    assert window.refresh_action is action(window, "Refresh Now")


def test_refresh_action_is_bound_to_f5_for_whole_application_when_created(
    window: MainWindow,
) -> None:
    refresh = window.refresh_action

    assert QKeySequence(Qt.Key.Key_F5) in refresh.shortcuts()
    assert refresh.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut


def test_refresh_is_emitted_once_per_press_when_f5_pressed_repeatedly(
    qtbot: Any, window: MainWindow
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    presses: list[int] = []
    window.refreshRequested.connect(lambda: presses.append(1))

    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_F5)

    qtbot.waitUntil(lambda: len(presses) == 3, timeout=2000)


def test_closing_is_emitted_when_window_is_closed(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.closing, timeout=2000):
        window.close()

    assert not window.isVisible()


def test_closing_is_emitted_when_quit_action_is_triggered(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.closing, timeout=2000):
        action(window, "Quit").trigger()


# -- error banner -------------------------------------------------------------------------------


def test_banner_is_hidden_when_no_error_happened(window: MainWindow) -> None:
    assert not window.banner.isVisible()


def test_show_error_shows_banner_without_blocking_when_error_reported(
    qtbot: Any, window: MainWindow
) -> None:
    window.show_error("Unexpected error: ValueError: boom")

    qtbot.waitUntil(window.banner.isVisible, timeout=2000)
    assert window.banner.label.text() == "Unexpected error: ValueError: boom"
    assert QApplication.activeModalWidget() is None
    assert window.table.isEnabled() and window.isEnabled()


@pytest.mark.parametrize("message", ["<b>boom</b>", "<img src=x onerror=alert(1)>", "a & b"])
def test_show_error_shows_message_as_plain_text_when_it_contains_markup(
    window: MainWindow, message: str
) -> None:
    window.show_error(message)

    assert window.banner.label.textFormat() == Qt.TextFormat.PlainText
    assert window.banner.label.text() == message


def test_show_error_shows_first_line_only_when_message_has_traceback(window: MainWindow) -> None:
    window.show_error("Unexpected error: KeyError: 'x'\nTraceback (most recent call last):\n ...")

    assert window.banner.label.text() == "Unexpected error: KeyError: 'x'"


def test_show_error_truncates_message_when_line_is_very_long(window: MainWindow) -> None:
    window.show_error("x" * 1000)

    assert window.banner.label.text() == "x" * 300


def test_show_error_counts_repeats_when_errors_keep_coming(window: MainWindow) -> None:
    window.show_error("first")
    window.show_error("second")
    window.show_error("third")

    assert window.banner.label.text() == "third (3 errors)"
    assert window.banner.count == 3


def test_dismiss_hides_banner_and_resets_count_when_clicked(
    qtbot: Any, window: MainWindow
) -> None:
    window.show_error("first")
    window.show_error("second")

    qtbot.mouseClick(dismiss_button(window), Qt.MouseButton.LeftButton)

    assert not window.banner.isVisible()
    window.show_error("third")
    assert window.banner.isVisible()
    assert window.banner.label.text() == "third"


# -- status bar ---------------------------------------------------------------------------------


def test_show_status_updates_indicator_and_summary_when_status_changes(
    window: MainWindow,
) -> None:
    window.show_status(status(ConnectionState.LIVE, version=5, item_count=9))

    assert window.indicator.label.text() == "Live"
    assert window.indicator.state is ConnectionState.LIVE
    assert window.summary.text().startswith("Version 5 \u00b7 9 items")

    window.show_status(status(ConnectionState.RECONNECTING, attempt=4, version=5, stale=True))

    assert window.indicator.label.text() == "Reconnecting (attempt 4 of 60)"
    assert window.summary.text().endswith("STALE")


class PaintCounter(QObject):
    """Counts the paint events of some widgets."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_nothing_repaints_when_same_status_is_shown_again(window: MainWindow) -> None:
    # The service shows the status on every update and every 5 s; nothing that did not change
    # may be repainted (a kiosk runs for months).
    confirmed = datetime(2026, 11, 27, 14, 50, tzinfo=UTC)
    same = status(ConnectionState.POLLING, version=5, confirmed_at=confirmed, stale=True)
    window.show_status(same)
    QApplication.processEvents()
    indicator = window.indicator
    counter = PaintCounter(indicator.dot, indicator.label, window.summary, window.table.viewport())

    for _ in range(3):
        window.show_status(same)
        QApplication.processEvents()
    assert counter.count == 0

    window.show_status(status(ConnectionState.LIVE, version=6))
    QApplication.processEvents()
    assert counter.count > 0  # the counter does see repaints


def test_status_widgets_are_in_status_bar_when_window_is_shown(window: MainWindow) -> None:
    assert window.indicator.isVisible()
    assert window.summary.isVisible()
    assert window.statusBar().isAncestorOf(window.indicator)
    assert window.statusBar().isAncestorOf(window.summary)


# -- About box ----------------------------------------------------------------------------------


def test_about_box_is_non_modal_when_opened_from_help_menu(qtbot: Any, window: MainWindow) -> None:
    action(window, "About").trigger()

    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=2000)
    (box,) = window.findChildren(QMessageBox)
    qtbot.waitUntil(box.isVisible, timeout=2000)
    assert not box.isModal()
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert __version__ in box.text()
    assert SERVER in box.text()


def test_window_stays_usable_when_about_box_is_open(qtbot: Any, window: MainWindow) -> None:
    window.show_about()

    with qtbot.waitSignal(window.refreshRequested, timeout=2000):
        window.refresh_action.trigger()
    window.show_error("still reported")
    assert window.banner.isVisible()


# -- search, full screen, remembered layout ------------------------------------------------------


@pytest.fixture
def filled(qtbot: Any, qapp: QApplication) -> Iterator[tuple[MainWindow, TableFilter]]:
    """A shown window over a filled schedule, wired to a TableFilter as app.py does."""
    qapp.setQuitOnLastWindowClosed(False)
    schedule = Schedule()
    schedule.replace([make("a", 1, title="Dock unload"), make("b", 2, title="Briefing")], 1)
    model = ScheduleTableModel(schedule)
    main = MainWindow(model, SERVER)
    search = TableFilter(schedule, model)
    main.searchChanged.connect(search.set_text)
    main.searchFocused.connect(search.prepare)
    main.searchLeft.connect(search.release)
    main.sortRequested.connect(search.sort)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main, search
    model.detach()


def shown_titles(window: MainWindow) -> list[str]:
    model = window.table.model()
    return [model.data(model.index(r, COL["title"])) for r in range(model.rowCount())]


def test_rows_are_filtered_as_user_types_when_search_has_focus(
    qtbot: Any, filled: tuple[MainWindow, TableFilter]
) -> None:
    window, search = filled
    window.focus_search()
    qtbot.waitUntil(window.search.hasFocus, timeout=2000)

    qtbot.keyClicks(window.search, "dock")

    assert search.text == "dock"
    assert shown_titles(window) == ["Dock unload"]


def test_escape_clears_search_and_shows_all_rows_when_pressed_in_search_field(
    qtbot: Any, filled: tuple[MainWindow, TableFilter]
) -> None:
    window, _ = filled
    window.focus_search()
    qtbot.keyClicks(window.search, "brief")

    qtbot.keyClick(window.search, Qt.Key.Key_Escape)

    assert window.search.text() == ""
    assert shown_titles(window) == ["Dock unload", "Briefing"]


def test_ctrl_f_puts_focus_in_search_field_when_table_has_focus(
    qtbot: Any, filled: tuple[MainWindow, TableFilter]
) -> None:
    window, _ = filled
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus, timeout=2000)

    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(window.search.hasFocus, timeout=2000)


def test_header_click_sorts_rows_when_window_is_wired_to_filter(
    filled: tuple[MainWindow, TableFilter],
) -> None:
    window, _ = filled

    window.table.horizontalHeader().sectionClicked.emit(COL["title"])

    assert shown_titles(window) == ["Briefing", "Dock unload"]


def test_full_screen_toggles_when_f11_action_is_triggered(
    qtbot: Any, filled: tuple[MainWindow, TableFilter]
) -> None:
    window, _ = filled

    window.full_screen_action.trigger()
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    window.full_screen_action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=2000)

    assert window.full_screen_action.shortcut().toString() in ("F11", "Ctrl+Meta+F")


def test_hidden_moved_columns_and_sort_come_back_when_layout_is_restored(
    qtbot: Any, tmp_path: Any, filled: tuple[MainWindow, TableFilter]
) -> None:
    window, _ = filled
    stored = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window.table.column_actions[COL["notes"]].setChecked(False)
    window.table.horizontalHeader().moveSection(COL["title"], 0)
    window.table.horizontalHeader().sectionClicked.emit(COL["title"])
    window.save_layout(stored)
    stored.sync()

    model = ScheduleTableModel(Schedule())
    fresh = MainWindow(model, SERVER)
    qtbot.addWidget(fresh)
    sorts: list[tuple[int, Any]] = []
    fresh.sortRequested.connect(lambda column, order: sorts.append((column, order)))
    fresh.restore_layout(QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))

    assert fresh.table.isColumnHidden(COL["notes"])
    assert not fresh.table.column_actions[COL["notes"]].isChecked()
    assert fresh.table.horizontalHeader().visualIndex(COL["title"]) == 0
    assert sorts == [(COL["title"], Qt.SortOrder.AscendingOrder)]
    model.detach()


def test_widgets_have_accessible_names_when_window_is_built(window: MainWindow) -> None:
    for widget in (window.table, window.search, window.details, window.indicator):
        assert widget.accessibleName()


def test_details_show_selected_row_when_row_becomes_current(
    filled: tuple[MainWindow, TableFilter],
) -> None:
    window, _ = filled

    window.table.selectRow(1)

    assert dict(window.details.fields)["Title"] == "Briefing"


def test_status_line_says_yesterday_and_server_time_when_timekeeper_reports_them(
    window: MainWindow,
) -> None:
    from datetime import date, timedelta

    window.show_outdated(date(2026, 11, 26), date(2026, 11, 27))
    window.show_clock_skew(timedelta(minutes=5))

    assert window.time_note.isVisible()
    assert "Yesterday" in window.time_note.text()
    assert "server" in window.time_note.text().lower()

    window.show_outdated(None, date(2026, 11, 27))
    window.show_clock_skew(None)
    assert not window.time_note.isVisible()
