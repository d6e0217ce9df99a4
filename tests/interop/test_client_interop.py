"""Our real SyncService against third-party servers: Flask-SocketIO 5 and Node socket.io 4.

Each test runs once per server kind ("flask", "node"; node is skipped only without ``node`` on
PATH). The client is the one the application uses (``client_factory`` from the integration
tests: SyncService + Schedule + table model on a qasync loop, short test timings).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
import requests
from servers import ServerProcess, StartServer

from dashboard_desktop.core.status import ConnectionState
from tests.integration.conftest import Client, events, wait_state

pytestmark = pytest.mark.interop

TOKEN = "interop-t0ken"
NAMESPACE = "default"
SCHEDULE_PATH = "/api/dashboard/schedule"
LIVE_TIMEOUT_S = 15.0
SYNC_TIMEOUT_MS = 5000
DOWN = (ConnectionState.RECONNECTING, ConnectionState.OFFLINE)


@pytest.fixture(autouse=True)
def _capture_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


Connect = Callable[..., tuple[ServerProcess, Client]]


@pytest.fixture
def connect(start_interop_server: StartServer, client_factory: Any, server_kind: str) -> Connect:
    """``(server_token, **client_settings) -> (server, client)``: a server of each kind, and
    our client started against it."""

    def start(server_token: str, **settings: Any) -> tuple[ServerProcess, Client]:
        server = start_interop_server(server_kind, server_token)
        return server, client_factory(server.url, **settings)

    return start


def _server_snapshot(server: ServerProcess) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {server.token}"} if server.token else {}
    response = requests.get(
        f"{server.url}{SCHEDULE_PATH}",
        params={"namespace": NAMESPACE},
        headers=headers,
        timeout=10,
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _shown(client: Client) -> dict[str, tuple[str | int, str, str | None]]:
    """What the client shows, by key: (id as sent, title, status)."""
    return {item.key: (item.raw_id, item.title, item.status) for item in client.schedule.items}


def _served(snapshot: dict[str, Any]) -> dict[str, tuple[str | int, str, str | None]]:
    """What the server serves, in the same shape as :func:`_shown`."""
    return {
        str(item["id"]): (item["id"], item["title"], item.get("status"))
        for item in snapshot["items"]
    }


def _live_and_synced(qtbot: Any, server: ServerProcess, client: Client) -> dict[str, Any]:
    """Wait until live and showing the server's snapshot; return that snapshot."""
    wait_state(qtbot, client, ConnectionState.LIVE, timeout=LIVE_TIMEOUT_S)
    snapshot = _server_snapshot(server)
    qtbot.waitUntil(
        lambda: client.schedule.version == snapshot["version"] and not client.service.fetching,
        timeout=SYNC_TIMEOUT_MS,
    )
    return snapshot


@pytest.mark.parametrize(
    "transports",
    [
        pytest.param(("websocket",), id="websocket"),
        pytest.param(("polling", "websocket"), id="polling"),
    ],
)
def test_shows_snapshot_and_applies_pushed_deltas_when_server_is_third_party(
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
    connect: Connect,
    transports: tuple[str, ...],
) -> None:
    server, client = connect(TOKEN, token=TOKEN, transports=transports)

    snapshot = _live_and_synced(qtbot, server, client)

    assert snapshot["version"] == 1
    assert _shown(client) == _served(snapshot)
    assert {type(item.raw_id) for item in client.schedule.items} == {str, int}
    assert client.model.rowCount() == len(snapshot["items"]) == 3
    assert events(caplog, "schedule_applied")[0]["source"] == "rest"

    versions = []
    for _ in range(len(snapshot["items"])):  # round robin: every item changes once
        version = server.change()
        versions.append(version)
        qtbot.waitUntil(lambda v=version: client.schedule.version == v, timeout=SYNC_TIMEOUT_MS)

    pushed = [e for e in events(caplog, "schedule_applied") if e["source"] == "socket"]
    assert [(e["form"], e["version"], e["changed"]) for e in pushed] == [
        ("delta", v, 1) for v in versions
    ]
    assert all(isinstance(e["latency_ms"], int) for e in pushed)
    assert _shown(client) == _served(_server_snapshot(server))
    assert [e["reason"] for e in events(caplog, "resync")] == ["connect"]
    assert client.state is ConnectionState.LIVE
    assert client.states[-1] is ConnectionState.LIVE
    assert not client.service.poll_timer.isActive()


@pytest.mark.parametrize(
    ("token", "http_status"),
    [pytest.param("wrong-token", 403, id="wrong"), pytest.param("", 401, id="missing")],
)
def test_unauthorized_when_token_is_refused(
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
    connect: Connect,
    token: str,
    http_status: int,
) -> None:
    _server, client = connect(TOKEN, token=token)

    wait_state(qtbot, client, ConnectionState.UNAUTHORIZED, timeout=LIVE_TIMEOUT_S)

    # Both channels must recognise the refusal: the socket's connect_error (logged as a
    # warning only when it is an authorization refusal) ...
    def socket_refused() -> bool:
        return any(
            record.levelno == logging.WARNING
            and "unauthorized" in str(getattr(record, "fields", {}).get("reason"))
            for record in caplog.records
            if getattr(record, "event", None) == "connect_failed"
        )

    qtbot.waitUntil(socket_refused, timeout=SYNC_TIMEOUT_MS)
    # ... and the REST snapshot's 401/403.
    qtbot.waitUntil(
        lambda: any(e.get("http_status") == http_status for e in events(caplog, "poll")),
        timeout=SYNC_TIMEOUT_MS,
    )
    assert ConnectionState.LIVE not in client.states
    assert client.schedule.version is None
    assert len(client.schedule) == 0
    assert client.state is ConnectionState.UNAUTHORIZED


def test_keeps_last_data_when_server_goes_away(
    qtbot: Any, caplog: pytest.LogCaptureFixture, connect: Connect
) -> None:
    server, client = connect(TOKEN, token=TOKEN)
    _live_and_synced(qtbot, server, client)
    version = server.change()
    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=SYNC_TIMEOUT_MS)
    last = _served(_server_snapshot(server))
    assert _shown(client) == last

    server.stop()

    qtbot.waitUntil(lambda: client.state in DOWN, timeout=SYNC_TIMEOUT_MS)
    wait_state(qtbot, client, ConnectionState.OFFLINE, timeout=LIVE_TIMEOUT_S)
    status = client.service.tracker.status()
    assert status.stale
    assert status.version == version
    assert status.item_count == len(last)
    assert client.schedule.version == version
    assert _shown(client) == last
    assert client.model.rowCount() == len(last)
    assert client.service.poll_timer.isActive()
    after_live = client.states[client.states.index(ConnectionState.LIVE) + 1 :]
    assert after_live[0] in DOWN, client.states
    assert after_live[-1] is ConnectionState.OFFLINE
    assert any(e["outcome"] == "error" for e in events(caplog, "poll"))
