"""Diagnostics service: the window shows the metrics, refreshed only while it is visible."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dashboard_desktop.core.metrics import Metrics
from dashboard_desktop.diagnostics import Diagnostics, counter_rows
from dashboard_desktop.ui.diagnostics import DiagnosticsWindow

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints|raise)\(\)$"
)

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class Clocks:
    """A monotonic and a wall clock moved together."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def wall(self) -> datetime:
        return START + timedelta(seconds=self.seconds)


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def metrics(clocks: Clocks) -> Metrics:
    recorded = Metrics(monotonic=clocks.monotonic, wall=clocks.wall)
    recorded.record("state_changed", {"state": "connecting"})
    clocks.seconds = 5
    recorded.record("state_changed", {"state": "live"})
    recorded.record("event_ignored", {"reason": "duplicate"})
    recorded.record("event_ignored", {"reason": "stale"})
    recorded.record("event_ignored", {"reason": "stale"})
    clocks.seconds = 65
    return recorded


@pytest.fixture
def diagnostics(qtbot: Any, metrics: Metrics) -> Iterator[Diagnostics]:
    window = DiagnosticsWindow()
    qtbot.addWidget(window)
    service = Diagnostics(window, metrics.snapshot)
    yield service
    service.stop()


def test_window_shows_state_times_timeline_and_counters_when_opened(
    qtbot: Any, diagnostics: Diagnostics
) -> None:
    diagnostics.open()
    qtbot.waitExposed(diagnostics.window)

    window = diagnostics.window
    assert window.state.text() == "Now: Live"
    assert window.times.text() == "Live 1 min \u00b7 Connecting 5 s"
    assert [state for _, _, state in window.timeline.segments] == ["connecting", "live"]
    table = window.counters
    cells = {
        (table.item(r, 0).text(), table.item(r, 1).text()): table.item(r, 2).text()
        for r in range(table.rowCount())
    }
    assert cells[("events_ignored", "reason=stale")] == "2"
    assert cells[("events_ignored", "reason=duplicate")] == "1"
    assert cells[("connects", "")] == "0"


def test_refreshes_while_visible_and_stops_when_closed(
    qtbot: Any, diagnostics: Diagnostics, metrics: Metrics
) -> None:
    diagnostics.open()
    qtbot.waitExposed(diagnostics.window)
    assert diagnostics.timer.isActive()

    metrics.record("state_changed", {"state": "polling"})
    qtbot.waitUntil(lambda: diagnostics.window.state.text() == "Now: Polling", timeout=3000)

    diagnostics.window.close()
    assert not diagnostics.timer.isActive()


def test_every_counter_is_listed_once_when_nothing_happened_yet(clocks: Clocks) -> None:
    rows = counter_rows(Metrics(monotonic=clocks.monotonic, wall=clocks.wall).snapshot())

    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names))
    assert all(value == 0 for _, _, value in rows)
    assert "events_received" in names
