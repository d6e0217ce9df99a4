"""The Socket.IO push channel, with a supervisor that owns the retry policy.

python-socketio speaks the protocol; :class:`SocketSupervisor` decides when to connect. The
library's own reconnection is off because it has measured gaps (``../shared/notes``): the first
connect is not retried on auth refusals, server-initiated disconnects are never retried, the
websocket handshake has no timeout, and its jitter is not socket.io-client's. The supervisor
makes one bounded attempt at a time with a fresh ``AsyncClient``, waits while connected, and
spaces attempts with :class:`~dashboard_desktop.core.backoff.ReconnectPolicy`.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import socketio

from dashboard_desktop.config import Settings
from dashboard_desktop.core.backoff import ReconnectPolicy
from dashboard_desktop.net.rest import describe_redirect
from dashboard_desktop.net.tls import describe_tls_failure, log_verification_off, ssl_context

_log = logging.getLogger(__name__)
_CLOSE_TIMEOUT = 1.0


class SocketListener(Protocol):
    """What the supervisor reports; called on the event loop's thread."""

    def on_attempt(self, attempt: int, delay: float) -> None:
        """Attempt ``attempt`` (0 = the first at start-up) starts after ``delay`` seconds."""

    def on_attempt_failed(self, attempt: int, reason: str, auth_refused: bool) -> None:
        """Attempt ``attempt`` failed; ``auth_refused`` if the server refused the connection."""

    def on_series_exhausted(self, pause: float) -> None:
        """All attempts of a series failed; a fresh series starts after ``pause`` seconds."""

    def on_connected(self) -> None:
        """The channel is up."""

    def on_disconnected(self, reason: str) -> None:
        """The channel went down."""

    def on_event(self, data: object) -> None:
        """The schedule event arrived with ``data`` (not validated)."""


@dataclass(frozen=True, slots=True)
class _Outcome:
    connected: bool
    reason: str
    auth_refused: bool = False


class SocketSupervisor:
    """Keeps one Socket.IO connection up, retrying per protocol.md section 1.

    Args:
        settings: Connection settings.
        listener: Receives connection facts and events.
        policy: Numbers and spaces the attempts.
    """

    def __init__(
        self, settings: Settings, listener: SocketListener, policy: ReconnectPolicy
    ) -> None:
        self._settings = settings
        self._listener = listener
        self._policy = policy
        self._client: socketio.AsyncClient | None = None
        self._http: aiohttp.ClientSession | None = None
        self._redirected: str | None = None  # why the current attempt's handshake failed

    async def run(self) -> None:
        """Connect, serve, and reconnect until cancelled."""
        log_verification_off(self._settings, _log, "start")
        context = ssl_context(self._settings)
        connector = aiohttp.TCPConnector(ssl=context or True)
        # trust_env: proxies from the environment, as requests uses them for REST.
        self._http = aiohttp.ClientSession(
            connector=connector, trust_env=True, trace_configs=[self._refusing_redirects()]
        )
        try:
            await self._supervise(context)
        finally:
            await self._close()

    async def _supervise(self, context: ssl.SSLContext | None) -> None:
        attempt, delay = 0, 0.0
        while True:
            self._listener.on_attempt(attempt, delay)
            if delay:
                await asyncio.sleep(delay)
            outcome = await self._connect_and_serve(context)
            if outcome.connected:
                retry = self._policy.next_retry(0)
            else:
                self._listener.on_attempt_failed(attempt, outcome.reason, outcome.auth_refused)
                retry = self._policy.next_retry(attempt, auth_refused=outcome.auth_refused)
                if retry.new_series:
                    self._listener.on_series_exhausted(retry.delay)
            attempt, delay = retry.attempt, retry.delay

    def _new_client(self, context: ssl.SSLContext | None) -> socketio.AsyncClient:
        options: dict[str, Any] = {
            "max_msg_size": self._settings.max_payload_bytes,
            # engine.io waits request_timeout for a websocket close handshake; a frozen
            # server would hold every disconnect (and the app's exit) that long.
            "timeout": aiohttp.ClientWSTimeout(ws_close=_CLOSE_TIMEOUT),
        }
        if context is not None:
            options["ssl"] = context
        return socketio.AsyncClient(
            reconnection=False,
            http_session=self._http,
            handle_sigint=False,
            logger=False,
            engineio_logger=False,
            request_timeout=self._settings.request_timeout,
            websocket_extra_options=options,
        )

    def _auth(self) -> dict[str, str]:
        auth = {"namespace": self._settings.namespace}
        if self._settings.token:
            auth["token"] = self._settings.token
        return auth

    async def _connect_and_serve(self, context: ssl.SSLContext | None) -> _Outcome:
        link = _Link(self._new_client(context), self._settings, self._listener)
        self._client = link.client
        failure = await self._connect(link)
        if failure is not None:
            await self._discard(link.client)
            return failure
        log_verification_off(self._settings, _log, "connect")
        self._listener.on_connected()
        await link.lost.wait()
        await self._discard(link.client)
        self._listener.on_disconnected(link.lost_reason)
        return _Outcome(True, link.lost_reason)

    def _refusing_redirects(self) -> aiohttp.TraceConfig:
        """Refuse every redirect of the handshake: the Socket.IO auth (the token) would go
        wherever it points. aiohttp follows them and has no option against it for websockets."""

        async def refuse(_session: object, _context: object, params: Any) -> None:
            response = params.response
            self._redirected = describe_redirect(
                response.status, response.headers.get("Location", "")
            )
            raise aiohttp.ClientConnectionError(self._redirected)  # aborts the request

        trace = aiohttp.TraceConfig()
        trace.on_request_redirect.append(refuse)
        return trace

    async def _connect(self, link: _Link) -> _Outcome | None:
        """Make one bounded connection attempt; return why it failed, or ``None``."""
        settings = self._settings
        self._redirected = None
        connect = link.client.connect(
            settings.server_url,
            auth=self._auth(),
            transports=list(settings.transports),
            namespaces=[settings.socketio_namespace],
            socketio_path=settings.socketio_path,
            wait_timeout=settings.connect_timeout,
        )
        try:
            # asyncio.timeout, not wait_for: on Python 3.11, wait_for turns a cancellation that
            # meets a failing connect into that failure, and the supervisor would never stop.
            # WORKAROUND for https://github.com/python/cpython/issues/86296
            async with asyncio.timeout(settings.connect_timeout):
                await connect
        except TimeoutError:
            timeout = settings.connect_timeout
            return _Outcome(False, f"connection attempt timed out after {timeout:g} s")
        except socketio.exceptions.ConnectionError as exc:
            # connect_error also fires for transport errors; only a namespace that the server
            # answered with a refusal is an authorization problem.
            if link.client.failed_namespaces and link.refusals:
                return _Outcome(False, f"refused: {link.refusals[-1]}", auth_refused=True)
            # python-socketio says only "Connection error"; a TLS failure is said in words.
            tls = describe_tls_failure(exc)
            reason = tls or self._redirected or (link.refusals[-1] if link.refusals else str(exc))
            return _Outcome(False, reason or "connection error")
        except Exception as exc:
            _log.warning("connection attempt failed unexpectedly", exc_info=True)
            return _Outcome(False, f"{type(exc).__name__}: {exc}"[:200])
        return None

    async def _discard(self, client: socketio.AsyncClient) -> None:
        """Drop ``client``'s connection, whatever state it is in, within about a second."""
        self._client = None
        try:
            async with asyncio.timeout(_CLOSE_TIMEOUT):
                await client.disconnect()
        except Exception:  # includes TimeoutError: a frozen server does not answer the close
            _log.debug("error while dropping a connection", exc_info=True)
        try:
            # WORKAROUND: a disconnect racing a completing handshake can leave the engine.io
            # link up (../shared/notes trap 7); abort it outright.
            if client.eio.state != "disconnected":
                async with asyncio.timeout(_CLOSE_TIMEOUT):
                    await client.eio.disconnect(abort=True)
        except Exception:
            _log.debug("error while aborting a connection", exc_info=True)

    async def _close(self) -> None:
        client, http = self._client, self._http
        self._http = None
        if client is not None:
            await asyncio.shield(self._discard(client))
        if http is not None:
            await http.close()


class _Link:
    """One ``AsyncClient`` and the handlers that record what happens to its connection."""

    def __init__(
        self, client: socketio.AsyncClient, settings: Settings, listener: SocketListener
    ) -> None:
        self.client = client
        self.refusals: list[str] = []
        self.lost = asyncio.Event()
        self.lost_reason = "disconnected"
        self._listener = listener
        self._max_bytes = settings.max_payload_bytes
        namespace = settings.socketio_namespace
        client.on("connect_error", self._on_connect_error, namespace=namespace)
        client.on("disconnect", self._on_disconnect, namespace=namespace)
        client.on(settings.event_name, self._on_event, namespace=namespace)

    def _on_connect_error(self, data: object = None) -> None:
        self.refusals.append(_refusal_message(data))

    def _on_disconnect(self, *args: object) -> None:
        if args:
            self.lost_reason = str(args[0])
        if _close_code(self.client) == _MESSAGE_TOO_BIG:
            self.lost_reason = f"message over max_payload_bytes ({self._max_bytes} bytes)"
        self.lost.set()

    async def _on_event(self, *args: object) -> None:
        # WORKAROUND: python-socketio only logs exceptions raised in handlers
        # (../shared/notes trap 10), so the listener runs as a loop callback, whose
        # exceptions reach the loop's exception handler and the error channel.
        data = args[0] if len(args) == 1 else list(args)
        asyncio.get_running_loop().call_soon(self._listener.on_event, data)


_MESSAGE_TOO_BIG = 1009  # the WebSocket close code aiohttp uses when max_msg_size is exceeded


def _close_code(client: socketio.AsyncClient) -> int | None:
    """The close code of the client's websocket, if it has closed (aiohttp's ``close_code``)."""
    code = getattr(getattr(client.eio, "ws", None), "close_code", None)
    return code if isinstance(code, int) else None


def _refusal_message(data: object) -> str:
    """The server's reason from ``connect_error`` data (Node and Python shapes)."""
    if isinstance(data, dict):
        return str(data.get("message", data))[:200]
    return str(data)[:200] if data is not None else "refused"
