"""SnapshotCache: the cache file's round trip, atomic replacement and every reason to ignore it."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.core.protocol import parse_snapshot
from dashboard_desktop.net.cache import SnapshotCache, cache_path, snapshot_body

URL = "http://127.0.0.1:8765"
SAVED_AT = datetime(2026, 11, 27, 7, 20, tzinfo=UTC)


def body(version: int = 42, count: int = 3) -> dict[str, Any]:
    """A REST snapshot body with optional fields, unknown fields and non-ASCII text."""
    items: list[dict[str, Any]] = [
        {
            "id": n if n % 2 else f"item-{n}",
            "title": f"Gate <b>{n}</b> \u2013 \u00e9t\u00e9",
            "start": f"2026-11-27T{8 + n % 10:02d}:00:00Z",
            "end": "2026-11-27T20:30:00+01:00",
            "status": "delayed",
            "updated_at": "2026-11-27T07:00:00.250000+00:00",
            "gate": {"terminal": 2, "tags": ["a", None]},
        }
        for n in range(count)
    ]
    return {"version": version, "items": items, "generated_at": "2026-11-27T07:19:59Z"}


@pytest.fixture
def cache(tmp_path: Path) -> SnapshotCache:
    return SnapshotCache(tmp_path / "cache" / "snapshot.json", URL, "site-a", 1024 * 1024)


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


def leftovers(cache: SnapshotCache) -> list[Path]:
    return sorted(cache.path.parent.glob("*.tmp"))


# -- round trip ---------------------------------------------------------------------------------


def test_load_returns_the_saved_snapshot_and_time_when_saved_before(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture
) -> None:
    served = body(count=600)  # more than one batch of items

    assert cache.save(served, 42, SAVED_AT)
    loaded = cache.load()

    assert loaded is not None
    assert loaded.snapshot == parse_snapshot(served)
    assert loaded.saved_at == SAVED_AT
    (saved,) = events(caplog, "cache_saved")
    assert (saved["version"], saved["items"]) == (42, 600)
    assert saved["bytes"] == cache.path.stat().st_size
    assert leftovers(cache) == []


def test_file_keeps_the_body_as_served_when_saved(cache: SnapshotCache) -> None:
    served = body()

    cache.save(served, 42, SAVED_AT)

    document = json.loads(cache.path.read_text(encoding="utf-8"))
    assert document["snapshot"] == served
    assert (document["format"], document["server_url"], document["namespace"]) == (
        1,
        URL,
        "site-a",
    )
    assert datetime.fromisoformat(document["saved_at"]) == SAVED_AT


def test_rebuilt_body_parses_to_the_same_items_when_made_from_the_schedule(
    cache: SnapshotCache,
) -> None:
    original = parse_snapshot(body(count=7))

    cache.save(snapshot_body(original.items, 42), 42, SAVED_AT)
    loaded = cache.load()

    assert loaded is not None
    assert loaded.snapshot.items == original.items
    assert loaded.snapshot.version == 42
    assert [item.raw_id for item in loaded.snapshot.items] == [
        item.raw_id for item in original.items
    ]


def test_save_replaces_the_previous_snapshot_when_saved_again(cache: SnapshotCache) -> None:
    cache.save(body(41, 5), 41, SAVED_AT)

    cache.save(body(42, 2), 42, SAVED_AT)
    loaded = cache.load()

    assert loaded is not None and loaded.snapshot.version == 42
    assert len(loaded.snapshot.items) == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_file_is_private_to_the_user_when_saved(cache: SnapshotCache) -> None:
    cache.save(body(), 42, SAVED_AT)

    assert cache.path.stat().st_mode & 0o777 == 0o600


# -- atomic replacement -------------------------------------------------------------------------


def test_old_file_stays_intact_when_the_rename_fails(
    cache: SnapshotCache, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache.save(body(41), 41, SAVED_AT)
    before = cache.path.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    saved = cache.save(body(42), 42, SAVED_AT)

    assert not saved
    assert cache.path.read_bytes() == before
    assert leftovers(cache) == []
    (failure,) = events(caplog, "cache_save_failed")
    assert "No space left on device" in failure["error"]


def test_old_file_stays_intact_when_encoding_fails_midway(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache.save(body(41), 41, SAVED_AT)
    before = cache.path.read_bytes()
    broken = body(42, 600)
    broken["items"][500]["gate"] = object()  # not JSON: fails after the first batches

    assert not cache.save(broken, 42, SAVED_AT)

    assert cache.path.read_bytes() == before
    assert leftovers(cache) == []
    assert "TypeError" in events(caplog, "cache_save_failed")[0]["error"]


def test_save_reports_failure_without_raising_when_the_directory_cannot_be_made(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    cache = SnapshotCache(blocker / "snapshot.json", URL, "site-a", 1024 * 1024)

    assert not cache.save(body(), 42, SAVED_AT)

    assert len(events(caplog, "cache_save_failed")) == 1


def test_load_removes_a_dead_writers_temporary_file_when_it_is_old(cache: SnapshotCache) -> None:
    cache.save(body(), 42, SAVED_AT)
    old = cache.path.with_name(cache.path.name + ".dead.tmp")
    fresh = cache.path.with_name(cache.path.name + ".busy.tmp")
    for leftover in (old, fresh):
        leftover.write_text("{")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))

    assert cache.load() is not None

    assert leftovers(cache) == [fresh]


# -- ignored files ------------------------------------------------------------------------------


def ignored_reason(cache: SnapshotCache, caplog: pytest.LogCaptureFixture) -> str:
    """Load, expect nothing, and return the one logged reason."""
    assert cache.load() is None
    (ignored,) = events(caplog, "cache_ignored")
    assert ignored["path"] == str(cache.path)
    return str(ignored["reason"])


def test_load_returns_none_quietly_when_there_is_no_file(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture
) -> None:
    assert ignored_reason(cache, caplog) == "no cache file yet"
    assert [r.levelno for r in caplog.records] == [logging.INFO]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": 1, "snapshot": {"items": [', "invalid JSON"),
        (b'{"title": "\x80"}', "invalid JSON: not UTF-8"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"format": 7}', "unknown format"),
    ],
)
def test_load_ignores_the_file_when_it_is_corrupt(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture, content: bytes, reason: str
) -> None:
    cache.path.parent.mkdir(parents=True)
    cache.path.write_bytes(content)

    assert ignored_reason(cache, caplog).startswith(reason)
    assert caplog.records[-1].levelno == logging.WARNING


def test_load_ignores_the_file_when_the_snapshot_inside_is_not_a_snapshot(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache.save({"version": 3}, 3, SAVED_AT)

    assert "not a snapshot" in ignored_reason(cache, caplog)


def test_load_ignores_the_file_when_saved_at_is_not_a_time(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache.save(body(), 42, SAVED_AT)
    document = json.loads(cache.path.read_text(encoding="utf-8"))
    cache.path.write_text(json.dumps({**document, "saved_at": "yesterday"}), encoding="utf-8")

    assert "saved_at" in ignored_reason(cache, caplog)


@pytest.mark.parametrize(
    ("server_url", "namespace", "reason"),
    [
        ("http://127.0.0.1:9999", "site-a", "saved for another server"),
        (URL, "site-b", "saved for another namespace"),
    ],
)
def test_load_ignores_the_file_when_it_belongs_to_another_server_or_namespace(
    cache: SnapshotCache,
    caplog: pytest.LogCaptureFixture,
    server_url: str,
    namespace: str,
    reason: str,
) -> None:
    cache.save(body(), 42, SAVED_AT)
    other = SnapshotCache(cache.path, server_url, namespace, 1024 * 1024)

    assert ignored_reason(other, caplog) == reason


def test_load_ignores_the_file_when_it_is_over_the_size_cap(
    cache: SnapshotCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache.save(body(count=20), 42, SAVED_AT)
    capped = SnapshotCache(cache.path, URL, "site-a", 1024)
    assert cache.path.stat().st_size > 1024

    assert ignored_reason(capped, caplog) == "file over 1024 bytes (max_payload_bytes)"


# -- where the file lives -----------------------------------------------------------------------


def test_path_differs_when_server_or_namespace_differs(tmp_path: Path) -> None:
    settings = Settings(server_url=URL, namespace="site-a", cache_dir=tmp_path)

    paths = {
        cache_path(settings),
        cache_path(settings.with_overrides(namespace="site-b")),
        cache_path(settings.with_overrides(server_url="https://dash.example.org")),
    }

    assert len(paths) == 3
    assert all(path.parent == tmp_path for path in paths)


def test_path_is_in_the_user_cache_directory_when_no_cache_dir_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))

    path = SnapshotCache.for_settings(Settings(server_url=URL)).path

    if sys.platform.startswith("linux"):
        assert path.parent == tmp_path / "xdg-cache" / "dashboard-desktop"
    assert path.name.startswith("snapshot-") and path.suffix == ".json"
