"""Consistency checks of a client live on the real demo server (Socket.IO and REST)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoServerThread
from tests.integration.conftest import Client, events, wait_state


def test_repairs_pushed_schedule_when_rest_snapshot_of_same_version_differs(
    qtbot: Any,
    demo: DemoServerThread,
    client_factory: Callable[..., Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = client_factory(demo.url)
    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: client.service.tracker.synced and not client.service.fetching)
    demo.call(demo.server.make_change, False)
    served = dict(demo.call(demo.server.snapshot))
    corrupted = copy.deepcopy(served)
    corrupted["items"][0]["location"] = "nowhere"
    bad_id = str(corrupted["items"][0]["id"])

    demo.call(demo.server.emit_payload, corrupted)  # over the real socket
    qtbot.waitUntil(lambda: client.schedule.version == served["version"])
    client.service.request_snapshot("manual")
    qtbot.waitUntil(lambda: bool(events(caplog, "consistency_mismatch")), timeout=5000)

    [mismatch] = events(caplog, "consistency_mismatch")
    assert mismatch["ids"] == [bad_id]
    qtbot.waitUntil(lambda: client.schedule.get(bad_id).location != "nowhere")  # type: ignore[union-attr]
    snap = client.service.metrics.snapshot()
    assert snap.counter("dashboard_consistency_checks_total", result="mismatch") == 1
    assert snap.counter("dashboard_events_received_total") >= 1


def test_logs_consistency_checked_when_pushed_delta_matches_rest(
    qtbot: Any,
    demo: DemoServerThread,
    client_factory: Callable[..., Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = client_factory(demo.url)
    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: client.service.tracker.synced and not client.service.fetching)

    version = demo.call(demo.server.make_change)  # a delta over the socket
    qtbot.waitUntil(lambda: client.schedule.version == version)
    client.service.request_snapshot("manual")
    qtbot.waitUntil(lambda: bool(events(caplog, "consistency_checked")), timeout=5000)

    assert events(caplog, "consistency_checked")[0]["version"] == version
    assert not events(caplog, "consistency_mismatch")
    snap = client.service.metrics.snapshot()
    assert snap.counter("dashboard_events_applied_total") == 1
    assert snap.latency.count == 1  # the demo stamps emitted_at_ms
