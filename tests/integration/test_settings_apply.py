"""Settings applied without a restart: the connection is replaced, the window stays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop.config import LoadedSettings, Settings, setting_specs
from dashboard_desktop.connection import Connection, SettingsFlow
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.net.sync import SyncService
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.conftest import run

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture
def other_demo() -> Iterator[DemoServerThread]:
    """A second backend with another day (more items)."""
    server = DemoServerThread(DemoOptions(port=0, rate=0, items=20, seed=3))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def wired(
    loop: Any, qtbot: Any, demo: DemoServerThread, test_settings: Settings, tmp_path: Path
) -> Iterator[tuple[Connection, SettingsFlow, Schedule, list[ConnectionStatus]]]:
    settings = test_settings.with_overrides(server_url=demo.url)
    schedule = Schedule()
    model = ScheduleTableModel(schedule)
    window = MainWindow(model, settings.server_url)
    qtbot.addWidget(window)
    statuses: list[ConnectionStatus] = []

    def wire(service: SyncService) -> None:
        service.statusChanged.connect(statuses.append)

    connection = Connection(settings, schedule, wire)
    sources = {spec.name: "default" for spec in setting_specs()}
    loaded = LoadedSettings(settings, sources, tmp_path / "config.toml")
    flow = SettingsFlow(window, connection, loaded)
    connection.service.start()
    yield connection, flow, schedule, statuses
    run(qtbot, connection.stop())
    model.detach()


def live(statuses: list[ConnectionStatus]) -> bool:
    return bool(statuses) and statuses[-1].state is ConnectionState.LIVE


def test_new_server_is_shown_without_restart_when_settings_change_server_url(
    qtbot: Any, wired: Any, demo: DemoServerThread, other_demo: DemoServerThread
) -> None:
    connection, flow, schedule, statuses = wired
    qtbot.waitUntil(lambda: live(statuses) and len(schedule) == 12, timeout=10000)
    first = connection.service

    new = flow.loaded.settings.with_overrides(server_url=other_demo.url)
    run(qtbot, flow.apply(new))

    qtbot.waitUntil(lambda: live(statuses) and len(schedule) == 20, timeout=10000)
    assert connection.service is not first
    assert connection.service.settings.server_url == other_demo.url
    assert flow.loaded.settings.server_url == other_demo.url


def test_connection_is_kept_when_only_kiosk_options_change(qtbot: Any, wired: Any) -> None:
    connection, flow, _, statuses = wired
    qtbot.waitUntil(lambda: live(statuses), timeout=10000)
    first = connection.service
    kiosk = {name: not flow.loaded.settings.kiosk for name in ("kiosk",)}

    run(qtbot, flow.apply(flow.loaded.settings.with_overrides(**kiosk)))

    assert connection.service is first
