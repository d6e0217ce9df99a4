"""QuitSignal: quitting on request from Qt slots, SIGTERM and SIGINT; handlers restored."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from dashboard_desktop.shutdown import QuitSignal


def current_wakeup_fd() -> int:
    fd = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(fd)
    return fd


@pytest.fixture
def quit_signal(loop: asyncio.AbstractEventLoop) -> Iterator[QuitSignal]:
    """A QuitSignal; if a test installed it, it is uninstalled afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    quitter = QuitSignal()
    yield quitter
    quitter.uninstall()
    for number, handler in saved.items():
        signal.signal(number, handler)


def let_loop_run(qtbot: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Wait until the loop has run two more rounds of callbacks."""
    ran: list[bool] = []
    loop.call_soon(loop.call_soon, ran.append, True)
    qtbot.waitUntil(lambda: bool(ran), timeout=2000)


def test_trigger_completes_wait_when_called_from_a_slot(
    qtbot: Any, loop: asyncio.AbstractEventLoop, quit_signal: QuitSignal
) -> None:
    waiting = asyncio.ensure_future(quit_signal.wait())
    let_loop_run(qtbot, loop)
    assert not waiting.done()

    quit_signal.trigger()

    qtbot.waitUntil(waiting.done, timeout=2000)
    assert waiting.result() is None


def test_wait_returns_at_once_when_already_triggered(qtbot: Any, quit_signal: QuitSignal) -> None:
    quit_signal.trigger()
    quit_signal.trigger()

    waiting = asyncio.ensure_future(quit_signal.wait())

    qtbot.waitUntil(waiting.done, timeout=2000)


def test_wait_stays_pending_when_nothing_asked_to_quit(
    qtbot: Any, loop: asyncio.AbstractEventLoop, quit_signal: QuitSignal
) -> None:
    waiting = asyncio.ensure_future(quit_signal.wait())

    for _ in range(3):
        let_loop_run(qtbot, loop)

    assert not waiting.done()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_completes_wait_and_process_survives_when_installed(
    qtbot: Any, quit_signal: QuitSignal, number: signal.Signals
) -> None:
    quit_signal.install()
    waiting = asyncio.ensure_future(quit_signal.wait())

    os.kill(os.getpid(), number)

    qtbot.waitUntil(waiting.done, timeout=5000)
    assert waiting.exception() is None
    # Still here: neither the default SIGTERM action nor KeyboardInterrupt ended the process.


def test_repeated_signals_complete_wait_once_when_installed(
    qtbot: Any, quit_signal: QuitSignal
) -> None:
    quit_signal.install()
    waiting = asyncio.ensure_future(quit_signal.wait())

    for _ in range(3):
        os.kill(os.getpid(), signal.SIGTERM)

    qtbot.waitUntil(waiting.done, timeout=5000)
    assert waiting.exception() is None


def test_uninstall_restores_previous_handlers_and_wakeup_fd_when_installed(
    quit_signal: QuitSignal,
) -> None:
    def previous_term(number: int, frame: Any) -> None:
        pass

    old_term = signal.signal(signal.SIGTERM, previous_term)
    try:
        old_int = signal.getsignal(signal.SIGINT)
        old_fd = current_wakeup_fd()
        quit_signal.install()
        assert signal.getsignal(signal.SIGTERM) is not previous_term
        assert current_wakeup_fd() != old_fd

        quit_signal.uninstall()

        assert signal.getsignal(signal.SIGTERM) is previous_term
        assert signal.getsignal(signal.SIGINT) is old_int
        assert current_wakeup_fd() == old_fd
    finally:
        signal.signal(signal.SIGTERM, old_term)


def test_signal_no_longer_reaches_quit_signal_when_uninstalled(
    qtbot: Any, quit_signal: QuitSignal
) -> None:
    received: list[int] = []
    old_term = signal.signal(signal.SIGTERM, lambda number, frame: received.append(number))
    try:
        quit_signal.install()
        quit_signal.uninstall()
        waiting = asyncio.ensure_future(quit_signal.wait())

        os.kill(os.getpid(), signal.SIGTERM)

        qtbot.waitUntil(lambda: received == [signal.SIGTERM], timeout=5000)
        let_loop_run(qtbot, asyncio.get_event_loop())
        assert not waiting.done()
    finally:
        signal.signal(signal.SIGTERM, old_term)


def test_uninstall_does_nothing_when_not_installed(quit_signal: QuitSignal) -> None:
    before = signal.getsignal(signal.SIGTERM), current_wakeup_fd()

    quit_signal.uninstall()

    assert (signal.getsignal(signal.SIGTERM), current_wakeup_fd()) == before
