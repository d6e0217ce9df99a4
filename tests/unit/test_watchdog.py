"""sd_notify: READY, WATCHDOG pings, STATUS and STOPPING on a real AF_UNIX datagram socket."""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.watchdog import SystemdNotifier, status_text, watchdog_interval_ms

WAIT_MS = 5000


class NotifySocket:
    """The receiving end systemd would hold; datagrams are collected as they are read."""

    def __init__(self, address: str | bytes) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.setblocking(False)
        self.messages: list[str] = []

    def drain(self) -> list[str]:
        """Read every datagram waiting; return all received so far."""
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def wait_for(self, qtbot: Any, line: str, count: int = 1) -> None:
        """Run the Qt event loop until ``count`` datagrams hold ``line`` (or fail at 5 s)."""
        qtbot.waitUntil(lambda: self.count(line) >= count, timeout=WAIT_MS)

    def count(self, line: str) -> int:
        return sum(line in message.split("\n") for message in self.drain())


@pytest.fixture
def notify_dir() -> Iterator[Path]:
    # Short: a socket path must fit in 108 bytes, which pytest's tmp_path may not.
    with tempfile.TemporaryDirectory(prefix="sdn") as folder:
        yield Path(folder)


@pytest.fixture
def listener(notify_dir: Path) -> Iterator[NotifySocket]:
    receiver = NotifySocket(str(notify_dir / "notify"))
    yield receiver
    receiver.sock.close()


def env_for(listener: NotifySocket, **extra: str) -> dict[str, str]:
    return {"NOTIFY_SOCKET": listener.sock.getsockname(), **extra}


def status(state: ConnectionState = ConnectionState.LIVE, **changes: Any) -> ConnectionStatus:
    fields: dict[str, Any] = {
        "state": state,
        "now": datetime(2026, 1, 1, 10, 30, tzinfo=UTC),
        "attempt": 0,
        "max_attempts": 60,
        "poll_interval": 30.0,
        "last_poll_at": None,
        "confirmed_at": datetime(2026, 1, 1, 10, 29, tzinfo=UTC),
        "version": 12,
        "item_count": 40,
        "stale": False,
        "reason": "",
    }
    fields.update(changes)
    return ConnectionStatus(**fields)


def test_sends_ready_after_start_when_notify_socket_is_set(
    qtbot: Any, listener: NotifySocket
) -> None:
    notifier = SystemdNotifier(env_for(listener))
    notifier.start()

    listener.wait_for(qtbot, "READY=1")

    assert listener.count("READY=1") == 1
    notifier.stop()


def test_pings_watchdog_repeatedly_when_watchdog_usec_is_set(
    qtbot: Any, listener: NotifySocket
) -> None:
    notifier = SystemdNotifier(env_for(listener, WATCHDOG_USEC="100000"))
    assert notifier.interval_ms == 50
    notifier.start()

    listener.wait_for(qtbot, "WATCHDOG=1", count=3)

    notifier.stop()


def test_sends_stopping_and_nothing_after_when_stopped(qtbot: Any, listener: NotifySocket) -> None:
    notifier = SystemdNotifier(env_for(listener, WATCHDOG_USEC="100000"))
    notifier.start()
    listener.wait_for(qtbot, "READY=1")

    notifier.stop()
    notifier.stop()  # idempotent

    assert listener.drain()[-1].split("\n")[0] == "STOPPING=1"
    assert listener.count("STOPPING=1") == 1
    assert not notifier.ping_timer.isActive()
    assert notifier.notify("WATCHDOG=1") is False


def test_sends_status_once_per_change_when_the_connection_status_changes(
    listener: NotifySocket,
) -> None:
    notifier = SystemdNotifier(env_for(listener))

    notifier.show_status(status())
    notifier.show_status(status())  # the same words: not sent again
    notifier.show_status(status(ConnectionState.OFFLINE, stale=True))

    statuses = [m for m in listener.drain() if m.startswith("STATUS=")]
    assert statuses == [
        "STATUS=live; 40 items, version 12",
        "STATUS=offline; 40 items, version 12, stale",
    ]
    notifier.stop()


def test_describes_attempts_and_missing_data_when_reconnecting_without_data() -> None:
    text = status_text(
        status(ConnectionState.RECONNECTING, attempt=3, confirmed_at=None, version=None)
    )
    assert text == "reconnecting (attempt 3 of 60); no data yet"


def test_reaches_abstract_socket_when_name_starts_with_at(qtbot: Any) -> None:
    name = f"dashboard-desktop-test-{uuid.uuid4().hex}"
    receiver = NotifySocket(b"\0" + name.encode())
    try:
        notifier = SystemdNotifier({"NOTIFY_SOCKET": "@" + name})
        notifier.start()
        receiver.wait_for(qtbot, "READY=1")
        notifier.stop()
        assert receiver.count("STOPPING=1") == 1
    finally:
        receiver.sock.close()


def test_sends_nothing_when_notify_socket_is_unset(qtbot: Any, listener: NotifySocket) -> None:
    notifier = SystemdNotifier({"WATCHDOG_USEC": "100000"})
    notifier.start()
    notifier.show_status(status())
    qtbot.wait(0)  # the turn of the event loop that would send READY=1

    notifier.stop()

    assert not notifier.enabled
    assert notifier.interval_ms is None
    assert not notifier.ping_timer.isActive()
    assert listener.drain() == []


def test_logs_once_and_never_raises_when_the_socket_is_gone(
    notify_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(notify_dir / "missing")})

    with caplog.at_level(logging.WARNING, logger="dashboard_desktop.watchdog"):
        assert notifier.notify("READY=1") is False
        notifier.ping()
        notifier.show_status(status())
        notifier.stop()

    assert [r.getMessage() for r in caplog.records] == ["watchdog_unavailable"]


def test_logs_unavailable_when_notify_socket_is_not_a_unix_address(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="dashboard_desktop.watchdog"):
        notifier = SystemdNotifier({"NOTIFY_SOCKET": "vsock:2:1234"})

    assert not notifier.enabled
    assert [r.getMessage() for r in caplog.records] == ["watchdog_unavailable"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 15000),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 15000),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getppid())}, 15000),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({}, None),
    ],
)
def test_pings_at_half_the_timeout_only_when_the_watchdog_is_for_this_process(
    env: dict[str, str], expected: int | None
) -> None:
    if env.get("WATCHDOG_PID") == "1" and os.getppid() == 1:
        pytest.skip("the parent of this process is PID 1")
    assert watchdog_interval_ms(env) == expected
