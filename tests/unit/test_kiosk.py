"""Kiosk service: screen choice, full screen, cursor, timers, paging, burn-in, exit keys."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QApplication, QWidget

from dashboard_desktop.config import Settings, SettingsError
from dashboard_desktop.core.items import parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.kiosk import BURN_IN_OFFSETS, Kiosk, choose_screen
from dashboard_desktop.ui.kiosk_theme import MAX_SHIFT, kiosk_metrics
from dashboard_desktop.ui.kiosk_window import KioskWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.unit.ui.test_kiosk_window import status

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


def items(count: int, first: int = 0) -> list[Any]:
    return [
        parse_item(
            {
                "id": index,
                "title": f"Item {index}",
                "start": (NOW + timedelta(minutes=10 * index)).isoformat(),
            }
        )
        for index in range(first, first + count)
    ]


@dataclass
class FakeInhibitor:
    calls: list[str] = field(default_factory=list)

    def inhibit(self) -> None:
        self.calls.append("inhibit")

    def release(self) -> None:
        self.calls.append("release")


class FakeScreen:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class PaintCounter(QObject):
    """Counts the paint events of some widgets."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.counts = {widget: 0 for widget in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self.counts:
            assert isinstance(watched, QWidget)
            self.counts[watched] += 1
        return False


@dataclass
class Rig:
    kiosk: Kiosk
    window: KioskWindow
    schedule: Schedule
    model: ScheduleTableModel
    inhibitor: FakeInhibitor
    clock: list[datetime]


@pytest.fixture
def make_rig(qtbot: Any, qapp: QApplication) -> Iterator[Callable[..., Rig]]:
    qapp.setQuitOnLastWindowClosed(False)
    rigs: list[Rig] = []

    def make(rows: int = 0, **overrides: Any) -> Rig:
        settings = Settings(kiosk=True, **overrides)
        schedule = Schedule()
        schedule.replace(items(rows), 1)
        model = ScheduleTableModel(schedule)
        window = KioskWindow(model, "Main Hall")
        qtbot.addWidget(window)
        clock = [NOW]
        inhibitor = FakeInhibitor()
        kiosk = Kiosk(window, settings, clock=lambda: clock[-1], inhibitor=inhibitor)
        rig = Rig(kiosk, window, schedule, model, inhibitor, clock)
        rigs.append(rig)
        kiosk.start()
        qtbot.waitExposed(window)
        return rig

    yield make
    for rig in rigs:
        rig.kiosk.stop()
        rig.model.detach()


@pytest.fixture
def rig(make_rig: Callable[..., Rig]) -> Rig:
    return make_rig(rows=60)


def flush_paints(qapp: QApplication) -> None:
    """Deliver the paint events already due."""
    for _ in range(3):
        qapp.processEvents()


# -- screens ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "expected", "found"),
    [
        ("", "DP-1", True),
        ("hdmi-1", "HDMI-1", True),
        (" HDMI-1 ", "HDMI-1", True),
        ("2", "HDMI-1", True),
        ("0", "eDP-1", True),
        ("HDMI-9", "DP-1", False),
        ("7", "DP-1", False),
    ],
)
def test_choose_screen_picks_name_or_index_else_primary_when_asked(
    wanted: str, expected: str, found: bool
) -> None:
    screens = [FakeScreen("eDP-1"), FakeScreen("DP-1"), FakeScreen("HDMI-1")]

    screen, ok = choose_screen(wanted, screens, screens[1])

    assert (screen.name(), ok) == (expected, found)


def test_window_is_full_screen_frameless_on_primary_when_started(
    caplog: pytest.LogCaptureFixture, make_rig: Callable[..., Rig]
) -> None:
    caplog.set_level(logging.INFO, "dashboard_desktop")
    rig = make_rig()
    primary = QGuiApplication.primaryScreen()

    assert rig.window.isFullScreen()
    assert rig.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert rig.kiosk.screen is primary
    assert rig.window.geometry() == primary.geometry()
    (started,) = [r for r in caplog.records if r.getMessage() == "kiosk_started"]
    fields = started.fields  # type: ignore[attr-defined]
    assert fields["screen"] == primary.name()
    assert fields["full_screen"] is True and fields["frameless"] is True
    assert fields["geometry"] == [0, 0, primary.geometry().width(), primary.geometry().height()]
    assert fields["exit_keys"] == "Ctrl+Shift+Q"


def test_falls_back_to_primary_and_logs_when_screen_is_missing(
    caplog: pytest.LogCaptureFixture, make_rig: Callable[..., Rig]
) -> None:
    caplog.set_level(logging.INFO, "dashboard_desktop")

    rig = make_rig(kiosk_screen="HDMI-9")

    assert rig.kiosk.screen is QGuiApplication.primaryScreen()
    (missing,) = [r for r in caplog.records if r.getMessage() == "kiosk_screen_missing"]
    assert missing.levelno == logging.WARNING
    assert missing.fields["wanted"] == "HDMI-9"  # type: ignore[attr-defined]
    assert missing.fields["using"] == QGuiApplication.primaryScreen().name()  # type: ignore[attr-defined]


def test_places_window_again_when_a_screen_is_removed(
    qtbot: Any, qapp: QApplication, rig: Rig
) -> None:
    rig.window.showNormal()
    rig.window.setGeometry(QRect(10, 10, 300, 200))
    assert not rig.window.isFullScreen()

    qapp.screenRemoved.emit(QGuiApplication.primaryScreen())

    qtbot.waitUntil(rig.window.isFullScreen, timeout=5000)
    assert rig.window.geometry() == QGuiApplication.primaryScreen().geometry()


def test_font_follows_screen_when_geometry_changes(rig: Rig) -> None:
    rig.kiosk.on_geometry_changed(QRect(0, 0, 1280, 720))
    small = rig.window.table.font().pixelSize()

    rig.kiosk.on_geometry_changed(QRect(0, 0, 3840, 2160))

    assert small == kiosk_metrics(1280, 720).text_px
    assert rig.window.metrics == kiosk_metrics(3840, 2160)
    assert rig.window.table.font().pixelSize() == kiosk_metrics(3840, 2160).text_px > small


# -- cursor and screen blanking -----------------------------------------------------------------


def test_cursor_is_hidden_while_running_and_restored_when_stopped(rig: Rig) -> None:
    cursor = QGuiApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor

    rig.kiosk.stop()

    assert QGuiApplication.overrideCursor() is None


def test_blanking_is_inhibited_while_running_and_released_when_stopped(rig: Rig) -> None:
    assert rig.inhibitor.calls == ["inhibit"]

    rig.kiosk.stop()
    rig.kiosk.stop()

    assert rig.inhibitor.calls == ["inhibit", "release"]


# -- clock --------------------------------------------------------------------------------------


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for the test."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_tick_repaints_only_the_clock_when_a_minute_passes(
    qapp: QApplication, utc: None, rig: Rig
) -> None:
    rig.kiosk.tick()
    counter = PaintCounter(rig.window.clock, rig.window.table.viewport(), rig.window.title)
    flush_paints(qapp)
    counter.counts = dict.fromkeys(counter.counts, 0)

    rig.clock.append(NOW + timedelta(minutes=1))
    rig.kiosk.tick()
    flush_paints(qapp)

    assert rig.window.clock.text() == "09:01"
    assert counter.counts[rig.window.clock] > 0
    assert counter.counts[rig.window.table.viewport()] == 0
    assert counter.counts[rig.window.title] == 0
    assert rig.kiosk.clock_timer.isActive() and rig.kiosk.clock_timer.interval() == 1000


# -- paging -------------------------------------------------------------------------------------


def test_page_step_shows_next_page_and_wraps_when_schedule_is_longer_than_screen(
    rig: Rig,
) -> None:
    per_page = rig.window.rows_per_page()
    assert 1 < per_page < 30
    seen: set[int] = set()
    firsts = []

    for _ in range(60 // per_page + 2):
        first = rig.window.first_row()
        firsts.append(first)
        seen.update(range(first, first + per_page))
        rig.kiosk.page_step()

    assert firsts[:2] == [0, per_page]
    assert seen >= set(range(60))  # every row was on a page within the cycle
    assert 0 in firsts[1:]  # and it wrapped to the first page


def test_page_step_stays_on_first_page_when_everything_fits(
    qapp: QApplication, make_rig: Callable[..., Rig]
) -> None:
    rig = make_rig(rows=3)
    counter = PaintCounter(rig.window.table.viewport())
    flush_paints(qapp)
    counter.counts = dict.fromkeys(counter.counts, 0)

    rig.kiosk.page_step()
    flush_paints(qapp)

    assert rig.window.first_row() == 0
    assert counter.counts[rig.window.table.viewport()] == 0


def test_page_step_repaints_only_the_table_when_turning_the_page(
    qapp: QApplication, rig: Rig
) -> None:
    window = rig.window
    counter = PaintCounter(window.table.viewport(), window.clock, window.title, window.header)
    flush_paints(qapp)
    counter.counts = dict.fromkeys(counter.counts, 0)

    rig.kiosk.page_step()
    flush_paints(qapp)

    assert counter.counts.pop(window.table.viewport()) > 0
    assert set(counter.counts.values()) == {0}


def test_pages_by_itself_when_interval_passes(qtbot: Any, make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(rows=60, page_interval=1)

    assert rig.kiosk.page_timer.interval() == 1000
    qtbot.waitUntil(lambda: rig.window.first_row() > 0, timeout=5000)


def test_keeps_page_when_schedule_is_updated_or_reset(rig: Rig) -> None:
    rig.kiosk.page_step()
    page = rig.window.first_row()
    assert page > 0

    rig.schedule.apply_delta(items(2, first=60), ["3"], 2)  # rows added after, one before
    assert rig.window.first_row() == page

    rig.model.set_rows(rig.schedule)  # a model reset
    assert rig.window.first_row() == page


def test_returns_to_first_page_when_rows_of_the_page_are_gone(rig: Rig) -> None:
    rig.kiosk.page_step()
    rig.kiosk.page_step()
    assert rig.window.first_row() > 0

    rig.schedule.replace(items(2), 3)

    assert rig.kiosk.page_start == 0
    assert rig.window.first_row() == 0


# -- burn-in and errors -------------------------------------------------------------------------


def test_burn_in_shifts_content_in_a_loop_when_enabled(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(rows=5, burn_in_shift=True)
    layout = rig.window.layout()
    margins = []

    for _ in range(len(BURN_IN_OFFSETS)):
        rig.kiosk.burn_in_step()
        left, top = layout.contentsMargins().left(), layout.contentsMargins().top()
        margins.append((left - MAX_SHIFT, top - MAX_SHIFT))

    assert rig.kiosk.burn_in_timer.isActive()
    assert margins[-1] == (0, 0)  # back home after one loop
    assert set(margins) == set(BURN_IN_OFFSETS)
    assert all(abs(dx) <= MAX_SHIFT and abs(dy) <= MAX_SHIFT for dx, dy in margins)


def test_burn_in_timer_is_off_when_not_enabled(rig: Rig) -> None:
    assert not rig.kiosk.burn_in_timer.isActive()
    assert rig.window.header.mapTo(rig.window, QPoint(0, 0)).x() >= 0


def test_error_banner_clears_itself_when_hold_time_passes(qtbot: Any, rig: Rig) -> None:
    rig.kiosk.error_timer.setInterval(50)

    rig.kiosk.show_error("Unexpected error: boom")

    assert rig.window.error.isVisible()
    qtbot.waitUntil(lambda: not rig.window.error.isVisible(), timeout=5000)


# -- exit keys ----------------------------------------------------------------------------------


def _activate(qtbot: Any, window: KioskWindow) -> None:
    """Make the window the active one: application shortcuts need an active window."""
    with qtbot.waitActive(window, timeout=5000):  # a context manager: waits on leaving
        window.activateWindow()
    assert QApplication.activeWindow() is window


def test_exit_keys_emit_exit_requested_when_pressed(qtbot: Any, rig: Rig) -> None:
    _activate(qtbot, rig.window)

    with qtbot.waitSignal(rig.kiosk.exitRequested, timeout=2000):
        qtbot.keyClick(
            rig.window,
            Qt.Key.Key_Q,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )


def test_escape_does_nothing_when_pressed(qtbot: Any, rig: Rig) -> None:
    _activate(qtbot, rig.window)
    spy = QSignalSpy(rig.kiosk.exitRequested)

    qtbot.keyClick(rig.window, Qt.Key.Key_Escape)
    qtbot.keyClick(rig.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    assert spy.count() == 0
    assert rig.window.isVisible() and rig.window.isFullScreen()


def test_configured_exit_keys_replace_default_when_set(
    qtbot: Any, make_rig: Callable[..., Rig]
) -> None:
    rig = make_rig(kiosk_exit_keys="ctrl+alt+x")
    _activate(qtbot, rig.window)
    spy = QSignalSpy(rig.kiosk.exitRequested)
    control_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

    qtbot.keyClick(rig.window, Qt.Key.Key_Q, control_shift)
    assert spy.count() == 0

    control_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    with qtbot.waitSignal(rig.kiosk.exitRequested, timeout=2000):
        qtbot.keyClick(rig.window, Qt.Key.Key_X, control_alt)


@pytest.mark.parametrize(
    "keys",
    [
        "Ctrl+Shift+Q",
        "ctrl+shift+q",
        "Shift+Alt+Meta+Ctrl+F12",
        "Ctrl+Alt+Delete",
        "Ctrl+Escape",
        "alt+pgdown",
        "Ctrl+K, Ctrl+Q",
        "Ctrl + 7",
        "Meta+Space",
    ],
)
def test_exit_keys_setting_is_written_as_qt_writes_it_when_valid(
    qapp: QApplication, keys: str
) -> None:
    portable = QKeySequence.SequenceFormat.PortableText

    value = Settings(kiosk_exit_keys=keys).kiosk_exit_keys

    assert value == QKeySequence.fromString(keys, portable).toString(portable)


@pytest.mark.parametrize(
    "keys",
    ["", "Q", "Shift+Q", "Ctrl+", "Ctrl+Foo", "Ctrl+F36", "Ctrl+Ctrl+Q", "Hyper+Q", "Ctrl+Q,"],
)
def test_exit_keys_setting_is_rejected_when_invalid(keys: str) -> None:
    with pytest.raises(SettingsError, match="kiosk_exit_keys"):
        Settings(kiosk_exit_keys=keys)


# -- placeholder --------------------------------------------------------------------------------


def test_placeholder_waits_then_says_empty_then_goes_when_data_and_rows_arrive(
    make_rig: Callable[..., Rig],
) -> None:
    rig = make_rig(rows=0)
    assert rig.window.table.placeholder() == "Waiting for the schedule"

    rig.kiosk.follow_status(status(ConnectionState.LIVE, confirmed_at=NOW))
    assert rig.window.table.placeholder() == "Nothing on the schedule"

    rig.schedule.replace(items(3), 2)
    assert rig.window.table.placeholder() == ""
