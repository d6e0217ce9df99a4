"""Linux desktop integration and kiosk deployment files (packaging/): consistent and valid.

The validators (``desktop-file-validate`` from Debian's ``desktop-file-utils``,
``appstreamcli`` from ``appstream``, ``systemd-analyze`` from ``systemd``) run when installed;
where one is missing the test is skipped, except under CI (``CI`` set), where it fails: CI
installs them (``.ci/run``).
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtGui import QImage

from dashboard_desktop import __version__
from dashboard_desktop.config import load_settings_with_sources

REPO = Path(__file__).resolve().parents[2]
APP_ID = "io.github.dashboard_desktop.DashboardDesktop"
LINUX = REPO / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
KIOSK = REPO / "packaging" / "kiosk"
AUTOSTART = KIOSK / "dashboard-desktop-kiosk.desktop"
UNIT = REPO / "packaging" / "systemd" / "dashboard-desktop-kiosk.service"
TIMER = REPO / "packaging" / "systemd" / "dashboard-desktop-kiosk-retry.timer"
PROJECT_URL = "https://github.com/dashboard-desktop/dashboard-desktop"
RAW_URL = "https://raw.githubusercontent.com/dashboard-desktop/dashboard-desktop/main/"


def gui_script() -> str:
    """The command the package installs (pyproject.toml's only GUI script)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (name,) = pyproject["project"]["gui-scripts"]
    return str(name)


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def unit_settings(path: Path) -> dict[str, list[str]]:
    """``"Section.Key"`` -> every value (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return found


def require_tool(name: str, package: str) -> str:
    """The tool's path; skip without it, but fail under CI (which installs ``package``)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} not installed (Debian package {package})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must install it (.ci/run)")
        pytest.skip(message)
    return path


def run(*command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=60, env=env
    )


def render_icons() -> ModuleType:
    """``scripts/render_icons.py`` as a module."""
    spec = importlib.util.spec_from_file_location("render_icons", REPO / "scripts/render_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the desktop file --------------------------------------------------------------------------


def test_desktop_file_launches_the_installed_command_when_parsed() -> None:
    entry = desktop_entry(DESKTOP_FILE)
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == gui_script()
    assert entry["TryExec"] == gui_script()
    assert entry["Icon"] == APP_ID
    assert "Office" in entry["Categories"].split(";")
    assert entry["Terminal"] == "false"


def test_desktop_file_matches_the_window_class_and_app_id_when_the_app_runs() -> None:
    # X11 matches windows by WM_CLASS (Qt: the application name), Wayland by the app id
    # (Qt: QGuiApplication.desktopFileName), both set in app.py's _describe_application.
    entry = desktop_entry(DESKTOP_FILE)
    app_source = (REPO / "dashboard_desktop" / "app.py").read_text(encoding="utf-8")
    assert f'setApplicationName("{entry["StartupWMClass"]}")' in app_source
    assert f'setDesktopFileName("{APP_ID}")' in app_source


def test_desktop_files_are_valid_when_desktop_file_validate_checks_them() -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    for path in (DESKTOP_FILE, AUTOSTART):
        result = run(tool, str(path))
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == "", result.stdout  # warnings too


# -- the AppStream metainfo --------------------------------------------------------------------


def test_metainfo_names_the_app_id_launchable_icon_and_binary_when_parsed() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert root.findtext("icon[@type='stock']") == APP_ID
    assert root.findtext("provides/binary") == gui_script()
    assert root.find("content_rating") is not None


def test_metainfo_lists_the_package_version_when_it_is_released() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases and releases[0].get("version") == __version__


def test_metainfo_urls_point_at_the_project_and_existing_screenshots_when_parsed() -> None:
    root = ET.parse(METAINFO).getroot()
    assert {url.text for url in root.iter("url")} <= {PROJECT_URL, f"{PROJECT_URL}/issues"}
    images = [image.text or "" for image in root.iter("image")]
    assert images
    for image in images:
        assert image.startswith(RAW_URL), image
        assert (REPO / image.removeprefix(RAW_URL)).is_file(), image


def test_metainfo_is_valid_when_appstreamcli_checks_it() -> None:
    tool = require_tool("appstreamcli", "appstream")
    result = run(tool, "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


# -- the icons ---------------------------------------------------------------------------------


def test_icons_exist_at_every_size_when_committed() -> None:
    icons = render_icons()
    for relative, size in icons.icon_files().items():
        path = icons.THEME / relative
        assert path.is_file(), f"{relative} missing: run python scripts/render_icons.py"
        if size is not None:
            image = QImage(str(path))
            assert (image.width(), image.height()) == (size, size), relative
            assert image.hasAlphaChannel(), relative
    assert icons.THEME == LINUX / "icons" / "hicolor"
    assert icons.APP_ID == APP_ID


def test_icons_are_the_current_rendering_when_the_svg_is_rendered_again(
    qapp: Any, tmp_path: Path
) -> None:
    icons = render_icons()
    icons.write_icons(tmp_path)
    assert icons.differences(icons.THEME, tmp_path) == [], "run python scripts/render_icons.py"


# -- kiosk deployment --------------------------------------------------------------------------


def test_unit_restarts_always_and_is_watched_when_parsed() -> None:
    unit = unit_settings(UNIT)
    assert unit["Service.Type"] == ["notify"]
    assert unit["Service.NotifyAccess"] == ["all"]
    assert unit["Service.Restart"] == ["always"]
    assert int(unit["Service.WatchdogSec"][0]) >= 10
    assert unit["Service.RestartSec"]
    assert unit["Service.ExecStart"] == [f"%h/.local/bin/{gui_script()} --kiosk"]
    assert unit["Unit.StartLimitIntervalSec"] and unit["Unit.StartLimitBurst"]
    assert unit_settings(TIMER)["Timer.Unit"] == [UNIT.name]


def test_units_are_valid_when_systemd_analyze_verifies_them(tmp_path: Path) -> None:
    tool = require_tool("systemd-analyze", "systemd")
    home = tmp_path / "home"  # %h: ExecStart must exist and be executable
    command = home / ".local" / "bin" / gui_script()
    command.parent.mkdir(parents=True)
    command.write_text("#!/bin/sh\n", encoding="utf-8")
    command.chmod(0o755)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}

    result = run(tool, "verify", "--user", str(UNIT), str(TIMER), env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (result.stdout + result.stderr).strip() == ""  # it warns of unknown keys with 0


def test_autostart_entry_starts_the_kiosk_when_parsed() -> None:
    entry = desktop_entry(AUTOSTART)
    assert entry["Exec"] == f"{gui_script()} --kiosk"
    assert entry["Icon"] == APP_ID
    assert entry["NoDisplay"] == "true"


def test_example_config_is_a_complete_kiosk_when_the_app_loads_it() -> None:
    loaded = load_settings_with_sources(["--config", str(KIOSK / "config.toml")], env={})
    settings = loaded.settings
    assert settings.kiosk
    assert settings.health_port
    assert not settings.token
    for name in ("server_url", "namespace", "kiosk_screen", "page_interval", "title", "theme"):
        assert loaded.sources[name].startswith("config file"), name


def test_session_script_is_valid_shell_when_checked() -> None:
    script = KIOSK / "dashboard-desktop-kiosk-session"
    assert os.access(script, os.X_OK)
    assert run("sh", "-n", str(script)).returncode == 0
    assert UNIT.name in script.read_text(encoding="utf-8")


def test_kiosk_recipe_shows_the_example_config_when_documented() -> None:
    example = (KIOSK / "config.toml").read_text(encoding="utf-8").splitlines()
    body = "\n".join(
        example[next(i for i, line in enumerate(example) if not line.startswith("#")) :]
    )
    recipe = (REPO / "docs" / "kiosk.md").read_text(encoding="utf-8")
    assert f"```toml\n{body.strip()}\n```" in recipe, "docs/kiosk.md step 3 != config.toml"
