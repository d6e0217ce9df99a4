"""The health endpoint of a client synced with the real demo server over 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from dashboard_desktop.core.consistency import ItemDigests
from dashboard_desktop.core.protocol import parse_snapshot
from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.net.health import HealthServer, HealthSource
from tests.conftest import run
from tests.integration.conftest import Client, DemoProcess, wait_state

HealthFor = Callable[[Client], HealthServer]


@pytest.fixture
def health_for(loop: Any, qtbot: Any) -> Iterator[HealthFor]:
    servers: list[HealthServer] = []

    def make(client: Client) -> HealthServer:
        service = client.service
        source = HealthSource(
            service.tracker.status, service.metrics, client.schedule, service.checker.digests
        )
        server = HealthServer("127.0.0.1", 0, source)
        assert run(qtbot, server.listen())
        servers.append(server)
        return server

    yield make
    for server in servers:
        run(qtbot, server.stop())


def get(qtbot: Any, server: HealthServer, path: str) -> requests.Response:
    url = f"http://127.0.0.1:{server.port}{path}"
    return run(qtbot, asyncio.to_thread(requests.get, url, timeout=5))  # type: ignore[no-any-return]


def rest_snapshot(demo: DemoProcess) -> Any:
    url = f"{demo.url}/api/dashboard/schedule"
    return requests.get(url, params={"namespace": "default"}, timeout=5).json()


def test_healthz_is_200_with_server_hash_when_live(
    qtbot: Any,
    demo_process: Callable[..., DemoProcess],
    client_factory: Callable[..., Client],
    health_for: HealthFor,
) -> None:
    demo = demo_process()
    client = client_factory(demo.url)
    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: client.service.tracker.synced and not client.service.fetching)
    server = health_for(client)

    response = get(qtbot, server, "/healthz")

    body = response.json()
    served = parse_snapshot(rest_snapshot(demo))
    assert response.status_code == 200
    assert body["state"] == "live" and body["stale"] is False
    assert body["version"] == served.version
    assert body["content_hash"] == ItemDigests().digest(served.items)
    assert body["counters"]["connects"] == 1


def test_healthz_is_503_when_server_is_stopped(
    qtbot: Any,
    demo_process: Callable[..., DemoProcess],
    client_factory: Callable[..., Client],
    health_for: HealthFor,
) -> None:
    demo = demo_process()
    client = client_factory(demo.url)
    wait_state(qtbot, client, ConnectionState.LIVE)
    server = health_for(client)

    demo.kill()
    qtbot.waitUntil(lambda: client.service.tracker.status().stale, timeout=10_000)
    response = get(qtbot, server, "/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["stale"] is True and body["state"] != "live"
    assert body["counters"]["disconnects"] == 1
    assert body["last_error"]
    metrics = get(qtbot, server, "/metrics").text
    assert 'dashboard_state{state="live"} 0' in metrics.splitlines()
    assert "dashboard_data_stale 1" in metrics.splitlines()
