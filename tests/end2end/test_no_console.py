"""Started without a console (a Windows gui-scripts launcher has no stderr)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

_SCRIPT = """
import sys
sys.stderr = None
from dashboard_desktop.app import main
sys.exit(main(["--server-url", "http://127.0.0.1:9", "--log-dir", sys.argv[1],
               "--poll-interval", "0.5"]))
"""


def test_runs_and_logs_to_file_when_there_is_no_stderr(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(tmp_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = tmp_path / "dashboard-desktop.log"
    try:
        deadline_ok = _wait_for_line(log, '"event": "poll"', proc)
    finally:
        proc.terminate()
        status = proc.wait(10)
    assert deadline_ok, proc.stderr.read() if proc.stderr else ""
    assert status == 0
    assert (tmp_path / "crash.log").exists()


def _wait_for_line(path: Path, needle: str, proc: subprocess.Popen[str]) -> bool:
    """Follow ``path`` until a line contains ``needle`` (or the process ends, or 20 s pass)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and needle in path.read_text(encoding="utf-8"):
            return True
        time.sleep(0.05)  # polling a file the app writes; no signal to wait on
    return False
