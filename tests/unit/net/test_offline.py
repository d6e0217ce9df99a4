"""OfflineCache: when the sync service's schedule is saved, coalesced writes, switching it off.

The service is built but not started: updates are applied through ``SyncService.apply`` as the
fetcher and the push queue apply them, so no server is involved.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.core.protocol import Delta, parse_payload, parse_snapshot
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.net import offline
from dashboard_desktop.net.cache import SnapshotCache, cache_path
from dashboard_desktop.net.offline import _Writer
from dashboard_desktop.net.sync import SyncService
from tests.conftest import run

MakeService = Callable[..., SyncService]
SAVED_AT = datetime(2026, 11, 27, 7, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


@pytest.fixture
def make_service(
    loop: Any, qtbot: Any, test_settings: Settings, tmp_path: Path
) -> Iterator[MakeService]:
    """Build services (not started) caching into ``tmp_path / "cache"``; stopped at teardown."""
    services: list[SyncService] = []

    def make(**overrides: Any) -> SyncService:
        settings = test_settings.with_overrides(cache_dir=tmp_path / "cache", **overrides)
        service = SyncService(settings, Schedule())
        services.append(service)
        return service

    yield make
    for service in services:
        run(qtbot, service.stop())


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


def rest_body(version: int, count: int = 4) -> dict[str, Any]:
    items = [
        {"id": n, "title": f"Item {n}", "start": f"2026-11-27T{8 + n:02d}:00:00Z"}
        for n in range(count)
    ]
    return {"version": version, "items": items}


def apply_rest(service: SyncService, raw: dict[str, Any]) -> None:
    service.apply(parse_snapshot(raw), "rest", body=raw)


def apply_notes(service: SyncService, count: int) -> int:
    """Apply ``count`` pushed deltas, each giving item 0 a new note; return the last version."""
    version = service.schedule.version
    assert version is not None
    for n in range(1, count + 1):
        upsert = {"id": 0, "title": "Item 0", "start": "2026-11-27T08:00:00Z", "notes": f"n{n}"}
        delta = parse_payload(
            {"version": version + n, "base_version": version + n - 1, "upserts": [upsert]}
        )
        assert isinstance(delta, Delta)
        service.apply(delta, "socket")
    return version + count


def saved_document(service: SyncService) -> dict[str, Any]:
    cache = service.offline.cache
    assert cache is not None
    return dict(json.loads(cache.path.read_text(encoding="utf-8")))


def written(qtbot: Any, service: SyncService) -> None:
    qtbot.waitUntil(lambda: not service.offline.busy, timeout=5000)


# -- when the schedule is saved -----------------------------------------------------------------


def test_rest_snapshot_is_saved_as_served_when_applied(
    qtbot: Any, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    raw = {**rest_body(7), "generated_at": "2026-11-27T07:19:59Z", "site": "north"}

    apply_rest(service, raw)
    written(qtbot, service)

    document = saved_document(service)
    assert document["snapshot"] == raw
    assert document["version"] == 7
    assert datetime.fromisoformat(document["saved_at"]) == service.tracker.status().confirmed_at
    assert [e["version"] for e in events(caplog, "cache_saved")] == [7]


def test_file_is_not_rewritten_when_the_same_rest_snapshot_arrives_again(
    qtbot: Any, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service()
    apply_rest(service, rest_body(7))
    written(qtbot, service)

    apply_rest(service, rest_body(7))
    written(qtbot, service)

    assert len(events(caplog, "cache_saved")) == 1


def test_pushed_deltas_are_saved_once_per_interval_when_they_keep_coming(
    qtbot: Any,
    make_service: MakeService,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(offline, "MIN_SAVE_INTERVAL", 0.0)
    service = make_service(poll_interval=0.4)
    apply_rest(service, rest_body(7))

    last = apply_notes(service, 5)
    qtbot.waitUntil(lambda: len(events(caplog, "cache_saved")) == 2, timeout=5000)
    written(qtbot, service)

    saves = [r for r in caplog.records if getattr(r, "event", None) == "cache_saved"]
    assert saves[1].created - saves[0].created >= 0.3
    assert [e["version"] for e in events(caplog, "cache_saved")] == [7, last]
    snapshot = parse_snapshot(saved_document(service)["snapshot"])
    assert snapshot.items == tuple(service.schedule.items)


def test_push_on_the_cached_version_is_saved_at_once_when_nothing_was_saved_yet(
    qtbot: Any, make_service: MakeService, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(poll_interval=30.0)
    SnapshotCache.for_settings(service.settings).save(rest_body(7), 7, SAVED_AT)
    assert service.offline.restore()
    upsert = {"id": 0, "title": "Item 0", "start": "2026-11-27T08:00:00Z", "notes": "pushed"}

    service.on_event({"version": 8, "base_version": 7, "upserts": [upsert]})
    qtbot.waitUntil(lambda: len(events(caplog, "cache_saved")) == 2, timeout=5000)

    assert not service.tracker.status().cached
    assert [e["source"] for e in events(caplog, "schedule_applied")] == ["cache", "socket"]
    snapshot = parse_snapshot(saved_document(service)["snapshot"])
    assert (snapshot.version, snapshot.items[0].notes) == (8, "pushed")


def test_close_saves_the_shown_schedule_when_pushed_changes_are_not_saved_yet(
    qtbot: Any, make_service: MakeService
) -> None:
    service = make_service(poll_interval=30.0)
    apply_rest(service, rest_body(7))
    last = apply_notes(service, 2)

    run(qtbot, service.offline.close())

    assert not service.offline.busy
    snapshot = parse_snapshot(saved_document(service)["snapshot"])
    assert snapshot.version == last
    assert snapshot.items[0].notes == "n2"


def test_close_writes_nothing_when_nothing_was_ever_shown(
    qtbot: Any, make_service: MakeService
) -> None:
    service = make_service()

    run(qtbot, service.offline.close())

    cache = service.offline.cache
    assert cache is not None and not cache.path.exists()


@pytest.mark.parametrize("overrides", [{"offline_cache": False}, {"demo": True}])
def test_nothing_is_loaded_or_saved_when_the_cache_is_off(
    qtbot: Any, make_service: MakeService, tmp_path: Path, overrides: dict[str, Any]
) -> None:
    service = make_service(**overrides)
    path = cache_path(service.settings)
    SnapshotCache.for_settings(service.settings).save(rest_body(3), 3, SAVED_AT)
    before = path.read_bytes()

    assert not service.offline.restore()
    apply_rest(service, rest_body(7))
    apply_notes(service, 1)
    run(qtbot, service.offline.close())

    assert service.offline.cache is None
    assert path.read_bytes() == before
    assert len(list(path.parent.iterdir())) == 1


# -- the writer ---------------------------------------------------------------------------------


class BlockingCache(SnapshotCache):
    """A cache whose saves wait for :attr:`release` and are recorded by version."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "http://127.0.0.1:8765", "default", 1024 * 1024)
        self.release = threading.Event()
        self.entered = threading.Event()
        self.versions: list[int | None] = []

    def save(self, body: object, version: int | None, saved_at: datetime) -> bool:
        self.entered.set()
        self.release.wait(10)
        self.versions.append(version)
        return True


def test_writer_keeps_only_the_latest_waiting_save_when_saves_come_faster_than_the_disk(
    qtbot: Any, tmp_path: Path
) -> None:
    cache = BlockingCache(tmp_path / "snapshot.json")
    writer = _Writer(cache)
    writer.submit((dict, 1, SAVED_AT))
    assert cache.entered.wait(5)

    for version in range(2, 6):
        writer.submit((dict, version, SAVED_AT))
    cache.release.set()

    assert writer.wait(5)
    assert cache.versions == [1, 5]


def test_writer_logs_and_goes_on_when_building_the_body_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = BlockingCache(tmp_path / "snapshot.json")
    cache.release.set()
    writer = _Writer(cache)

    def broken() -> object:
        raise ValueError("no body")

    writer.submit((broken, 1, SAVED_AT))
    assert writer.wait(5)
    writer.submit((dict, 2, SAVED_AT))
    assert writer.wait(5)

    assert cache.versions == [2]
    assert events(caplog, "cache_save_failed")[0]["error"] == "ValueError: no body"
