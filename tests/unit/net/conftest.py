"""Fixtures for the network unit tests: the in-process demo server, services pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.net.sync import SyncService
from tests.conftest import run

MakeService = Callable[..., SyncService]


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    """An in-process demo server on 127.0.0.1 (own thread and loop), no automatic changes."""
    server = DemoServerThread(DemoOptions(host="127.0.0.1", port=0, rate=0, items=12, seed=7))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_service(
    loop: Any, demo: DemoServerThread, qtbot: Any, test_settings: Settings
) -> Iterator[MakeService]:
    """Build services pointed at the demo server (not started); stopped at teardown."""
    services: list[SyncService] = []

    def make(**overrides: Any) -> SyncService:
        settings = test_settings.with_overrides(server_url=demo.url, **overrides)
        service = SyncService(settings, Schedule())
        services.append(service)
        return service

    yield make
    for service in services:
        run(qtbot, service.stop())
