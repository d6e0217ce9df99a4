"""Never dies: an error in a Qt slot, a thread or an asyncio callback is logged with its
traceback, a crash report is written, and the application still applies the next payload."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.crash import CrashReporter
from dashboard_desktop.errors import ErrorChannel
from dashboard_desktop.net.sync import SyncService
from tests.conftest import run

START = "2026-11-27T16:00:00Z"


class _Emitter(QObject):
    fired = Signal()


def _boom() -> None:
    raise ValueError("boom")


def _in_slot(loop: asyncio.AbstractEventLoop, keep: list[Any]) -> None:
    emitter = _Emitter()
    keep.append(emitter)
    emitter.fired.connect(_boom)
    QTimer.singleShot(0, emitter.fired.emit)


def _in_thread(loop: asyncio.AbstractEventLoop, keep: list[Any]) -> None:
    worker = threading.Thread(target=_boom, name="doomed")
    worker.start()
    keep.append(worker)


def _in_callback(loop: asyncio.AbstractEventLoop, keep: list[Any]) -> None:
    loop.call_soon(_boom)


def _in_task(loop: asyncio.AbstractEventLoop, keep: list[Any]) -> None:
    async def failing() -> None:
        _boom()

    keep.append(loop.create_task(failing()))


@pytest.fixture
def service(loop: Any, qtbot: Any, test_settings: Settings) -> Iterator[SyncService]:
    made = SyncService(test_settings.with_overrides(offline_cache=False), Schedule())
    yield made
    run(qtbot, made.stop())


@pytest.mark.parametrize(
    ("raise_error", "where"),
    [
        (_in_slot, "main thread"),
        (_in_thread, "thread"),
        (_in_callback, "event loop"),
        (_in_task, "event loop"),
    ],
    ids=["qt-slot", "thread", "loop-callback", "task"],
)
def test_app_still_applies_payloads_when_an_error_escaped_somewhere(
    *,
    loop: asyncio.AbstractEventLoop,
    qtbot: Any,
    service: SyncService,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    raise_error: Callable[[asyncio.AbstractEventLoop, list[Any]], None],
    where: str,
) -> None:
    caplog.set_level(logging.INFO)
    channel = ErrorChannel(crash_reporter=CrashReporter(tmp_path / "logs", service.settings))
    channel.install()
    channel.install_loop(loop)
    keep: list[Any] = []
    try:
        with qtbot.waitSignal(channel.errorReported, timeout=5000):
            raise_error(loop, keep)
            if where == "event loop" and keep:
                keep.clear()  # once collected, asyncio reports the task's exception
                gc.collect()
    finally:
        channel.uninstall()
        for item in keep:
            if isinstance(item, threading.Thread):
                item.join(5)

    service.on_event(
        {"version": 3, "items": [{"id": 1, "title": "A", "start": "2026-11-27T16:00Z"}]}
    )

    assert [item.key for item in service.schedule.items] == ["1"]
    (record,) = [r for r in caplog.records if getattr(r, "event", None) == "unhandled_exception"]
    assert record.fields["where"] == where  # type: ignore[attr-defined]
    assert record.exc_info is not None and "_boom" in caplog.text
    (report,) = (tmp_path / "logs").glob("crash-*.txt")
    assert "ValueError: boom" in report.read_text(encoding="utf-8")
