"""End to end: ``--demo --health-port N`` serves /healthz and /metrics on 127.0.0.1."""

from __future__ import annotations

import socket
import time
from typing import Any

import requests

from tests.end2end.conftest import StartApp

STARTUP_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthz(port: int) -> tuple[int, dict[str, Any]]:
    response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    return response.status_code, response.json()


def test_healthz_reports_live_and_logged_version_when_demo_runs(start_app: StartApp) -> None:
    port = _free_port()
    app = start_app("--demo", "--health-port", str(port))

    listening = app.wait_for("health_listening", timeout=STARTUP_S)
    app.wait_for("state_changed", timeout=STARTUP_S, state="live")
    app.wait_for("poll", timeout=10, reason="connect")  # the resync after connecting
    deadline = time.monotonic() + 10
    code, body = _healthz(port)
    while body["state"] != "live" or body["stale"]:  # each try waits on the network only
        assert time.monotonic() < deadline, body
        code, body = _healthz(port)

    assert listening["host"] == "127.0.0.1" and listening["port"] == port
    assert code == 200
    assert app.wait_for("schedule_applied", timeout=10, version=body["version"])
    assert body["items"] > 0 and len(body["content_hash"]) == 64
    metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert metrics.status_code == 200
    assert 'dashboard_state{state="live"} 1' in metrics.text.splitlines()
    assert app.terminate(timeout=5) == 0
    assert not app.errors()


def test_logs_health_unavailable_and_runs_on_when_port_is_taken(start_app: StartApp) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        app = start_app("--demo", "--health-port", str(port))

        unavailable = app.wait_for("health_unavailable", timeout=STARTUP_S)
        app.wait_for("state_changed", timeout=STARTUP_S, state="live")

    assert unavailable["port"] == port and unavailable["error"]
    assert app.terminate(timeout=5) == 0
