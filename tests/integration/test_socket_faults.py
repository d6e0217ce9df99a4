"""The real sync service against the real demo server through a fault-injecting proxy.

Both Socket.IO and REST go through :class:`~tests.faults.proxy.FaultProxy`; the server pings
every 0.5 s and gives up after 1 s more, so a half-open connection is noticed in about 1.5 s
(with the default 25 + 20 s it would outlast every wait here). Each test checks what a user
would see: the state shown and the rows. Times are printed as ``MEASURED`` lines (``-s``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from dashboard_desktop.core.protocol import parse_snapshot
from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.net.updates import ApplyInfo
from tests.faults.proxy import FaultProxy, Mode
from tests.integration.conftest import Client, events, wait_state

LIVE = ConnectionState.LIVE
PUSH_CHANNEL = "/socket.io"  # the proxy's ``only``: the push channel fails, REST works
OUTAGES = [Mode.DROP, Mode.BLACKHOLE]
POLL_ERRORS = {  # what a failed poll says, in words, in each outage (request_timeout 2 s)
    Mode.DROP: {
        "connection failed: connection reset",
        "connection failed: the server closed the connection without answering",
    },
    Mode.BLACKHOLE: {"timed out after 2 s"},
}


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    """A demo server with short Engine.IO ping settings."""
    options = DemoOptions(port=0, rate=0, items=12, seed=7, ping_interval=0.5, ping_timeout=1.0)
    with DemoServerThread(options) as server:
        yield server


@pytest.fixture
def proxy(demo: DemoServerThread) -> Iterator[FaultProxy]:
    """The proxy in front of the demo server, passing everything at first."""
    with FaultProxy(demo.server.port) as running:
        yield running


@dataclass
class Rig:
    """The demo server, the proxy in front of it and a client connected through it."""

    demo: DemoServerThread
    proxy: FaultProxy
    client: Client


@pytest.fixture
def rig(qtbot: Any, demo: DemoServerThread, proxy: FaultProxy, client_factory: Any) -> Rig:
    """A client connected through the proxy, live and showing the server's schedule."""
    client: Client = client_factory(proxy.url)
    wait_state(qtbot, client, LIVE)
    # Settled: the resync after connecting is done, so no fetch is in flight when a fault starts.
    qtbot.waitUntil(
        lambda: not client.service.fetching and _shows_server_schedule(client, demo), timeout=5000
    )
    return Rig(demo, proxy, client)


@pytest.fixture(autouse=True)
def _no_logged_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """python-socketio only logs exceptions raised in its handlers: none may be logged."""
    yield
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors


def _shows_server_schedule(client: Client, demo: DemoServerThread) -> bool:
    """True if the rows shown are the server's current schedule, item for item."""
    snapshot = parse_snapshot(demo.call(demo.server.snapshot))
    shown = sorted(client.schedule.items, key=lambda item: item.key)
    served = sorted(snapshot.items, key=lambda item: item.key)
    return client.schedule.version == snapshot.version and shown == served


def _left_live(qtbot: Any, client: Client, mode: Mode, timeout: float = 10) -> float:
    """Wait until ``client`` is no longer live; return how long that took."""
    started = time.monotonic()
    qtbot.waitUntil(lambda: client.state is not LIVE, timeout=int(timeout * 1000))
    took = time.monotonic() - started
    print(f"MEASURED {mode.value}: left Live after {took * 1000:.0f} ms")
    return took


def _recovers(qtbot: Any, rig: Rig) -> None:
    """Let traffic flow again: the client is live with the server's schedule."""
    rig.proxy.switch(Mode.PASS)
    wait_state(qtbot, rig.client, LIVE, timeout=15)
    qtbot.waitUntil(lambda: _shows_server_schedule(rig.client, rig.demo), timeout=5000)


@pytest.mark.parametrize("mode", OUTAGES, ids=lambda mode: mode.value)
def test_offline_with_last_schedule_then_live_when_all_traffic_fails(
    qtbot: Any, rig: Rig, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    live, demo = rig.client, rig.demo
    shown, polls = list(live.schedule.items), len(events(caplog, "poll"))

    rig.proxy.switch(mode)
    _left_live(qtbot, live, mode)
    missed = demo.call(demo.server.make_change)  # pushed, but nothing gets through

    wait_state(qtbot, live, ConnectionState.OFFLINE, timeout=10)
    assert live.service.poll_timer.isActive()
    assert live.service.tracker.status().stale
    assert list(live.schedule.items) == shown and live.schedule.version == missed - 1
    errors = {poll.get("error") for poll in events(caplog, "poll")[polls:]}
    assert errors and errors <= POLL_ERRORS[mode], errors
    _recovers(qtbot, rig)
    assert live.schedule.version == missed


@pytest.mark.parametrize("mode", OUTAGES, ids=lambda mode: mode.value)
def test_polling_keeps_schedule_current_then_live_when_push_channel_fails(
    qtbot: Any, rig: Rig, mode: Mode
) -> None:
    live, demo = rig.client, rig.demo
    rig.proxy.switch(mode, only=PUSH_CHANNEL)
    _left_live(qtbot, live, mode)
    wait_state(qtbot, live, ConnectionState.POLLING, timeout=10)

    version = demo.call(demo.server.make_change)  # pushed, but only a poll can bring it

    qtbot.waitUntil(lambda: live.schedule.version == version, timeout=5000)
    assert live.state is ConnectionState.POLLING
    assert not live.service.tracker.status().stale
    _recovers(qtbot, rig)


def test_stays_live_and_applies_updates_in_order_when_latency_added(
    qtbot: Any, rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    live, demo = rig.client, rig.demo
    applied: list[ApplyInfo] = []
    live.service.scheduleApplied.connect(applied.append)
    states, resyncs = len(live.states), len(events(caplog, "resync"))

    rig.proxy.switch(Mode.LATENCY, latency_ms=300)
    # One at a time, each at least 300 ms on its way: together longer than the server's
    # ping interval + timeout, so the pings crossed the slow link too.
    for _ in range(6):
        version = demo.call(demo.server.make_change)
        qtbot.waitUntil(lambda v=version: live.schedule.version == v, timeout=5000)
    burst = [demo.call(demo.server.make_change) for _ in range(5)]
    qtbot.waitUntil(lambda: live.schedule.version == burst[-1], timeout=5000)

    assert live.states[states:] == [] and live.state is LIVE
    versions = [info.version for info in applied]
    assert versions == sorted(set(versions)) and versions[-1] == burst[-1]
    assert all(info.source == "socket" for info in applied)
    assert all(info.latency_ms is not None and info.latency_ms >= 290 for info in applied)
    assert len(events(caplog, "resync")) == resyncs  # nothing lost, nothing refetched
    assert _shows_server_schedule(live, demo)


def test_resyncs_to_server_schedule_when_message_cut_in_half(
    qtbot: Any, rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    live, demo = rig.client, rig.demo
    states, resyncs = len(live.states), len(events(caplog, "resync"))
    rig.proxy.switch(Mode.CUT)

    version = demo.call(demo.server.make_change)

    qtbot.waitUntil(lambda: rig.proxy.cuts == 1, timeout=5000)
    qtbot.waitUntil(lambda: len(live.states) > states + 1 and live.state is LIVE, timeout=15000)
    qtbot.waitUntil(lambda: _shows_server_schedule(live, demo), timeout=5000)
    assert live.schedule.version == version
    assert "reconnect" in [e["reason"] for e in events(caplog, "resync")[resyncs:]]
