"""systemd's notification protocol (``sd_notify``): ready, watchdog pings, status, stopping.

Under a systemd unit with ``Type=notify`` (``packaging/systemd/dashboard-desktop-kiosk.service``)
systemd sets ``NOTIFY_SOCKET``, and with ``WatchdogSec=`` also ``WATCHDOG_USEC`` (and
``WATCHDOG_PID``). :class:`SystemdNotifier` then sends, as datagrams on that socket:

- ``READY=1`` once, after start-up: the window is shown and the connection started, on the
  first turn of the event loop after that (so the GUI thread runs). Data need not be on
  screen yet: a kiosk whose backend is down is up, and says so in its status.
- ``WATCHDOG=1`` every half of ``WATCHDOG_USEC``, from a ``QTimer`` on the GUI thread: a hung
  GUI thread stops the pings and systemd kills and restarts the app (``SIGABRT`` by default;
  ``faulthandler`` then writes the Python stacks to the journal).
- ``STATUS=<state in words>`` whenever that text changes (``systemctl --user status``).
- ``STOPPING=1`` when shutdown starts.

Without ``NOTIFY_SOCKET`` nothing is sent. ``WATCHDOG_PID``, when set, must be this process or
its parent (a PyInstaller one-file bootloader runs the app as its child), else no pings are
sent. An address starting with ``@`` is an abstract socket name. Nothing here raises: a
failure to send is logged once as ``watchdog_unavailable`` and the app runs on.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer

from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.log import log_event

__all__ = ["SystemdNotifier", "status_text", "watchdog_interval_ms"]

_log = logging.getLogger(__name__)


def watchdog_interval_ms(env: Mapping[str, str]) -> int | None:
    """Milliseconds between ``WATCHDOG=1`` pings (half of ``WATCHDOG_USEC``), or None for none.

    None when ``WATCHDOG_USEC`` is missing, not a positive integer, or ``WATCHDOG_PID`` names
    a process other than this one or its parent.
    """
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
        pid = int(env.get("WATCHDOG_PID", "0") or "0")
    except ValueError:
        return None
    if usec <= 0 or (pid and pid not in (os.getpid(), os.getppid())):
        return None
    return max(1, usec // 2000)


def status_text(status: ConnectionStatus) -> str:
    """The connection state in words for ``STATUS=``, e.g. ``live; 40 items, version 12``."""
    words = status.state.value
    if status.state is ConnectionState.RECONNECTING:
        words += f" (attempt {status.attempt} of {status.max_attempts})"
    data = f"{status.item_count} items" if status.confirmed_at is not None else "no data yet"
    if status.version is not None:
        data += f", version {status.version}"
    if status.cached:
        data += ", from the offline cache"
    if status.stale:
        data += ", stale"
    return f"{words}; {data}"


class SystemdNotifier(QObject):
    """Tells systemd about the app's life cycle (see the module docstring).

    Args:
        env: The environment to read ``NOTIFY_SOCKET`` and ``WATCHDOG_*`` from (default:
            ``os.environ``).
        parent: The Qt parent.
    """

    def __init__(
        self, env: Mapping[str, str] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        environ = os.environ if env is None else env
        self.address = _address(environ.get("NOTIFY_SOCKET", ""))
        self._failed = False
        self.interval_ms = watchdog_interval_ms(environ) if self.address else None
        self.ping_timer = QTimer(self)
        self.ping_timer.timeout.connect(self.ping)
        self.last_status = ""
        self._socket: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        """Whether systemd listens (``NOTIFY_SOCKET`` is set)."""
        return self.address is not None

    def start(self) -> None:
        """Send ``READY=1`` on the next turn of the event loop and start the pings."""
        if not self.enabled:
            return
        QTimer.singleShot(0, self, self._ready)
        if self.interval_ms is not None:
            self.ping_timer.start(self.interval_ms)

    def _ready(self) -> None:
        if not self.enabled:  # stopped before the event loop turned
            return
        self.notify("READY=1", f"STATUS={self.last_status or 'started'}")
        log_event(_log, "watchdog_ready", watchdog_interval_ms=self.interval_ms)

    def ping(self) -> None:
        """Send ``WATCHDOG=1`` (the GUI thread is alive)."""
        self.notify("WATCHDOG=1")

    def show_status(self, status: ConnectionStatus) -> None:
        """Send ``STATUS=`` with the state in words, when they changed."""
        text = status_text(status)
        if text != self.last_status:
            self.last_status = text
            self.notify(f"STATUS={text}")

    def stop(self) -> None:
        """Stop the pings, send ``STOPPING=1`` and close the socket (idempotent)."""
        if not self.enabled:
            return
        self.ping_timer.stop()
        self.notify("STOPPING=1", "STATUS=stopping")
        self.address = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def notify(self, *fields: str) -> bool:
        """Send ``fields`` as one datagram, one ``KEY=value`` a line; never raises.

        Returns:
            True when sent; False without ``NOTIFY_SOCKET`` or when sending failed (logged
            once as ``watchdog_unavailable``).
        """
        if self.address is None:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
                self._socket.setblocking(False)
            self._socket.sendto("\n".join(fields).encode(), self.address)
        except (OSError, ValueError) as exc:
            if not self._failed:
                self._failed = True
                error = f"{type(exc).__name__}: {exc}"
                log_event(_log, "watchdog_unavailable", level=logging.WARNING, error=error)
            return False
        return True


def _address(value: str) -> str | bytes | None:
    """The socket address of ``NOTIFY_SOCKET``: a path, or ``@name`` for an abstract name.

    Returns:
        The address, or None when unset or of a kind not supported (logged).
    """
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    if value:  # e.g. vsock:..., which systemd uses for virtual machines
        reason = "NOTIFY_SOCKET is neither a path nor an abstract name"
        log_event(_log, "watchdog_unavailable", level=logging.WARNING, error=reason)
    return None
