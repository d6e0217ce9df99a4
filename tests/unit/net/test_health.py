"""The health endpoint over 127.0.0.1: routes, methods, limits, the port taken."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from dashboard_desktop import __version__
from dashboard_desktop.core.consistency import ItemDigests
from dashboard_desktop.core.items import parse_item
from dashboard_desktop.core.metrics import Metrics
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import StatusTracker
from dashboard_desktop.net import health as health_module
from dashboard_desktop.net.health import HealthServer, HealthSource
from tests.conftest import run
from tests.unit.core.test_metrics import SAMPLE


@pytest.fixture
def tracker() -> StatusTracker:
    return StatusTracker(poll_interval=30, max_attempts=60)


@pytest.fixture
def server(loop: Any, qtbot: Any, tracker: StatusTracker) -> Iterator[HealthServer]:
    schedule = Schedule()
    schedule.replace([parse_item({"id": 1, "title": "A", "start": "2026-11-27T09:00:00Z"})], 4)
    metrics = Metrics()
    metrics.record("socket_disconnected", {"reason": "transport error"})
    source = HealthSource(tracker.status, metrics, schedule, ItemDigests())
    health = HealthServer("127.0.0.1", 0, source)
    assert run(qtbot, health.listen())
    yield health
    run(qtbot, health.stop())


def get(qtbot: Any, server: HealthServer, path: str, method: str = "GET") -> requests.Response:
    url = f"http://127.0.0.1:{server.port}{path}"
    return run(qtbot, asyncio.to_thread(requests.request, method, url, timeout=5))  # type: ignore[no-any-return]


def raw(qtbot: Any, server: HealthServer, data: bytes) -> bytes:
    def exchange() -> bytes:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as conn:
            conn.sendall(data)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            return b"".join(chunks)

    return run(qtbot, asyncio.to_thread(exchange))  # type: ignore[no-any-return]


def test_healthz_is_200_with_fields_when_data_are_fresh(
    qtbot: Any, server: HealthServer, tracker: StatusTracker
) -> None:
    tracker.connected()
    tracker.data(4, 1)

    response = get(qtbot, server, "/healthz")

    assert response.status_code == 200
    assert response.headers["Connection"] == "close"
    body = response.json()
    assert body["state"] == "live" and body["version"] == 4 and body["items"] == 1
    assert body["stale"] is False and body["app_version"] == __version__
    assert body["counters"]["disconnects"] == 1
    assert len(body["content_hash"]) == 64
    assert 0 <= body["age_seconds"] < 5


def test_healthz_is_503_when_data_are_stale(
    qtbot: Any, server: HealthServer, tracker: StatusTracker
) -> None:
    tracker.attempt_failed("refused")
    tracker.polled(False, "connection failed")

    response = get(qtbot, server, "/healthz")

    assert response.status_code == 503
    assert response.json()["stale"] is True


def test_metrics_parse_when_scraped(qtbot: Any, server: HealthServer) -> None:
    response = get(qtbot, server, "/metrics")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    lines = response.text.splitlines()
    assert all(line.startswith("#") or SAMPLE.match(line) for line in lines), response.text
    assert 'dashboard_disconnects_total{reason="transport_error"} 1' in lines
    assert "dashboard_schedule_items 1" in lines
    assert "dashboard_schedule_version 4" in lines


def test_answers_404_when_path_is_unknown(qtbot: Any, server: HealthServer) -> None:
    assert get(qtbot, server, "/nope").status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "HEAD"])
def test_answers_405_when_method_is_not_get(qtbot: Any, server: HealthServer, method: str) -> None:
    response = get(qtbot, server, "/healthz", method)

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


def test_answers_400_when_request_line_is_garbage(qtbot: Any, server: HealthServer) -> None:
    assert raw(qtbot, server, b"hello\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_closes_without_answer_when_request_is_too_large(qtbot: Any, server: HealthServer) -> None:
    huge = b"GET /healthz HTTP/1.1\r\nX-Fill: " + b"a" * 20_000 + b"\r\n\r\n"

    assert raw(qtbot, server, huge) == b""


def test_closes_without_answer_when_request_is_too_slow(
    qtbot: Any, server: HealthServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health_module, "READ_TIMEOUT", 0.2)

    assert raw(qtbot, server, b"GET /healthz HTTP/1.1\r\n") == b""  # never finishes its head


def test_logs_unavailable_when_port_is_taken(
    qtbot: Any, server: HealthServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    other = HealthServer("127.0.0.1", server.port, server._source)

    assert not run(qtbot, other.listen())

    [record] = [r for r in caplog.records if getattr(r, "event", None) == "health_unavailable"]
    assert record.fields["port"] == server.port  # type: ignore[attr-defined]
    run(qtbot, other.stop())
