"""Losing and regaining the push channel: reconnection, REST fallback, authorization, faults.

Times the closing notes quote are printed as ``MEASURED ...`` lines (run with ``-s``).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from tests.integration.conftest import Client, events, wait_state


def _polls(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return events(caplog, "poll")


def _stamped_polls(caplog: pytest.LogCaptureFixture) -> list[float]:
    return [r.created for r in caplog.records if getattr(r, "event", None) == "poll"]


def test_polls_at_interval_then_live_when_server_killed_and_restarted(
    qtbot: Any, demo_process: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    server = demo_process()
    client: Client = client_factory(server.url, poll_interval=0.5)
    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: not client.service.fetching and len(_polls(caplog)) >= 2)
    rows = len(client.schedule)
    polls_before = len(_polls(caplog))
    killed = time.monotonic()
    server.kill()
    wait_state(qtbot, client, ConnectionState.RECONNECTING)
    qtbot.waitUntil(lambda: len(_polls(caplog)) > polls_before, timeout=5000)
    first_poll = time.monotonic() - killed
    qtbot.waitUntil(lambda: len(_polls(caplog)) >= polls_before + 4, timeout=10000)
    wait_state(qtbot, client, ConnectionState.OFFLINE)
    assert client.service.poll_timer.isActive()
    fallback = _stamped_polls(caplog)[polls_before:]
    gaps = [b - a for a, b in itertools.pairwise(fallback)]
    assert all(0.35 < gap < 1.5 for gap in gaps), gaps
    assert all(p["outcome"] == "error" for p in _polls(caplog)[polls_before:])
    assert len(client.schedule) == rows and client.service.tracker.status().stale
    restarted = time.monotonic()
    server.start()  # returns once the new server process listens
    listening = time.monotonic()
    wait_state(qtbot, client, ConnectionState.LIVE, timeout=15)
    live_at = time.monotonic()
    assert ConnectionState.RECONNECTING in client.states
    assert not client.service.poll_timer.isActive()
    qtbot.waitUntil(lambda: "reconnect" in [e["reason"] for e in events(caplog, "resync")])
    qtbot.waitUntil(lambda: not client.service.fetching, timeout=5000)
    polls_at_live = len(_polls(caplog))
    qtbot.wait(1200)  # more than two poll intervals: no poll may happen while live
    assert len(_polls(caplog)) == polls_at_live
    assert [e["reason"] for e in events(caplog, "resync")].count("reconnect") == 1
    print(
        f"MEASURED kill->first fallback poll {first_poll * 1000:.0f} ms; "
        f"restart->Live {(live_at - restarted) * 1000:.0f} ms "
        f"(server listening->Live {(live_at - listening) * 1000:.0f} ms)"
    )


def test_polling_when_socket_unavailable_but_rest_works(
    qtbot: Any, demo: DemoServerThread, client_factory: Any
):
    client = client_factory(demo.url, socketio_path="/blocked-by-proxy")
    wait_state(qtbot, client, ConnectionState.POLLING)
    assert client.schedule.version == demo.server.version
    version = demo.call(demo.server.make_change, False)
    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=5000)
    assert client.state is ConnectionState.POLLING
    assert not client.service.tracker.status().stale


def test_reconnects_when_server_disconnects_client(
    qtbot: Any, demo: DemoServerThread, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url)
    wait_state(qtbot, client, ConnectionState.LIVE)
    demo.call(demo.server.disconnect_clients)
    qtbot.waitUntil(lambda: ConnectionState.LIVE not in client.states[-1:], timeout=5000)
    wait_state(qtbot, client, ConnectionState.LIVE)
    version = demo.call(demo.server.make_change)
    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=5000)
    assert "reconnect" in [e["reason"] for e in events(caplog, "resync")]


def test_attempt_times_out_and_polling_continues_when_server_frozen(
    qtbot: Any, demo_process: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    server = demo_process("--ping-interval", "0.3", "--ping-timeout", "0.3")
    client = client_factory(server.url, connect_timeout=0.8, request_timeout=0.8)
    wait_state(qtbot, client, ConnectionState.LIVE)
    server.freeze()
    wait_state(qtbot, client, ConnectionState.OFFLINE, timeout=10)
    qtbot.waitUntil(
        lambda: any("timed out" in e["reason"] for e in events(caplog, "connect_failed")),
        timeout=10000,
    )
    polls = len(_polls(caplog))
    qtbot.waitUntil(lambda: len(_polls(caplog)) >= polls + 2, timeout=10000)
    assert any("timed out" in e.get("error", "") for e in _polls(caplog))
    server.thaw()
    wait_state(qtbot, client, ConnectionState.LIVE, timeout=15)


def test_not_authorised_without_tight_retry_when_token_wrong(
    qtbot: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    with DemoServerThread(DemoOptions(port=0, rate=0, token="right")) as server:
        client = client_factory(server.url, token="wrong-token-value", poll_interval=0.5)
        wait_state(qtbot, client, ConnectionState.UNAUTHORIZED)
        qtbot.waitUntil(lambda: len(events(caplog, "connect_failed")) >= 3, timeout=10000)
        attempts = [
            r.created for r in caplog.records if getattr(r, "event", "") == "connect_failed"
        ]
        gaps = [b - a for a, b in itertools.pairwise(attempts)]
        assert all(gap >= 0.45 for gap in gaps), gaps
        assert client.schedule.version is None and len(client.schedule) == 0
        assert all(p.get("http_status") == 401 for p in _polls(caplog))
    assert "wrong-token-value" not in caplog.text


# REST faults (each kind, the reason shown, the last schedule kept): test_rest_faults.py


def test_not_modified_when_schedule_unchanged(
    qtbot: Any, demo: DemoServerThread, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url, socketio_path="/blocked")
    wait_state(qtbot, client, ConnectionState.POLLING)
    qtbot.waitUntil(lambda: "not_modified" in [p["outcome"] for p in _polls(caplog)], timeout=5000)
    assert demo.server.rest_requests.get(304, 0) >= 1


def test_follows_restarted_backend_when_resync_after_reconnect_fails(
    qtbot: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    first = DemoServerThread(DemoOptions(port=0, rate=0, items=12, seed=7))
    first.start()
    port = first.server.port
    for _ in range(5):
        first.call(first.server.make_change)
    client = client_factory(first.url)
    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: client.schedule.version == 6, timeout=5000)
    first.stop()
    second = DemoServerThread(DemoOptions(port=port, rate=0, items=5, seed=8))
    second.server.set_rest_fault("502_html")  # the new backend is still warming up
    second.start()
    try:
        polls = len(_polls(caplog))
        qtbot.waitUntil(
            lambda: any(p.get("http_status") == 502 for p in _polls(caplog)[polls:]),
            timeout=10000,
        )
        wait_state(qtbot, client, ConnectionState.LIVE)
        assert client.service.tracker.status().stale  # live, but the data are unconfirmed
        second.server.set_rest_fault(None)
        qtbot.waitUntil(lambda: client.schedule.version == 1, timeout=5000)
        assert _keys(client) == sorted(
            str(i["id"]) for i in second.call(second.server.snapshot)["items"]
        )
        qtbot.waitUntil(lambda: not client.service.tracker.status().stale, timeout=5000)
        assert not client.service.poll_timer.isActive()
    finally:
        second.stop()


def _keys(client: Client) -> list[str]:
    return sorted(item.key for item in client.schedule.items)
