"""Shutdown is clean and quick while a REST fetch and a Socket.IO connect attempt both hang.

The backend is a loopback server that accepts every connection and never answers (fixture
``silent_server``); the timeouts are long, so nothing ends by itself. SIGTERM must end the app
with status 0 and ``app_stopped``. The duration is measured from the log (``app_stopping`` to
``app_stopped``) and from the signal; the < 2 s target is measured by
``benchmarks/bench_shutdown.py`` (median of N runs), not asserted here, where the bound is
generous so that a loaded CI machine does not fail the test.
"""

from __future__ import annotations

import time
from datetime import datetime

from tests.end2end.app_process import Record
from tests.end2end.conftest import SilentServer, StartApp

STARTUP_S = 30.0
SHUTDOWN_S = 30.0  # generous: the figure itself comes from the benchmark
HUNG = ("--request-timeout", "600", "--connect-timeout", "600", "--no-offline-cache")


def log_time(record: Record) -> float:
    """The record's ``ts`` as seconds since the epoch."""
    return datetime.fromisoformat(record["ts"].replace("Z", "+00:00")).timestamp()


def test_exits_zero_and_logs_app_stopped_when_signalled_while_fetch_and_connect_hang(
    start_app: StartApp, silent_server: SilentServer
) -> None:
    app = start_app("--server-url", silent_server.url, *HUNG)
    silent_server.wait_for_request("GET /api/dashboard/schedule?", timeout=STARTUP_S)
    silent_server.wait_for_request("GET /socket.io/", timeout=STARTUP_S)
    assert app.running

    sent = time.time()
    code = app.terminate(SHUTDOWN_S)  # raises TimeoutExpired (and kills) when it hangs

    assert code == 0
    stopping = app.wait_for("app_stopping", timeout=0)
    stopped = app.wait_for("app_stopped", timeout=0)
    in_log = log_time(stopped) - log_time(stopping)
    print(f"shutdown: {in_log:.3f} s in the log, {log_time(stopped) - sent:.3f} s from SIGTERM")
    assert 0 <= in_log < SHUTDOWN_S
    assert not app.events("schedule_applied")
    assert app.errors() == []
