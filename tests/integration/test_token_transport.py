"""Where the token travels: the ``Authorization`` header of REST and the Socket.IO auth payload.

The demo server requires the token and records, as it receives them, every HTTP request
(its path and query string, its headers) and every Socket.IO auth payload. The client must go
live (so it did send the token) without the token ever being in a URL, another header or a
log record (checked before any redaction: the records as the code made them).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from aiohttp import web

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from tests.integration.conftest import Client, wait_state

TOKEN = "Int-s3cr3t/+=Tk7"
FORMS = {TOKEN, quote(TOKEN), quote(TOKEN, safe=""), quote_plus(TOKEN)}
ITEMS = 12
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Seen:
    """What the server received."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    auths: list[object] = field(default_factory=list)


@pytest.fixture
def recording_demo() -> Iterator[tuple[DemoServerThread, Seen]]:
    """A demo server requiring ``TOKEN`` that records what it receives."""
    demo = DemoServerThread(DemoOptions(port=0, rate=0, items=ITEMS, seed=7, token=TOKEN))
    server, seen = demo.server, Seen()
    build_app, on_connect = server._build_app, server._on_connect

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        seen.requests.append((request.path_qs, dict(request.headers)))
        return await handler(request)

    def build_recording_app() -> web.Application:
        app = build_app()
        app.middlewares.append(record)  # before the runner freezes the application
        return app

    async def record_auth(sid: str, environ: dict[str, Any], auth: object) -> None:
        seen.auths.append(auth)
        await on_connect(sid, environ, auth)

    server._build_app = build_recording_app  # type: ignore[method-assign]
    server._on_connect = record_auth  # type: ignore[method-assign]
    demo.start()
    yield demo, seen
    demo.stop()


def test_token_only_in_authorization_header_and_auth_payload_when_client_goes_live(
    qtbot: Any,
    client_factory: Callable[..., Client],
    recording_demo: tuple[DemoServerThread, Seen],
    caplog: pytest.LogCaptureFixture,
) -> None:
    demo, seen = recording_demo
    client = client_factory(demo.url, token=TOKEN)

    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: len(client.schedule) == ITEMS, timeout=10000)

    rest_path, socket_path = demo.server.options.rest_path, demo.server.options.socketio_path
    assert {path.split("?")[0] for path, _ in seen.requests} >= {rest_path, socket_path + "/"}
    for path, headers in seen.requests:
        assert not any(form in path for form in FORMS), f"token in the URL {path!r}"
        for name, value in headers.items():
            if name.lower() != "authorization":
                assert not any(form in value for form in FORMS), f"token in header {name}"
        if path.startswith(rest_path):
            assert headers.get("Authorization") == f"Bearer {TOKEN}"
    assert seen.auths == [{"namespace": "default", "token": TOKEN}]
    logged = caplog.text + "".join(repr(vars(record)) for record in caplog.records)
    assert not any(form in logged for form in FORMS), "token in a log record"
