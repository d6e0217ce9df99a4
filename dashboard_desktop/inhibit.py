"""Keeping the screen on while the kiosk runs (screen saver and display power saving).

- Linux and other freedesktop desktops: ``org.freedesktop.ScreenSaver.Inhibit`` on the session
  bus, through QtDBus (PySide6-Essentials ships it). The call is asynchronous, so the GUI never
  waits for the bus. The inhibition belongs to the private D-Bus connection that asked for it:
  :meth:`DBusInhibitor.release` closes that connection, and the screen saver (KDE, GNOME's
  ``gsd-screensaver-proxy``, Xfce, ...) drops the inhibition, exactly as it does when the
  process dies. The session bus is only used if one is announced (``DBUS_SESSION_BUS_ADDRESS``
  or ``$XDG_RUNTIME_DIR/bus``): no bus is ever auto-launched.
- Windows: ``SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)``
  on the GUI thread, reset to ``ES_CONTINUOUS`` on release.
- Anything else (macOS, a bare X server, no session bus, no screen saver service): the
  ``inhibit_unavailable`` event is logged with the reason and the kiosk carries on;
  ``docs/kiosk.md`` says what to configure instead.

Nothing here raises: a missing backend is a log line, not an error.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from dashboard_desktop.log import log_event

_log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
INTERFACE = "org.freedesktop.ScreenSaver"
APP_NAME = "Dashboard Desktop"
REASON = "Kiosk wall display"
CALL_TIMEOUT_MS = 5000

ES_CONTINUOUS = 0x80000000
ES_SYSTEM_REQUIRED = 0x00000001
ES_DISPLAY_REQUIRED = 0x00000002

SetState = Callable[[int], int]


class Inhibitor(Protocol):
    """Keeps the screen from blanking between :meth:`inhibit` and :meth:`release`."""

    def inhibit(self) -> None:
        """Start keeping the screen on (logs how, or why it cannot)."""

    def release(self) -> None:
        """Let the screen blank again (idempotent)."""


class Unavailable:
    """No way to keep the screen on here: says so once, with ``reason``, and does nothing."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def inhibit(self) -> None:
        """Log ``inhibit_unavailable``."""
        log_event(_log, "inhibit_unavailable", level=logging.WARNING, reason=self.reason)

    def release(self) -> None:
        """Nothing to release."""


def _kernel32_set_state() -> SetState:
    """``kernel32.SetThreadExecutionState``, with its C types.

    Raises:
        OSError: Not on Windows.
    """
    if sys.platform == "win32":
        function = ctypes.windll.kernel32.SetThreadExecutionState
        function.argtypes = [ctypes.c_uint32]
        function.restype = ctypes.c_uint32
        return function  # type: ignore[no-any-return]
    raise OSError("SetThreadExecutionState exists on Windows only")


class WindowsInhibitor:
    """``SetThreadExecutionState`` keeps the display and the system awake (Windows).

    Args:
        set_state: The function to call (default: ``kernel32.SetThreadExecutionState``,
            looked up on :meth:`inhibit`). It returns the previous state, 0 on failure.
    """

    def __init__(self, set_state: SetState | None = None) -> None:
        self._set_state = set_state
        self.active = False

    def inhibit(self) -> None:
        """Ask Windows to keep the display on until :meth:`release`."""
        try:
            set_state = self._set_state or _kernel32_set_state()
            previous = set_state(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)
        except (OSError, AttributeError) as exc:
            previous, set_state = 0, None
            reason = f"SetThreadExecutionState unavailable: {exc}"
        else:
            reason = "SetThreadExecutionState failed"
        if not previous:
            log_event(_log, "inhibit_unavailable", level=logging.WARNING, reason=reason)
            return
        self._set_state = set_state
        self.active = True
        log_event(_log, "screen_blanking_inhibited", backend="windows")

    def release(self) -> None:
        """Let the display sleep again."""
        if self.active and self._set_state is not None:
            self.active = False
            self._set_state(ES_CONTINUOUS)
            log_event(_log, "screen_blanking_released", backend="windows")


class DBusInhibitor(QObject):
    """``org.freedesktop.ScreenSaver.Inhibit`` over a private connection to a session bus.

    Signals:
        answered(bool): The screen saver answered :meth:`inhibit`: True if it inhibits, False
            if there is no bus, no screen saver or it refused (``inhibit_unavailable``).

    Args:
        address: The bus address, e.g. ``unix:path=/run/user/1000/bus``.
        parent: The Qt parent.

    Attributes:
        cookie: The screen saver's cookie while inhibited, else None.
        unique_name: This connection's unique bus name while connected, else "".
    """

    answered = Signal(bool)

    def __init__(self, address: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.cookie: int | None = None
        self.unique_name = ""
        self._name = f"dashboard-desktop-inhibit-{id(self):x}"
        self._connected = False
        self._watcher: QObject | None = None

    def inhibit(self) -> None:
        """Connect and ask the screen saver to inhibit; :attr:`answered` tells the outcome."""
        from PySide6.QtDBus import (  # noqa: PLC0415 - checked by screen_blanking_inhibitor
            QDBusConnection,
            QDBusMessage,
            QDBusPendingCallWatcher,
        )

        if self._connected:
            return
        bus = QDBusConnection.connectToBus(self.address, self._name)
        self._connected = True
        if not bus.isConnected():
            self._fail(f"no D-Bus session bus: {bus.lastError().message()}")
            return
        self.unique_name = bus.baseService()
        call = QDBusMessage.createMethodCall(SERVICE, PATH, INTERFACE, "Inhibit")
        call.setArguments([APP_NAME, REASON])
        watcher = QDBusPendingCallWatcher(bus.asyncCall(call, CALL_TIMEOUT_MS), self)
        watcher.finished.connect(self._on_reply)
        self._watcher = watcher

    def _on_reply(self, watcher: QObject) -> None:
        from PySide6.QtDBus import QDBusPendingCallWatcher  # noqa: PLC0415

        assert isinstance(watcher, QDBusPendingCallWatcher)
        watcher.deleteLater()
        self._watcher = None
        if not self._connected:  # released meanwhile
            return
        if watcher.isError():
            error = watcher.error()
            self._fail(f"{SERVICE}.Inhibit failed: {error.name()}: {error.message()}")
            return
        arguments = watcher.reply().arguments()
        self.cookie = int(arguments[0]) if arguments else 0
        log_event(_log, "screen_blanking_inhibited", backend="dbus", cookie=self.cookie)
        self.answered.emit(True)

    def _fail(self, reason: str) -> None:
        self._disconnect()
        log_event(_log, "inhibit_unavailable", level=logging.WARNING, reason=reason)
        self.answered.emit(False)

    def release(self) -> None:
        """Close the connection: the screen saver drops the inhibition with it."""
        was_inhibited = self.cookie is not None
        self._disconnect()
        if was_inhibited:
            log_event(_log, "screen_blanking_released", backend="dbus")

    def _disconnect(self) -> None:
        from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415

        if self._connected:
            self._connected = False
            QDBusConnection.disconnectFromBus(self._name)
        self.cookie = None
        self.unique_name = ""


def session_bus_address(environ: Mapping[str, str] | None = None) -> str | None:
    """The announced session bus: ``DBUS_SESSION_BUS_ADDRESS``, else ``$XDG_RUNTIME_DIR/bus``."""
    env = os.environ if environ is None else environ
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return env["DBUS_SESSION_BUS_ADDRESS"]
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime, "bus").exists():
        return f"unix:path={Path(runtime, 'bus')}"
    return None


def _has_qtdbus() -> bool:
    try:
        import PySide6.QtDBus  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def screen_blanking_inhibitor(
    platform: str = sys.platform, environ: Mapping[str, str] | None = None
) -> Inhibitor:
    """The way to keep the screen on here (see the module docstring); never raises."""
    if platform == "win32":
        return WindowsInhibitor()
    if platform == "darwin":
        return Unavailable("not implemented on macOS (see docs/kiosk.md)")
    if not _has_qtdbus():
        return Unavailable("PySide6 has no QtDBus module")
    address = session_bus_address(environ)
    if address is None:
        return Unavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    return DBusInhibitor(address)
