"""Fixtures for integration tests against the real demo server over 127.0.0.1."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.net.sync import SyncService
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.conftest import run


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    """An in-process demo server (own thread and loop) with no automatic changes."""
    server = DemoServerThread(DemoOptions(port=0, rate=0, items=12, seed=7))
    server.start()
    yield server
    server.stop()


class DemoProcess:
    """The demo server as a subprocess, for realistic kills, freezes and restarts."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "dashboard_desktop.demo",
            "--port",
            str(self.port),
            "--rate",
            "0",
            "--seed",
            "3",
            *self.args,
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # blocks until the server listens (or dies)
        assert line.startswith("listening on http://127.0.0.1:"), line
        self.port = int(line.rsplit(":", 1)[1])

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def freeze(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)


@pytest.fixture
def demo_process() -> Iterator[Callable[..., DemoProcess]]:
    """Start demo server subprocesses; all are killed at teardown."""
    started: list[DemoProcess] = []

    def start(*args: str) -> DemoProcess:
        process = DemoProcess(*args)
        process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.proc is not None:
            process.thaw()
            process.kill()


@dataclass
class Client:
    """A running sync service with its schedule and table model."""

    service: SyncService
    schedule: Schedule
    model: ScheduleTableModel
    states: list[ConnectionState] = field(default_factory=list)

    @property
    def state(self) -> ConnectionState:
        return self.service.tracker.status().state


@pytest.fixture
def client_factory(
    loop: Any, qtbot: Any, test_settings: Settings
) -> Iterator[Callable[..., Client]]:
    """Build and start clients against a URL; they are stopped at teardown."""
    clients: list[Client] = []

    def make(url: str, **overrides: Any) -> Client:
        settings = test_settings.with_overrides(server_url=url, **overrides)
        schedule = Schedule()
        model = ScheduleTableModel(schedule)
        service = SyncService(settings, schedule)
        client = Client(service, schedule, model)
        service.statusChanged.connect(lambda status: _record(client, status.state))
        service.start()
        clients.append(client)
        return client

    yield make
    for client in clients:
        run(qtbot, client.service.stop())
        client.model.detach()


def _record(client: Client, state: ConnectionState) -> None:
    if not client.states or client.states[-1] is not state:
        client.states.append(state)


def wait_state(qtbot: Any, client: Client, state: ConnectionState, timeout: float = 10) -> None:
    """Wait until ``client`` shows ``state``."""
    qtbot.waitUntil(lambda: client.state is state, timeout=int(timeout * 1000))


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    """The fields of every ``name`` event logged so far."""
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


@pytest.fixture(autouse=True)
def _capture_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
