"""Session wiring: the kiosk shows the schedule without the rows dropped after the grace period."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from dashboard_desktop.config import LoadedSettings, Settings
from dashboard_desktop.core.items import parse_item
from dashboard_desktop.errors import ErrorChannel
from dashboard_desktop.session import Session
from dashboard_desktop.shutdown import QuitSignal
from dashboard_desktop.ui.kiosk_window import KioskWindow
from dashboard_desktop.ui.main_window import MainWindow


def item(key: int, start: datetime, minutes: int = 60) -> Any:
    return parse_item(
        {
            "id": key,
            "title": f"Item {key}",
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=minutes)).isoformat(),
        }
    )


@pytest.fixture
def make_session(qapp: QApplication) -> Iterator[Any]:
    qapp.setQuitOnLastWindowClosed(False)
    sessions: list[Session] = []

    def make(**overrides: Any) -> Session:
        settings = Settings(server_url="http://127.0.0.1:9", **overrides)
        session = Session(LoadedSettings(settings, {}, None), ErrorChannel(), QuitSignal())
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        asyncio.run(session.stop())
        session.window.deleteLater()


def test_kiosk_hides_rows_ended_before_the_grace_period_when_schedule_arrives(
    make_session: Any,
) -> None:
    session = make_session(kiosk=True, past_grace=15)
    now = datetime.now(UTC)
    session.schedule.replace(
        [
            item(1, now - timedelta(hours=3)),  # ended 2 h ago: dropped
            item(2, now - timedelta(minutes=70)),  # ended 10 min ago: past, still shown
            item(3, now + timedelta(minutes=30)),
        ],
        1,
    )

    window = session.window
    assert isinstance(window, KioskWindow)
    model = window.table.model()
    assert [model.data(model.index(row, 2)) for row in range(model.rowCount())] == [
        "Item 2",
        "Item 3",
    ]


def test_kiosk_drops_rows_and_says_so_when_time_passes_the_grace_period(
    make_session: Any,
) -> None:
    session = make_session(kiosk=True, past_grace=15)
    now = datetime.now(UTC)
    session.schedule.replace([item(1, now - timedelta(minutes=70)), item(2, now)], 1)
    window = session.window
    assert isinstance(window, KioskWindow)
    assert window.table.model().rowCount() == 2

    changed = session.timeline.advance(now + timedelta(hours=3))
    session.timekeeper.timelineChanged.emit(sorted(changed))

    assert window.table.model().rowCount() == 0
    assert window.table.placeholder() == "Nothing more on the schedule - 2 items have ended"


def test_desktop_keeps_dropped_rows_dimmed_when_not_a_kiosk(make_session: Any) -> None:
    session = make_session(kiosk=False, past_grace=15)
    now = datetime.now(UTC)
    session.schedule.replace([item(1, now - timedelta(hours=3)), item(2, now)], 1)

    assert isinstance(session.window, MainWindow)
    assert session.model.rowCount() == 2


@pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$")
def test_diagnostics_window_opens_with_live_metrics_when_requested(
    make_session: Any, qtbot: Any
) -> None:
    session = make_session(kiosk=False)
    window = session.window
    assert isinstance(window, MainWindow)
    session.connection.metrics.record("state_changed", {"state": "polling"})

    window.diagnosticsRequested.emit()

    assert session.diagnostics is not None
    shown = session.diagnostics.window
    qtbot.waitUntil(shown.isVisible)
    assert shown.state.text() == "Now: Polling"
