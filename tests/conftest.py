"""Shared fixtures: offscreen Qt, a qasync event loop under pytest-qt, settings for tests.

pytest-qt has no asyncio support (pytest-qt #448). The ``loop`` fixture runs a
``qasync.QEventLoop`` on top of the QApplication that pytest-qt drives, so ``qtbot.waitUntil``
and ``qtbot.waitSignal`` also run asyncio tasks. Exceptions reported to the loop fail the test.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from dashboard_desktop.config import Settings


@pytest.fixture
def loop(qapp: QApplication, qtbot: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync event loop running inside pytest-qt's QApplication."""
    qapp.setQuitOnLastWindowClosed(False)
    event_loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(event_loop)
    errors: list[dict[str, Any]] = []
    event_loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        yield event_loop
    finally:
        _drain(event_loop, qtbot)
        _close(event_loop, qapp)
    assert not errors, f"errors reported to the event loop: {errors}"


def _close(event_loop: qasync.QEventLoop, qapp: QApplication) -> None:
    # An "already running" qasync loop refuses close() and its stop() quits the application,
    # so undo what its constructor did (mark running, set as running loop), then close it.
    event_loop._QEventLoop__is_running = False
    qapp.aboutToQuit.disconnect(event_loop._after_run_forever)
    event_loop._after_run_forever()
    asyncio.events._set_running_loop(None)
    event_loop.close()
    asyncio.set_event_loop(None)
    # Collect the loop's Qt objects now, on this thread; a collection triggered later in a
    # worker thread would destroy them there ("Timers cannot be stopped from another thread").
    gc.collect()


def _drain(event_loop: asyncio.AbstractEventLoop, qtbot: Any) -> None:
    pending = [task for task in asyncio.all_tasks(event_loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        qtbot.waitUntil(lambda: all(task.done() for task in pending), timeout=5000)


def run(qtbot: Any, coro: Any, timeout: float = 10.0) -> Any:
    """Run ``coro`` on the qasync loop while Qt keeps processing events; return its result."""
    future = asyncio.ensure_future(coro)
    qtbot.waitUntil(future.done, timeout=int(timeout * 1000))
    return future.result()


@pytest.fixture(autouse=True)
def _private_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test has its own user cache directory: no offline cache leaks between tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture(autouse=True, scope="session")
def _private_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """``QSettings()`` (the remembered window layout) writes under a temporary directory, never
    into the user's own configuration."""
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, folder)


@pytest.fixture
def test_settings(tmp_path: Path) -> Settings:
    """Settings with short timings for tests, logging into ``tmp_path``."""
    return Settings(
        server_url="http://127.0.0.1:9",
        poll_interval=0.5,
        reconnection_delay=0.1,
        reconnection_delay_max=0.3,
        connect_timeout=2.0,
        request_timeout=2.0,
        log_dir=tmp_path / "logs",
    )
