"""SocketSupervisor: stopping is never lost, even when it meets a failing connection attempt."""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from dashboard_desktop.config import Settings
from dashboard_desktop.core.backoff import Backoff, ReconnectPolicy
from dashboard_desktop.net.socket_client import SocketSupervisor


class Listener:
    """Counts the attempts the supervisor reports."""

    def __init__(self) -> None:
        self.attempts = 0

    def on_attempt(self, attempt: int, delay: float) -> None:
        self.attempts += 1

    def on_attempt_failed(self, attempt: int, reason: str, auth_refused: bool) -> None:
        pass

    def on_series_exhausted(self, pause: float) -> None:
        pass

    def on_connected(self) -> None:
        pass

    def on_disconnected(self, reason: str) -> None:
        pass

    def on_event(self, data: object) -> None:
        pass


class RefusingClient:
    """An AsyncClient stand-in whose connect is refused just as the supervisor is stopped."""

    def __init__(self, stop: Any) -> None:
        self._stop = stop
        self.failed_namespaces: list[str] = []
        self.eio = type("Eio", (), {"state": "disconnected"})()

    def on(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def connect(self, *args: Any, **kwargs: Any) -> None:
        await asyncio.sleep(0)
        self._stop()  # the app quits ...
        raise socketio.exceptions.ConnectionError("Connection refused")  # ... as this fails

    async def disconnect(self) -> None:
        pass


def test_supervisor_stops_when_cancelled_while_a_connect_fails(test_settings: Settings) -> None:
    # On Python 3.11 asyncio.wait_for turned exactly this cancellation into the connect error,
    # and the supervisor retried forever: the app hung at exit (seen in CI).
    listener = Listener()
    backoff = Backoff(minimum=0.001, maximum=0.001, jitter=0)
    policy = ReconnectPolicy(backoff, attempts=1000, series_pause=1, auth_delay=1)

    async def scenario() -> bool:
        supervisor = SocketSupervisor(test_settings, listener, policy)
        runner = asyncio.ensure_future(supervisor.run())
        supervisor._new_client = lambda context: RefusingClient(runner.cancel)  # type: ignore[method-assign]
        done, _ = await asyncio.wait({runner}, timeout=5)
        return runner in done and runner.cancelled()

    assert asyncio.run(scenario())
    assert listener.attempts <= 2  # the next attempt is announced, never made
