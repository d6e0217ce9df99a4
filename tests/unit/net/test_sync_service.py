"""SyncService: coalesced fetches, fallback polling, status signals, pushed events, stopping.

The REST side runs against the real demo server on 127.0.0.1 (fixture ``demo``); the socket
side is driven through the service's listener methods unless a test starts the service.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus, StatusTracker
from dashboard_desktop.demo import DemoServerThread
from dashboard_desktop.net.cache import SnapshotCache
from dashboard_desktop.net.sync import SyncService
from dashboard_desktop.net.updates import ApplyInfo
from tests.conftest import run
from tests.unit.net.conftest import MakeService


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


@pytest.fixture(autouse=True)
def _private_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The default offline cache directory of every service here is private to the test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def rest_requests(demo: DemoServerThread) -> dict[int, int]:
    """Schedule GETs the demo answered, by status (0 = held by the "timeout" fault)."""
    return dict(demo.call(lambda: demo.server.rest_requests))


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


def settle(qtbot: Any, service: SyncService) -> None:
    """Wait until no fetch is in flight or queued."""
    qtbot.waitUntil(lambda: not service.fetching, timeout=5000)


# -- coalescing ---------------------------------------------------------------------------------


def test_requests_during_fetch_coalesce_into_one_more_fetch_when_refresh_repeats(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service(request_timeout=0.5)
    demo.call(demo.server.set_rest_fault, "timeout")
    service.request_snapshot("manual")
    qtbot.waitUntil(lambda: rest_requests(demo).get(0) == 1, timeout=5000)

    for _ in range(5):
        service.request_snapshot("manual")
    assert service.fetching
    demo.call(demo.server.set_rest_fault, None)
    settle(qtbot, service)

    assert rest_requests(demo) == {0: 1, 200: 1}
    assert service.schedule.version == demo.server.version
    assert len(service.schedule) == 12


def test_requests_made_before_loop_runs_coalesce_into_two_fetches_when_made_back_to_back(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()

    for _ in range(4):
        service.request_snapshot("manual")
    settle(qtbot, service)

    assert sum(rest_requests(demo).values()) == 2


def test_latest_reason_runs_when_several_requests_wait_for_the_fetch_in_flight(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()

    service.request_snapshot("manual")
    service.request_snapshot("hint")
    service.request_snapshot("gap")
    settle(qtbot, service)

    assert [poll["reason"] for poll in events(caplog, "poll")] == ["manual", "gap"]


def test_request_after_fetch_finished_fetches_again_with_etag_when_nothing_changed(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    service.request_snapshot("manual")
    settle(qtbot, service)

    service.request_snapshot("manual")
    settle(qtbot, service)

    assert rest_requests(demo) == {200: 1, 304: 1}
    assert [poll["outcome"] for poll in events(caplog, "poll")] == ["ok", "not_modified"]


def test_changed_server_data_are_fetched_when_etag_no_longer_matches(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()
    service.request_snapshot("manual")
    settle(qtbot, service)
    version = demo.call(demo.server.make_change, False)

    service.request_snapshot("manual")
    settle(qtbot, service)

    assert rest_requests(demo) == {200: 2}
    assert service.schedule.version == version


# -- fallback polling ---------------------------------------------------------------------------


def test_poll_timer_runs_only_while_socket_is_down_when_connection_comes_and_goes(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service(poll_interval=30.0)  # only the immediate first polls happen here
    assert not service.poll_timer.isActive()

    service.on_disconnected("transport close")
    assert service.poll_timer.isActive()
    assert service.poll_timer.interval() == 30_000
    settle(qtbot, service)
    first_poll = sum(rest_requests(demo).values())

    service.on_connected()
    assert not service.poll_timer.isActive()
    settle(qtbot, service)

    service.on_disconnected("transport close")
    assert service.poll_timer.isActive()
    settle(qtbot, service)

    assert first_poll == 1
    assert sum(rest_requests(demo).values()) == 3  # poll, resync on connect, poll


def test_first_poll_is_immediate_and_reason_is_poll_when_socket_drops_after_connect(
    qtbot: Any, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(poll_interval=30.0)
    service.on_connected()
    settle(qtbot, service)

    service.on_disconnected("transport close")
    settle(qtbot, service)

    assert [p["reason"] for p in events(caplog, "poll")] == ["connect", "poll"]
    assert [r["reason"] for r in events(caplog, "resync")] == ["connect"]


def test_polls_repeat_at_interval_when_socket_path_is_unavailable(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service(socketio_path="/blocked-by-proxy", poll_interval=0.2)

    service.start()

    qtbot.waitUntil(
        lambda: service.tracker.status().state is ConnectionState.POLLING, timeout=5000
    )
    qtbot.waitUntil(lambda: sum(rest_requests(demo).values()) >= 3, timeout=5000)
    assert service.poll_timer.isActive()
    assert service.schedule.version == demo.server.version


def test_poll_timer_stops_when_socket_connects_to_demo(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()

    service.start()

    qtbot.waitUntil(lambda: service.tracker.status().state is ConnectionState.LIVE, timeout=10000)
    assert not service.poll_timer.isActive()
    settle(qtbot, service)
    assert service.schedule.version == demo.server.version


# -- status and applied signals -----------------------------------------------------------------


def test_status_signal_reports_live_when_socket_connects(
    qtbot: Any, make_service: MakeService
) -> None:
    service = make_service()

    with qtbot.waitSignal(
        service.statusChanged,
        check_params_cb=lambda status: status.state is ConnectionState.LIVE,
        timeout=2000,
    ):
        service.on_connected()

    settle(qtbot, service)


def test_status_signal_follows_each_state_when_connection_fails_and_recovers(
    qtbot: Any, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    seen: list[ConnectionStatus] = []
    service.statusChanged.connect(seen.append)

    service.on_attempt(0, 0.0)
    service.on_attempt_failed(0, "connection refused", False)
    service.on_attempt(1, 0.1)
    service.on_connected()
    settle(qtbot, service)

    states = [status.state for status in seen]
    assert states[:4] == [
        ConnectionState.CONNECTING,
        ConnectionState.RECONNECTING,
        ConnectionState.RECONNECTING,
        ConnectionState.LIVE,
    ]
    assert seen[2].attempt == 1
    assert [(e["previous"], e["state"]) for e in events(caplog, "state_changed")] == [
        ("connecting", "reconnecting"),
        ("reconnecting", "live"),
    ]


def test_status_signal_carries_version_and_count_when_snapshot_is_applied(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()
    applied: list[ApplyInfo] = []
    service.scheduleApplied.connect(applied.append)

    with qtbot.waitSignal(
        service.statusChanged,
        check_params_cb=lambda status: status.version == demo.server.version,
        timeout=5000,
    ):
        service.request_snapshot("manual")
    settle(qtbot, service)

    (info,) = applied
    assert (info.version, info.items, info.source, info.form) == (
        demo.server.version,
        12,
        "rest",
        "snapshot",
    )
    assert info.summary.inserted == 12
    status = service.tracker.status()
    assert status.item_count == 12 and status.confirmed_at is not None


def test_status_is_not_authorised_and_data_are_kept_when_rest_answers_401(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()
    service.request_snapshot("manual")
    settle(qtbot, service)
    version = service.schedule.version
    demo.call(demo.server.set_rest_fault, "401")

    with qtbot.waitSignal(
        service.statusChanged,
        check_params_cb=lambda status: status.state is ConnectionState.UNAUTHORIZED,
        timeout=5000,
    ):
        service.request_snapshot("poll")

    assert service.schedule.version == version and len(service.schedule) == 12


def test_data_are_kept_and_marked_stale_when_rest_fails_while_socket_down(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()
    service.request_snapshot("manual")
    settle(qtbot, service)
    version = service.schedule.version
    demo.call(demo.server.set_rest_fault, "500")

    service.request_snapshot("poll")
    settle(qtbot, service)

    status = service.tracker.status()
    assert status.stale
    assert status.reason.startswith("HTTP 500")
    assert service.schedule.version == version and len(service.schedule) == 12


# -- pushed events ------------------------------------------------------------------------------


def test_pushed_delta_with_gap_fetches_snapshot_when_base_version_differs(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    service.request_snapshot("manual")
    settle(qtbot, service)
    shown = service.schedule.version
    assert shown is not None
    version = demo.call(demo.server.make_change, False)

    service.on_event({"version": version, "base_version": shown + 100, "upserts": []})
    settle(qtbot, service)

    assert [r["reason"] for r in events(caplog, "resync")] == ["manual", "gap"]
    assert service.schedule.version == version


def test_pushed_snapshot_is_applied_without_fetch_when_newer(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()
    applied: list[ApplyInfo] = []
    service.scheduleApplied.connect(applied.append)
    payload = {
        "version": 99,
        "items": [{"id": "a", "title": "<b>x</b>", "start": "2026-11-27T16:00:00Z"}],
    }

    service.on_event(payload)

    assert not service.fetching
    assert service.schedule.version == 99
    assert service.schedule.row(0).title == "<b>x</b>"
    assert (applied[0].source, applied[0].form) == ("socket", "snapshot")
    assert rest_requests(demo) == {}


def note_deltas(service: SyncService, count: int) -> list[dict[str, Any]]:
    """``count`` consecutive deltas after the shown version, each giving row 0 a new note."""
    shown = service.schedule.version
    assert shown is not None
    first = service.schedule.row(0)
    item = {"id": first.raw_id, "title": first.title, "start": first.start.isoformat()}
    return [
        {
            "version": shown + n,
            "base_version": shown + n - 1,
            "upserts": [{**item, "notes": f"n{n}"}],
        }
        for n in range(1, count + 1)
    ]


def synced(qtbot: Any, service: SyncService) -> tuple[SyncService, list[ApplyInfo]]:
    """``service`` with the server's snapshot applied, and the list of its later updates."""
    service.request_snapshot("manual")
    settle(qtbot, service)
    applied: list[ApplyInfo] = []
    service.scheduleApplied.connect(applied.append)
    return service, applied


def test_burst_becomes_two_updates_with_latest_state_when_events_arrive_within_one_frame(
    qtbot: Any, make_service: MakeService
) -> None:
    service, applied = synced(qtbot, make_service(max_update_rate=5))  # 200 ms frames
    burst = note_deltas(service, 5)

    for payload in burst:
        service.on_event(payload)
    assert [info.version for info in applied] == [burst[0]["version"]]  # the first: at once
    qtbot.waitUntil(lambda: service.schedule.version == burst[-1]["version"], timeout=5000)

    assert [(info.version, info.events) for info in applied] == [
        (burst[0]["version"], 1),
        (burst[-1]["version"], 4),
    ]
    assert service.schedule.row(0).notes == "n5"
    assert applied[1].summary.changed == 1


def test_every_event_is_its_own_update_when_update_rate_is_unlimited(
    qtbot: Any, make_service: MakeService
) -> None:
    service, applied = synced(qtbot, make_service(max_update_rate=0))
    burst = note_deltas(service, 5)

    for payload in burst:
        service.on_event(payload)

    assert [info.version for info in applied] == [payload["version"] for payload in burst]


def test_waiting_pushes_are_applied_before_rest_snapshot_when_both_arrive_in_one_frame(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    # 2 s frames: the second push waits
    service, applied = synced(qtbot, make_service(max_update_rate=0.5))
    served = service.schedule.version
    burst = note_deltas(service, 2)

    for payload in burst:
        service.on_event(payload)
    service.request_snapshot("manual")
    settle(qtbot, service)

    # The REST snapshot is authoritative; the waiting push went first, so it cannot land on
    # top of the snapshot later.
    assert [(info.source, info.version) for info in applied] == [
        ("socket", burst[0]["version"]),
        ("socket", burst[1]["version"]),
        ("rest", served),
    ]
    assert service.schedule.version == served


@pytest.mark.parametrize("payload", ["not an object", [1, 2], {"version": "seven", "items": []}])
def test_invalid_pushed_payload_is_logged_and_ignored_when_malformed(
    qtbot: Any,
    demo: DemoServerThread,
    make_service: MakeService,
    caplog: pytest.LogCaptureFixture,
    payload: object,
) -> None:
    service = make_service()
    service.request_snapshot("manual")
    settle(qtbot, service)
    version, rows = service.schedule.version, len(service.schedule)

    service.on_event(payload)

    assert [e["source"] for e in events(caplog, "payload_rejected")] == ["socket"]
    assert (service.schedule.version, len(service.schedule)) == (version, rows)
    assert not service.fetching


# -- stopping -----------------------------------------------------------------------------------


def test_stop_returns_promptly_when_fetch_is_in_flight(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service(request_timeout=60.0, socketio_path="/blocked-by-proxy")
    demo.call(demo.server.set_rest_fault, "timeout")
    service.start()
    qtbot.waitUntil(lambda: rest_requests(demo).get(0) == 1, timeout=5000)

    # Far below the 60 s the request would take, with room for a loaded machine.
    run(qtbot, service.stop(), timeout=10.0)

    assert not service.poll_timer.isActive()
    assert not service.fetching


# -- long-running behaviour ---------------------------------------------------------------------

_MANY_STATUS_TICKS = """
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.net.sync import SyncService
service = SyncService(Settings(), Schedule())
for _ in range(20000):  # the 5 s status ticker alone does this in about 28 hours
    service.publish_status()
print("survived")
"""


# PySide6 6.12.0 dropped a reference to True on every Signal.emit(); on Python 3.11 the app
# aborted after ~4000 emits ("Fatal Python error: bool_dealloc"), hours into a kiosk's run.
def test_service_survives_many_status_updates_when_app_runs_for_hours() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _MANY_STATUS_TICKS],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )

    assert result.returncode == 0, result.stderr[-400:]
    assert result.stdout.strip() == "survived"


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.value = now

    def __call__(self) -> datetime:
        return self.value


def test_day_changed_emitted_once_when_local_date_changes(
    qtbot: Any, test_settings: Settings
) -> None:
    clock = _Clock(datetime.now().astimezone().replace(hour=23, minute=59, second=50))
    tracker = StatusTracker(test_settings.poll_interval, 60, clock)
    service = SyncService(test_settings, Schedule(), tracker=tracker)
    days: list[None] = []
    service.dayChanged.connect(lambda: days.append(None))

    service.check_day()
    clock.value += timedelta(seconds=5)
    service.check_day()
    assert days == []
    clock.value += timedelta(seconds=10)
    service.check_day()
    service.check_day()
    assert len(days) == 1


# -- offline cache ------------------------------------------------------------------------------

CACHED = {
    "version": 999,  # above the demo server's versions, as after a backend restart
    "items": [
        {"id": f"c{n}", "title": f"Cached {n}", "start": f"2026-11-27T0{n}:00:00Z"}
        for n in range(1, 4)
    ],
}


def write_cache(settings: Settings, minutes_ago: float = 42) -> datetime:
    """Save :data:`CACHED` as the settings' offline cache; return its saved time."""
    saved_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    assert SnapshotCache.for_settings(settings).save(CACHED, 999, saved_at)
    return saved_at


def test_cached_snapshot_is_shown_stale_with_its_time_when_server_is_unreachable(
    qtbot: Any, loop: Any, test_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    service = SyncService(test_settings, Schedule())  # nothing listens on its port 9
    saved_at = write_cache(service.settings)
    seen: list[ConnectionStatus] = []
    service.statusChanged.connect(seen.append)
    try:
        service.start()

        # On screen at once, before any connection attempt or poll has ended.
        assert (service.schedule.version, len(service.schedule)) == (999, 3)
        assert [(e["source"], e["items"]) for e in events(caplog, "schedule_applied")] == [
            ("cache", 3)
        ]
        assert seen[0].cached and seen[0].stale and seen[0].confirmed_at == saved_at
        qtbot.waitUntil(
            lambda: service.tracker.status().state is ConnectionState.OFFLINE, timeout=10000
        )
        status = service.tracker.status()
        assert (status.cached, status.stale, status.confirmed_at) == (True, True, saved_at)
        assert (status.version, status.item_count, len(service.schedule)) == (999, 3, 3)
    finally:
        run(qtbot, service.stop())


def test_cached_snapshot_gives_way_and_cache_is_rewritten_when_server_answers(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService
) -> None:
    service = make_service()
    saved_at = write_cache(service.settings)
    applied: list[ApplyInfo] = []
    service.scheduleApplied.connect(applied.append)

    service.start()
    assert service.schedule.version == 999
    qtbot.waitUntil(lambda: service.schedule.version == demo.server.version, timeout=10000)
    settle(qtbot, service)
    qtbot.waitUntil(lambda: not service.offline.busy, timeout=5000)

    assert [info.source for info in applied][:2] == ["cache", "rest"]
    assert len(service.schedule) == 12 and service.schedule.get("c1") is None
    status = service.tracker.status()
    assert not status.cached and status.confirmed_at is not None
    assert status.confirmed_at > saved_at
    loaded = SnapshotCache.for_settings(service.settings).load()
    assert loaded is not None
    assert loaded.snapshot.version == demo.server.version and len(loaded.snapshot.items) == 12


@pytest.mark.parametrize(
    "case",
    [
        ({"version": 1000, "base_version": 5, "upserts": [], "deletes": ["c1"]}, "gap"),
        ({"version": 2, "items": []}, "older version pushed"),  # a restarted backend
    ],
)
def test_pushed_update_resyncs_when_it_does_not_follow_the_cached_version(
    qtbot: Any,
    demo: DemoServerThread,
    make_service: MakeService,
    caplog: pytest.LogCaptureFixture,
    case: tuple[dict[str, Any], str],
) -> None:
    payload, reason = case
    service = make_service()
    write_cache(service.settings)
    assert service.offline.restore()

    service.on_event(payload)
    settle(qtbot, service)

    assert [r["reason"] for r in events(caplog, "resync")] == [reason]
    assert service.schedule.version == demo.server.version and len(service.schedule) == 12
    assert not service.tracker.status().cached
