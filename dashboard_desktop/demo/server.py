"""The demo backend: the server side of protocol.md on python-socketio and aiohttp.

:class:`DemoServer` runs on the caller's asyncio loop; see
:class:`~dashboard_desktop.demo.thread.DemoServerThread` to run one in its own thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from collections import Counter
from typing import Any

import socketio
from aiohttp import web

from dashboard_desktop.demo import rest
from dashboard_desktop.demo.options import FORMS, DemoOptions
from dashboard_desktop.demo.rest import HANG_SECONDS, REST_FAULTS
from dashboard_desktop.demo.simulation import Change, DaySimulation

__all__ = ["FORMS", "REST_FAULTS", "DemoOptions", "DemoServer"]

_log = logging.getLogger(__name__)

_SHUTDOWN_TIMEOUT = 0.05  # seconds per phase of aiohttp's shutdown


class DemoServer:
    """A Socket.IO + REST dashboard backend serving one simulated namespace.

    It can be started again after :meth:`stop`; it then binds the port it had and keeps
    its schedule and version. A backend that restarts from version 1 is a new instance.

    Args:
        options: The settings; defaults when omitted.
    """

    def __init__(self, options: DemoOptions | None = None) -> None:
        self.options = options or DemoOptions()
        if self.options.form not in FORMS:
            raise ValueError(f"unknown form {self.options.form!r}; expected one of {FORMS}")
        self._sim = DaySimulation(items=self.options.items, seed=self.options.seed)
        self._form_rng = random.Random(self.options.seed)
        self._instance = uuid.uuid4().hex
        self._sio: Any = None
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._stopping: asyncio.Event | None = None
        self._port = 0
        self._fault: str | None = None
        self._paused = False
        self._clients: set[str] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._rest_counts: Counter[int] = Counter()
        self._body_cache: tuple[int, bytes] | None = None
        self.moved = rest.MovedTarget()

    @property
    def version(self) -> int:
        """The current schedule version."""
        return self._sim.version

    @property
    def port(self) -> int:
        """The bound port (0 before the first start)."""
        return self._port

    @property
    def rest_requests(self) -> dict[int, int]:
        """Schedule GETs answered, by HTTP status; requests made to hang count under 0."""
        return dict(self._rest_counts)

    @property
    def connected_clients(self) -> int:
        """Number of Socket.IO clients connected to the dashboard namespace."""
        return len(self._clients)

    def snapshot(self) -> dict[str, Any]:
        """Returns the current schedule as a snapshot payload."""
        return self._sim.snapshot()

    def set_rest_fault(self, kind: str | None) -> None:
        """Makes every schedule GET fail in the given way until reset with ``None``.

        Args:
            kind: One of ``REST_FAULTS``: "500", "502_html", "invalid_json",
                "wrong_shape", "timeout" (hangs for 60 s or until stop), "401",
                "redirect" (a 302 to another origin; :attr:`moved` counts who follows it)
                or "oversize" (the snapshot padded by 1 MiB).

        Raises:
            ValueError: The kind is unknown.
        """
        if kind is not None and kind not in REST_FAULTS:
            raise ValueError(f"unknown REST fault {kind!r}; expected one of {REST_FAULTS}")
        self._fault = kind

    def pause(self) -> None:
        """Suspends the automatic changes."""
        self._paused = True

    def resume(self) -> None:
        """Resumes the automatic changes."""
        self._paused = False

    async def start(self) -> int:
        """Starts listening and returns the bound port."""
        if self._runner is not None:
            raise RuntimeError("the demo server is already running")
        self._stopping = asyncio.Event()
        app = self._build_app()
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            site = web.TCPSite(
                runner,
                self.options.host,
                self._port or self.options.port,
                ssl_context=self.options.ssl_context,  # HTTPS and WSS when set
            )
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        if self.options.rate > 0:
            self._ticker = asyncio.create_task(self._tick_forever(1.0 / self.options.rate))
        _log.info("demo server listening on %s:%d", self.options.host, self._port)
        return self._port

    async def stop(self) -> None:
        """Stops within about 0.1 s: drops every connection, ends hanging requests.

        Clients get no Socket.IO DISCONNECT packet: to them it looks like a backend that
        went away (a transport error), which they must retry. Requests held by the
        "timeout" fault are answered 504 as the server goes.
        """
        if self._stopping is not None:
            self._stopping.set()
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
            self._ticker = None
        runner, self._runner = self._runner, None
        if runner is None:
            return
        await self._sio.shutdown()
        await runner.cleanup()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._clients.clear()

    async def make_change(self, emit: bool = True) -> int:
        """Makes one simulation step and, unless told not to, emits it.

        Args:
            emit: False simulates a lost event, leaving clients with a version gap.

        Returns:
            The new version.
        """
        change = self._sim.step()
        if emit and self._sio is not None:
            payload = self._event_payload(change)
            payload["emitted_at_ms"] = int(time.time() * 1000)
            await self.emit_payload(payload)
        return change.version

    async def emit_payload(self, payload: object) -> None:
        """Emits any object, as it is, as the event to every client of the namespace.

        Args:
            payload: Any JSON-serialisable object, even one that breaks the protocol.
                ``None`` sends the event without an argument; a tuple sends its elements
                as separate arguments (python-socketio's convention).
        """
        if self._sio is None:
            raise RuntimeError("the demo server has not been started")
        await self._sio.emit(
            self.options.event_name,
            payload,
            room=self.options.namespace,
            namespace=self.options.socketio_namespace,
        )

    async def disconnect_clients(self) -> None:
        """Disconnects every client with a Socket.IO DISCONNECT (server-initiated)."""
        for sid in list(self._clients):
            await self._sio.disconnect(sid, namespace=self.options.socketio_namespace)

    def _event_payload(self, change: Change) -> dict[str, Any]:
        form = self.options.form
        if form == "mixed":
            form = self._form_rng.choices(("delta", "snapshot", "hint"), weights=(6, 2, 2))[0]
        if form == "delta":
            return change.payload()
        if form == "snapshot":
            return self._sim.snapshot()
        return {"version": change.version}

    def _build_app(self) -> web.Application:
        opts = self.options
        self._sio = socketio.AsyncServer(
            async_mode="aiohttp",
            ping_interval=opts.ping_interval,
            ping_timeout=opts.ping_timeout,
            logger=False,
            engineio_logger=False,
        )
        self._track_background_tasks(self._sio.eio)
        self._sio.on("connect", self._on_connect, namespace=opts.socketio_namespace)
        self._sio.on("disconnect", self._on_disconnect, namespace=opts.socketio_namespace)
        app = web.Application()
        self._sio.attach(app, socketio_path=opts.socketio_path)
        app.router.add_get(opts.rest_path, self._handle_schedule)
        app.router.add_get("/healthz", self._handle_health)
        app.router.add_get(rest.MOVED_PATH, self.moved.handle)
        app.router.add_get(rest.SOCKET_REDIRECT_PATH, rest.socket_redirector(opts.socketio_path))
        return app

    def _track_background_tasks(self, eio: Any) -> None:
        """Records Engine.IO's background tasks (pings, handlers) to cancel them on stop."""
        original = eio.start_background_task

        def start_background_task(target: Any, *args: Any, **kwargs: Any) -> Any:
            task = original(target, *args, **kwargs)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return task

        eio.start_background_task = start_background_task

    async def _tick_forever(self, interval: float) -> None:
        # Ticks on a fixed grid, so the rate holds however long a change takes to emit; a
        # late tick is not made up for (no burst after a stall).
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        while True:
            deadline = max(deadline + interval, loop.time())
            await asyncio.sleep(deadline - loop.time())
            if not self._paused:
                try:
                    await self.make_change()
                except Exception:
                    _log.exception("demo server: automatic change failed")

    async def _on_connect(self, sid: str, environ: dict[str, Any], auth: object) -> None:
        data = auth if isinstance(auth, dict) else {}
        if self.options.token and not rest.token_matches(data.get("token"), self.options.token):
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")
        if data.get("namespace") != self.options.namespace:
            raise socketio.exceptions.ConnectionRefusedError("unknown namespace")
        await self._sio.enter_room(
            sid, self.options.namespace, namespace=self.options.socketio_namespace
        )
        self._clients.add(sid)

    async def _on_disconnect(self, sid: str, reason: object = None) -> None:
        self._clients.discard(sid)

    async def _handle_health(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "version": self.version})

    async def _handle_schedule(self, request: web.Request) -> web.StreamResponse:
        if self._fault == "timeout":
            return await self._hang()
        if self._fault is not None:
            response = rest.fault_response(self._fault, request, self._sim.snapshot)
        elif self.options.token and not rest.bearer_matches(request, self.options.token):
            response = rest.unauthorized()
        elif request.query.get("namespace") != self.options.namespace:
            response = web.json_response({"error": "unknown namespace"}, status=404)
        else:
            response = self._snapshot_response(request)
        self._rest_counts[response.status] += 1
        return response

    def _snapshot_response(self, request: web.Request) -> web.Response:
        etag = rest.make_etag(self._instance, self.options.namespace, self.version)
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if rest.etag_matches(request.headers.get("If-None-Match", ""), etag):
            return web.Response(status=304, headers=headers)
        if self._body_cache is None or self._body_cache[0] != self.version:
            body = json.dumps(self._sim.snapshot(), ensure_ascii=False).encode()
            self._body_cache = (self.version, body)
        return web.Response(
            body=self._body_cache[1],
            headers=headers,
            content_type="application/json",
            charset="utf-8",
        )

    async def _hang(self) -> web.Response:
        """Holds the request for ``HANG_SECONDS`` or until stop; counted under 0."""
        self._rest_counts[0] += 1
        if self._stopping is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=HANG_SECONDS)
        return web.json_response({"error": "gateway timeout"}, status=504)
