"""The local health endpoint: ``GET /healthz`` (JSON) and ``GET /metrics`` (Prometheus).

:class:`HealthServer` is a tiny HTTP/1.1 server on the qasync event loop
(``asyncio.start_server``), for monitoring a fleet of kiosks. One request per connection
(``Connection: close``): the request line and headers must arrive within
:data:`READ_TIMEOUT` seconds and fit in :data:`MAX_REQUEST_BYTES`; only ``GET`` is allowed
(``405`` otherwise), unknown paths are ``404``, anything unparseable ``400``. ``/healthz``
answers ``200`` while the data are fresh and ``503`` while they are stale. Nothing served
contains the token. It binds ``health_host`` (loopback by default): anything else exposes it
to the network.

Logged: ``health_listening`` (host, port) once it listens, ``health_unavailable`` (host, port,
error) when it cannot bind; the application carries on either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from dashboard_desktop import __version__
from dashboard_desktop.core.consistency import ItemDigests
from dashboard_desktop.core.metrics import Metrics
from dashboard_desktop.core.prometheus import CONTENT_TYPE, Gauge, render
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionStatus
from dashboard_desktop.log import log_event

__all__ = ["MAX_REQUEST_BYTES", "READ_TIMEOUT", "HealthServer", "HealthSource"]

MAX_REQUEST_BYTES: Final = 8192
READ_TIMEOUT: Final = 5.0
_WRITE_TIMEOUT: Final = 5.0
_REASONS: Final = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                   503: "Service Unavailable"}  # fmt: skip
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HealthSource:
    """Where the health data come from; each lives across a replaced sync service.

    Attributes:
        status: The current service's status now.
        metrics: The metrics of every service of this run.
        schedule: The schedule shown.
        digests: The item digests of the schedule shown (its content hash).
    """

    status: Callable[[], ConnectionStatus]
    metrics: Metrics
    schedule: Schedule
    digests: ItemDigests

    def health(self) -> tuple[int, dict[str, Any]]:
        """The ``/healthz`` status code and body."""
        status = self.status()
        age = status.age
        snapshot = self.metrics.snapshot()
        body = {
            "state": status.state.value,
            "version": self.schedule.version,
            "items": len(self.schedule),
            "age_seconds": None if age is None else round(age.total_seconds(), 3),
            "stale": status.stale,
            "cached": status.cached,
            "last_error": snapshot.last_error,
            "counters": snapshot.totals(),
            "app_version": __version__,
            "content_hash": self.digests.digest(self.schedule.items),
        }
        return (503 if status.stale else 200), body

    def metrics_text(self) -> str:
        """The ``/metrics`` text."""
        status = self.status()
        gauges = [
            Gauge("dashboard_schedule_items", "Items shown.", len(self.schedule)),
            Gauge("dashboard_data_stale", "1 while the data shown may be out of date.",
                  int(status.stale)),
            Gauge("dashboard_info", "The application's version.", 1, {"version": __version__}),
        ]  # fmt: skip
        if self.schedule.version is not None:
            version = self.schedule.version
            gauges.append(Gauge("dashboard_schedule_version", "Version shown.", version))
        if status.age is not None:
            age = status.age.total_seconds()
            help_text = "Seconds since the data shown were last confirmed."
            gauges.append(Gauge("dashboard_data_age_seconds", help_text, age))
        return render(self.metrics.snapshot(), gauges)


class HealthServer:
    """Serves :class:`HealthSource` over HTTP on ``host``:``port``.

    Args:
        host: The address to bind.
        port: The port (0: a free one, for tests).
        source: The data served.
    """

    def __init__(self, host: str, port: int, source: HealthSource) -> None:
        self.host, self.port, self._source = host, port, source
        self._server: asyncio.Server | None = None
        self._starting: asyncio.Task[bool] | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def start(self) -> None:
        """Start listening in the background (the loop must be running)."""
        self._starting = asyncio.ensure_future(self.listen())

    async def listen(self) -> bool:
        """Bind and listen; False (logged as ``health_unavailable``) if the port is taken."""
        try:
            self._server = await asyncio.start_server(
                self._serve, self.host, self.port, limit=MAX_REQUEST_BYTES
            )
        except OSError as exc:
            log_event(
                _log, "health_unavailable", level=logging.ERROR,
                host=self.host, port=self.port, error=str(exc),
            )  # fmt: skip
            return False
        self.port = int(self._server.sockets[0].getsockname()[1])
        log_event(_log, "health_listening", host=self.host, port=self.port)
        return True

    async def stop(self) -> None:
        """Stop listening and drop the connections being served."""
        if self._starting is not None:
            await asyncio.gather(self._starting, return_exceptions=True)
        server, self._server = self._server, None
        if server is not None:
            server.close()
            for writer in list(self._writers):
                writer.close()
            await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return  # too slow, too large or cut short: just close
            code, content_type, body = self._answer(head)
            writer.write(_response(code, content_type, body))
            await asyncio.wait_for(writer.drain(), _WRITE_TIMEOUT)
        except (OSError, TimeoutError):
            pass  # the client went away
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), _WRITE_TIMEOUT)

    def _answer(self, head: bytes) -> tuple[int, str, bytes]:
        parts = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            return _text(400, "bad request")
        method, target = parts[0], parts[1].split("?", 1)[0]
        if target not in ("/healthz", "/metrics"):
            return _text(404, "not found")
        if method != "GET":
            return _text(405, "only GET")
        if target == "/metrics":
            return 200, CONTENT_TYPE, self._source.metrics_text().encode()
        code, body = self._source.health()
        return code, "application/json", json.dumps(body).encode()


def _text(code: int, text: str) -> tuple[int, str, bytes]:
    return code, "text/plain; charset=utf-8", (text + "\n").encode()


def _response(code: int, content_type: str, body: bytes) -> bytes:
    extra = "Allow: GET\r\n" if code == 405 else ""
    head = (
        f"HTTP/1.1 {code} {_REASONS[code]}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n{extra}"
        "Connection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body
