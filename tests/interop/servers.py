"""Start the third-party interop test servers (Flask-SocketIO, Node socket.io) in subprocesses.

    server = start_server("flask", token="s3cret")   # or "node"
    try:
        version = server.change()   # POST /_control/change -> new schedule version
    finally:
        server.stop()

Both servers bind 127.0.0.1 on a free port and print ``listening on http://127.0.0.1:<port>``;
``start_server`` waits for that line (with a timeout, no fixed sleeps). The server's stderr is
written to a temporary log file whose tail is included in startup errors.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, Protocol

HERE = Path(__file__).resolve().parent
FLASK_SERVER = HERE / "flask_server.py"
NODE_DIR = HERE / "node"
NODE_SERVER = NODE_DIR / "server.js"
NPM_CI_HINT = "npm ci --prefix tests/interop/node"
NODE_MISSING_REASON = "`node` is not on PATH (Node.js 18+ is needed for the Node socket.io server)"

ServerKind = Literal["flask", "node"]
KINDS: tuple[ServerKind, ...] = ("flask", "node")

STARTUP_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 5.0
REQUEST_TIMEOUT_S = 10.0

_LISTENING = re.compile(r"^listening on (http://127\.0\.0\.1:(\d+))$")


class StartServer(Protocol):
    """Type of the ``start_interop_server`` fixture (see conftest.py)."""

    def __call__(self, kind: str, token: str = "") -> ServerProcess: ...


class ServerStartError(RuntimeError):
    """The server could not be started or did not report that it listens."""


@dataclass
class ServerProcess:
    kind: str
    url: str
    token: str
    process: subprocess.Popen[str]
    log_path: Path
    _log_file: IO[str] = field(repr=False)
    _final_log: str | None = field(default=None, repr=False)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def change(self) -> int:
        """Make one change to the schedule (emits a delta to all clients); return the version."""
        request = urllib.request.Request(f"{self.url}/_control/change", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
            body = json.load(response)
        return int(body["version"])

    def log(self) -> str:
        """The server's stderr so far (kept in memory once the server is stopped)."""
        if self._final_log is not None:
            return self._final_log
        return _read_text(self.log_path)

    def stop(self) -> None:
        """Terminate the server (kill it if it does not exit in time); idempotent."""
        try:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=STOP_TIMEOUT_S)
        finally:
            if self._final_log is None:
                self._log_file.close()
                self._final_log = _read_text(self.log_path)
                self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def node_executable() -> str | None:
    return shutil.which("node")


def _command(kind: str, token: str) -> list[str]:
    if kind == "flask":
        cmd = [sys.executable, str(FLASK_SERVER), "--port", "0"]
    elif kind == "node":
        node = node_executable()
        if node is None:
            raise ServerStartError(NODE_MISSING_REASON)
        if not (NODE_DIR / "node_modules" / "socket.io" / "package.json").is_file():
            raise ServerStartError(
                f"Node dependencies are missing ({NODE_DIR / 'node_modules'}): "
                f"run `{NPM_CI_HINT}` from the repository root"
            )
        cmd = [node, str(NODE_SERVER), "--port", "0"]
    else:
        raise ValueError(f"unknown server kind {kind!r}; expected one of {KINDS}")
    if token:
        cmd += ["--token", token]
    return cmd


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _pump_stdout(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Hand lines to the starter, then keep draining so the pipe never fills up; close at EOF."""
    with stream:
        for line in stream:
            lines.put(line.rstrip("\r\n"))
    lines.put(None)


def _wait_for_url(
    process: subprocess.Popen[str], lines: queue.Queue[str | None], timeout: float
) -> str:
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise ServerStartError(f"no 'listening on' line within {timeout:.0f} s") from None
    if line is None:
        raise ServerStartError(f"server exited (code {process.wait(timeout=STOP_TIMEOUT_S)})")
    match = _LISTENING.match(line)
    if match is None:
        raise ServerStartError(f"unexpected first stdout line: {line!r}")
    return match.group(1)


def start_server(
    kind: str, token: str = "", *, timeout: float = STARTUP_TIMEOUT_S
) -> ServerProcess:
    """Start the ``"flask"`` or ``"node"`` test server and wait until it listens."""
    cmd = _command(kind, token)
    log_fd, log_name = tempfile.mkstemp(prefix=f"interop-{kind}-", suffix=".log")
    log_file = os.fdopen(log_fd, "w", encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
        encoding="utf-8",
        cwd=HERE,
        env=env,
    )
    assert process.stdout is not None
    server = ServerProcess(kind, "", token, process, Path(log_name), log_file)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(
        target=_pump_stdout, args=(process.stdout, lines), name=f"{kind}-stdout", daemon=True
    ).start()
    try:
        server.url = _wait_for_url(process, lines, timeout)
    except ServerStartError as exc:
        server.stop()
        tail = "\n".join(server.log().splitlines()[-30:])
        raise ServerStartError(
            f"{kind} server failed to start: {exc}\ncommand: {cmd}\nstderr:\n{tail}"
        ) from None
    return server
