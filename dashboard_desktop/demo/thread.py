"""Running a demo backend on its own asyncio loop in a daemon thread."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable
from typing import Any

from dashboard_desktop.demo.options import DemoOptions
from dashboard_desktop.demo.server import DemoServer


class DemoServerThread:
    """Runs a :class:`DemoServer` on its own asyncio loop in a daemon thread.

    Args:
        options: The settings of the server.
        timeout: Seconds to wait for a start, a call or a stop.
    """

    def __init__(self, options: DemoOptions | None = None, timeout: float = 10.0) -> None:
        self.server = DemoServer(options)
        self.timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="demo-server", daemon=True)

    @property
    def url(self) -> str:
        """The base URL of the server, e.g. ``http://127.0.0.1:8765`` (``https`` with TLS)."""
        scheme = "http" if self.server.options.ssl_context is None else "https"
        return f"{scheme}://{self.server.options.host}:{self.server.port}"

    def start(self) -> int:
        """Starts the thread and the server; blocks until it listens.

        Returns:
            The bound port.

        Raises:
            OSError: The port could not be bound.
            TimeoutError: The server did not start within the timeout.
        """
        self._thread.start()
        try:
            return int(self.call(self.server.start))
        except BaseException:
            self._stop_loop()
            raise

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Runs ``fn(*args)`` on the server's loop and returns its (awaited) result.

        Thread-safe. ``fn`` may be a coroutine function or a plain function such as
        ``server.snapshot``; either way it runs on the loop, never concurrently with it.
        """

        async def invoke() -> Any:
            result = fn(*args)
            return await result if inspect.isawaitable(result) else result

        future = asyncio.run_coroutine_threadsafe(invoke(), self._loop)
        try:
            return future.result(timeout=self.timeout)
        except TimeoutError:
            future.cancel()
            raise

    def stop(self) -> None:
        """Stops the server and joins the thread (idempotent)."""
        if not self._thread.is_alive():
            return
        try:
            self.call(self.server.stop)
        finally:
            self._stop_loop()

    def __enter__(self) -> DemoServerThread:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _stop_loop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(self.timeout)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        finally:
            self._loop.close()
