"""Take a real screenshot of the app against the demo backend on an X display (e.g. Xvfb).

Usage (from the repository root, with the package installed)::

    xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshot.py [--kiosk] \\
        [--offline] docs/screenshots/desktop-1920x1080.png

``scripts/screenshots`` takes the whole set (1920x1080 and 1366x768; desktop and kiosk;
normal and offline-stale). The demo backend and the app run as subprocesses (private config,
cache and runtime directories); once the app is Live with a pushed update on screen (and, with
``--offline``, once the backend has been killed and the app says Offline), this script grabs
the app's window (the whole screen for the kiosk) with Qt and saves it as PNG.

The demo's day runs from 06:00 to 22:00 local time, so both processes get a time zone (``TZ``,
a whole-hour ``Etc/GMT`` zone) in which it is about ``--local-hour`` now (default 10:30): the
pictures show a working day whenever they are taken.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

_TIMEOUT = 30.0
Record = dict[str, Any]


def _records(stream: IO[str]) -> Any:
    for line in stream:
        try:
            yield json.loads(line)
        except ValueError:
            continue


def _wait(stream: IO[str], done: Callable[[Record], bool], what: str) -> Record:
    deadline = time.monotonic() + _TIMEOUT
    for record in _records(stream):  # JSON objects
        if done(record):
            return dict(record)
        if time.monotonic() > deadline:
            break
    raise SystemExit(f"the app did not {what} in time")


def _start_demo(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "dashboard_desktop.demo", "--port", "0", "--items", "60"]
    cmd += ["--rate", "0.5", "--seed", "1"]
    demo = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    assert demo.stdout is not None
    line = demo.stdout.readline().strip()
    if not line.startswith("listening on "):
        raise SystemExit(f"demo server said {line!r}")
    return demo, line.removeprefix("listening on ")


def _time_zone(local_hour: float) -> str:
    """The ``Etc/GMT`` zone in which the time now is closest to ``local_hour``."""
    now = datetime.now(UTC)
    offset = round(local_hour - (now.hour + now.minute / 60))
    offset = (offset + 12) % 24 - 12  # -12 .. +11 hours from UTC
    return f"Etc/GMT{-offset:+d}"  # POSIX sign: Etc/GMT-11 is 11 hours ahead of UTC


def _grab(target: Path, geometry: list[int] | None) -> None:
    app = QGuiApplication([])
    # Let the window finish painting. WORKAROUND: calling processEvents() in a loop crashed
    # PySide6 6.12 here ("none_dealloc"), so run the event loop for a second.
    QTimer.singleShot(1000, app.quit)
    app.exec()
    screen = app.primaryScreen()
    pixmap = screen.grabWindow(0, *(geometry or []))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(target)):
        raise SystemExit(f"could not save {target}")
    print(f"saved {target} ({pixmap.width()}x{pixmap.height()})")


def main() -> int:
    """Start the demo and the app, bring the app to the wanted state, grab it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--kiosk", action="store_true")
    parser.add_argument("--offline", action="store_true", help="kill the backend first")
    parser.add_argument("--local-hour", type=float, default=10.5, help="time of day shown")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="screenshot-"))
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "c"), XDG_CACHE_HOME=str(home / "k"))
    env["XDG_RUNTIME_DIR"] = str(home)
    env["TZ"] = _time_zone(args.local_hour)
    demo, url = _start_demo(env)
    cmd = [sys.executable, "-m", "dashboard_desktop", "--server-url", url, "--log-format", "json"]
    cmd += ["--poll-interval", "5", "--title", "Warehouse schedule"]
    cmd += ["--kiosk"] if args.kiosk else []
    app = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    assert app.stderr is not None
    try:
        shown = _wait(
            app.stderr,
            lambda r: r.get("event") in ("window_shown", "kiosk_started"),
            "show its window",
        )
        _wait(
            app.stderr,
            lambda r: r.get("event") == "schedule_applied" and r.get("source") == "socket",
            "go live",
        )
        if args.offline:
            demo.kill()
            _wait(
                app.stderr,
                lambda r: r.get("event") == "state_changed" and r.get("state") == "offline",
                "say offline",
            )
        _grab(args.target, None if args.kiosk else shown.get("geometry"))
    finally:
        app.terminate()
        app.wait(10)
        demo.kill()
        demo.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
