"""Size caps on every path: ``max_items`` (socket event, REST snapshot, offline cache file) and
``max_payload_bytes`` (REST body, socket message). An oversized payload is refused with a log
line naming the cap, and the schedule shown stays as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoServerThread
from dashboard_desktop.net.cache import SnapshotCache
from dashboard_desktop.net.sync import SyncService
from tests.conftest import run

START = "2026-11-27T16:00:00Z"


def _items(count: int, title: str = "Item") -> list[dict[str, Any]]:
    return [{"id": n, "title": f"{title} {n}", "start": START} for n in range(count)]


def _events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


def _shown(service: SyncService) -> tuple[tuple[Any, ...], int | None]:
    return tuple(service.schedule.items), service.schedule.version


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


@pytest.fixture
def services(loop: Any, qtbot: Any) -> Iterator[list[SyncService]]:
    made: list[SyncService] = []
    yield made
    for service in made:
        run(qtbot, service.stop())


def _service(services: list[SyncService], settings: Settings, **overrides: Any) -> SyncService:
    service = SyncService(settings.with_overrides(offline_cache=False, **overrides), Schedule())
    services.append(service)
    return service


# -- max_items ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "count"),
    [
        ({"version": 2, "items": _items(4)}, 4),
        ({"version": 2, "base_version": 1, "upserts": _items(2), "deletes": ["a", "b"]}, 4),
    ],
    ids=["snapshot", "delta"],
)
def test_socket_event_is_refused_when_it_has_more_entries_than_max_items(
    services: list[SyncService],
    test_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    payload: dict[str, Any],
    count: int,
) -> None:
    service = _service(services, test_settings, max_items=3, max_update_rate=0)
    service.on_event({"version": 1, "items": _items(3)})
    before = _shown(service)

    service.on_event(payload)

    assert _shown(service) == before
    rejected = _events(caplog, "payload_rejected")
    assert rejected == [{"source": "socket", "reason": f"{count} items, over max_items 3"}]


def test_socket_event_is_applied_when_it_has_exactly_max_items(
    services: list[SyncService], test_settings: Settings
) -> None:
    service = _service(services, test_settings, max_items=3, max_update_rate=0)

    service.on_event({"version": 1, "items": _items(3)})

    assert len(service.schedule) == 3


def test_rest_snapshot_is_refused_when_it_has_more_items_than_max_items(
    services: list[SyncService],
    test_settings: Settings,
    demo: DemoServerThread,
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = _service(services, test_settings, server_url=demo.url, max_items=5)
    service.on_event({"version": 1, "items": _items(2)})
    before = _shown(service)

    service.request_snapshot("manual")
    qtbot.waitUntil(lambda: bool(_events(caplog, "payload_rejected")), timeout=5000)

    assert _events(caplog, "payload_rejected") == [
        {"source": "rest", "reason": "12 items, over max_items 5"}
    ]
    qtbot.waitUntil(lambda: not service.fetching, timeout=5000)
    assert _shown(service) == before


def test_cache_file_is_ignored_when_it_has_more_items_than_max_items(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "snapshot.json"
    body = {"version": 7, "items": _items(4)}
    SnapshotCache(path, "http://x", "ns", 1 << 20).save(body, 7, datetime.now(UTC))

    loaded = SnapshotCache(path, "http://x", "ns", 1 << 20, max_items=3).load()

    assert loaded is None
    reason = "4 items, over max_items 3"
    assert _events(caplog, "payload_rejected") == [{"source": "cache", "reason": reason}]
    assert _events(caplog, "cache_ignored")[0]["reason"] == reason
    assert SnapshotCache(path, "http://x", "ns", 1 << 20, max_items=4).load() is not None


def test_cache_is_not_shown_at_start_when_it_has_more_items_than_max_items(
    services: list[SyncService], test_settings: Settings, tmp_path: Path
) -> None:
    settings = test_settings.with_overrides(cache_dir=tmp_path / "cache", max_items=3)
    cache = SnapshotCache.for_settings(settings)
    cache.save({"version": 7, "items": _items(4)}, 7, datetime.now(UTC))
    service = SyncService(settings, Schedule())
    services.append(service)

    assert service.offline.restore() is False
    assert _shown(service) == ((), None)


# -- max_payload_bytes --------------------------------------------------------------------------


def test_rest_body_is_refused_with_its_cap_logged_when_over_max_payload_bytes(
    services: list[SyncService],
    test_settings: Settings,
    demo: DemoServerThread,
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = _service(services, test_settings, server_url=demo.url, max_payload_bytes=1024)
    service.on_event({"version": 1, "items": _items(2)})
    before = _shown(service)

    service.request_snapshot("manual")
    qtbot.waitUntil(lambda: bool(_events(caplog, "poll")), timeout=5000)

    (poll,) = _events(caplog, "poll")
    assert poll["outcome"] == "error"
    assert "over 1024 bytes" in poll["error"]
    assert _shown(service) == before


def test_socket_message_is_refused_and_the_link_dropped_when_over_max_payload_bytes(
    services: list[SyncService],
    test_settings: Settings,
    demo: DemoServerThread,
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = _service(
        services, test_settings, server_url=demo.url, max_payload_bytes=1024, max_update_rate=0
    )
    service.start()
    qtbot.waitUntil(lambda: service.tracker.status().state is ConnectionState.LIVE, timeout=10000)
    service.on_event({"version": 10**6, "items": _items(2)})
    before = _shown(service)

    demo.call(demo.server.emit_payload, {"version": 10**6 + 1, "items": _items(40, "x" * 40)})
    qtbot.waitUntil(
        lambda: service.tracker.status().state is not ConnectionState.LIVE, timeout=10000
    )

    assert _shown(service) == before
    lost = [e for e in _events(caplog, "state_changed") if e["previous"] == "live"]
    assert lost, _events(caplog, "state_changed")


def test_socket_message_over_max_payload_bytes_is_logged_naming_the_cap(
    services: list[SyncService],
    test_settings: Settings,
    demo: DemoServerThread,
    qtbot: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = _service(services, test_settings, server_url=demo.url, max_payload_bytes=1024)
    service.start()
    qtbot.waitUntil(lambda: service.tracker.status().state is ConnectionState.LIVE, timeout=10000)

    demo.call(demo.server.emit_payload, {"version": 2, "items": _items(40, "x" * 40)})
    qtbot.waitUntil(lambda: bool(_events(caplog, "socket_disconnected")), timeout=10000)

    assert "max_payload_bytes" in str(_events(caplog, "socket_disconnected"))
