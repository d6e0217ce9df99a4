"""ErrorChannel: errors from Qt slots, threads and the asyncio loop are logged and announced."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from dashboard_desktop.errors import ErrorChannel


@pytest.fixture
def channel(qapp: Any) -> Iterator[ErrorChannel]:
    errors = ErrorChannel()
    yield errors
    errors.uninstall()


@pytest.fixture(autouse=True)
def _error_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def reports(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == "unhandled_exception"]


def fields(record: logging.LogRecord) -> dict[str, Any]:
    return dict(record.fields)  # type: ignore[attr-defined]


def traceback_names(record: logging.LogRecord) -> list[str]:
    assert record.exc_info is not None
    tb = record.exc_info[2]
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return names


class _Emitter(QObject):
    fired = Signal()


def _broken_slot() -> None:
    raise ValueError("slot went wrong")


def _broken_thread_target() -> None:
    raise KeyError("thread went wrong")


def _broken_callback() -> None:
    raise RuntimeError("callback went wrong")


# -- Qt slots (sys.excepthook) ------------------------------------------------------------------


def test_exception_in_qt_slot_is_logged_and_reported_when_installed(
    qtbot: Any, channel: ErrorChannel, caplog: pytest.LogCaptureFixture
) -> None:
    channel.install()
    emitter = _Emitter()
    emitter.fired.connect(_broken_slot)

    with qtbot.waitSignal(channel.errorReported, timeout=2000) as reported:
        QTimer.singleShot(0, emitter.fired.emit)

    assert reported.args == ["Unexpected error: ValueError: slot went wrong"]
    (record,) = reports(caplog)
    assert record.levelno == logging.ERROR
    assert fields(record)["where"] == "main thread"
    assert "_broken_slot" in traceback_names(record)
    assert "ValueError: slot went wrong" in caplog.text
    assert "Traceback" in caplog.text
    assert channel.count == 1


def test_keyboard_interrupt_is_not_reported_when_it_reaches_sys_hook(
    channel: ErrorChannel, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    channel.install()
    announced: list[str] = []
    channel.errorReported.connect(announced.append)

    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)

    assert announced == [] and reports(caplog) == []
    assert "KeyboardInterrupt" in capsys.readouterr().err


# -- threads (threading.excepthook) -------------------------------------------------------------


def test_exception_in_thread_is_logged_and_reported_when_installed(
    qtbot: Any, channel: ErrorChannel, caplog: pytest.LogCaptureFixture
) -> None:
    channel.install()
    worker = threading.Thread(target=_broken_thread_target, name="worker-7")

    with qtbot.waitSignal(channel.errorReported, timeout=2000) as reported:
        worker.start()
        worker.join(5)

    assert reported.args == ["Unexpected error in thread worker-7: KeyError: 'thread went wrong'"]
    (record,) = reports(caplog)
    assert fields(record)["where"] == "thread"
    assert "_broken_thread_target" in traceback_names(record)


def test_thread_ending_with_system_exit_is_not_reported_when_installed(
    qtbot: Any, channel: ErrorChannel, caplog: pytest.LogCaptureFixture
) -> None:
    channel.install()
    announced: list[str] = []
    channel.errorReported.connect(announced.append)
    worker = threading.Thread(target=sys.exit, args=(0,), name="exits")

    worker.start()
    worker.join(5)

    assert reports(caplog) == []  # the hook logs synchronously in the worker thread
    qtbot.wait(0)  # deliver a queued cross-thread errorReported, if any
    assert announced == []


# -- the asyncio loop ---------------------------------------------------------------------------


@pytest.fixture
def loop_channel(loop: asyncio.AbstractEventLoop, channel: ErrorChannel) -> Iterator[ErrorChannel]:
    """The channel as ``loop``'s handler; the fixture's own handler is restored afterwards."""
    fixture_handler = loop.get_exception_handler()
    channel.install_loop(loop)
    yield channel
    loop.set_exception_handler(fixture_handler)


def test_exception_in_loop_callback_is_logged_and_reported_when_installed_on_loop(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    loop_channel: ErrorChannel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with qtbot.waitSignal(loop_channel.errorReported, timeout=2000) as reported:
        loop.call_soon(_broken_callback)

    (text,) = reported.args
    assert text.startswith("Exception in callback")
    assert text.endswith("RuntimeError: callback went wrong")
    (record,) = reports(caplog)
    assert fields(record)["where"] == "event loop"
    assert "_broken_callback" in traceback_names(record)


def test_exception_in_task_is_reported_when_task_fails_unobserved(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    loop_channel: ErrorChannel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def failing() -> None:
        raise RuntimeError("task went wrong")

    task = loop.create_task(failing())
    qtbot.waitUntil(task.done)

    with qtbot.waitSignal(loop_channel.errorReported, timeout=2000) as reported:
        del task  # never awaited: asyncio reports it when the task is collected

    assert reported.args[0].endswith("RuntimeError: task went wrong")
    assert fields(reports(caplog)[0])["where"] == "event loop"


def test_loop_message_without_exception_is_reported_when_context_has_only_message(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    loop_channel: ErrorChannel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with qtbot.waitSignal(loop_channel.errorReported, timeout=2000) as reported:
        loop.call_exception_handler({"message": "Unclosed client session"})

    assert reported.args == ["Unclosed client session"]
    (record,) = reports(caplog)
    assert record.exc_info is None or record.exc_info == (None, None, None)


def test_application_carries_on_when_loop_error_was_reported(
    qtbot: Any, loop: asyncio.AbstractEventLoop, loop_channel: ErrorChannel
) -> None:
    loop.call_soon(_broken_callback)

    async def later() -> str:
        return "still running"

    future = asyncio.ensure_future(later())
    qtbot.waitUntil(future.done, timeout=2000)
    qtbot.waitUntil(lambda: loop_channel.count == 1, timeout=2000)
    assert future.result() == "still running"


# -- install / uninstall ------------------------------------------------------------------------


def test_install_replaces_both_hooks_when_called(channel: ErrorChannel) -> None:
    before = (sys.excepthook, threading.excepthook)

    channel.install()

    assert sys.excepthook is not before[0]
    assert threading.excepthook is not before[1]


def test_uninstall_restores_previous_hooks_when_installed(channel: ErrorChannel) -> None:
    before = (sys.excepthook, threading.excepthook)
    channel.install()

    channel.uninstall()

    assert sys.excepthook is before[0]
    assert threading.excepthook is before[1]


def test_uninstall_does_nothing_when_not_installed(channel: ErrorChannel) -> None:
    before = (sys.excepthook, threading.excepthook)

    channel.uninstall()
    channel.uninstall()

    assert (sys.excepthook, threading.excepthook) == before
