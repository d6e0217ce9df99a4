"""KioskWindow: header, banners in words, the large theme, model roles, paging, keys, close."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QCloseEvent, QColor, QHelpEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QToolTip

from dashboard_desktop.core.items import parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.core.timeline import Timeline
from dashboard_desktop.ui.kiosk_theme import BACKGROUND, KIOSK_CUES, MAX_SHIFT, kiosk_metrics
from dashboard_desktop.ui.kiosk_window import KioskWindow, placeholder_text, stale_text
from dashboard_desktop.ui.model import ScheduleTableModel

NOW = datetime(2026, 11, 27, 9, 2, tzinfo=UTC)

# The offscreen platform plugin warns whenever a shown widget has size constraints; that is a
# limitation of the test platform, not of the window. Every other Qt warning still fails.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


def items(count: int, start: datetime = NOW) -> list[Any]:
    """``count`` items of 20 minutes, one after the other, from ``start``."""
    return [
        parse_item(
            {
                "id": index,
                "title": f"Item {index}",
                "start": (start + timedelta(minutes=20 * index)).isoformat(),
                "end": (start + timedelta(minutes=20 * index + 20)).isoformat(),
            }
        )
        for index in range(count)
    ]


def status(state: ConnectionState, **fields: Any) -> ConnectionStatus:
    values: dict[str, Any] = {
        "state": state,
        "now": NOW,
        "attempt": 3,
        "max_attempts": 60,
        "poll_interval": 30.0,
        "last_poll_at": None,
        "confirmed_at": None,
        "version": 7,
        "item_count": 10,
        "stale": False,
        "reason": "r",
    }
    values.update(fields)
    return ConnectionStatus(**values)


@pytest.fixture
def schedule() -> Schedule:
    return Schedule()


@pytest.fixture
def make_window(
    qtbot: Any, qapp: QApplication, schedule: Schedule
) -> Iterator[Callable[..., KioskWindow]]:
    qapp.setQuitOnLastWindowClosed(False)
    models: list[ScheduleTableModel] = []

    def make(rows: int = 0, title: str = "Main Hall") -> KioskWindow:
        schedule.replace(items(rows), 1)
        model = ScheduleTableModel(schedule)
        models.append(model)
        window = KioskWindow(model, title)
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for model in models:
        model.detach()


@pytest.fixture
def window(make_window: Callable[..., KioskWindow]) -> KioskWindow:
    return make_window(rows=40)


@pytest.fixture
def utc(local_tz: Callable[[str], None]) -> None:
    local_tz("UTC")


# -- header -------------------------------------------------------------------------------------


def test_header_shows_title_as_plain_text_when_it_contains_markup(
    make_window: Callable[..., KioskWindow],
) -> None:
    window = make_window(title="<b>Main</b> & Hall")

    assert window.title.textFormat() == Qt.TextFormat.PlainText
    assert window.title.text() == "<b>Main</b> & Hall"
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_header_shows_clock_and_long_date_when_time_given(utc: None, window: KioskWindow) -> None:
    window.show_time(datetime(2026, 11, 27, 14, 5, 59, tzinfo=UTC))

    assert window.clock.text() == "14:05"
    long_date = QLocale().toString(QDate(2026, 11, 27), QLocale.FormatType.LongFormat)
    assert window.date.text() == long_date
    assert "2026" in window.date.text()


def test_header_shows_connection_state_in_words_when_status_given(window: KioskWindow) -> None:
    window.show_status(status(ConnectionState.LIVE))
    assert window.indicator.label.text() == "Live"

    window.show_status(status(ConnectionState.RECONNECTING))
    assert window.indicator.label.text() == "Reconnecting (attempt 3 of 60)"


# -- banners ------------------------------------------------------------------------------------


def test_stale_banner_says_offline_with_time_and_age_when_data_are_stale(
    utc: None, window: KioskWindow
) -> None:
    confirmed = datetime(2026, 11, 27, 8, 20, tzinfo=UTC)

    window.show_status(status(ConnectionState.OFFLINE, stale=True, confirmed_at=confirmed))

    assert window.stale.isVisible()
    assert window.stale.text() == "Offline - data from 08:20, 42 min ago"
    assert window.stale.textFormat() == Qt.TextFormat.PlainText


def test_stale_banner_is_hidden_when_data_are_confirmed(window: KioskWindow) -> None:
    window.show_status(status(ConnectionState.OFFLINE, stale=True, confirmed_at=NOW))

    window.show_status(status(ConnectionState.LIVE, confirmed_at=NOW))

    assert not window.stale.isVisible()


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (ConnectionState.CONNECTING, "Connecting - data from 08:20, 42 min ago"),
        (ConnectionState.POLLING, "Offline - data from 08:20, 42 min ago"),
        (ConnectionState.LIVE, "Not confirmed - data from 08:20, 42 min ago"),
        (ConnectionState.UNAUTHORIZED, "Not authorised - data from 08:20, 42 min ago"),
    ],
)
def test_stale_text_names_the_state_when_data_are_stale(
    utc: None, qapp: QApplication, state: ConnectionState, words: str
) -> None:
    confirmed = datetime(2026, 11, 27, 8, 20, tzinfo=UTC)

    assert stale_text(status(state, stale=True, confirmed_at=confirmed)) == words


def test_stale_text_says_no_data_when_never_confirmed(qapp: QApplication) -> None:
    assert stale_text(status(ConnectionState.OFFLINE, stale=True)) == "Offline - no data yet"


def test_notice_says_yesterdays_schedule_when_schedule_is_outdated(window: KioskWindow) -> None:
    today = date(2026, 11, 27)

    window.show_outdated(today - timedelta(days=1), today)
    assert window.notice.isVisible()
    assert window.notice.text() == "Yesterday's schedule"

    window.show_outdated(None, today)
    assert not window.notice.isVisible()


def test_notice_names_the_date_when_schedule_is_older_than_yesterday(
    window: KioskWindow,
) -> None:
    window.show_outdated(date(2026, 11, 20), date(2026, 11, 27))

    assert window.notice.text() == "Schedule of Fri 20 Nov"


def test_notice_joins_outdated_and_clock_skew_when_both_apply(window: KioskWindow) -> None:
    today = date(2026, 11, 27)
    window.show_outdated(today - timedelta(days=1), today)
    window.show_clock_skew(timedelta(minutes=5))

    assert window.notice.text().startswith("Yesterday's schedule \u00b7 Local clock 5 min")

    window.show_clock_skew(None)
    assert window.notice.text() == "Yesterday's schedule"


def test_error_banner_shows_first_line_without_dialog_when_error_reported(
    window: KioskWindow,
) -> None:
    window.show_error("Unexpected error: <b>boom</b>\nTraceback ...")
    window.show_error("again")

    assert window.error.isVisible()
    assert window.error.text() == "again (2 errors)"
    assert window.error.textFormat() == Qt.TextFormat.PlainText
    assert QApplication.activeModalWidget() is None
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not [w for w in shown if isinstance(w, QDialog)]

    window.clear_error()
    assert not window.error.isVisible()


# -- the large theme ----------------------------------------------------------------------------


def test_font_and_rows_follow_screen_height_when_metrics_change(window: KioskWindow) -> None:
    small, large = kiosk_metrics(1280, 720), kiosk_metrics(3840, 2160)

    window.apply_metrics(small)
    small_font = window.table.font().pixelSize()
    small_clock = window.clock.font().pixelSize()
    small_square = window.table.iconSize().height()
    window.apply_metrics(large)

    assert small_font == small.text_px
    assert small_clock == small.title_px
    assert window.table.font().pixelSize() == large.text_px > small.text_px
    assert window.stale.font().pixelSize() == large.text_px
    assert window.table.verticalHeader().defaultSectionSize() == large.row_height
    assert large.row_height == round(2160 / 20)
    assert window.table.iconSize().height() > small_square  # the status colour square


def test_metrics_fit_columns_when_screen_is_portrait() -> None:
    portrait, landscape = kiosk_metrics(1080, 1920), kiosk_metrics(1920, 1080)

    assert portrait.row_height < round(1920 / 20)
    assert portrait.row_height <= landscape.row_height


def _pixel(window: KioskWindow, row: int) -> QColor:
    image = window.table.viewport().grab().toImage()
    rect = window.table.visualRect(window.table.model().index(row, 2))
    return image.pixelColor(rect.right() - 2, rect.center().y())


def test_rows_show_model_background_role_when_timeline_marks_current_row(
    schedule: Schedule, window: KioskWindow
) -> None:
    model = window.table.model()
    assert isinstance(model, ScheduleTableModel)
    upcoming = _pixel(window, 2)
    timeline = Timeline(schedule, NOW + timedelta(minutes=5))  # inside row 0
    model.set_timeline(timeline)

    tint = model.data(model.index(0, 2), Qt.ItemDataRole.BackgroundRole).color()
    alpha = tint.alphaF()
    expected = [
        round(c * alpha + b * (1 - alpha))
        for c, b in zip(
            (tint.red(), tint.green(), tint.blue()),
            (BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()),
            strict=True,
        )
    ]
    current = _pixel(window, 0)
    assert abs(current.red() - expected[0]) <= 2
    assert abs(current.green() - expected[1]) <= 2
    assert abs(current.blue() - expected[2]) <= 2
    assert current != upcoming
    timeline.detach()


def _contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_current_and_next_rows_are_solid_and_high_contrast_when_kiosk_cues_are_used(
    schedule: Schedule, window: KioskWindow
) -> None:
    model = window.table.model()
    assert isinstance(model, ScheduleTableModel)
    timeline = Timeline(schedule, NOW + timedelta(minutes=5))  # row 0 current, row 1 next
    model.set_timeline(timeline, KIOSK_CUES)

    current, upcoming = _pixel(window, 0), _pixel(window, 1)
    assert current == QColor(*KIOSK_CUES.current_background[:3])
    assert upcoming == QColor(*KIOSK_CUES.next_background[:3])
    for row, background in ((0, current), (1, upcoming)):
        text = model.data(model.index(row, 2), Qt.ItemDataRole.ForegroundRole).color()
        assert _contrast(text, background) >= 7  # readable from across the room
    assert model.data(model.index(1, 3)).startswith("Next")
    assert model.data(model.index(1, 2), Qt.ItemDataRole.FontRole).bold()
    assert _contrast(QColor(*KIOSK_CUES.past_text), BACKGROUND) >= 7
    timeline.detach()


@pytest.mark.parametrize("height", [500, 613, 700, 777])
def test_no_row_is_cut_at_the_bottom_when_window_height_is_any(
    qapp: QApplication, window: KioskWindow, height: int
) -> None:
    window.resize(1000, height)
    window.layout().activate()
    qapp.processEvents()

    table = window.table
    row = table.verticalHeader().defaultSectionSize()
    assert table.viewport().height() == row * table.rows_per_page()
    assert table.geometry().bottom() <= window.rows_area.height()
    assert window.rows_area.height() - table.height() < row


def test_placeholder_is_painted_when_no_row_is_shown(
    make_window: Callable[..., KioskWindow],
) -> None:
    window = make_window(rows=0)
    blank = window.table.viewport().grab().toImage()

    window.show_placeholder(placeholder_text(hidden=3, has_data=True))

    painted = window.table.viewport().grab().toImage()
    assert painted != blank
    assert window.table.placeholder() == "Nothing more on the schedule - 3 items have ended"


@pytest.mark.parametrize(
    ("hidden", "has_data", "expected"),
    [
        (2, True, "Nothing more on the schedule - 2 items have ended"),
        (0, True, "Nothing on the schedule"),
        (0, False, "Waiting for the schedule"),
    ],
)
def test_placeholder_text_says_why_the_table_is_empty_when_no_row_is_shown(
    qapp: QApplication, hidden: int, has_data: bool, expected: str
) -> None:
    assert placeholder_text(hidden, has_data) == expected


def test_notes_column_is_hidden_when_shown_in_kiosk(window: KioskWindow) -> None:
    model = window.table.model()
    assert isinstance(model, ScheduleTableModel)
    notes = [column.name for column in model.columns].index("notes")

    assert window.table.isColumnHidden(notes)


# -- paging -------------------------------------------------------------------------------------


def test_show_page_puts_row_at_top_when_schedule_is_longer_than_page(
    window: KioskWindow,
) -> None:
    assert 1 < window.rows_per_page() < 40

    window.show_page(12)

    assert window.first_row() == 12


def test_show_page_shows_last_full_page_when_row_is_near_the_end(window: KioskWindow) -> None:
    window.show_page(39)

    assert window.first_row() == 40 - window.rows_per_page()


def test_wheel_does_not_scroll_when_turned(qapp: QApplication, window: KioskWindow) -> None:
    viewport = window.table.viewport()
    centre = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -360),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )

    QCoreApplication.sendEvent(viewport, wheel)

    assert window.first_row() == 0


# -- burn-in ------------------------------------------------------------------------------------


def test_shift_content_moves_header_by_offset_when_shifted(window: KioskWindow) -> None:
    home = window.header.mapTo(window, QPoint(0, 0))
    size = window.header.size()

    window.shift_content(3, -2)
    window.layout().activate()

    assert window.header.mapTo(window, QPoint(0, 0)) == home + QPoint(3, -2)
    assert window.header.size() == size


def test_shift_content_is_bounded_when_offset_is_large(window: KioskWindow) -> None:
    home = window.header.mapTo(window, QPoint(0, 0))

    window.shift_content(100, -100)
    window.layout().activate()

    assert window.header.mapTo(window, QPoint(0, 0)) == home + QPoint(MAX_SHIFT, -MAX_SHIFT)


# -- keys and closing ---------------------------------------------------------------------------


def test_escape_is_swallowed_when_pressed(qapp: QApplication, window: KioskWindow) -> None:
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)

    QCoreApplication.sendEvent(window, press)

    assert press.isAccepted()
    assert window.isVisible()


def test_window_system_close_is_refused_when_requested(
    qapp: QApplication, window: KioskWindow
) -> None:
    handle = window.windowHandle()
    assert handle is not None

    QCoreApplication.sendEvent(handle, QCloseEvent())  # as Alt+F4 would: spontaneous
    assert window.isVisible()

    window.close()  # the application's own close still works
    assert not window.isVisible()


def test_rows_show_no_tooltip_when_hovered(qapp: QApplication, window: KioskWindow) -> None:
    viewport = window.table.viewport()
    where = window.table.visualRect(window.table.model().index(0, 2)).center()
    assert window.table.model().data(window.table.model().index(0, 2), Qt.ItemDataRole.ToolTipRole)

    QCoreApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, where, viewport.mapToGlobal(where))
    )

    assert not QToolTip.isVisible()
