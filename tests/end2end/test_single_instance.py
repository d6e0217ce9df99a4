"""One instance per user and server, end to end: launches as subprocesses against demo servers.

Each app gets its own log directory (and private home); the apps of a test share one private
``XDG_RUNTIME_DIR``, where their instances meet like launches of one user, and no real instance
on this machine can interfere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from dashboard_desktop.demo import DemoOptions, DemoServerThread
from tests.end2end.app_process import AppExitedError, AppProcess

STARTUP_S = 30.0  # first start imports PySide6; generous for a loaded CI machine
HANDOVER_S = 3.0  # app_started -> app_stopped of a launch that finds an instance
SHUTDOWN_S = 2.0
CLIENT_EVENTS = ("state_changed", "connect_attempt", "poll", "schedule_applied", "demo_started")

Launch = Callable[..., AppProcess]
DemoFactory = Callable[[], str]


@pytest.fixture
def runtime_dir() -> Iterator[str]:
    """A private ``XDG_RUNTIME_DIR``, short enough for a socket path (unlike ``tmp_path``)."""
    path = tempfile.mkdtemp(prefix="dd-run-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def launch(tmp_path: Path, runtime_dir: str) -> Iterator[Launch]:
    """Factory ``(name, *args) -> AppProcess``, started with its own log directory."""
    started: list[AppProcess] = []

    def start(name: str, *args: str) -> AppProcess:
        (tmp_path / name).mkdir()
        app = AppProcess(tmp_path / name / "logs", *args, env={"XDG_RUNTIME_DIR": runtime_dir})
        app.start()
        started.append(app)
        return app

    yield start
    for app in started:
        # A clean exit, as a kill would leave the lock and the socket behind; a slow exit is
        # killed by terminate() (the tests check the exit where it matters).
        with contextlib.suppress(subprocess.TimeoutExpired):
            app.terminate(SHUTDOWN_S)
        print(f"--- dashboard_desktop stderr (pid {app.pid}) ---\n{app.stderr_text()}")


@pytest.fixture
def demo_server() -> Iterator[DemoFactory]:
    """Factory of demo backends on free loopback ports (no automatic changes); returns URLs."""
    servers: list[DemoServerThread] = []

    def start() -> str:
        server = DemoServerThread(DemoOptions(port=0, rate=0, items=12, seed=5))
        servers.append(server)
        server.start()
        return server.url

    yield start
    for server in servers:
        server.stop()


def _seconds(record: dict[str, object]) -> float:
    return datetime.fromisoformat(str(record["ts"])).timestamp()


def _exit_status(app: AppProcess, timeout: float) -> int:
    """Wait for ``app`` to exit by itself (no signal sent); return its status."""
    assert app.proc is not None
    app.proc.wait(timeout)
    return app.terminate(timeout)  # exited already: sends nothing, reads the rest of its log


def _live(app: AppProcess) -> None:
    app.wait_for("state_changed", timeout=STARTUP_S, state="live")


def test_second_exits_zero_and_first_is_activated_when_same_server(
    launch: Launch, demo_server: DemoFactory, runtime_dir: str
) -> None:
    url = demo_server()
    first = launch("first", "--server-url", url)
    _live(first)
    assert len(os.listdir(runtime_dir)) == 2  # its lock and its socket

    second = launch("second", "--server-url", url)
    code = _exit_status(second, STARTUP_S)

    assert code == 0
    exists = second.wait_for("instance_exists", timeout=0)
    assert exists["notified"] is True
    first.wait_for("instance_activated", timeout=5)
    started = second.wait_for("app_started", timeout=0)
    stopped = second.wait_for("app_stopped", timeout=0)
    assert _seconds(stopped) - _seconds(started) < HANDOVER_S
    assert [r["event"] for r in second.records if r["event"] in CLIENT_EVENTS] == []
    assert second.errors() == []
    assert first.running
    assert first.errors() == []
    assert first.terminate(SHUTDOWN_S) == 0
    assert os.listdir(runtime_dir) == []  # the lock and the socket are gone


def test_each_runs_when_server_differs(launch: Launch, demo_server: DemoFactory) -> None:
    first = launch("first", "--server-url", demo_server())
    _live(first)

    others = [
        launch("other-server", "--server-url", demo_server()),
        launch("demo-1", "--demo"),
        launch("demo-2", "--demo"),
    ]

    for app in others:
        _live(app)
    for app in (first, *others):
        assert app.events("instance_exists") == []
        assert app.events("instance_activated") == []
        assert app.running
        assert app.errors() == []


def test_exactly_one_runs_when_two_launches_race(launch: Launch, demo_server: DemoFactory) -> None:
    url = demo_server()
    racers = [launch(f"racer-{n}", "--server-url", url) for n in (1, 2)]

    outcomes: dict[str, AppProcess] = {}
    for app in racers:
        try:
            _live(app)
            outcomes.setdefault("live", app)
        except AppExitedError:  # the loser's log ends within a second or so
            outcomes.setdefault("exited", app)

    assert sorted(outcomes) == ["exited", "live"], [app.stderr_text() for app in racers]
    loser, winner = outcomes["exited"], outcomes["live"]
    assert _exit_status(loser, STARTUP_S) == 0
    assert len(loser.events("instance_exists", notified=True)) == 1
    winner.wait_for("instance_activated", timeout=5)
    assert winner.running
    assert winner.errors() == loser.errors() == []
