"""The app as systemd's ``Type=notify`` unit runs it: READY, watchdog pings, status, stopping.

The test holds the notification socket (an AF_UNIX datagram socket in a short temporary
directory) and passes it as ``NOTIFY_SOCKET`` with a 1 s ``WATCHDOG_USEC``, as
``packaging/systemd/dashboard-desktop-kiosk.service`` does with ``WatchdogSec=``.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.end2end.conftest import StartApp

START_S = 30.0


class Listener:
    """Receives the app's datagrams; waits on the socket with a deadline, never a fixed sleep."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.lines: list[str] = []

    def wait_for(self, prefix: str, timeout: float) -> str:
        """The first line received starting with ``prefix`` (earlier ones count too)."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines:
                if line.startswith(prefix):
                    return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {prefix!r} within {timeout} s; got {self.lines}")
            self.sock.settimeout(remaining)
            try:
                self.lines += self.sock.recv(4096).decode().split("\n")
            except TimeoutError:
                continue


@pytest.fixture
def listener() -> Iterator[Listener]:
    with tempfile.TemporaryDirectory(prefix="sdn") as folder:  # short: sun_path is 108 bytes
        receiver = Listener(Path(folder) / "notify")
        yield receiver
        receiver.sock.close()


def test_tells_systemd_ready_alive_and_stopping_when_run_with_notify_socket(
    start_app: StartApp, listener: Listener
) -> None:
    env = {"NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "1000000"}
    app = start_app("--demo", "--kiosk", env=env)

    listener.wait_for("READY=1", START_S)
    assert listener.wait_for("STATUS=live", START_S).startswith("STATUS=live; ")
    listener.wait_for("WATCHDOG=1", 5.0)  # every 0.5 s
    assert app.terminate(timeout=30) == 0

    listener.wait_for("STOPPING=1", 5.0)
    ready = app.wait_for("watchdog_ready", timeout=0)
    assert ready["watchdog_interval_ms"] == 500
    assert app.errors() == []
