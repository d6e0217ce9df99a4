"""One channel for unexpected errors: log with traceback, then a non-modal message.

:class:`ErrorChannel` installs itself as ``sys.excepthook`` (which also receives exceptions
raised in Qt slots), ``threading.excepthook`` and the asyncio loop's exception handler. Each
error is logged as ``unhandled_exception`` with its traceback, written to a crash report file
when a :class:`~dashboard_desktop.crash.CrashReporter` is set (``crash_report_written``), and
announced through :attr:`ErrorChannel.errorReported`; the application carries on.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from dashboard_desktop.config import Settings
from dashboard_desktop.crash import CrashReporter
from dashboard_desktop.log import log_event

_log = logging.getLogger(__name__)


class ErrorChannel(QObject):
    """Collects unexpected errors from every thread and the event loop.

    Signals:
        errorReported(str): A one-line description of an error, safe to show as plain text.
    """

    errorReported = Signal(str)

    def __init__(
        self, parent: QObject | None = None, crash_reporter: CrashReporter | None = None
    ) -> None:
        super().__init__(parent)
        self.count = 0
        self.crash_reporter = crash_reporter
        self._previous: tuple[Any, Any] | None = None

    def use_settings(self, settings: Settings) -> None:
        """Settings applied while running (a new token): crash reports follow them."""
        if self.crash_reporter is not None:
            self.crash_reporter.use_settings(settings)

    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook`` (once)."""
        if self._previous is not None:
            return
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        """Restore the hooks found by :meth:`install`."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def install_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Become ``loop``'s exception handler."""
        loop.set_exception_handler(self._loop_handler)

    def report(
        self,
        message: str,
        exc: BaseException | None = None,
        where: str = "application",
        shown: str | None = None,
    ) -> None:
        """Log ``message`` with the traceback of ``exc`` and announce it.

        Args:
            message: What happened, for the log (English).
            exc: The exception, if any; its type and text follow the message on screen.
            where: Where it happened (main thread, thread, event loop), for the log.
            shown: The message in the user's language; ``message`` when not given.
        """
        self.count += 1
        log_event(
            _log,
            "unhandled_exception",
            level=logging.ERROR,
            where=where,
            message=message,
            exc_info=exc,
        )
        if self.crash_reporter is not None:
            self.crash_reporter.write(message, exc, where)  # never raises
        words = message if shown is None else shown
        text = f"{words}: {type(exc).__name__}: {exc}" if exc is not None else words
        self.errorReported.emit(text)

    def _sys_hook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        shown = QCoreApplication.translate("ErrorChannel", "Unexpected error")
        self.report("Unexpected error", exc.with_traceback(tb), "main thread", shown)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return  # like Python's own hook: sys.exit() ends a thread quietly
        name = args.thread.name if args.thread is not None else "unknown"
        exc = args.exc_value or (args.exc_type() if args.exc_type else None)
        shown = QCoreApplication.translate("ErrorChannel", "Unexpected error in thread {name}")
        self.report(f"Unexpected error in thread {name}", exc, "thread", shown.format(name=name))

    def _loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        message = context.get("message")
        # asyncio's own words are technical detail, shown as they are (like an exception's)
        shown = None if message else QCoreApplication.translate("ErrorChannel", "Unexpected error")
        self.report(
            str(message or "Unexpected error in the event loop"),
            exc if isinstance(exc, BaseException) else None,
            "event loop",
            shown,
        )
