"""Smoke test of the built one-folder bundle: it starts, goes Live and stops cleanly.

Usage (from the project folder, after ``scripts/build_bundle``)::

    python3 packaging/smoke_test.py [--bundle dist/dashboard-desktop] [--timeout 60]
    python3 packaging/smoke_test.py --program ~/.local/bin/dashboard-desktop  # e.g. from pipx

Checks, in order; the first that fails ends the test with exit status 1 and one paragraph
saying what was expected, with the tail of the program's output:

1. (Not with ``--program``.) The bundle has its program, the app's resources (icon.svg,
   theme.qss), Qt's SVG icon and image plugins and the xcb, wayland and offscreen platforms,
   and none of the Qt modules it excludes (QML, Quick, PDF, WebEngine ...).
2. ``dashboard-desktop --version`` prints ``dashboard-desktop <version>``, the version of
   ``dashboard_desktop/__init__.py`` in this source tree, and exits with status 0.
3. ``dashboard-desktop --demo --log-format json`` runs offscreen with private XDG folders and
   the null keyring, and its JSON log on stderr says ``state_changed`` to ``live`` within
   ``--timeout`` seconds (its demo backend served the schedule over Socket.IO).
4. After SIGTERM it exits with status 0 within 15 s, having logged ``app_stopped``, with no
   ``ERROR`` or ``CRITICAL`` record and no traceback; its log file has ``app_stopped`` too.

Standard library only: it runs with any Python 3.11+, not necessarily the bundle's.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "dashboard-desktop.exe" if sys.platform == "win32" else "dashboard-desktop"
STOP_TIMEOUT_S = 15.0
_TAIL = 30

# Present in every good bundle, relative to its _internal folder (PyInstaller >= 6 layout).
REQUIRED = (
    "dashboard_desktop/resources/icon.svg",
    "dashboard_desktop/resources/theme.qss",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    # Copied from the build machine (its xcb libraries must be installed: .ci/run); a desktop
    # often lacks libxcb-cursor0, without which Qt's xcb platform does not load.
    "libxcb-cursor.so.0",
    "libxkbcommon-x11.so.0",
)
# File name prefixes that must not be anywhere in the bundle (packaging/dashboard-desktop.spec).
FORBIDDEN = (
    "libQt6Qml",
    "libQt6Quick",
    "libQt6Pdf",
    "libQt6WebEngine",
    "libQt6Multimedia",
    "libQt6Designer",
    "libqgtk3",
    "libqpdf",
    "QtQml.",
    "QtQuick.",
    "tkinter",
)


class SmokeTestError(Exception):
    """A check failed; the message says which and why."""


def main(argv: list[str] | None = None) -> int:
    """Run the checks; return 0 when all pass, 1 (after printing why) when one fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "dashboard-desktop")
    parser.add_argument(
        "--program",
        type=Path,
        help="test this installed dashboard-desktop instead of a bundle (no content checks)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to reach Live")
    args = parser.parse_args(argv)
    bundle: Path = args.bundle.resolve()
    program: Path = args.program.absolute() if args.program else bundle / PROGRAM
    started = time.monotonic()
    passed = 0
    seconds = 0.0
    try:
        if args.program is None:
            check_contents(bundle)
            passed += 1
        check_version(program)
        passed += 1
        seconds = check_demo_run(program, args.timeout)
        passed += 2  # Live, then the clean stop
    except SmokeTestError as exc:
        print(f"smoke test FAILED: {exc}", file=sys.stderr)
        print(f"smoke_test: {passed} passed, 1 failed")
        return 1
    what = str(program) if args.program else f"{bundle} ({size_mib(bundle):.0f} MiB)"
    print(
        f"smoke test passed: {what} went Live "
        f"{seconds:.1f} s after start and stopped cleanly on SIGTERM "
        f"({time.monotonic() - started:.1f} s in all)"
    )
    print(f"smoke_test: {passed} passed, 0 failed")  # a closing summary line
    return 0


def source_version() -> str:
    """The ``__version__`` of this source tree (without importing the package)."""
    text = (ROOT / "dashboard_desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if found is None:
        raise SmokeTestError('no __version__ = "..." line in dashboard_desktop/__init__.py')
    return found.group(1)


def size_mib(folder: Path) -> float:
    """The size of the files under ``folder``, in MiB (symlinks not followed)."""
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def check_contents(bundle: Path) -> None:
    """The program, the resources and plugins it needs, and nothing it excludes."""
    if not (bundle / PROGRAM).is_file():
        raise SmokeTestError(f"{bundle / PROGRAM} does not exist: run scripts/build_bundle first")
    internal = bundle / "_internal"
    missing = [name for name in REQUIRED if not (internal / name).exists()]
    if missing:
        raise SmokeTestError(f"the bundle lacks {', '.join(missing)} (under {internal})")
    unwanted = sorted(
        str(path.relative_to(bundle))
        for path in bundle.rglob("*")
        if path.name.startswith(FORBIDDEN)
    )
    if unwanted:
        raise SmokeTestError(
            "the bundle has files the spec excludes (packaging/dashboard-desktop.spec, "
            f"excludes and _UNUSED_QT_FILES): {', '.join(unwanted[:10])}"
        )


def app_env(home: Path) -> dict[str, str]:
    """Our environment less ``DASHBOARD_*``; offscreen, private XDG folders, null keyring."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASHBOARD_")}
    runtime = home / "xdg-runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        XDG_STATE_HOME=str(home / "xdg-state"),
        XDG_RUNTIME_DIR=str(runtime),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONIOENCODING="utf-8",
    )
    return env


def check_version(program: Path) -> None:
    """``--version`` prints the source tree's version and exits with status 0."""
    expected = f"dashboard-desktop {source_version()}"
    with tempfile.TemporaryDirectory(prefix="dd-smoke-") as tmp:
        try:
            done = subprocess.run(
                [str(program), "--version"],
                env=app_env(Path(tmp)),
                cwd=tmp,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise SmokeTestError(f"{program} --version did not exit within 60 s") from exc
    if done.returncode != 0 or done.stdout.strip() != expected:
        raise SmokeTestError(
            f"{program} --version: expected {expected!r} and status 0, got "
            f"{done.stdout.strip()!r} and status {done.returncode}; stderr:\n{done.stderr}"
        )


def check_demo_run(program: Path, timeout: float) -> float:
    """Run ``--demo`` until Live, stop it with SIGTERM; return the seconds it took to be Live."""
    with tempfile.TemporaryDirectory(prefix="dd-smoke-") as tmp:
        home = Path(tmp)
        log_dir = home / "logs"
        app = _App(program, home, log_dir)
        try:
            seconds = app.wait_for_live(timeout)
            status = app.stop()
        finally:
            app.kill()
        records = app.records
        if status != 0:
            raise SmokeTestError(app.describe(f"exited with status {status} after SIGTERM, not 0"))
        if not any(record.get("event") == "app_stopped" for record in records):
            raise SmokeTestError(app.describe("logged no app_stopped on stderr before it exited"))
        errors = [
            json.dumps(record)
            for record in records
            if record.get("level") in ("ERROR", "CRITICAL") or "exc" in record
        ]
        errors += [line for line in app.other_lines if line.startswith("Traceback")]
        if errors:
            raise SmokeTestError(app.describe("logged errors:\n" + "\n".join(errors)))
        log_file = log_dir / "dashboard-desktop.log"
        if not log_file.is_file() or '"app_stopped"' not in log_file.read_text("utf-8"):
            raise SmokeTestError(app.describe(f"{log_file} is missing or has no app_stopped"))
    return seconds


class _App:
    """The bundled program with ``--demo``, its stderr read as JSON lines by a thread."""

    def __init__(self, program: Path, home: Path, log_dir: Path) -> None:
        self.records: list[dict[str, Any]] = []
        self.other_lines: list[str] = []
        self.lines: list[str] = []
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [str(program), "--demo", "--log-format", "json", "--log-dir", str(log_dir)],
            env=app_env(home),
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert self.proc.stderr is not None
        self._reader = threading.Thread(target=self._read, args=(self.proc.stderr,), daemon=True)
        self._reader.start()

    def wait_for_live(self, timeout: float) -> float:
        """Block until ``state_changed`` to ``live``; return the seconds since the start."""
        deadline = self.started + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SmokeTestError(
                    self.describe(f"did not log state_changed to live in {timeout:g} s")
                )
            try:
                record = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if record is None:
                raise SmokeTestError(
                    self.describe("exited before it logged state_changed to live")
                )
            if record.get("event") == "state_changed" and record.get("state") == "live":
                return time.monotonic() - self.started

    def stop(self) -> int:
        """SIGTERM; wait for the exit and the end of stderr; return the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise SmokeTestError(
                self.describe(f"did not exit within {STOP_TIMEOUT_S:g} s of SIGTERM")
            ) from exc
        self._reader.join(10)
        return status

    def kill(self) -> None:
        """Kill the program if it still runs (after a failed check)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def describe(self, problem: str) -> str:
        tail = "\n".join(self.lines[-_TAIL:])
        return (
            f"the bundled dashboard-desktop --demo {problem} (exit status {self.proc.poll()}); "
            f"last {_TAIL} lines of its stderr:\n{tail}"
        )

    def _read(self, stream: IO[str]) -> None:
        with stream:
            for raw in stream:
                line = raw.rstrip("\r\n")
                self.lines.append(line)
                record = _parse(line)
                if record is None:
                    self.other_lines.append(line)
                else:
                    self.records.append(record)
                    self._queue.put(record)
        self._queue.put(None)


def _parse(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


if __name__ == "__main__":
    sys.exit(main())
