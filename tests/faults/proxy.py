"""A fault-injecting TCP proxy between the app and a server, run in its own thread.

:class:`FaultProxy` listens on 127.0.0.1 (a free port) and forwards every connection to
``upstream_port``. A test switches its :class:`Mode` at any time with :meth:`FaultProxy.switch`,
which returns once the mode is in force (a drop has closed the connections):

- ``PASS``: forward everything as it comes.
- ``DROP``: reset every open connection now, and each new one as soon as it is seen.
- ``BLACKHOLE``: keep connections open but forward nothing, not even a close, in either
  direction; what arrived meanwhile is delivered once the mode is left (as TCP would
  retransmit it).
- ``LATENCY``: deliver every chunk ``latency_ms`` after it arrived, in order.
- ``CUT``: forward only the first half of the next server-to-client chunk carrying a
  Socket.IO message (a websocket text frame ``42...``), then close that connection; the mode
  then returns to ``PASS`` by itself.

``only`` restricts the fault to connections whose first request's path starts with it (e.g.
``"/socket.io"``: the push channel fails while REST works). The proxy runs on its own asyncio
loop in a daemon thread, so its timing does not depend on the Qt event loop of the test, and
:meth:`FaultProxy.stop` aborts every connection and joins the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

_CHUNK = 64 * 1024
_EOF = b""
_T = TypeVar("_T")


class Mode(enum.Enum):
    """What the proxy does to the traffic; see the module docstring."""

    PASS = "pass"
    DROP = "drop"
    BLACKHOLE = "blackhole"
    LATENCY = "latency"
    CUT = "cut"


class _Link:
    """One proxied connection: the client's side, the server's side, the pump tasks."""

    def __init__(self, client: asyncio.StreamWriter) -> None:
        self.client = client
        self.server: asyncio.StreamWriter | None = None
        self.path: str | None = None  # of the first request, once the client has sent it

    def abort(self) -> None:
        for writer in (self.client, self.server):
            if writer is not None:
                writer.transport.abort()


class FaultProxy:
    """A TCP proxy to ``127.0.0.1:upstream_port`` whose faults a test switches.

    Args:
        upstream_port: The port of the server on 127.0.0.1.
        timeout: Seconds to wait for a start, a mode switch or a stop.
    """

    def __init__(self, upstream_port: int, timeout: float = 10.0) -> None:
        self.upstream_port = upstream_port
        self.timeout = timeout
        self.port = 0
        self.mode = Mode.PASS
        self.latency_ms = 0.0
        self.only: str | None = None
        self.accepted = 0
        self.cuts = 0
        self._links: set[_Link] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._changed: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy")
        self._thread.daemon = True

    @property
    def url(self) -> str:
        """The base URL to give the app, e.g. ``http://127.0.0.1:40123``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        """Start the thread and listen; returns once listening."""
        self._thread.start()
        self.port = self._call(self._listen)
        return self

    def stop(self) -> None:
        """Abort every connection, stop listening and join the thread (idempotent)."""
        if not self._thread.is_alive():
            return
        try:
            self._call(self._shutdown)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(self.timeout)
            self._loop.close()

    def switch(self, mode: Mode, *, latency_ms: float = 0.0, only: str | None = None) -> None:
        """Switch to ``mode`` (for connections to paths starting with ``only``, or all)."""
        self._call(lambda: self._switch(mode, latency_ms, only))

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- on the proxy's loop -----------------------------------------------------------------

    def _call(self, fn: Callable[[], Awaitable[_T]]) -> _T:
        async def invoke() -> _T:
            return await fn()

        return asyncio.run_coroutine_threadsafe(invoke(), self._loop).result(self.timeout)

    async def _listen(self) -> int:
        self._changed = asyncio.Event()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for link in list(self._links):
            link.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _switch(self, mode: Mode, latency_ms: float, only: str | None) -> None:
        self.mode, self.latency_ms, self.only = mode, latency_ms, only
        changed, self._changed = self._changed, asyncio.Event()
        if changed is not None:
            changed.set()  # wakes the pumps holding data back
        if mode is Mode.DROP:
            for link in list(self._links):
                if self._applies(link):
                    link.abort()

    def _applies(self, link: _Link) -> bool:
        """True if the current fault applies to ``link``."""
        if self.mode is Mode.PASS:
            return False
        return self.only is None or (link.path is not None and link.path.startswith(self.only))

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Not a coroutine: asyncio would run it as a task that stop() could not cancel.
        self.accepted += 1
        link = _Link(writer)
        if self.mode is Mode.DROP and self._applies(link):
            link.abort()
            return
        self._spawn(self._handle(link, reader))

    async def _handle(self, link: _Link, reader: asyncio.StreamReader) -> None:
        self._links.add(link)
        try:
            await self._serve(link, reader)
        except (OSError, asyncio.IncompleteReadError):
            pass  # a peer went away; the link is closed below
        finally:
            self._links.discard(link)
            link.abort()

    async def _serve(self, link: _Link, client_reader: asyncio.StreamReader) -> None:
        server_reader, link.server = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        pumps = [
            self._spawn(self._pump(link, client_reader, link.server, upstream=True)),
            self._spawn(self._pump(link, server_reader, link.client, upstream=False)),
        ]
        try:
            await asyncio.gather(*pumps)
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def _pump(
        self,
        link: _Link,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        *,
        upstream: bool,
    ) -> None:
        """Move one direction's chunks: a reader stamps them, a writer delivers them."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        reading = self._spawn(self._read(link, source, queue, upstream=upstream))
        try:
            await self._deliver(link, queue, sink, upstream=upstream)
        finally:
            reading.cancel()
            await asyncio.gather(reading, return_exceptions=True)

    async def _read(
        self,
        link: _Link,
        source: asyncio.StreamReader,
        queue: asyncio.Queue[tuple[float, bytes]],
        *,
        upstream: bool,
    ) -> None:
        loop = asyncio.get_running_loop()
        due = 0.0
        while True:
            try:
                data = await source.read(_CHUNK)
            except OSError:
                data = _EOF
            if upstream and link.path is None and data:
                link.path = _request_path(data)
            delay = self.latency_ms / 1000 if self.mode is Mode.LATENCY else 0.0
            if not self._applies(link):
                delay = 0.0
            due = max(due, loop.time() + delay)  # a shorter latency never reorders chunks
            queue.put_nowait((due, data))
            if not data:
                return

    async def _deliver(
        self,
        link: _Link,
        queue: asyncio.Queue[tuple[float, bytes]],
        sink: asyncio.StreamWriter,
        *,
        upstream: bool,
    ) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due, data = await queue.get()
            await self._hold_while_blackholed(link)
            if self.mode is Mode.DROP and self._applies(link):
                link.abort()
                return
            await asyncio.sleep(max(0.0, due - loop.time()))
            if sink.is_closing():
                return
            if not data:
                with contextlib.suppress(OSError):
                    sink.write_eof()
                return
            if not upstream and self._cuts(link, data):
                await self._cut(link, sink, data)
                return
            sink.write(data)
            await sink.drain()

    def _cuts(self, link: _Link, data: bytes) -> bool:
        return self.mode is Mode.CUT and self._applies(link) and _carries_socketio_message(data)

    async def _hold_while_blackholed(self, link: _Link) -> None:
        while self.mode is Mode.BLACKHOLE and self._applies(link):
            assert self._changed is not None
            await self._changed.wait()

    async def _cut(self, link: _Link, sink: asyncio.StreamWriter, data: bytes) -> None:
        self.cuts += 1
        self.mode = Mode.PASS
        sink.write(data[: len(data) // 2])
        sink.close()  # a FIN after the half: abort() could discard it
        with contextlib.suppress(OSError):
            await sink.wait_closed()
        link.abort()


def _request_path(data: bytes) -> str:
    """The path of an HTTP request line (``GET /path?query HTTP/1.1``), or ``""``."""
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    return parts[1].decode("latin-1") if len(parts) == 3 else ""


def _carries_socketio_message(data: bytes) -> bool:
    """True if ``data`` holds a websocket text frame with an Engine.IO message ``4`` carrying
    a Socket.IO ``EVENT`` (``2``), as sent by a server (frames unmasked)."""
    if data.startswith(b"HTTP/"):
        return False  # a handshake or REST response, not frames
    offset = 0
    while offset + 2 <= len(data):
        first, second = data[offset], data[offset + 1]
        length, header = second & 0x7F, 2
        if length == 126:
            length, header = int.from_bytes(data[offset + 2 : offset + 4], "big"), 4
        elif length == 127:
            length, header = int.from_bytes(data[offset + 2 : offset + 10], "big"), 10
        payload = data[offset + header : offset + header + 2]
        if first & 0x0F == 0x1 and payload == b"42":
            return True
        offset += header + length
    return False
