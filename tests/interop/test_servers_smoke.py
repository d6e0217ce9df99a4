"""Smoke tests of the third-party interop servers with a plain python-socketio client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
import servers
import socketio
from servers import NODE_MISSING_REASON, StartServer

pytestmark = pytest.mark.interop

TOKEN = "s3cret-token"
NAMESPACE = "default"
EVENT = "dashboard_schedule_updated"
TIMEOUT_S = 10.0
SCHEDULE_PATH = "/api/dashboard/schedule"


async def _receive_delta_after_change(url: str, token: str, change: Any) -> tuple[int, Any]:
    """Connect over websocket with auth, trigger a change, return (new version, payload)."""
    received = asyncio.Event()
    payloads: list[Any] = []
    async with aiohttp.ClientSession() as session:
        sio = socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=session)

        @sio.on(EVENT)
        async def on_update(data: Any) -> None:
            payloads.append(data)
            received.set()

        try:
            await sio.connect(
                url,
                auth={"namespace": NAMESPACE, "token": token},
                transports=["websocket"],
                wait_timeout=TIMEOUT_S,
            )
            version = await asyncio.to_thread(change)
            await asyncio.wait_for(received.wait(), TIMEOUT_S)
        finally:
            await sio.disconnect()
    return version, payloads[0]


async def _connect_expecting_refusal(url: str, auth: dict[str, str]) -> Any:
    """Connect over websocket with ``auth``; return the connect_error data once refused."""
    errors: list[Any] = []
    async with aiohttp.ClientSession() as session:
        sio = socketio.AsyncClient(reconnection=False, handle_sigint=False, http_session=session)

        @sio.event
        async def connect_error(data: Any) -> None:
            errors.append(data)

        try:
            with pytest.raises(socketio.exceptions.ConnectionError):
                await sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=TIMEOUT_S)
            assert not sio.connected
        finally:
            await sio.disconnect()
    assert errors, "no connect_error event"
    return errors[0]


def _get_schedule(url: str, headers: dict[str, str]) -> requests.Response:
    return requests.get(
        f"{url}{SCHEDULE_PATH}",
        params={"namespace": NAMESPACE},
        headers=headers,
        timeout=TIMEOUT_S,
    )


def test_delta_is_pushed_when_schedule_changes(
    start_interop_server: StartServer, server_kind: str
) -> None:
    server = start_interop_server(server_kind, TOKEN)

    version, delta = asyncio.run(_receive_delta_after_change(server.url, TOKEN, server.change))

    assert isinstance(delta, dict)
    assert set(delta) == {"version", "base_version", "upserts", "deletes", "emitted_at_ms"}
    assert delta["version"] == version == 2
    assert delta["base_version"] == version - 1
    assert delta["deletes"] == []
    assert len(delta["upserts"]) == 1
    item = delta["upserts"][0]
    assert {"id", "title", "start", "status"} <= set(item)
    assert isinstance(delta["emitted_at_ms"], int)


@pytest.mark.parametrize(
    "auth",
    [
        pytest.param({"namespace": NAMESPACE, "token": "wrong"}, id="wrong"),
        pytest.param({"namespace": NAMESPACE}, id="missing"),
    ],
)
def test_connect_is_refused_when_token_is_wrong_or_missing(
    start_interop_server: StartServer, server_kind: str, auth: dict[str, str]
) -> None:
    server = start_interop_server(server_kind, TOKEN)

    error = asyncio.run(_connect_expecting_refusal(server.url, auth))

    # Node adds a "data" key; Flask-SocketIO sends only the message.
    assert isinstance(error, dict)
    assert error["message"] == "unauthorized"


def test_connect_succeeds_without_token_when_server_has_no_token(
    start_interop_server: StartServer, server_kind: str
) -> None:
    server = start_interop_server(server_kind)

    version, delta = asyncio.run(_receive_delta_after_change(server.url, "", server.change))

    assert delta["version"] == version


def test_schedule_is_served_with_etag_and_304_when_etag_matches(
    start_interop_server: StartServer, server_kind: str
) -> None:
    server = start_interop_server(server_kind, TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}

    first = _get_schedule(server.url, auth)
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("application/json")
    snapshot = first.json()
    assert set(snapshot) == {"version", "items", "generated_at"}
    assert snapshot["version"] == 1
    assert len(snapshot["items"]) == 3
    etag = first.headers["ETag"]

    not_modified = _get_schedule(server.url, {**auth, "If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["ETag"] == etag

    version = server.change()
    changed = _get_schedule(server.url, {**auth, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["version"] == version
    assert changed.headers["ETag"] != etag


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param({}, 401, id="missing"),
        pytest.param({"Authorization": "Bearer wrong"}, 403, id="wrong"),
    ],
)
def test_schedule_is_refused_when_bearer_token_is_missing_or_wrong(
    start_interop_server: StartServer,
    server_kind: str,
    headers: dict[str, str],
    status: int,
) -> None:
    server = start_interop_server(server_kind, TOKEN)

    response = _get_schedule(server.url, headers)

    assert response.status_code == status


@pytest.mark.skipif(servers.node_executable() is None, reason=NODE_MISSING_REASON)
def test_node_start_fails_with_npm_ci_hint_when_node_modules_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(servers, "NODE_DIR", tmp_path)

    with pytest.raises(servers.ServerStartError, match=r"npm ci --prefix tests/interop/node"):
        servers.start_server("node")


def test_start_fails_when_kind_is_unknown() -> None:
    with pytest.raises(ValueError, match="unknown server kind"):
        servers.start_server("tornado")
