"""RestClient against a small real HTTP server on 127.0.0.1: outcomes, headers, limits."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.net.rest import FetchResult, Outcome, RestClient
from tests.conftest import run

TOKEN = "tok-3f9a7c21d4e8b6a0"
SNAPSHOT = {"version": 42, "items": [{"id": "a", "title": "t", "start": "2026-11-27T16:00:00Z"}]}
SERVER_DATE = "Fri, 27 Nov 2026 16:00:00 GMT"

Respond = Callable[["_Handler"], None]


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]


@dataclass
class Backend:
    """A threaded HTTP server whose answer is ``respond``; records every request."""

    respond: Respond
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    date: str = SERVER_DATE
    server: _Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    backend: Backend

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) breaks the pipe; that is expected here."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        backend = self.server.backend
        backend.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        backend.respond(self)

    def date_time_string(self, timestamp: float | None = None) -> str:
        return self.server.backend.date

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- answers --------------------------------------------------------------------------

    def answer(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        length: bool = True,
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def answer_json(
        self, status: int, data: object, headers: dict[str, str] | None = None
    ) -> None:
        self.answer(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )


@pytest.fixture(autouse=True)
def thread_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Exceptions that escaped a thread (a fetch worker must never die of one)."""
    errors: list[str] = []

    def record(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        errors.append(f"{name}: {args.exc_type.__name__}: {args.exc_value}")

    monkeypatch.setattr(threading, "excepthook", record)
    yield errors
    assert errors == [], "exceptions escaped threads"


@pytest.fixture
def backend() -> Iterator[Backend]:
    state = Backend(respond=lambda handler: handler.answer_json(200, SNAPSHOT))
    server = _Server(("127.0.0.1", 0), _Handler)
    server.backend = state
    state.server = server
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="test-http", daemon=True
    )
    thread.start()
    yield state
    state.release.set()  # let a deliberately slow answer end
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def make_client(test_settings: Settings) -> Iterator[Callable[..., RestClient]]:
    clients: list[RestClient] = []

    def make(url: str, **overrides: Any) -> RestClient:
        client = RestClient(test_settings.with_overrides(server_url=url, **overrides))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def fetch(qtbot: Any, client: RestClient, etag: str | None = None) -> FetchResult:
    result = run(qtbot, client.fetch(etag))
    assert isinstance(result, FetchResult)
    return result


def refused_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- success ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("loop")
def test_fetch_returns_ok_with_body_etag_and_server_date_when_server_answers_200_json(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    backend.respond = lambda h: h.answer_json(200, SNAPSHOT, {"ETag": '"v42"'})

    result = fetch(qtbot, make_client(backend.url))

    assert result.outcome is Outcome.OK
    assert result.body == SNAPSHOT
    assert result.etag == '"v42"'
    assert result.http_status == 200
    assert result.error is None
    assert result.server_date == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


@pytest.mark.usefixtures("loop")
def test_fetch_requests_namespace_snapshot_as_json_when_called(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    fetch(qtbot, make_client(backend.url, namespace="hall 2&x", rest_path="/api/v1/sched"))

    (seen,) = backend.requests
    assert seen.path == "/api/v1/sched?namespace=hall+2%26x"
    assert seen.headers["accept"] == "application/json"


@pytest.mark.usefixtures("loop")
def test_fetch_returns_ok_without_etag_or_date_when_server_sends_neither_usable(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    backend.date = "not a date"

    result = fetch(qtbot, make_client(backend.url))

    assert result.outcome is Outcome.OK
    assert result.etag is None
    assert result.server_date is None


@pytest.mark.usefixtures("loop")
def test_fetch_accepts_body_when_it_is_exactly_max_payload_bytes(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    prefix, suffix = b'{"version": 1, "items": [], "pad": "', b'"}'
    body = prefix + b"x" * (1024 - len(prefix) - len(suffix)) + suffix
    assert len(body) == 1024
    backend.respond = lambda h: h.answer(200, body, {"Content-Type": "application/json"})

    result = fetch(qtbot, make_client(backend.url, max_payload_bytes=1024))

    assert result.outcome is Outcome.OK
    assert result.body["version"] == 1


# -- authorization and ETags --------------------------------------------------------------------


@pytest.mark.usefixtures("loop")
def test_fetch_sends_bearer_token_when_token_is_configured(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    fetch(qtbot, make_client(backend.url, token=TOKEN))

    assert backend.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.usefixtures("loop")
def test_fetch_sends_no_authorization_when_no_token_is_configured(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    fetch(qtbot, make_client(backend.url))

    assert "authorization" not in backend.requests[0].headers


@pytest.mark.usefixtures("loop")
def test_fetch_returns_not_modified_when_etag_matches_and_server_answers_304(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    def conditional(handler: _Handler) -> None:
        if handler.headers.get("If-None-Match") == '"v42"':
            handler.answer(304, headers={"ETag": '"v42"'}, length=False)
        else:
            handler.answer_json(200, SNAPSHOT, {"ETag": '"v42"'})

    backend.respond = conditional
    client = make_client(backend.url)

    first = fetch(qtbot, client)
    second = fetch(qtbot, client, first.etag)

    assert backend.requests[1].headers["if-none-match"] == '"v42"'
    assert second.outcome is Outcome.NOT_MODIFIED
    assert second.http_status == 304
    assert second.body is None
    assert second.etag == '"v42"'
    assert second.server_date == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


@pytest.mark.usefixtures("loop")
def test_fetch_sends_no_if_none_match_when_no_etag_is_given(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    fetch(qtbot, make_client(backend.url))

    assert "if-none-match" not in backend.requests[0].headers


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize("status", [401, 403])
def test_fetch_returns_unauthorized_when_server_refuses_token(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient], status: int
) -> None:
    backend.respond = lambda h: h.answer_json(status, {"error": "unauthorized"})

    result = fetch(qtbot, make_client(backend.url, token=TOKEN))

    assert result.outcome is Outcome.UNAUTHORIZED
    assert result.http_status == status
    assert result.body is None
    assert result.error == f"HTTP {status}: not authorised"


# -- failures -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize(
    ("status", "reason"),
    [(500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable")],
)
def test_fetch_returns_error_with_http_status_when_server_fails(
    qtbot: Any,
    backend: Backend,
    make_client: Callable[..., RestClient],
    status: int,
    reason: str,
) -> None:
    backend.respond = lambda h: h.answer(
        status, b"<html>oops</html>", {"Content-Type": "text/html"}
    )

    result = fetch(qtbot, make_client(backend.url))

    assert result.outcome is Outcome.ERROR
    assert result.http_status == status
    assert result.body is None
    assert result.error == f"HTTP {status} {reason}"


@pytest.mark.usefixtures("loop")
def test_fetch_returns_error_when_success_status_is_not_200(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    backend.respond = lambda h: h.answer(204)

    result = fetch(qtbot, make_client(backend.url))

    assert result.outcome is Outcome.ERROR
    assert result.http_status == 204


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize(
    "body",
    [
        b'{"version": 7, "items": [{"id": "job-0001", "title": ',
        b"<html><body>502 Bad Gateway</body></html>",
        b"",
        b'{"version": "\xff\xfe"}',
    ],
    ids=["truncated", "html", "empty", "bad_utf8"],
)
def test_fetch_returns_error_when_body_is_not_valid_json(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient], body: bytes
) -> None:
    backend.respond = lambda h: h.answer(200, body, {"Content-Type": "application/json"})

    result = fetch(qtbot, make_client(backend.url))

    assert result.outcome is Outcome.ERROR
    assert result.http_status == 200
    assert result.body is None
    assert result.error is not None and result.error.startswith("invalid JSON")


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize("with_length", [True, False], ids=["content_length", "until_close"])
def test_fetch_returns_error_body_over_when_body_exceeds_max_payload_bytes(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient], with_length: bool
) -> None:
    big = json.dumps({"version": 1, "items": [], "pad": "x" * 300_000}).encode()
    backend.respond = lambda h: h.answer(
        200, big, {"Content-Type": "application/json"}, length=with_length
    )

    result = fetch(qtbot, make_client(backend.url, max_payload_bytes=100_000))

    assert result.outcome is Outcome.ERROR
    assert result.body is None
    assert result.error == "body over 100000 bytes"


@pytest.mark.usefixtures("loop")
def test_fetch_returns_connection_failed_when_connection_is_refused(
    qtbot: Any, make_client: Callable[..., RestClient]
) -> None:
    result = fetch(qtbot, make_client(refused_url(), token=TOKEN))

    assert result.outcome is Outcome.ERROR
    assert result.http_status is None
    assert result.error is not None and result.error.startswith("connection failed")
    assert "refused" in result.error.lower()


@pytest.mark.usefixtures("loop")
def test_fetch_returns_timed_out_when_server_answers_later_than_request_timeout(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    def slow(handler: _Handler) -> None:
        backend.release.wait(10)  # the server's behaviour: it answers far too late
        handler.answer_json(200, SNAPSHOT)

    backend.respond = slow

    result = fetch(qtbot, make_client(backend.url, request_timeout=0.3))

    assert result.outcome is Outcome.ERROR
    assert result.http_status is None
    assert result.error == "timed out after 0.3 s"


def _stall_after_headers(backend: Backend) -> Respond:
    def stall(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"version": 1, "items": [')
        handler.wfile.flush()
        backend.release.wait(10)  # the server's behaviour: the rest of the body never comes

    return stall


# A stalled or cut-off body used to raise urllib3 exceptions out of the worker thread: the fetch
# answered only after 2 x request_timeout + 1 s and the thread's death reached the ErrorChannel.
@pytest.mark.usefixtures("loop")
def test_fetch_times_out_promptly_when_body_stalls_longer_than_request_timeout(
    qtbot: Any,
    backend: Backend,
    make_client: Callable[..., RestClient],
    thread_errors: list[str],
) -> None:
    backend.respond = _stall_after_headers(backend)
    started = time.monotonic()

    result = fetch(qtbot, make_client(backend.url, request_timeout=1.0))

    assert result.outcome is Outcome.ERROR
    assert result.error == "timed out after 1 s"
    assert thread_errors == []
    assert time.monotonic() - started < 2.0


@pytest.mark.usefixtures("loop")
def test_fetch_fails_at_once_when_server_closes_connection_in_the_middle_of_the_body(
    qtbot: Any,
    backend: Backend,
    make_client: Callable[..., RestClient],
    thread_errors: list[str],
) -> None:
    def cut_off(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"version": 1, "items": [')
        handler.wfile.flush()
        handler.close_connection = True  # the server's behaviour: it goes away mid-body

    backend.respond = cut_off
    started = time.monotonic()

    result = fetch(qtbot, make_client(backend.url, request_timeout=1.0))

    assert result.outcome is Outcome.ERROR
    assert thread_errors == []
    assert time.monotonic() - started < 1.0
    assert result.error is not None and not result.error.startswith("timed out")


@pytest.mark.usefixtures("loop")
def test_fetch_times_out_when_server_drips_body_for_longer_than_request_timeout(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    body = json.dumps(SNAPSHOT).encode()

    def drip(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body[:12]:  # the server's behaviour: one byte every 0.1 s for 1.2 s
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            backend.release.wait(0.1)
        handler.wfile.write(body[12:])

    backend.respond = drip

    result = fetch(qtbot, make_client(backend.url, request_timeout=0.4))

    assert result.outcome is Outcome.ERROR
    assert result.error == "timed out after 0.4 s"


# -- the token stays secret ---------------------------------------------------------------------


@pytest.mark.usefixtures("loop")
@pytest.mark.parametrize(
    "failure", ["401", "500", "invalid_json", "too_big", "timeout", "refused"]
)
def test_error_never_contains_token_when_fetch_fails(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient], failure: str
) -> None:
    answers: dict[str, Respond] = {
        "401": lambda h: h.answer_json(401, {"error": "unauthorized"}),
        "500": lambda h: h.answer(500, TOKEN.encode()),
        "invalid_json": lambda h: h.answer(200, b'{"token": "' + TOKEN.encode()),
        "too_big": lambda h: h.answer(200, b'{"x": "' + TOKEN.encode() * 200 + b'"}'),
        "timeout": lambda h: backend.release.wait(10),
    }
    url = refused_url() if failure == "refused" else backend.url
    if failure in answers:
        backend.respond = answers[failure]

    result = fetch(
        qtbot, make_client(url, token=TOKEN, request_timeout=0.3, max_payload_bytes=1024)
    )

    assert result.outcome in (Outcome.ERROR, Outcome.UNAUTHORIZED)
    assert result.error
    assert TOKEN not in result.error
    assert TOKEN not in repr(result)


# -- threading ----------------------------------------------------------------------------------


def test_fetch_keeps_event_loop_running_when_request_is_in_flight(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    backend: Backend,
    make_client: Callable[..., RestClient],
) -> None:
    def held(handler: _Handler) -> None:
        backend.release.wait(10)  # answers once the test has seen the loop run
        handler.answer_json(200, SNAPSHOT)

    backend.respond = held
    future = asyncio.ensure_future(make_client(backend.url, request_timeout=5.0).fetch())
    qtbot.waitUntil(lambda: bool(backend.requests), timeout=5000)
    ran: list[str] = []

    loop.call_soon(ran.append, "callback")
    qtbot.waitUntil(lambda: bool(ran), timeout=2000)

    assert not future.done()
    backend.release.set()
    qtbot.waitUntil(future.done, timeout=5000)
    assert future.result().outcome is Outcome.OK


@pytest.mark.usefixtures("loop")
def test_fetch_returns_invalid_json_promptly_when_body_is_nested_absurdly_deep(
    qtbot: Any, backend: Backend, make_client: Callable[..., RestClient]
) -> None:
    depth = 200_000
    backend.respond = lambda handler: handler.answer(200, b"[" * depth + b"]" * depth)

    result = fetch(qtbot, make_client(backend.url, request_timeout=5))

    assert result.outcome is Outcome.ERROR
    assert result.error is not None and result.error.startswith("invalid JSON")


@pytest.mark.usefixtures("loop")
def test_fetch_answers_error_when_the_worker_hits_an_unforeseen_exception(
    qtbot: Any,
    backend: Backend,
    make_client: Callable[..., RestClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = make_client(backend.url, request_timeout=5)

    def broken(etag: str | None) -> FetchResult:
        raise UnicodeEncodeError("latin-1", "x", 0, 1, "boom")

    monkeypatch.setattr(client, "_fetch_blocking", broken)

    result = fetch(qtbot, client)

    assert result.outcome is Outcome.ERROR
    assert result.error == "internal error: UnicodeEncodeError"
