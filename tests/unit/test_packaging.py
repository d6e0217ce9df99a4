"""Packaging: the wheel carries every resource, one version everywhere, the bundle's spec.

The wheel itself is built by ``test_wheel_carries_every_resource`` (a few seconds: pip builds it
from a copy of the source tree in a temporary folder); the PyInstaller bundle is built and run
by ``.ci/run`` (``scripts/build_bundle``, ``packaging/smoke_test.py``), not here.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

import dashboard_desktop
from dashboard_desktop import __version__

REPO = Path(__file__).resolve().parents[2]
RESOURCES = REPO / "resources"
SPEC = REPO / "packaging" / "dashboard-desktop.spec"
_NOT_DATA = ("__pycache__",)


def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def resource_files() -> list[str]:
    """Every data file under resources/, relative, with "/" (modules and caches left out)."""
    return sorted(
        path.relative_to(RESOURCES).as_posix()
        for path in RESOURCES.rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and not any(part in _NOT_DATA for part in path.parts)
    )


def spec_list(name: str) -> list[str]:
    """The literal list assigned to ``name`` at the top level of the PyInstaller spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(item) for item in value]
    raise AssertionError(f"{SPEC.name} assigns no list to {name}")


def test_every_resource_file_is_matched_by_package_data() -> None:
    patterns = pyproject()["tool"]["setuptools"]["package-data"]["dashboard_desktop.resources"]
    files = resource_files()
    assert "icon.svg" in files and "theme.qss" in files
    unmatched = [name for name in files if not any(fnmatch.fnmatch(name, p) for p in patterns)]
    assert not unmatched, (
        f"{unmatched} under resources/ would be left out of the wheel: add a pattern to "
        "[tool.setuptools.package-data] in pyproject.toml"
    )


def test_version_is_defined_once_in_the_package() -> None:
    project = pyproject()
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "dashboard_desktop.__version__"
    }
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc)?\d*", __version__)


def test_installed_metadata_has_the_package_version() -> None:
    assert importlib.metadata.version("dashboard-desktop") == __version__, (
        "the installed metadata is out of date: reinstall the project (pip install -e .)"
    )


def test_version_option_prints_the_package_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"dashboard-desktop {__version__}"


def test_installed_command_prints_the_package_version() -> None:
    script = shutil.which("dashboard-desktop", path=str(Path(sys.executable).parent))
    assert script is not None, "the dashboard-desktop command is not installed beside python"
    done = subprocess.run(
        [script, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"dashboard-desktop {__version__}"


def test_wheel_carries_every_resource(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "venv",
            "build",
            "dist",
            "node_modules",
            ".*cache*",
            ".hypothesis",
            "__pycache__",
            "*.egg-info",
        ),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            "wheels",
            str(source),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "wheels").glob("dashboard_desktop-*.whl")
    assert wheel.name.startswith(f"dashboard_desktop-{__version__}-py3-none-any")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(
            f"dashboard_desktop-{__version__}.dist-info/entry_points.txt"
        ).decode()
    missing = [
        name for name in resource_files() if f"dashboard_desktop/resources/{name}" not in names
    ]
    assert not missing, f"the wheel lacks {missing}"
    assert "dashboard_desktop/resources/__init__.py" in names
    assert "[gui_scripts]\ndashboard-desktop = dashboard_desktop.app:main" in entry_points
    assert not [name for name in names if name.startswith(("tests/", "packaging/"))]


def test_spec_hidden_imports_exist() -> None:
    missing = [
        name for name in spec_list("hiddenimports") if importlib.util.find_spec(name) is None
    ]
    assert not missing


def test_spec_hidden_imports_have_the_demo_servers_async_driver() -> None:
    """The demo backend's engineio driver is loaded by name: the spec must list it."""
    server = (REPO / "dashboard_desktop" / "demo" / "server.py").read_text(encoding="utf-8")
    modes = set(re.findall(r'async_mode="(\w+)"', server))
    assert modes, "the demo server no longer names its async_mode"
    for mode in modes:
        assert f"engineio.async_drivers.{mode}" in spec_list("hiddenimports")


@pytest.mark.parametrize(
    "module",
    [
        "PySide6.QtCore",
        "PySide6.QtGui",
        "PySide6.QtWidgets",
        "PySide6.QtNetwork",
        "PySide6.QtDBus",
    ],
)
def test_spec_keeps_the_qt_modules_the_app_uses(module: str) -> None:
    assert module not in spec_list("excludes")


def test_spec_excludes_no_qt_module_the_package_imports() -> None:
    package = Path(dashboard_desktop.__file__).parent
    imported = set()
    for path in package.rglob("*.py"):
        imported |= set(re.findall(r"\b(PySide6\.Qt\w+)", path.read_text(encoding="utf-8")))
    assert imported, "no PySide6 module found in the package"
    assert not imported & set(spec_list("excludes"))


def test_build_output_is_ignored_by_git() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "/build/" in ignored
    assert "/dist/" in ignored
