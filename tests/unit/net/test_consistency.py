"""Consistency checks of the sync service against the real demo server on 127.0.0.1.

The socket side is driven through ``SyncService.on_event`` (as in test_sync_service.py); the
demo server changes without emitting, and the test pushes that version itself, intact or with
one item corrupted, so the schedule kept by pushes and the REST snapshot of the same version
agree or differ on purpose.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest

from dashboard_desktop.demo import DemoServerThread
from dashboard_desktop.net.sync import SyncService
from tests.unit.net.conftest import MakeService


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


def settle(qtbot: Any, service: SyncService) -> None:
    qtbot.waitUntil(lambda: not service.fetching, timeout=5000)


def synced(qtbot: Any, service: SyncService) -> None:
    """Resynchronise once, then let the server move one version on without telling anyone."""
    service.request_snapshot("manual")
    settle(qtbot, service)


def next_version(demo: DemoServerThread) -> dict[str, Any]:
    """The server's snapshot after one change it did not emit."""
    demo.call(demo.server.make_change, False)
    return dict(demo.call(demo.server.snapshot))


def test_logs_consistency_checked_when_pushed_schedule_equals_rest(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    synced(qtbot, service)
    pushed = next_version(demo)
    service.on_event(pushed)
    assert service.schedule.version == pushed["version"]

    service.request_snapshot("manual")
    settle(qtbot, service)

    checked = events(caplog, "consistency_checked")
    assert [c["version"] for c in checked] == [pushed["version"]]
    assert checked[0]["hash"] == service.checker.digests.digest(service.schedule.items)
    assert not events(caplog, "consistency_mismatch")
    metrics = service.metrics.snapshot()
    assert metrics.counter("dashboard_consistency_checks_total", result="match") == 1


def test_repairs_schedule_and_logs_ids_when_pushed_schedule_differs_from_rest(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    synced(qtbot, service)
    served = next_version(demo)
    corrupted = copy.deepcopy(served)
    corrupted["items"][3]["title"] = "corrupted in transit"
    bad_id = str(corrupted["items"][3]["id"])
    service.on_event(corrupted)
    assert service.schedule.get(bad_id).title == "corrupted in transit"  # type: ignore[union-attr]

    service.request_snapshot("manual")
    settle(qtbot, service)

    [mismatch] = events(caplog, "consistency_mismatch")
    assert mismatch["ids"] == [bad_id]
    assert mismatch["differing"] == 1
    assert mismatch["version"] == served["version"]
    assert service.schedule.get(bad_id).title == served["items"][3]["title"]  # type: ignore[union-attr]
    assert mismatch["rest_hash"] == service.checker.digests.digest(service.schedule.items)
    metrics = service.metrics.snapshot()
    assert metrics.counter("dashboard_consistency_checks_total", result="mismatch") == 1


def test_no_check_when_rest_snapshot_is_newer(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    synced(qtbot, service)
    newer = next_version(demo)

    service.request_snapshot("manual")
    settle(qtbot, service)

    assert service.schedule.version == newer["version"]  # an ordinary update
    assert not events(caplog, "consistency_checked")
    assert not events(caplog, "consistency_mismatch")


def test_checks_periodically_without_etag_when_live(
    qtbot: Any, demo: DemoServerThread, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(consistency_interval=0.005, poll_interval=30.0)  # every 0.3 s
    service.on_connected()
    settle(qtbot, service)
    assert service.checker.scheduled

    qtbot.waitUntil(lambda: len(events(caplog, "consistency_checked")) >= 2, timeout=5000)

    assert {c["reason"] for c in events(caplog, "consistency_checked")} == {"consistency"}
    assert 304 not in dict(demo.call(lambda: demo.server.rest_requests))
    service.on_disconnected("transport close")
    assert not service.checker.scheduled


def test_no_periodic_check_when_interval_is_zero(qtbot: Any, make_service: MakeService) -> None:
    service = make_service(consistency_interval=0, poll_interval=30.0)
    service.on_connected()
    settle(qtbot, service)

    assert service.tracker.synced
    assert not service.checker.scheduled
