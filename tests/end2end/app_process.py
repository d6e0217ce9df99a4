"""Run Dashboard Desktop as a subprocess and follow its JSON log (qutebrowser-style end2end).

    app = AppProcess(tmp_path / "logs", "--demo")
    app.start()
    app.wait_for("state_changed", timeout=20, state="live")
    assert app.terminate(timeout=2) == 0

The application runs as ``python -m dashboard_desktop --log-format json --log-dir DIR ...``
with ``QT_QPA_PLATFORM=offscreen``, no ``DASHBOARD_*`` variables inherited from the caller and
a private ``XDG_CONFIG_HOME`` (so a user's config file never leaks in). A background thread
reads stderr: every line that is a JSON object goes to a queue of records, anything else (Qt
plugin warnings, a traceback) is kept in :attr:`AppProcess.other_lines`. :meth:`wait_for`
blocks on that queue until a deadline; nothing here sleeps for a fixed time.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

LOG_FILE_NAME = "dashboard-desktop.log"
START_TIMEOUT_S = 30.0
RUN_TIMEOUT_S = 30.0
_TAIL = 25
_CRASH_MARKERS = ("Traceback", "Fatal Python error")

Record = dict[str, Any]
Matcher = object | Callable[[Any], bool]


class AppExitedError(AssertionError):
    """The application exited while a test was waiting for one of its log events."""


class WaitTimeoutError(AssertionError):
    """A log event did not appear before the deadline."""


def app_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the application: ours minus ``DASHBOARD_*``, offscreen Qt.

    Args:
        home: A private directory; ``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME`` and
            ``XDG_RUNTIME_DIR`` point into it, so the machine's config file, offline cache,
            remembered layout and single-instance locks are never used; the keyring is the
            null backend, so a developer's real keyring is never touched.
        extra: Variables to add, e.g. ``{"DASHBOARD_POLL_INTERVAL": "abc"}``.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASHBOARD_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        XDG_RUNTIME_DIR=str(_runtime_dir(home)),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra or {})
    return env


def _runtime_dir(home: Path) -> Path:
    path = home / "xdg-runtime"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def command(*args: str) -> list[str]:
    """The command line that runs the application with ``args``."""
    return [sys.executable, "-m", "dashboard_desktop", *args]


def run_app(
    *args: str,
    home: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    """Run the application to completion (``--help``, ``--version``, a bad setting)."""
    return subprocess.run(
        command(*args),
        env=app_env(home, env),
        cwd=home,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def matches(record: Mapping[str, Any], event: str, fields: Mapping[str, Matcher]) -> bool:
    """True if ``record`` is ``event`` and every field equals (or satisfies) its matcher.

    A matcher that is callable is a predicate on the field's value; a field missing from the
    record never matches.
    """
    if record.get("event") != event:
        return False
    for name, expected in fields.items():
        if name not in record:
            return False
        value = record[name]
        if callable(expected):
            if not expected(value):
                return False
        elif value != expected:
            return False
    return True


def read_json_lines(path: Path) -> list[Record]:
    """Parse every line of a JSON-lines file (raises on a line that is not JSON)."""
    with path.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file]


class AppProcess:
    """The application as a subprocess whose stderr is a JSON log.

    Args:
        log_dir: The ``--log-dir``; its parent directory serves as private home and cwd.
        *args: More command-line arguments, e.g. ``"--demo"``.
        env: Extra environment variables.
    """

    def __init__(self, log_dir: Path, *args: str, env: Mapping[str, str] | None = None) -> None:
        self.log_dir = log_dir
        self.home = log_dir.parent
        self.args: Sequence[str] = ("--log-format", "json", "--log-dir", str(log_dir), *args)
        self.env = app_env(self.home, env)
        self.proc: subprocess.Popen[str] | None = None
        self.started_at = 0.0  # time.time() just before the process was started
        self.records: list[Record] = []
        self.other_lines: list[str] = []
        self.stderr_lines: list[str] = []
        self.stdout_lines: list[str] = []
        self._queue: queue.Queue[Record | None] = queue.Queue()
        self._matched: set[int] = set()
        self._eof = False
        self._threads: list[threading.Thread] = []

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the application (returns at once; use :meth:`wait_for`)."""
        self.started_at = time.time()
        self.proc = subprocess.Popen(
            command(*self.args),
            env=self.env,
            cwd=self.home,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for name, target, stream in (
            ("stderr", self._read_stderr, self.proc.stderr),
            ("stdout", self._read_stdout, self.proc.stdout),
        ):
            thread = threading.Thread(
                target=target, args=(stream,), name=f"app-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def log_file(self) -> Path:
        return self.log_dir / LOG_FILE_NAME

    def send_signal(self, number: int, timeout: float) -> int:
        """Send ``number`` and wait up to ``timeout`` s for the exit; return the exit status.

        Raises:
            subprocess.TimeoutExpired: The application did not exit in time (it is killed).
        """
        assert self.proc is not None, "not started"
        if self.proc.poll() is None:
            self.proc.send_signal(number)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self._finish_reading()
        return code

    def terminate(self, timeout: float = 2.0) -> int:
        """SIGTERM, then wait up to ``timeout`` s; return the exit status (see send_signal)."""
        return self.send_signal(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """Kill the application if it still runs (teardown); idempotent."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._finish_reading()

    # -- the log ----------------------------------------------------------------------------

    def wait_for(self, event: str, timeout: float = 10.0, **fields: Matcher) -> Record:
        """Return the first record of ``event`` with ``fields`` not returned before.

        Records already read are searched first, so the order of two ``wait_for`` calls need
        not be the order of the lines. Each record is returned at most once.

        Raises:
            WaitTimeoutError: No such record within ``timeout`` seconds.
            AppExitedError: The application exited (its stderr ended) without logging it.
        """
        for index, record in enumerate(self.records):
            if index not in self._matched and matches(record, event, fields):
                self._matched.add(index)
                return record
        deadline = time.monotonic() + timeout
        while True:
            if self._eof:
                raise AppExitedError(self._describe(f"exited before logging {event} {fields}"))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(self._describe(f"no {event} {fields} within {timeout:g} s"))
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self._eof = True
                continue
            self.records.append(line)
            if matches(line, event, fields):
                self._matched.add(len(self.records) - 1)
                return line

    def events(self, event: str, **fields: Matcher) -> list[Record]:
        """Every record of ``event`` with ``fields`` read so far (does not block)."""
        self._drain_queue()
        return [record for record in self.records if matches(record, event, fields)]

    def errors(self) -> list[str]:
        """Records at ERROR or CRITICAL and lines that look like a traceback, read so far."""
        self._drain_queue()
        found = [
            json.dumps(record)
            for record in self.records
            if record.get("level") in ("ERROR", "CRITICAL") or "exc" in record
        ]
        found += [line for line in self.other_lines if line.startswith(_CRASH_MARKERS)]
        return found

    def stderr_text(self) -> str:
        """All of stderr read so far, JSON and other lines, as written."""
        return "\n".join(self.stderr_lines)

    # -- internals --------------------------------------------------------------------------

    def _read_stderr(self, stream: IO[str]) -> None:
        with stream:
            for raw in stream:
                line = raw.rstrip("\r\n")
                self.stderr_lines.append(line)
                record = _parse(line)
                if record is None:
                    self.other_lines.append(line)
                else:
                    self._queue.put(record)
        self._queue.put(None)

    def _read_stdout(self, stream: IO[str]) -> None:
        with stream:
            for raw in stream:
                self.stdout_lines.append(raw.rstrip("\r\n"))

    def _finish_reading(self) -> None:
        for thread in self._threads:
            thread.join(10)
        self._drain_queue()

    def _drain_queue(self) -> None:
        while True:
            try:
                record = self._queue.get_nowait()
            except queue.Empty:
                return
            if record is None:
                self._eof = True
            else:
                self.records.append(record)

    def _describe(self, problem: str) -> str:
        code = None if self.proc is None else self.proc.poll()
        tail = "\n".join(self.stderr_lines[-_TAIL:])
        return f"dashboard_desktop {problem} (exit status {code}); stderr tail:\n{tail}"


def _parse(line: str) -> Record | None:
    if not line.startswith("{"):
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
