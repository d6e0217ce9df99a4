"""End-to-end tests: ``python -m dashboard_desktop`` as a subprocess, observed via its JSON log."""

from __future__ import annotations

import re
import signal
import socket
import time
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from dashboard_desktop import __version__
from dashboard_desktop._setting_kinds import Flag
from dashboard_desktop.config import setting_specs
from tests.end2end.app_process import AppProcess, read_json_lines, run_app
from tests.end2end.conftest import SilentServer, StartApp

STARTUP_S = 30.0  # first start imports PySide6; generous for a loaded CI machine
DEMO_CHANGE_S = 10.0  # the demo backend changes the schedule every 2 s
SHUTDOWN_S = 2.0
ISO_MS_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
SECRET = "E2E-s3cr3t/+=Zq9"
FAST_RETRY = (
    "--reconnection-delay",
    "0.1",
    "--reconnection-delay-max",
    "0.2",
    "--poll-interval",
    "0.5",
)


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _live_with_push(app: AppProcess) -> tuple[dict[str, object], dict[str, object]]:
    """Wait for live, the REST snapshot and one pushed delta; return (snapshot, delta) records."""
    app.wait_for("state_changed", timeout=STARTUP_S, state="live")
    rest = app.wait_for("schedule_applied", timeout=5, source="rest", items=_positive)
    pushed = app.wait_for("schedule_applied", timeout=DEMO_CHANGE_S, source="socket")
    return rest, pushed


def _closed_port() -> int:
    """A loopback port on which nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- running against the bundled demo backend ------------------------------------------------


def test_logs_first_rows_painted_when_snapshot_is_on_screen(start_app: StartApp) -> None:
    app = start_app("--demo")

    painted = app.wait_for("first_rows_painted", timeout=STARTUP_S)

    assert painted["rows"] > 0
    assert app.events("schedule_applied")  # rows come from an applied snapshot
    assert len(app.events("first_rows_painted")) == 1
    # Measured from the process's start, which began before this test's clock saw it.
    assert 0 < painted["since_start_ms"] < (time.time() - app.started_at + 1) * 1000


def test_goes_live_and_applies_pushed_delta_when_demo(start_app: StartApp) -> None:
    app = start_app("--demo")

    started = app.wait_for("app_started", timeout=STARTUP_S)
    demo = app.wait_for("demo_started", timeout=STARTUP_S)
    rest, pushed = _live_with_push(app)

    assert started["version"] == __version__
    assert str(demo["url"]).startswith("http://127.0.0.1:")
    assert rest["form"] == "snapshot"
    assert rest["inserted"] == rest["items"]
    assert pushed["form"] == "delta"
    assert isinstance(pushed["version"], int) and isinstance(rest["version"], int)
    assert pushed["version"] > rest["version"]
    latency = pushed["latency_ms"]
    assert isinstance(latency, int) and 0 <= latency < 5000, latency
    assert app.running
    assert app.errors() == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_exits_zero_promptly_and_logs_app_stopped_when_signalled(
    start_app: StartApp, signum: signal.Signals
) -> None:
    app = start_app("--demo")
    _live_with_push(app)

    sent = time.monotonic()
    code = app.send_signal(signum, timeout=SHUTDOWN_S)
    elapsed = time.monotonic() - sent

    assert code == 0
    assert elapsed < SHUTDOWN_S
    app.wait_for("app_stopped", timeout=0)
    assert app.records[-1]["event"] == "app_stopped"
    assert app.errors() == []


def test_log_file_holds_the_stderr_events_when_json(start_app: StartApp) -> None:
    app = start_app("--demo")
    _live_with_push(app)
    assert app.terminate(SHUTDOWN_S) == 0

    lines = app.log_file.read_text(encoding="utf-8").splitlines()
    records = read_json_lines(app.log_file)

    assert sorted(path.name for path in app.log_dir.iterdir()) == [app.log_file.name]
    assert len(records) == len(lines) > 0
    for record in records:
        assert isinstance(record, dict)
        assert {"ts", "level", "logger", "event"} <= set(record), record
        assert ISO_MS_UTC.fullmatch(record["ts"]), record
        assert record["level"] in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        assert isinstance(record["logger"], str) and record["logger"]
        assert isinstance(record["event"], str) and record["event"]
    assert records == app.records
    names = [record["event"] for record in records]
    assert names[0] == "app_started" and names[-1] == "app_stopped"
    assert {"demo_started", "state_changed", "schedule_applied", "poll"} <= set(names)
    assert records[0]["log_file"] == str(app.log_file)


def test_secret_token_never_logged_when_token_given(start_app: StartApp) -> None:
    # The demo backend requires the same token, so going live proves it was sent.
    app = start_app("--demo", "--token", SECRET, "--log-level", "DEBUG")
    _live_with_push(app)
    assert app.terminate(SHUTDOWN_S) == 0

    forms = {SECRET, quote(SECRET), quote(SECRET, safe=""), quote_plus(SECRET)}
    texts = {"stderr": app.stderr_text(), "stdout": "\n".join(app.stdout_lines)}
    for path in app.log_dir.iterdir():
        texts[path.name] = path.read_text(encoding="utf-8")
    assert texts[app.log_file.name]
    for name, text in texts.items():
        for form in forms:
            assert form not in text, f"token ({form!r}) found in {name}"


# -- start-up and the command line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "toml", "setting"),
    [
        pytest.param(("--poll-interval", "abc"), {}, None, "poll_interval", id="flag"),
        pytest.param(
            (),
            {"DASHBOARD_RECONNECTION_ATTEMPTS": "0"},
            None,
            "reconnection_attempts",
            id="env",
        ),
        pytest.param((), {}, "refresh_rate = 5\n", "refresh_rate", id="toml-unknown-key"),
        pytest.param((), {}, "poll_interval = -1\n", "poll_interval", id="toml-bad-value"),
        pytest.param(
            ("--reconnection-delay", "3", "--reconnection-delay-max", "1"),
            {},
            None,
            "reconnection_delay_max",
            id="relation",
        ),
        pytest.param(("--server-url", "ftp://x"), {}, None, "server_url", id="url"),
    ],
)
def test_exits_2_with_one_line_naming_setting_when_setting_is_bad(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], toml: str | None, setting: str
) -> None:
    config: tuple[str, ...] = ()
    if toml is not None:
        path = tmp_path / "settings.toml"
        path.write_text(toml, encoding="utf-8")
        config = ("--config", str(path))
    log_dir = tmp_path / "logs"

    result = run_app(*config, "--log-dir", str(log_dir), *args, home=tmp_path, env=env)

    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("dashboard-desktop: error: "), lines[0]
    assert re.search(rf"\b{setting}\b", lines[0]), lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not log_dir.exists()  # failed before logging was set up


def test_token_not_echoed_when_token_setting_is_bad(tmp_path: Path) -> None:
    result = run_app(home=tmp_path, env={"DASHBOARD_TOKEN": "has space-E2Esecret"})

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "token" in result.stderr
    assert "E2Esecret" not in result.stderr


def test_help_lists_every_setting_flag_when_help(tmp_path: Path) -> None:
    result = run_app("--help", home=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: dashboard-desktop")
    expected = ["--config", "--version"]
    for spec in setting_specs():
        expected.append(spec.flag)
        if isinstance(spec.kind, Flag):
            expected.append("--no-" + spec.flag.removeprefix("--"))
    for flag in expected:
        assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", result.stdout), flag
    for spec in setting_specs():
        assert spec.env in result.stdout, spec.env
    assert "Traceback" not in result.stderr


def test_version_is_printed_when_version(tmp_path: Path) -> None:
    result = run_app("--version", home=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"dashboard-desktop {__version__}\n"


# -- no backend --------------------------------------------------------------------------------


def test_keeps_retrying_and_polling_when_nothing_listens(start_app: StartApp) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    app = start_app("--server-url", url, *FAST_RETRY)

    down = app.wait_for(
        "state_changed", timeout=STARTUP_S, state=lambda s: s in ("reconnecting", "offline")
    )
    if down["state"] != "offline":
        app.wait_for("state_changed", timeout=5, state="offline")
    app.wait_for("poll", timeout=5, outcome="error", reason="startup")
    app.wait_for("poll", timeout=5, outcome="error", reason="poll")
    app.wait_for("poll", timeout=5, outcome="error", reason="poll")
    app.wait_for("connect_failed", timeout=5, attempt=lambda n: n >= 3)

    assert down["previous"] == "connecting"
    assert app.running
    assert not app.events("state_changed", state="live")
    assert not app.events("schedule_applied")
    assert app.errors() == []
    assert app.terminate(SHUTDOWN_S) == 0
    app.wait_for("app_stopped", timeout=0)


def test_exits_promptly_when_signalled_during_hung_rest_fetch(
    start_app: StartApp, silent_server: SilentServer
) -> None:
    # Regression: at 7222227 the fetch ran in a ThreadPoolExecutor whose (non-daemon) worker
    # the interpreter joins at exit, so the exit waited for the request's timeout.
    app = start_app("--server-url", silent_server.url, "--request-timeout", "8")
    silent_server.wait_for_request("GET /api/dashboard/schedule?", timeout=STARTUP_S)

    sent = time.monotonic()
    code = app.terminate(SHUTDOWN_S)  # raises TimeoutExpired (and kills) when too slow

    assert code == 0
    assert time.monotonic() - sent < SHUTDOWN_S
    app.wait_for("app_stopped", timeout=0)
