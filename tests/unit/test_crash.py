"""Crash reports: written for each unexpected error, bounded, never holding the token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop import __version__
from dashboard_desktop.config import Settings
from dashboard_desktop.crash import CrashReporter
from dashboard_desktop.errors import ErrorChannel

TOKEN = "s3cr3t-T0KEN-do-not-leak"
NOW = datetime(2026, 11, 27, 16, 5, 9)


def _explode() -> None:
    raise RuntimeError(f"bad thing with Bearer {TOKEN} inside")


def _caught() -> RuntimeError:
    try:
        _explode()
    except RuntimeError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.fixture
def reporter(tmp_path: Path) -> CrashReporter:
    settings = Settings(token=TOKEN, log_dir=tmp_path)
    return CrashReporter(tmp_path, settings, limit=3, clock=lambda: NOW)


@pytest.fixture
def channel(qapp: Any, reporter: CrashReporter) -> Iterator[ErrorChannel]:
    errors = ErrorChannel(crash_reporter=reporter)
    yield errors
    errors.uninstall()


def _written(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.fields["path"]  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == "crash_report_written"
    ]


def test_report_holds_traceback_and_versions_when_an_error_is_reported(
    channel: ErrorChannel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    channel.report("Unexpected error", _caught(), "main thread")

    (path,) = _written(caplog)
    assert Path(path) == tmp_path / "crash-20261127-160509.txt"
    text = Path(path).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in _explode" in text
    assert "RuntimeError: bad thing with ***" in text
    assert f"version: {__version__}" in text and "qt: " in text and "python: " in text
    assert "where: main thread" in text and "server_url = 'http://127.0.0.1:8765'" in text
    assert (Path(path).stat().st_mode & 0o777) == 0o600


def test_report_never_contains_the_token_when_exception_and_settings_hold_it(
    channel: ErrorChannel, tmp_path: Path
) -> None:
    channel.report(f"failed for {TOKEN}", _caught(), "thread")

    (report,) = tmp_path.glob("crash-*.txt")
    text = report.read_text(encoding="utf-8")
    assert TOKEN not in text
    assert "token = '***'" in text


def test_old_and_new_tokens_stay_out_when_settings_change_the_token(
    channel: ErrorChannel, tmp_path: Path
) -> None:
    new_token = "n3w-T0KEN-also-secret"
    channel.use_settings(Settings(token=new_token, log_dir=tmp_path))

    channel.report(f"failed for {TOKEN} and {new_token}", _caught(), "thread")

    (report,) = tmp_path.glob("crash-*.txt")
    text = report.read_text(encoding="utf-8")
    assert TOKEN not in text
    assert new_token not in text


def test_only_limit_reports_are_written_when_more_errors_are_reported(
    channel: ErrorChannel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    for _ in range(5):
        channel.report("Unexpected error", _caught(), "event loop")

    names = sorted(path.name for path in tmp_path.glob("crash-*.txt"))
    assert names == [
        "crash-20261127-160509-2.txt",
        "crash-20261127-160509-3.txt",
        "crash-20261127-160509.txt",
    ]
    errors = [r for r in caplog.records if getattr(r, "event", None) == "unhandled_exception"]
    assert len(errors) == 5 and channel.count == 5


def test_reporting_carries_on_when_the_report_cannot_be_written(
    qapp: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    channel = ErrorChannel(crash_reporter=CrashReporter(blocker / "logs", Settings()))
    announced: list[str] = []
    channel.errorReported.connect(announced.append)

    channel.report("Unexpected error", _caught(), "main thread")

    assert len(announced) == 1
    assert [r for r in caplog.records if getattr(r, "event", None) == "crash_report_failed"]
