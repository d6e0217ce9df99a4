"""Keyboard and accessibility: shortcuts, mnemonics, tab order, accessible names, Esc."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.settings_dialog import SettingsDialog, dialog_settings
from tests.unit.ui.test_model import make

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: Any, qapp: QApplication) -> Iterator[MainWindow]:
    qapp.setQuitOnLastWindowClosed(False)
    schedule = Schedule()
    schedule.replace([make("a", 1, title="Dock"), make("b", 2, title="Brief")], 1)
    model = ScheduleTableModel(schedule)
    main = MainWindow(model, "http://127.0.0.1:1")
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitActive(main)
    yield main
    main.teardown()
    model.detach()


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces (explicit, from a buddy label, or the text)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def tab_chain(start: QWidget, window: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes back (visible, tab-focusable)."""
    chain, widget = [start], start.nextInFocusChain()
    while widget is not start and len(chain) < 200:
        tabbable = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if tabbable and widget.isVisibleTo(window) and widget.isEnabled():
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def focusable(root: QWidget) -> list[QWidget]:
    return [w for w in tab_chain(root, root) if w is not root or root.focusPolicy()]


# -- shortcuts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "modifiers", "signal"),
    [
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier, "refreshRequested"),
        (Qt.Key.Key_Comma, CTRL, "settingsRequested"),
        (Qt.Key.Key_Q, CTRL, "closing"),
        (Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier, "diagnosticsRequested"),
    ],
)
def test_documented_shortcut_emits_its_signal_when_pressed(
    qtbot: Any, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier, signal: str
) -> None:
    with qtbot.waitSignal(getattr(window, signal), timeout=2000):
        qtbot.keyClick(window.table, key, modifiers)


def test_ctrl_f_focuses_search_when_pressed_in_details_pane(
    qtbot: Any, window: MainWindow
) -> None:
    window.details.setFocus()

    qtbot.keyClick(window.details, Qt.Key.Key_F, CTRL)

    qtbot.waitUntil(window.search.hasFocus)


def test_f11_toggles_full_screen_when_pressed(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.full_screen_action.toggled, timeout=2000) as toggled:
        qtbot.keyClick(window.table, Qt.Key.Key_F11)

    assert toggled.args == [True]
    window.full_screen_action.setChecked(False)


def test_ctrl_c_copies_current_row_when_pressed_in_table(qtbot: Any, window: MainWindow) -> None:
    window.table.setFocus()
    window.table.selectRow(1)

    qtbot.keyClick(window.table, Qt.Key.Key_C, CTRL)

    assert "Brief" in QGuiApplication.clipboard().text()


def test_documented_shortcuts_are_set_when_window_is_built(window: MainWindow) -> None:
    actions = window.window_actions
    expected = {
        actions.refresh: "F5",
        actions.full_screen: "F11",
        actions.find: "Ctrl+F",
        actions.settings: "Ctrl+,",
        actions.quit: "Ctrl+Q",
        actions.diagnostics: "Ctrl+Shift+D",
        window.table.copy_action: "Ctrl+C",
    }

    for action, keys in expected.items():
        assert QKeySequence(keys) in action.shortcuts(), action.text()


def test_every_menu_item_has_a_unique_mnemonic_when_menus_are_built(window: MainWindow) -> None:
    column_names = {a.text() for a in window.table.column_actions}
    menus = [a.menu() for a in window.menuBar().actions()]
    menus += [a.menu() for m in menus for a in m.actions() if a.menu() is not None]
    titles = [a.text() for a in window.menuBar().actions()]

    for texts in [titles] + [
        [a.text() for a in m.actions() if not a.isSeparator()] for m in menus
    ]:
        named = [t for t in texts if t not in column_names]  # column names are data
        keys = [t[t.index("&") + 1].lower() for t in named if "&" in t]
        assert len(keys) == len(named), f"no mnemonic in {named}"
        assert len(set(keys)) == len(keys), f"mnemonics clash in {named}"


def test_sort_menu_sorts_like_a_header_click_when_chosen(qtbot: Any, window: MainWindow) -> None:
    title = window.table.sort_actions[3]  # schedule order, start, end, title ...

    with qtbot.waitSignal(window.sortRequested, timeout=2000) as sorted_by:
        title.trigger()

    assert sorted_by.args == [2, Qt.SortOrder.AscendingOrder]


# -- focus and names ---------------------------------------------------------------------------


def test_tab_goes_from_search_to_table_to_details_when_pressed(window: MainWindow) -> None:
    chain = tab_chain(window.search, window)

    assert chain[:3] == [window.search, window.table, window.details]


def test_tab_reaches_dismiss_before_table_when_error_banner_is_shown(window: MainWindow) -> None:
    window.show_error("boom")

    chain = tab_chain(window.search, window)

    assert chain[:3] == [window.search, window.banner.dismiss_button, window.table]


def test_tab_leaves_table_when_pressed_in_table(qtbot: Any, window: MainWindow) -> None:
    window.table.setFocus()
    window.table.selectRow(0)

    qtbot.keyClick(window.table, Qt.Key.Key_Tab)

    qtbot.waitUntil(window.details.hasFocus)


def test_escape_clears_search_and_returns_to_table_when_pressed(
    qtbot: Any, window: MainWindow
) -> None:
    window.focus_search()
    qtbot.keyClicks(window.search, "dock")

    qtbot.keyClick(window.search, Qt.Key.Key_Escape)

    assert window.search.text() == ""
    qtbot.waitUntil(window.table.hasFocus)


def test_every_focusable_widget_has_an_accessible_name_when_window_is_shown(
    window: MainWindow,
) -> None:
    window.show_error("boom")

    nameless = [type(w).__name__ for w in focusable(window) if not accessible_name(w)]

    assert nameless == []
    assert window.table.accessibleDescription()


# -- the settings dialog -----------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot: Any) -> Iterator[SettingsDialog]:
    settings_dialog = SettingsDialog(Settings(), fixed={"namespace": "DASHBOARD_NAMESPACE"})
    settings_dialog.show()
    settings_dialog.activateWindow()
    qtbot.waitActive(settings_dialog)
    yield settings_dialog
    settings_dialog.close()
    settings_dialog.deleteLater()  # now: other tests count the top-level dialogs
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_settings_fields_come_in_visual_order_then_buttons_when_tabbing(
    dialog: SettingsDialog,
) -> None:
    connection, kiosk = dialog_settings()
    names = [s.name for s in connection + kiosk if s.name != "namespace"]  # fixed: disabled
    first = dialog.editor(names[0])

    chain = tab_chain(first, dialog)

    editors = [w.objectName() for w in chain if w.parentWidget() is not None][: len(names)]
    assert editors == names
    buttons = dialog.findChild(QDialogButtonBox).buttons()
    assert set(chain[len(names) :]) == set(buttons)


def test_every_focusable_settings_widget_has_an_accessible_name_when_shown(
    dialog: SettingsDialog,
) -> None:
    nameless = [w.objectName() for w in focusable(dialog) if not accessible_name(w)]

    assert nameless == []


def test_escape_closes_settings_dialog_without_applying_when_pressed(
    qtbot: Any, dialog: SettingsDialog
) -> None:
    accepted: list[object] = []
    dialog.settingsAccepted.connect(accepted.append)

    qtbot.keyClick(dialog.editor("server_url"), Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert accepted == []
