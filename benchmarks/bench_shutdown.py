"""Shutdown time while a REST fetch and a Socket.IO connect attempt both hang (issue 5: < 2 s).

Runs the app (``python -m dashboard_desktop``, offscreen, JSON log) N times against a loopback
server that accepts connections and never answers, waits until both the REST request and the
websocket handshake have arrived, sends SIGTERM and measures, per run, the time from
``app_stopping`` to ``app_stopped`` in the app's log and from the signal to the process's exit.
Prints one JSON object: the medians, the target and every run.

    python benchmarks/bench_shutdown.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers

from tests.end2end.app_process import AppProcess
from tests.end2end.conftest import SilentServer
from tests.end2end.test_shutdown import HUNG, STARTUP_S, log_time

TARGET_S = 2.0
SHUTDOWN_TIMEOUT_S = 30.0


def one_run(home: Path) -> dict[str, float]:
    """Start the app against a silent server, SIGTERM it once both requests hang; time it."""
    server = SilentServer()
    app = AppProcess(home / "logs", "--server-url", server.url, *HUNG)
    try:
        app.start()
        server.wait_for_request("GET /api/dashboard/schedule?", timeout=STARTUP_S)
        server.wait_for_request("GET /socket.io/", timeout=STARTUP_S)
        sent = time.time()
        code = app.terminate(SHUTDOWN_TIMEOUT_S)
        exited = time.time() - sent
        if code != 0:
            raise RuntimeError(f"exit status {code}")
        stopping = app.wait_for("app_stopping", timeout=0)
        stopped = app.wait_for("app_stopped", timeout=0)
        return {"log_s": log_time(stopped) - log_time(stopping), "signal_to_exit_s": exited}
    finally:
        app.kill()
        server.close()


def main() -> int:
    """Run the benchmark; print the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    runs = []
    for index in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="bench-shutdown-") as home:
            runs.append(one_run(Path(home)))
        print(f"[bench] run {index + 1}/{args.runs}: {runs[-1]}", file=sys.stderr, flush=True)
    medians = {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}
    result = {
        "machine": platform.platform(),
        "command": " ".join([sys.executable, *sys.argv]),
        "runs": args.runs,
        "median": medians,
        "max_signal_to_exit_s": round(max(r["signal_to_exit_s"] for r in runs), 3),
        "target_s": TARGET_S,
        "pass": medians["signal_to_exit_s"] < TARGET_S,
        "each": [{key: round(value, 3) for key, value in r.items()} for r in runs],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
