"""Fixtures of the end-to-end tests: the application as a subprocess (see app_process.py)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.end2end.app_process import AppProcess

StartApp = Callable[..., AppProcess]


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[StartApp]:
    """Factory ``(*args, env=None) -> AppProcess``, started; every one is killed at teardown.

    The log directory is ``tmp_path / "logs"`` (one app per test is the rule).
    """
    started: list[AppProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> AppProcess:
        app = AppProcess(tmp_path / "logs", *args, env=env)
        started.append(app)
        app.start()
        return app

    yield start
    for app in started:
        app.kill()
        # Shown by pytest only when the test fails.
        print(f"--- dashboard_desktop stderr (pid {app.pid}) ---\n{app.stderr_text()}")


class SilentServer:
    """A loopback TCP server that accepts connections and reads requests but never answers.

    Attributes:
        url: ``http://127.0.0.1:<port>``.
        requests: The first line of every request received so far.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests: list[str] = []
        self._arrived = threading.Condition()
        self._connections: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, name="silent-server", daemon=True).start()

    def wait_for_request(self, prefix: str, timeout: float) -> str:
        """Block until a request line starting with ``prefix`` arrived; return it."""
        with self._arrived:
            found = self._arrived.wait_for(
                lambda: next((r for r in self.requests if r.startswith(prefix)), None), timeout
            )
        assert found, f"no request {prefix!r} within {timeout:g} s; got {self.requests}"
        return found

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for connection in list(self._connections):
            connection.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection: socket.socket) -> None:
        data = b""
        with contextlib.suppress(OSError):
            while b"\r\n" not in data:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                data += chunk
            with self._arrived:
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                self._arrived.notify_all()
            while connection.recv(4096):  # hold the connection open, never answer
                pass


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """A server that takes every request and never answers (a hung backend)."""
    server = SilentServer()
    yield server
    server.close()
