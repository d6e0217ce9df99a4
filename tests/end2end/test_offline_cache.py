"""End to end: a kiosk restarted while its backend is down shows its last good snapshot at once.

The backend is the demo server in this process (no automatic changes); the application runs
twice against the same URL, the second time after the server has gone, with a private
``XDG_CACHE_HOME`` so the default cache directory is exercised without touching the user's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard_desktop.demo import DemoOptions, DemoServerThread
from tests.end2end.app_process import Record
from tests.end2end.conftest import StartApp

STARTUP_S = 30.0  # first start imports PySide6; generous for a loaded CI machine
SHUTDOWN_S = 5.0
ITEMS = 12
FAST_RETRY = ("--reconnection-delay", "0.1", "--reconnection-delay-max", "0.2")


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    server = DemoServerThread(DemoOptions(host="127.0.0.1", port=0, rate=0, items=ITEMS, seed=7))
    server.start()
    yield server
    server.stop()  # idempotent: the test stops it earlier


def position(records: list[Record], record: Record) -> int:
    return next(index for index, seen in enumerate(records) if seen is record)


def test_cached_snapshot_is_painted_at_start_when_restarted_while_the_backend_is_down(
    start_app: StartApp, demo: DemoServerThread, tmp_path: Path
) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    first = start_app("--server-url", demo.url, env=env)
    saved = first.wait_for("cache_saved", timeout=STARTUP_S, items=ITEMS)
    assert first.terminate(SHUTDOWN_S) == 0
    demo.stop()  # the backend is gone: nothing listens on its port any more

    second = start_app("--server-url", demo.url, "--poll-interval", "0.5", *FAST_RETRY, env=env)
    applied = second.wait_for("schedule_applied", timeout=STARTUP_S, source="cache")
    painted = second.wait_for("first_rows_painted", timeout=STARTUP_S)
    second.wait_for("state_changed", timeout=10, state="offline")
    second.wait_for("poll", timeout=10, outcome="error", reason="poll")

    assert (applied["version"], applied["items"]) == (saved["version"], ITEMS)
    assert painted["rows"] == ITEMS
    loaded = second.events("cache_loaded")[0]
    assert loaded["path"] == saved["path"]
    assert Path(saved["path"]).parent == tmp_path / "xdg-cache" / "dashboard-desktop"
    # Shown before any connection attempt or poll had an outcome.
    first_outcome = min(
        position(second.records, record)
        for name in ("poll", "connect_failed")
        for record in second.events(name)
    )
    assert position(second.records, second.events("schedule_applied")[0]) < first_outcome
    assert [r["source"] for r in second.events("schedule_applied")] == ["cache"]
    assert second.errors() == []
    assert second.terminate(SHUTDOWN_S) == 0
