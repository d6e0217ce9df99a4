"""Take a real screenshot of ``dashboard-desktop --demo`` on an X display (e.g. Xvfb).

Usage (from the repository root, with the package installed)::

    xvfb-run -a -s "-screen 0 1200x700x24" python scripts/screenshot.py docs/screenshot-demo.png

The app runs as a subprocess with a JSON log; once it is Live with rows on screen, this script
grabs the whole X screen with Qt (what a person would see) and saves it as PNG.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

_TIMEOUT = 30.0


def _wait_live(proc: subprocess.Popen[str]) -> None:
    assert proc.stderr is not None
    live = applied = False
    deadline = time.monotonic() + _TIMEOUT
    for line in proc.stderr:
        if time.monotonic() > deadline:
            break
        try:
            record = json.loads(line)
        except ValueError:
            continue
        live = live or (record.get("event") == "state_changed" and record.get("state") == "live")
        applied = applied or record.get("event") == "schedule_applied"
        if live and applied and record.get("source") == "socket":
            return
    raise SystemExit("the app did not go live with pushed updates in time")


def main() -> int:
    """Start the app, wait for Live plus one pushed update, grab the screen."""
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-demo.png")
    cmd = [sys.executable, "-m", "dashboard_desktop", "--demo", "--log-format", "json"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        _wait_live(proc)
        app = QGuiApplication([])
        # Let the window finish painting the update. WORKAROUND: calling processEvents() in a
        # loop crashed PySide6 6.12 here ("none_dealloc"), so run the event loop for a second.
        QTimer.singleShot(1000, app.quit)
        app.exec()
        screen = app.primaryScreen()
        pixmap = screen.grabWindow(0)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(target)):
            raise SystemExit(f"could not save {target}")
        print(f"saved {target} ({pixmap.width()}x{pixmap.height()})")
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
