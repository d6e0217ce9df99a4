"""Tests of dashboard_desktop.log: JSON and text lines, redaction, handler set-up."""

from __future__ import annotations

import faulthandler
import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path
from urllib.parse import quote

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.log import (
    NOISY_LOGGERS,
    JsonFormatter,
    TextFormatter,
    TokenRedactor,
    configure_logging,
    log_event,
    log_file_stream,
    reset_logging,
)

TOKEN = "s3cr3t-T0ken/+="
ISO_MS_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Undo configure_logging's changes to the global logging state."""
    root = logging.getLogger()
    saved = root.level, [logging.getLogger(name).level for name in NOISY_LOGGERS]
    yield
    reset_logging()
    root.setLevel(saved[0])
    for name, level in zip(NOISY_LOGGERS, saved[1], strict=True):
        logging.getLogger(name).setLevel(level)


def configure(tmp_path: Path, **overrides: object) -> tuple[io.StringIO, Path | None]:
    stream = io.StringIO()
    settings = Settings(log_dir=tmp_path / "logs").with_overrides(**overrides)
    return stream, configure_logging(settings, stream=stream)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def raise_with_token() -> None:
    raise RuntimeError(f"server refused Authorization: Bearer {TOKEN}")


def test_json_line_has_ts_level_logger_event_and_fields_when_event_is_logged(
    tmp_path: Path,
) -> None:
    stream, _ = configure(tmp_path, log_format="json")
    log_event(logging.getLogger("app.net"), "connected", url="http://h", attempt=3)
    (line,) = json_lines(stream.getvalue())
    assert ISO_MS_UTC.fullmatch(str(line.pop("ts")))
    assert line == {
        "level": "INFO",
        "logger": "app.net",
        "event": "connected",
        "url": "http://h",
        "attempt": 3,
    }


def test_json_line_has_event_log_and_message_when_plain_call_is_logged(tmp_path: Path) -> None:
    stream, _ = configure(tmp_path, log_format="json")
    logging.getLogger("app").warning("disk %s full", "/var")
    (line,) = json_lines(stream.getvalue())
    assert (line["event"], line["message"], line["level"]) == ("log", "disk /var full", "WARNING")


def test_json_line_has_exc_when_exception_is_attached(tmp_path: Path) -> None:
    stream, _ = configure(tmp_path, log_format="json")
    try:
        raise ValueError("bad payload")
    except ValueError:
        log_event(logging.getLogger("app"), "update_failed", level=logging.ERROR, exc_info=True)
    (line,) = json_lines(stream.getvalue())
    assert "Traceback" in str(line["exc"]) and "ValueError: bad payload" in str(line["exc"])


def test_field_keeps_its_name_when_it_only_collides_with_an_absent_key(tmp_path: Path) -> None:
    stream, _ = configure(tmp_path, log_format="json")
    log_event(logging.getLogger("app"), "failed", message="text", exc="mine", exc_info=None)
    (line,) = json_lines(stream.getvalue())
    assert (line["message"], line["exc"]) == ("text", "mine")


def test_values_are_stringified_when_not_json_serialisable() -> None:
    record = logging.makeLogRecord({"name": "app", "levelname": "INFO", "msg": "e"})
    record.__dict__["event"] = "odd_values"
    record.__dict__["fields"] = {
        "path": Path("/a b"),
        "obj": object(),
        "nan": float("nan"),
        "nested": {(1, 2): {3}},
        "level": "field named like a core key",
    }
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/a b" and line["nan"] == "nan"
    assert str(line["obj"]).startswith("<object object")
    assert line["nested"] == {"(1, 2)": [3]}
    assert (line["level"], line["field_level"]) == ("INFO", "field named like a core key")


def test_log_file_gets_json_lines_when_format_is_text(tmp_path: Path) -> None:
    stream, path = configure(tmp_path, log_format="text")
    log_event(logging.getLogger("app"), "started", version="0.1.0")
    assert path == tmp_path / "logs" / "dashboard-desktop.log"
    (line,) = json_lines(path.read_text(encoding="utf-8"))
    assert (line["event"], line["version"]) == ("started", "0.1.0")
    assert not stream.getvalue().startswith("{")


def test_file_handler_rotates_at_5_mib_times_5_when_configured(tmp_path: Path) -> None:
    configure(tmp_path)
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert (handler.maxBytes, handler.backupCount) == (5 * 1024 * 1024, 5)


def test_text_line_is_readable_when_format_is_text(tmp_path: Path) -> None:
    stream, _ = configure(tmp_path)
    log = logging.getLogger("app.net")
    log_event(log, "connected", url="http://h", attempt=3, reason="server gone", empty="")
    log.info("plain message")
    first, second = stream.getvalue().splitlines()
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d\.\d{3} INFO    app\.net connected url=http://h attempt=3 "
        r'reason="server gone" empty=""',
        first,
    )
    assert second.endswith(" INFO    app.net plain message")


def test_token_never_appears_when_it_is_in_message_fields_or_exception(tmp_path: Path) -> None:
    stream, path = configure(tmp_path, log_format="json", token=TOKEN)
    log = logging.getLogger("app")
    log.warning("header Authorization: Bearer %s", TOKEN)
    log_event(log, "request", headers={"Authorization": f"Bearer {TOKEN}"}, items=[TOKEN])
    log_event(log, "url", url=f"http://h/?token={quote(TOKEN, safe='')}", raw=TOKEN.encode())
    try:
        raise_with_token()
    except RuntimeError as exc:
        log_event(log, "refused", level=logging.ERROR, exc_info=True, error=exc)
    assert path is not None
    for output in (stream.getvalue(), path.read_text(encoding="utf-8")):
        lines = json_lines(output)
        assert len(lines) == 4
        assert TOKEN not in output and "s3cr3t" not in output
        assert lines[0]["message"] == "header Authorization: ***"
        assert lines[1]["headers"] == {"Authorization": "***"}
        assert "***" in str(lines[3]["exc"]) and lines[3]["error"] == (
            "server refused Authorization: ***"
        )


def test_token_is_redacted_when_exception_text_was_cached_by_another_handler() -> None:
    try:
        raise_with_token()
    except RuntimeError:
        record = logging.getLogger("app").makeRecord(
            "app", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    logging.Formatter().format(record)  # caches record.exc_text with the token
    assert TokenRedactor(TOKEN).filter(record)
    assert TOKEN not in TextFormatter().format(record)
    assert TOKEN not in JsonFormatter().format(record)


def test_redactor_changes_nothing_when_token_is_empty() -> None:
    record = logging.makeLogRecord({"msg": "Bearer %s", "args": ("x",)})
    assert TokenRedactor("").filter(record)
    assert (record.msg, record.args) == ("Bearer %s", ("x",))


def test_handlers_are_replaced_when_configured_twice(tmp_path: Path) -> None:
    root = logging.getLogger()
    foreign = logging.NullHandler()
    root.addHandler(foreign)
    try:
        configure(tmp_path)
        count = len(root.handlers)
        stream, path = configure(tmp_path, log_format="json")
        assert len(root.handlers) == count and foreign in root.handlers
        log_event(logging.getLogger("app"), "once")
        assert len(stream.getvalue().splitlines()) == 1
        assert path is not None and len(path.read_text(encoding="utf-8").splitlines()) == 1
    finally:
        root.removeHandler(foreign)


def test_records_below_level_are_dropped_when_level_is_warning(tmp_path: Path) -> None:
    stream, _ = configure(tmp_path, log_level="warning")
    log = logging.getLogger("app")
    log_event(log, "quiet", level=logging.INFO)
    log_event(log, "loud", level=logging.WARNING)
    assert [line.split()[3] for line in stream.getvalue().splitlines()] == ["loud"]


@pytest.mark.parametrize(("level", "cap"), [("DEBUG", logging.WARNING), ("ERROR", logging.ERROR)])
def test_noisy_loggers_are_capped_when_logging_is_configured(
    tmp_path: Path, level: str, cap: int
) -> None:
    configure(tmp_path, log_level=level)
    assert [logging.getLogger(name).level for name in NOISY_LOGGERS] == [cap] * len(NOISY_LOGGERS)


def test_warning_and_no_file_when_log_dir_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    stream = io.StringIO()
    path = configure_logging(Settings(log_dir=blocker / "logs"), stream=stream)
    assert path is None
    assert "log_file_unavailable" in stream.getvalue()
    log_event(logging.getLogger("app"), "still_logging")
    assert "still_logging" in stream.getvalue()


def test_record_carries_event_and_fields_when_log_event_is_called(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="app"):
        log_event(logging.getLogger("app"), "tick", level=logging.DEBUG, n=1)
    (record,) = caplog.records
    assert (record.getMessage(), record.levelno) == ("tick", logging.DEBUG)
    assert (record.__dict__["event"], record.__dict__["fields"]) == ("tick", {"n": 1})
    assert record.pathname == __file__


def our_handlers() -> list[logging.Handler]:
    return [
        handler
        for handler in logging.getLogger().handlers
        if (handler.get_name() or "").startswith("dashboard_desktop.")
    ]


def test_only_file_handler_is_installed_when_stderr_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    path = configure_logging(Settings(log_dir=tmp_path / "logs"))
    (handler,) = our_handlers()
    assert isinstance(handler, RotatingFileHandler)
    log_event(logging.getLogger("app"), "started_without_console")
    assert path is not None
    (line,) = json_lines(path.read_text(encoding="utf-8"))
    assert line["event"] == "started_without_console"


def test_console_handler_uses_given_stream_when_stderr_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    stream, _ = configure(tmp_path)
    log_event(logging.getLogger("app"), "shown")
    assert "shown" in stream.getvalue() and len(our_handlers()) == 2


def test_nothing_fails_when_stderr_is_none_and_log_dir_cannot_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setattr(sys, "stderr", None)
    assert configure_logging(Settings(log_dir=blocker / "logs")) is None
    assert our_handlers() == [] and log_file_stream() is None
    log_event(logging.getLogger("app"), "nowhere_to_go", level=logging.ERROR)


def test_log_file_stream_is_the_open_log_file_when_logging_is_configured(
    tmp_path: Path,
) -> None:
    _, path = configure(tmp_path)
    stream = log_file_stream()
    assert stream is not None and path is not None
    assert not stream.closed and Path(stream.name) == path
    log_event(logging.getLogger("app"), "before_dump")
    faulthandler.dump_traceback(file=stream, all_threads=False)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{") and '"before_dump"' in text
    assert "test_log_file_stream_is_the_open_log_file" in text


def test_log_file_stream_is_none_when_no_log_file_is_installed(tmp_path: Path) -> None:
    reset_logging()
    assert log_file_stream() is None
    configure(tmp_path)
    assert log_file_stream() is not None
    reset_logging()
    assert log_file_stream() is None
