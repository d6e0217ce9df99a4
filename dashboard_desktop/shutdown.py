"""Quitting on request: the window, the Quit action, SIGINT or SIGTERM.

POSIX signals are delivered to Python only when the interpreter runs, which it may not do
while Qt's event loop sleeps. :class:`QuitSignal` therefore routes them through
``signal.set_wakeup_fd`` and a ``QSocketNotifier``, so a signal wakes the loop at once
without any polling timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from types import FrameType

from PySide6.QtCore import QSocketNotifier

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class QuitSignal:
    """An awaitable request to quit, settable from Qt slots and POSIX signals."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._pair: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None
        self._old_fd = -1
        self._old_handlers: dict[int, object] = {}

    def trigger(self) -> None:
        """Ask the application to quit."""
        self._event.set()

    async def wait(self) -> None:
        """Return once quitting was asked for."""
        await self._event.wait()

    def install(self) -> None:
        """Handle SIGINT and SIGTERM by quitting (main thread only; needs no Qt yet).

        A signal that arrives before :meth:`watch` is kept and handled once it is called.
        """
        if self._pair is not None:
            return
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self._pair = (reader, writer)
        self._old_fd = signal.set_wakeup_fd(writer.fileno())
        for number in _SIGNALS:
            self._old_handlers[number] = signal.signal(number, self._on_signal)

    def watch(self) -> None:
        """Wake Qt's event loop when a signal arrives (needs the QCoreApplication)."""
        if self._pair is None or self._notifier is not None:
            return
        self._notifier = QSocketNotifier(self._pair[0].fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def uninstall(self) -> None:
        """Restore the previous signal handling."""
        if self._pair is None:
            return
        for number, handler in self._old_handlers.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        signal.set_wakeup_fd(self._old_fd)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
        for end in self._pair:
            end.close()
        self._pair = None

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        self.trigger()

    def _drain(self) -> None:
        if self._pair is not None:
            with contextlib.suppress(OSError):
                self._pair[0].recv(64)
