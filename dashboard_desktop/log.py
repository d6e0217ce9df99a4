"""Structured logging on top of the standard :mod:`logging` package.

Code logs *events* with fields through :func:`log_event`; :func:`configure_logging` sends every
record to stderr (readable text, or JSON lines) and to a rotating JSON-lines file. A
:class:`TokenRedactor` on both handlers keeps the access token out of every line.
"""

from __future__ import annotations

import json
import logging
import math
import sys
import time
from collections.abc import Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, quote_plus

import platformdirs

from dashboard_desktop.config import APP_NAME, Settings

__all__ = [
    "JsonFormatter",
    "TextFormatter",
    "TokenRedactor",
    "configure_logging",
    "log_event",
    "log_file_stream",
    "reset_logging",
]

LOG_FILE_NAME = "dashboard-desktop.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 5
NOISY_LOGGERS = ("socketio", "engineio", "aiohttp.access", "urllib3")
PLAIN_EVENT = "log"
REDACTED = "***"
_HANDLER_PREFIX = "dashboard_desktop."
_MAX_DEPTH = 8

_PLAIN_FORMATTER = logging.Formatter()
_log = logging.getLogger(__name__)


def log_event(
    logger: logging.Logger,
    event: str,
    /,
    *,
    level: int = logging.INFO,
    exc_info: bool | BaseException | None = None,
    **fields: object,
) -> None:
    """Log the event ``event`` with ``fields``; the record's message is the event name.

    Args:
        logger: Logger to log with.
        event: Short snake_case name of what happened, e.g. ``"socket_connected"``.
        level: Logging level.
        exc_info: Attach an exception (``True``: the one being handled).
        **fields: Data of the event; values that are not JSON types are logged as ``str()``.
    """
    extra = {"event": event, "fields": fields}
    logger.log(level, event, exc_info=exc_info, extra=extra, stacklevel=2)


def _event_and_fields(record: logging.LogRecord) -> tuple[str | None, Mapping[str, object]]:
    """Return the record's event (``None`` for a plain log call) and fields."""
    event = getattr(record, "event", None)
    fields = getattr(record, "fields", None)
    return (
        event if isinstance(event, str) else None,
        fields if isinstance(fields, Mapping) else {},
    )


def _safe_str(value: object) -> str:
    try:
        return str(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


def _jsonable(value: object, depth: int = 0) -> object:
    """Convert ``value`` to JSON types; anything else (and NaN, infinity) becomes ``str()``."""
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if depth < _MAX_DEPTH and isinstance(value, Mapping):
        return {_safe_str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if depth < _MAX_DEPTH and isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item, depth + 1) for item in value]
    return _safe_str(value)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: ts, level, logger, event, fields, exc."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line of JSON."""
        event, fields = _event_and_fields(record)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line: dict[str, object] = {
            "ts": f"{stamp}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "event": event or PLAIN_EVENT,
        }
        if event is None:
            line["message"] = record.getMessage()
        if exc := _exception_text(self, record):
            line["exc"] = exc
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        for key, value in fields.items():
            line[f"field_{key}" if key in line else key] = _jsonable(value)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Format a record for people: ``HH:MM:SS.mmm LEVEL logger event key=value ...``."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as readable text (local time), traceback on the next lines."""
        event, fields = _event_and_fields(record)
        clock = time.strftime("%H:%M:%S", time.localtime(record.created))
        parts = [f"{clock}.{int(record.msecs):03d}", f"{record.levelname:<7}", record.name]
        parts.append(event if event is not None else record.getMessage())
        parts.extend(f"{key}={_text_value(value)}" for key, value in fields.items())
        text = " ".join(parts)
        if exc := _exception_text(self, record):
            text += "\n" + exc
        if record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return text


def _text_value(value: object) -> str:
    """Show a field value on one line, quoting text that would be ambiguous."""
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return json.dumps(_jsonable(value), ensure_ascii=False)
    text = value if isinstance(value, str) else _safe_str(value)
    plain = text and not any(char.isspace() or char in "\"'=" for char in text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def _exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    """Return the record's formatted traceback (cached on the record, as logging does)."""
    if record.exc_info and not record.exc_text:
        record.exc_text = formatter.formatException(record.exc_info)
    return record.exc_text or ""


class TokenRedactor(logging.Filter):
    """Replace the token (and ``Bearer <token>``) by ``***`` in a record's message, event,
    fields, traceback and stack, before any handler formats it."""

    def __init__(self, token: str) -> None:
        """Create a redactor of ``token``; an empty token redacts nothing."""
        super().__init__()
        forms = {token, quote(token), quote(token, safe=""), quote_plus(token)}
        forms |= {repr(token)[1:-1], json.dumps(token)[1:-1]}
        forms = {form for form in forms if form} if token else set()
        forms |= {f"Bearer {form}" for form in forms}
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return ``text`` with every form of the token replaced."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; never drops it."""
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:
            message = f"{_safe_str(record.msg)} (unformattable args {_safe_str(record.args)})"
        record.msg, record.args = self.redact(message), None
        event, fields = _event_and_fields(record)
        if event is not None:
            record.__dict__["event"] = self.redact(event)
        if fields:
            record.__dict__["fields"] = self._redact_value(fields, 0)
        if exc := _exception_text(_PLAIN_FORMATTER, record):
            record.exc_text = self.redact(exc)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def _redact_value(self, value: object, depth: int) -> object:
        if isinstance(value, str):
            return self.redact(value)
        if depth < _MAX_DEPTH and isinstance(value, Mapping):
            return {
                self._redact_value(k, depth + 1): self._redact_value(v, depth + 1)
                for k, v in value.items()
            }
        if depth < _MAX_DEPTH and isinstance(value, list | tuple | set | frozenset):
            return [self._redact_value(item, depth + 1) for item in value]
        text = _safe_str(value)
        redacted = self.redact(text)
        return value if redacted == text else redacted


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> Path | None:
    """Send all logging to stderr and to a rotating JSON-lines file, as ``settings`` say.

    Replaces the handlers of an earlier call (other handlers of the root logger are left
    alone). If the log directory cannot be created, a warning goes to stderr and logging
    continues without a file. Without a console (``sys.stderr`` is ``None``, as under a
    Windows GUI launcher) and no ``stream``, there is no console handler, only the file.

    Args:
        settings: Provides ``log_level``, ``log_format``, ``log_dir`` and ``token``.
        stream: Stream of the console handler (default: ``sys.stderr``, if any).

    Returns:
        The path of the log file, or ``None`` if there is none.
    """
    reset_logging()
    level = logging.getLevelNamesMapping()[settings.log_level]
    logging.getLogger().setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    redactor = TokenRedactor(settings.token)
    console_stream = stream if stream is not None else sys.stderr
    if console_stream is not None:
        text = settings.log_format == "text"
        formatter = TextFormatter() if text else JsonFormatter()
        _install(logging.StreamHandler(console_stream), "console", formatter, redactor)
    path = (settings.log_dir or Path(platformdirs.user_log_dir(APP_NAME))) / LOG_FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        log_event(_log, "log_file_unavailable", level=logging.WARNING, path=path, error=exc)
        return None
    _install(file, "file", JsonFormatter(), redactor)
    return path


def log_file_stream() -> TextIO | None:
    """Return the open stream of the log file installed by :func:`configure_logging`.

    Meant for ``faulthandler.enable(file=...)`` when there is no ``sys.stderr``. The stream
    is only valid until the file rotates (the handler then closes it and opens a new one).

    Returns:
        The stream, or ``None`` when there is no log file (not configured, the directory
        could not be created, or logging was reset).
    """
    for handler in logging.getLogger().handlers:
        if handler.get_name() == _HANDLER_PREFIX + "file" and isinstance(
            handler, RotatingFileHandler
        ):
            return handler.stream
    return None


def _install(
    handler: logging.Handler, role: str, formatter: logging.Formatter, redactor: TokenRedactor
) -> None:
    """Add ``handler`` to the root logger, named so that :func:`reset_logging` finds it."""
    handler.set_name(_HANDLER_PREFIX + role)
    handler.setFormatter(formatter)
    handler.addFilter(redactor)
    logging.getLogger().addHandler(handler)


def reset_logging() -> None:
    """Remove and close the handlers installed by :func:`configure_logging`."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if (handler.get_name() or "").startswith(_HANDLER_PREFIX):
            root.removeHandler(handler)
            handler.close()
