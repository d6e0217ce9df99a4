"""End to end: the token is nowhere but on the wire (its Authorization header and auth payload).

The application runs with a distinctive token that its backend requires (so going live proves
it was sent), then every file it may have written under its private home (the log file and any
crash report in the log directory, the config directory, the offline cache, the runtime
directory), its stdout and stderr, and the bodies of its health endpoint are searched for the
token, raw and URL-quoted.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from dashboard_desktop.demo import DemoOptions, DemoServerThread
from tests.end2end.app_process import AppProcess, run_app
from tests.end2end.conftest import StartApp

TOKEN = "E2E-tok3n/+=Secrecy9"
FORMS = {TOKEN, quote(TOKEN), quote(TOKEN, safe=""), quote_plus(TOKEN)}
STARTUP_S = 30.0  # first start imports PySide6; generous for a loaded CI machine
SHUTDOWN_S = 5.0
HEALTH_PATHS = ("/healthz", "/metrics")


def leaks(text: str) -> list[str]:
    """The forms of the token found in ``text``."""
    return sorted(form for form in FORMS if form in text)


def files_with_token(home: Path) -> dict[str, list[str]]:
    """Every regular file under ``home`` that holds the token, with the forms found."""
    found = {}
    for path in sorted(home.rglob("*")):
        if path.is_file() and not path.is_symlink():
            forms = leaks(path.read_bytes().decode("utf-8", errors="replace"))
            if forms:
                found[str(path.relative_to(home))] = forms
    return found


def health_option_exists(home: Path) -> bool:
    """True once the application has a ``--health-port`` option."""
    return "--health-port" in run_app("--help", home=home).stdout


def free_port() -> int:
    """A loopback port free a moment ago (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def health_bodies(port: int) -> dict[str, str] | None:
    """The bodies of the health endpoint's pages (any HTTP status); None if nothing listens."""
    bodies = {}
    for path in HEALTH_PATHS:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as page:
                bodies[path] = page.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:  # e.g. 503 while not live: still a body
            bodies[path] = error.read().decode("utf-8", errors="replace")
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                return None
            raise
    return bodies


def health_skip_reason(app: AppProcess, health: bool, bodies: dict[str, str] | None) -> str:
    """Why the health part was not checked ("" if it was); fails if it should have been."""
    if not health:
        return "no --health-port option yet: /healthz and /metrics were not checked"
    if bodies is not None:
        return ""
    announced = [r["event"] for r in app.records if "health" in str(r.get("event", ""))]
    assert not announced, f"the app logged {announced} but nothing listens on --health-port"
    return "--health-port is declared but nothing listens on it yet (no health server)"


def assert_no_token_anywhere(app: AppProcess) -> None:
    """The token is in no file under the app's home, nor on its stdout or stderr."""
    assert app.log_file.read_text(encoding="utf-8")  # the log was written
    assert leaks(app.stderr_text()) == [], "token on stderr"
    assert leaks("\n".join(app.stdout_lines)) == [], "token on stdout"
    assert files_with_token(app.home) == {}


def test_token_is_nowhere_when_demo_runs_live_with_json_log(
    start_app: StartApp, tmp_path: Path
) -> None:
    health = health_option_exists(tmp_path)
    port = free_port() if health else 0
    args = ("--health-port", str(port)) if health else ()
    # In the environment, not on the command line: the demo backend requires this token.
    app = start_app("--demo", "--log-level", "DEBUG", *args, env={"DASHBOARD_TOKEN": TOKEN})
    app.wait_for("state_changed", timeout=STARTUP_S, state="live")
    app.wait_for("schedule_applied", timeout=10, source="rest")
    app.wait_for("schedule_applied", timeout=10, source="socket")  # a push: fully live

    bodies = health_bodies(port) if health else None
    assert app.terminate(SHUTDOWN_S) == 0

    assert_no_token_anywhere(app)
    for path, body in (bodies or {}).items():
        assert body, f"{path} answered nothing"
        assert leaks(body) == [], f"token in {path}"
    skipped = health_skip_reason(app, health, bodies)
    if skipped:
        pytest.skip(skipped)  # everything else was checked above


@pytest.fixture
def backend() -> Iterator[DemoServerThread]:
    """A backend that requires ``TOKEN`` (for a run with the offline cache: not ``--demo``)."""
    server = DemoServerThread(DemoOptions(port=0, rate=2, items=12, seed=7, token=TOKEN))
    server.start()
    yield server
    server.stop()


def test_token_is_not_in_offline_cache_when_snapshots_are_saved(
    start_app: StartApp, backend: DemoServerThread
) -> None:
    app = start_app("--server-url", backend.url, env={"DASHBOARD_TOKEN": TOKEN})
    app.wait_for("state_changed", timeout=STARTUP_S, state="live")
    app.wait_for("cache_saved", timeout=10)
    assert app.terminate(SHUTDOWN_S) == 0

    assert list((app.home / "xdg-cache").rglob("snapshot-*.json"))  # the cache was written
    assert_no_token_anywhere(app)
