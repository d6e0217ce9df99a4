"""Subprocesses for the benchmarks: the demo backend, the app, workers, and /proc readers.

Every child is registered in :data:`CHILDREN` and killed by :func:`kill_children` (called by
``bench.py`` on exit and on SIGTERM/SIGINT). Every wait here has a deadline.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

CHILDREN: list[subprocess.Popen[str]] = []
Record = dict[str, Any]
_CLK_TCK = os.sysconf("SC_CLK_TCK")
_START_TIMEOUT_S = 30.0


class BenchError(RuntimeError):
    """A child did not behave (exited, timed out); the message says what happened."""


def child_env(home: Path) -> dict[str, str]:
    """Our environment minus ``DASHBOARD_*``, offscreen Qt, a private config directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


def spawn(args: Sequence[str], home: Path, stderr: IO[str] | int) -> subprocess.Popen[str]:
    """Start ``python args...`` in ``home`` with :func:`child_env`; registered for cleanup."""
    proc = subprocess.Popen(
        [sys.executable, *args],
        env=child_env(home),
        cwd=home,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    CHILDREN.append(proc)
    return proc


def stop(proc: subprocess.Popen[str], timeout: float = 5.0) -> None:
    """SIGTERM, wait up to ``timeout`` s, then SIGKILL; idempotent."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    if proc in CHILDREN:
        CHILDREN.remove(proc)


def kill_children() -> None:
    """Stop every child still registered."""
    for proc in list(CHILDREN):
        stop(proc, timeout=3.0)


def pss_mib(pid: int) -> float:
    """Proportional set size of ``pid`` in MiB (``Pss:`` of /proc/<pid>/smaps_rollup)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024.0
    raise BenchError(f"no Pss line for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (all its threads) in seconds, from /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def log_time(record: Record) -> float:
    """The wall-clock time (epoch seconds) of a JSON log record's ``ts`` (millisecond UTC)."""
    stamp = str(record["ts"]).replace("Z", "+00:00")
    return datetime.fromisoformat(stamp).timestamp()


@dataclass
class DemoProcess:
    """``python -m dashboard_desktop.demo`` on a free loopback port."""

    items: int
    rate: float
    home: Path
    proc: subprocess.Popen[str] | None = None
    url: str = ""

    def start(self) -> DemoProcess:
        """Start the server and wait for its ``listening on`` line."""
        args = ["-m", "dashboard_desktop.demo", "--host", "127.0.0.1", "--port", "0"]
        args += ["--items", str(self.items), "--rate", str(self.rate), "--form", "delta"]
        args += ["--seed", "1"]
        self.proc = spawn(args, self.home, subprocess.DEVNULL)
        line = _read_line(self.proc, timeout=_START_TIMEOUT_S + self.items / 2000)
        if not line.startswith("listening on "):
            raise BenchError(f"demo server said {line!r}")
        self.url = line.removeprefix("listening on ").strip()
        return self

    def stop(self) -> None:
        """Stop the server."""
        if self.proc is not None:
            stop(self.proc)


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The first stdout line of ``proc``, read in a helper thread with a deadline."""
    box: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    stream = proc.stdout
    threading.Thread(target=lambda: box.put(stream.readline()), daemon=True).start()
    try:
        return box.get(timeout=timeout)
    except queue.Empty:
        raise BenchError(f"no output from {proc.args!r} within {timeout:g} s") from None


@dataclass
class AppProcess:
    """``python -m dashboard_desktop --log-format json`` whose stderr JSON log is followed.

    Each record gets ``_arrived`` (our ``time.time()`` when its line was read). Records are
    kept in :attr:`records` while :attr:`keep` is true (turn it off for long runs).
    """

    args: Sequence[str]
    home: Path
    proc: subprocess.Popen[str] | None = None
    started_at: float = 0.0
    records: list[Record] = field(default_factory=list)
    keep: bool = True
    _queue: queue.Queue[Record | None] = field(default_factory=queue.Queue)
    _eof: bool = False

    def start(self) -> AppProcess:
        """Start the app; :attr:`started_at` is ``time.time()`` just before the fork."""
        log_dir = Path(tempfile.mkdtemp(prefix="logs-", dir=self.home))
        argv = ["-m", "dashboard_desktop", "--log-format", "json", "--log-dir", str(log_dir)]
        self.started_at = time.time()
        self.proc = spawn([*argv, *self.args], self.home, subprocess.PIPE)
        assert self.proc.stderr is not None
        stream = self.proc.stderr
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()
        return self

    @property
    def pid(self) -> int:
        """The app's process id."""
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        """Stop the app."""
        if self.proc is not None:
            stop(self.proc)

    def wait_for(
        self, event: str, timeout: float, accept: Callable[[Record], bool] = lambda r: True
    ) -> Record:
        """The first record (read so far or later) of ``event`` that ``accept`` accepts."""
        for record in self.records:
            if record.get("event") == event and accept(record):
                return record
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0 and not self._eof:
            record_or_none = self._next(remaining)
            if record_or_none is not None and _matches(record_or_none, event, accept):
                return record_or_none
        raise BenchError(f"app: no {event} within {timeout:g} s (exited: {self._eof})")

    def drain(self) -> list[Record]:
        """Read every record queued so far; return the new ones."""
        fresh: list[Record] = []
        for _ in range(self._queue.qsize()):
            record = self._next(0.0)
            if record is not None:
                fresh.append(record)
        return fresh

    def wait_live(self, timeout: float = _START_TIMEOUT_S) -> Record:
        """Wait for ``state_changed`` to live."""
        return self.wait_for("state_changed", timeout, lambda r: r.get("state") == "live")

    def _next(self, timeout: float) -> Record | None:
        try:
            record = self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()
        except queue.Empty:
            return None
        if record is None:
            self._eof = True
            return None
        if self.keep:
            self.records.append(record)
        return record

    def _read(self, stream: IO[str]) -> None:
        with stream:
            for line in stream:
                if line.startswith("{"):
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    record["_arrived"] = time.time()
                    self._queue.put(record)
        self._queue.put(None)


def _matches(record: Record, event: str, accept: Callable[[Record], bool]) -> bool:
    return record.get("event") == event and accept(record)


def run_worker(script: Path, args: Sequence[str], home: Path, timeout: float) -> Mapping[str, Any]:
    """Run a worker script that prints one JSON object; return it."""
    with (home / f"{script.stem}.stderr").open("a", encoding="utf-8") as errors:
        proc = spawn([str(script), *args], home, errors)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop(proc)
            raise BenchError(f"{script.name} {' '.join(args)}: over {timeout:g} s") from None
        finally:
            stop(proc)
    if proc.returncode != 0:
        tail = (home / f"{script.stem}.stderr").read_text(errors="replace").splitlines()[-20:]
        raise BenchError(
            f"{script.name} {' '.join(args)}: exit {proc.returncode}:\n" + "\n".join(tail)
        )
    result: Mapping[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result
