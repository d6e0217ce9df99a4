"""Crash reports: one text file per unexpected error, beside the log file.

:class:`CrashReporter` writes ``crash-YYYYmmdd-HHMMSS.txt`` (``-2``, ``-3`` ... when two land in
one second) into the log directory for each error the :class:`~dashboard_desktop.errors.
ErrorChannel` reports: the application version, the platform, the Python and Qt versions,
where the error happened, its traceback and the settings, with the token replaced by ``***``
everywhere in the file. At most :data:`MAX_REPORTS` are written in one run; later errors are
only logged. Writing a report never raises: a failure is logged as ``crash_report_failed``.
Hard crashes (a segfault in Qt) are not Python exceptions: ``faulthandler`` writes their stacks
to stderr, or to ``crash.log`` without a console (see ``app.py``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from dashboard_desktop import __version__
from dashboard_desktop.config import Settings
from dashboard_desktop.log import REDACTED, TokenRedactor, log_event

__all__ = ["MAX_REPORTS", "CrashReporter"]

MAX_REPORTS = 10
_log = logging.getLogger(__name__)


class CrashReporter:
    """Writes a crash report file for each unexpected error, at most ``limit`` a run.

    Args:
        directory: Where the reports go (the log directory).
        settings: The settings, written into each report without the token.
        limit: Most reports written in one run.
        clock: Local time, for the file names and the reports.
    """

    def __init__(
        self,
        directory: Path,
        settings: Settings,
        limit: int = MAX_REPORTS,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.directory = directory
        self.settings = settings
        self.limit = limit
        self.written = 0
        self._clock = clock
        self._lock = threading.Lock()
        self._earlier_tokens: list[str] = []

    def use_settings(self, settings: Settings) -> None:
        """Write ``settings`` into later reports; the token used so far stays redacted too."""
        if self.settings.token and self.settings.token != settings.token:
            self._earlier_tokens.append(self.settings.token)
        self.settings = settings

    def write(self, message: str, exc: BaseException | None, where: str) -> Path | None:
        """Write one report; return its path, or None (over the limit, or it failed)."""
        with self._lock:
            if self.written >= self.limit:
                return None
            self.written += 1
        now = self._clock()
        text = self.render(message, exc, where, now)
        for token in (self.settings.token, *self._earlier_tokens):
            text = TokenRedactor(token).redact(text)
        try:
            path = self._create(now, text)
        except OSError as exc_write:
            error = f"{type(exc_write).__name__}: {exc_write}"
            log_event(_log, "crash_report_failed", level=logging.WARNING, error=error)
            return None
        log_event(_log, "crash_report_written", level=logging.WARNING, path=str(path))
        return path

    def render(self, message: str, exc: BaseException | None, where: str, now: datetime) -> str:
        """The report's text (before the token is redacted)."""
        lines = [
            "Dashboard Desktop crash report",
            f"time: {now.astimezone().isoformat(timespec='seconds')}",
            f"version: {__version__}",
            f"platform: {platform.platform()}",
            f"python: {sys.version.splitlines()[0]} ({sys.executable})",
            f"qt: {qVersion()}, PySide6 {pyside_version}",
            f"where: {where}",
            f"message: {message}",
            "",
            "traceback:",
        ]
        if exc is None:
            lines.append("(no exception)")
        else:
            lines.extend(line.rstrip("\n") for line in traceback.format_exception(exc))
        lines += ["", "settings:"]
        lines += [f"  {name} = {value!r}" for name, value in self._settings_items()]
        return "\n".join(lines) + "\n"

    def _settings_items(self) -> list[tuple[str, object]]:
        items = []
        for field in dataclasses.fields(self.settings):
            value = getattr(self.settings, field.name)
            if field.name == "token":
                value = REDACTED if value else ""
            items.append((field.name, value))
        return items

    def _create(self, now: datetime, text: str) -> Path:
        """Create a new file (never overwriting one), readable by this user only."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = f"crash-{now:%Y%m%d-%H%M%S}"
        for number in range(1, 100):
            path = self.directory / (stem if number == 1 else f"{stem}-{number}")
            path = path.with_name(path.name + ".txt")
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as file:
                file.write(text)
            return path
        raise FileExistsError(f"too many crash reports named {stem}*")
