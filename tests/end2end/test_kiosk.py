"""End-to-end: ``dashboard-desktop --kiosk --demo`` on two offscreen screens, via its JSON log.

The offscreen platform takes a JSON file of screens (``-platform offscreen:configfile=...``,
here through ``QT_QPA_PLATFORM``), so the kiosk's choice of screen is seen for real.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.end2end.app_process import run_app
from tests.end2end.conftest import StartApp

STARTUP_S = 30.0
SHUTDOWN_S = 2.0
SCREENS = {
    "screens": [
        {"name": "LEFT", "x": 0, "y": 0, "width": 1280, "height": 720},
        {"name": "WALL", "x": 1280, "y": 0, "width": 1920, "height": 1080},
    ]
}
for _screen in SCREENS["screens"]:
    _screen.update(logicalDpi=96, logicalBaseDpi=96, dpr=1)


def _two_screens(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS), encoding="utf-8")
    return {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}


def test_kiosk_is_full_screen_frameless_on_named_screen_and_goes_live_when_demo(
    start_app: StartApp, tmp_path: Path
) -> None:
    app = start_app("--kiosk", "--demo", "--kiosk-screen", "wall", env=_two_screens(tmp_path))

    started = app.wait_for("kiosk_started", timeout=STARTUP_S)
    app.wait_for("state_changed", timeout=STARTUP_S, state="live")
    app.wait_for("schedule_applied", timeout=10, source="rest")

    assert started["screen"] == "WALL"
    assert started["geometry"] == [1280, 0, 1920, 1080]
    assert started["full_screen"] is True
    assert started["frameless"] is True
    assert started["row_height"] == round(1080 / 20)
    assert app.terminate(timeout=SHUTDOWN_S) == 0
    app.wait_for("kiosk_stopped", timeout=1)
    assert app.errors() == []


def test_kiosk_uses_primary_screen_and_says_so_when_screen_is_missing(
    start_app: StartApp, tmp_path: Path
) -> None:
    app = start_app("--kiosk", "--demo", "--kiosk-screen", "HDMI-9", env=_two_screens(tmp_path))

    missing = app.wait_for("kiosk_screen_missing", timeout=STARTUP_S)
    started = app.wait_for("kiosk_started", timeout=STARTUP_S)

    assert missing["wanted"] == "HDMI-9"
    assert missing["screens"] == ["LEFT", "WALL"]
    assert started["screen"] == "LEFT"
    assert started["geometry"] == [0, 0, 1280, 720]
    assert app.terminate(timeout=SHUTDOWN_S) == 0


def test_exits_with_status_2_naming_the_setting_when_exit_keys_are_invalid(
    tmp_path: Path,
) -> None:
    result = run_app("--kiosk", "--kiosk-exit-keys", "Ctrl+Foo", home=tmp_path)

    assert result.returncode == 2
    assert "kiosk_exit_keys" in result.stderr
    assert "Ctrl+Foo" in result.stderr
