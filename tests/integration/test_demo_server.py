"""Integration tests of the demo backend over real sockets on 127.0.0.1.

REST is exercised with urllib, Socket.IO with a real ``socketio.AsyncClient`` running in
the test's own asyncio loop, the CLI in a subprocess.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

import dashboard_desktop
from dashboard_desktop.demo import DemoOptions, DemoServerThread

EVENT = "dashboard_schedule_updated"
REPO_ROOT = Path(dashboard_desktop.__file__).resolve().parent.parent
LISTENING = re.compile(r"^listening on (http://127\.0\.0\.1:(\d+))$")

StartDemo = Callable[..., DemoServerThread]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 5.0) -> Reply:
    """GETs a URL and returns the reply, whatever its status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


def schedule_url(demo: DemoServerThread, namespace: str = "default") -> str:
    return f"{demo.url}/api/dashboard/schedule?namespace={namespace}"


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


@pytest.fixture
def start_demo() -> Iterator[StartDemo]:
    """Factory of started demo servers (free port, no automatic changes); stopped after."""
    started: list[DemoServerThread] = []

    def start(**overrides: Any) -> DemoServerThread:
        settings: dict[str, Any] = {"port": 0, "rate": 0, "seed": 7, **overrides}
        demo = DemoServerThread(DemoOptions(**settings))
        demo.start()
        started.append(demo)
        return demo

    yield start
    for demo in started:
        demo.stop()


@dataclass
class Client:
    """A Socket.IO client and what it received."""

    sio: socketio.AsyncClient
    events: asyncio.Queue[tuple[Any, ...]] = field(default_factory=asyncio.Queue)
    refusals: list[Any] = field(default_factory=list)
    disconnects: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)

    async def next_event(self, timeout: float = 5.0) -> tuple[Any, ...]:
        return await asyncio.wait_for(self.events.get(), timeout)


@contextlib.asynccontextmanager
async def socket_client() -> AsyncIterator[Client]:
    """Yields an unconnected client; its own aiohttp session avoids leaked sessions."""
    async with aiohttp.ClientSession() as session:
        client = Client(socketio.AsyncClient(reconnection=False, http_session=session))
        client.sio.on(EVENT, lambda *args: client.events.put_nowait(args))
        client.sio.on("connect_error", client.refusals.append)
        client.sio.on("disconnect", lambda *reason: client.disconnects.put_nowait(reason))
        try:
            yield client
        finally:
            await client.sio.disconnect()


async def connect(client: Client, demo: DemoServerThread, **auth: str) -> None:
    await client.sio.connect(demo.url, auth=auth, transports=["websocket"], wait_timeout=5)


async def on_server(demo: DemoServerThread, fn: Callable[..., Any], *args: Any) -> Any:
    """Runs a server method on the server's loop without blocking the test's loop."""
    return await asyncio.to_thread(demo.call, fn, *args)


def form_of(payload: dict[str, Any]) -> str:
    if "items" in payload:
        return "snapshot"
    return "delta" if "upserts" in payload else "hint"


# --- REST -------------------------------------------------------------------------


def test_snapshot_is_served_with_etag_when_namespace_known(start_demo: StartDemo) -> None:
    demo = start_demo(items=25)

    reply = get(schedule_url(demo))

    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert re.fullmatch(r'"[0-9a-f]+"', reply.headers["ETag"])
    assert "Date" in reply.headers
    body = json.loads(reply.body)
    assert body["version"] == 1
    assert len(body["items"]) == 25
    assert set(body) == {"version", "items", "generated_at"}


def test_not_modified_is_returned_when_etag_matches(start_demo: StartDemo) -> None:
    demo = start_demo()
    etag = get(schedule_url(demo)).headers["ETag"]

    reply = get(schedule_url(demo), {"If-None-Match": etag})

    assert (reply.status, reply.body, reply.headers["ETag"]) == (304, b"", etag)
    assert demo.server.rest_requests == {200: 1, 304: 1}


def test_new_snapshot_is_returned_when_version_changed_since_etag(start_demo: StartDemo) -> None:
    demo = start_demo()
    etag = get(schedule_url(demo)).headers["ETag"]
    version = demo.call(demo.server.make_change)

    reply = get(schedule_url(demo), {"If-None-Match": etag})

    assert reply.status == 200
    assert reply.headers["ETag"] != etag
    assert json.loads(reply.body)["version"] == version == 2


def test_unauthorized_is_returned_when_token_wrong_or_missing(start_demo: StartDemo) -> None:
    demo = start_demo(token="s3cret")

    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        reply = get(schedule_url(demo), headers)
        assert reply.status == 401
        assert json.loads(reply.body) == {"error": "unauthorized"}
    assert get(schedule_url(demo), {"Authorization": "Bearer s3cret"}).status == 200


def test_not_found_is_returned_when_namespace_unknown(start_demo: StartDemo) -> None:
    demo = start_demo()

    assert get(schedule_url(demo, namespace="other")).status == 404
    assert get(f"{demo.url}/api/dashboard/schedule").status == 404


def test_health_reports_version_when_requested(start_demo: StartDemo) -> None:
    demo = start_demo()
    demo.call(demo.server.make_change)

    reply = get(f"{demo.url}/healthz")

    assert (reply.status, json.loads(reply.body)) == (200, {"ok": True, "version": 2})


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("500", 500, "application/json"),
        ("502_html", 502, "text/html"),
        ("invalid_json", 200, "application/json"),
        ("wrong_shape", 200, "application/json"),
        ("401", 401, "application/json"),
    ],
)
def test_rest_fails_as_stated_when_fault_set(
    start_demo: StartDemo, kind: str, status: int, content_type: str
) -> None:
    demo = start_demo(token="t")
    demo.call(demo.server.set_rest_fault, kind)

    reply = get(schedule_url(demo), {"Authorization": "Bearer t"})

    assert reply.status == status
    assert reply.headers["Content-Type"].startswith(content_type)
    if kind == "invalid_json":
        with pytest.raises(json.JSONDecodeError):
            json.loads(reply.body)
    if kind == "wrong_shape":
        assert not isinstance(json.loads(reply.body)["items"], list)
    demo.call(demo.server.set_rest_fault, None)
    assert get(schedule_url(demo), {"Authorization": "Bearer t"}).status == 200


def test_request_hangs_until_stop_when_timeout_fault_set(start_demo: StartDemo) -> None:
    demo = start_demo()
    demo.server.set_rest_fault("timeout")

    with pytest.raises(TimeoutError):
        get(schedule_url(demo), timeout=0.3)
    assert demo.server.rest_requests == {0: 1}
    started = time.monotonic()
    demo.stop()

    assert time.monotonic() - started < 1.0


def test_set_rest_fault_raises_when_kind_unknown(start_demo: StartDemo) -> None:
    demo = start_demo()

    with pytest.raises(ValueError, match="unknown REST fault"):
        demo.server.set_rest_fault("418")


# --- Socket.IO -------------------------------------------------------------------


def test_connect_is_refused_when_token_missing_or_wrong(start_demo: StartDemo) -> None:
    demo = start_demo(token="s3cret")

    async def scenario() -> None:
        for auth in ({"namespace": "default"}, {"namespace": "default", "token": "no"}):
            async with socket_client() as client:
                with pytest.raises(socketio.exceptions.ConnectionError):
                    await connect(client, demo, **auth)
                assert client.refusals == [{"message": "unauthorized"}]

    asyncio.run(scenario())
    assert demo.server.connected_clients == 0


def test_connect_is_refused_when_namespace_unknown(start_demo: StartDemo) -> None:
    demo = start_demo()

    async def scenario() -> None:
        async with socket_client() as client:
            with pytest.raises(socketio.exceptions.ConnectionError):
                await connect(client, demo, namespace="other")
            assert client.refusals == [{"message": "unknown namespace"}]

    asyncio.run(scenario())


def test_delta_is_received_with_emitted_at_ms_when_change_made(start_demo: StartDemo) -> None:
    demo = start_demo(token="s3cret")

    async def scenario() -> dict[str, Any]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default", token="s3cret")
            assert demo.server.connected_clients == 1
            await on_server(demo, demo.server.make_change)
            (payload,) = await client.next_event()
            return dict(payload)

    payload = asyncio.run(scenario())

    assert set(payload) == {"version", "base_version", "upserts", "deletes", "emitted_at_ms"}
    assert (payload["version"], payload["base_version"]) == (2, 1)
    assert abs(payload["emitted_at_ms"] - time.time() * 1000) < 5000


@pytest.mark.parametrize(
    ("form", "keys"),
    [
        ("snapshot", {"version", "items", "generated_at", "emitted_at_ms"}),
        ("hint", {"version", "emitted_at_ms"}),
    ],
)
def test_event_has_configured_form_when_form_set(
    start_demo: StartDemo, form: str, keys: set[str]
) -> None:
    demo = start_demo(form=form)

    async def scenario() -> tuple[Any, ...]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            await on_server(demo, demo.server.make_change)
            return await client.next_event()

    (payload,) = asyncio.run(scenario())

    assert set(payload) == keys
    assert payload["version"] == 2


def test_all_forms_are_emitted_when_form_mixed(start_demo: StartDemo) -> None:
    demo = start_demo(form="mixed")

    async def scenario() -> set[str]:
        forms = set()
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            for _ in range(40):
                await on_server(demo, demo.server.make_change)
                (payload,) = await client.next_event()
                forms.add(form_of(payload))
        return forms

    assert asyncio.run(scenario()) == {"delta", "snapshot", "hint"}


def test_version_gap_is_seen_when_event_lost(start_demo: StartDemo) -> None:
    demo = start_demo()

    async def scenario() -> tuple[Any, ...]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            await on_server(demo, demo.server.make_change, False)
            await on_server(demo, demo.server.make_change)
            return await client.next_event()

    (payload,) = asyncio.run(scenario())

    assert (payload["base_version"], payload["version"]) == (2, 3)


def test_raw_payloads_are_emitted_as_is_when_malformed(start_demo: StartDemo) -> None:
    demo = start_demo()
    raw: list[Any] = ["not an object", [1, 2], {"version": "x"}, 42]

    async def scenario() -> list[Any]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            for payload in raw:
                await on_server(demo, demo.server.emit_payload, payload)
            return [(await client.next_event())[0] for _ in raw]

    assert asyncio.run(scenario()) == raw


def test_client_gets_server_disconnect_when_clients_disconnected(start_demo: StartDemo) -> None:
    demo = start_demo()

    async def scenario() -> tuple[Any, ...]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            await on_server(demo, demo.server.disconnect_clients)
            return await asyncio.wait_for(client.disconnects.get(), 5)

    assert asyncio.run(scenario()) == ("server disconnect",)
    wait_until(lambda: demo.server.connected_clients == 0)


def test_client_sees_transport_error_quickly_when_server_stops(start_demo: StartDemo) -> None:
    demo = start_demo()

    async def scenario() -> tuple[tuple[Any, ...], float]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            started = time.monotonic()
            await asyncio.to_thread(demo.stop)
            elapsed = time.monotonic() - started
            return await asyncio.wait_for(client.disconnects.get(), 5), elapsed

    reason, elapsed = asyncio.run(scenario())

    assert reason != ("server disconnect",)
    assert elapsed < 1.0


def test_client_gets_configured_ping_settings_when_connected(start_demo: StartDemo) -> None:
    demo = start_demo(ping_interval=3, ping_timeout=2)

    async def scenario() -> tuple[float, float]:
        async with socket_client() as client:
            await connect(client, demo, namespace="default")
            return client.sio.eio.ping_interval, client.sio.eio.ping_timeout

    assert asyncio.run(scenario()) == (3, 2)


def test_changes_are_emitted_until_paused_when_rate_set(start_demo: StartDemo) -> None:
    demo = start_demo(rate=50)
    wait_until(lambda: demo.server.version >= 3)

    demo.server.pause()
    paused_at = demo.call(lambda: demo.server.version)
    time.sleep(0.2)  # 10 tick intervals: a negative check needs some waiting
    assert demo.server.version == paused_at

    demo.server.resume()
    wait_until(lambda: demo.server.version > paused_at)


# --- lifecycle and CLI -------------------------------------------------------------


def test_restart_keeps_port_and_version_when_server_started_again(
    start_demo: StartDemo,
) -> None:
    demo = start_demo()
    port = demo.server.port
    demo.call(demo.server.make_change)

    demo.call(demo.server.stop)
    assert demo.call(demo.server.start) == port

    assert json.loads(get(f"{demo.url}/healthz").body)["version"] == 2


def test_start_raises_when_port_in_use(start_demo: StartDemo) -> None:
    busy = start_demo()

    with pytest.raises(OSError):
        start_demo(port=busy.server.port)


def read_line(stream: Any, timeout: float = 10.0) -> str:
    """Reads one line from a pipe, failing after ``timeout`` seconds."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines:
        raise AssertionError(f"no line within {timeout} s")
    return lines[0].rstrip("\n")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_and_exits_cleanly_when_signalled(signum: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "dashboard_desktop.demo", "--port", "0", "--token", "T"]
    with subprocess.Popen(
        [*command, "--rate", "0", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    ) as process:
        try:
            match = LISTENING.match(read_line(process.stdout))
            assert match, "unexpected first line"
            assert get(f"{match[1]}/healthz").status == 200
            assert get(f"{match[1]}/api/dashboard/schedule?namespace=default").status == 401
            process.send_signal(signum)
            stdout, stderr = process.communicate(timeout=5)
        finally:
            process.kill()
    assert process.returncode == 0, stderr
    assert stdout == ""


def test_demo_imports_only_itself_when_loaded() -> None:
    code = (
        "import sys, dashboard_desktop.demo, dashboard_desktop.demo.__main__\n"
        "own = [m for m in sys.modules if m.startswith('dashboard_desktop')]\n"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'qasync'))]\n"
        "print(sorted(m for m in own if not m.startswith('dashboard_desktop.demo')), qt)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )

    assert result.stdout.strip() == "['dashboard_desktop'] []", result.stderr


def test_cli_help_lists_options_when_asked() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "dashboard_desktop.demo", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=True,
    )

    for option in ("--port", "--items", "--rate", "--form", "--token", "--seed"):
        assert option in result.stdout
