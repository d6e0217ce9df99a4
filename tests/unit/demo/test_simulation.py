"""Unit tests of the demo backend's day simulation (pure, with a fake clock)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from dashboard_desktop.demo.simulation import Change, DaySimulation, ItemId

STATUSES = {"scheduled", "in_progress", "delayed", "completed", "cancelled"}
OPTIONAL_STRINGS = ("location", "assignee", "notes")


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def morning_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 27, 9, 30).astimezone())


def by_id(items: list[dict[str, Any]]) -> dict[ItemId, dict[str, Any]]:
    return {item["id"]: item for item in items}


def apply(items: dict[ItemId, dict[str, Any]], change: Change) -> None:
    for item in change.upserts:
        items[item["id"]] = item
    for item_id in change.deletes:
        del items[item_id]


def assert_valid_item(item: dict[str, Any]) -> None:
    """Checks an item against protocol.md §4."""
    assert isinstance(item["id"], str | int)
    assert not isinstance(item["id"], bool)
    assert isinstance(item["title"], str)
    assert item["title"]
    start = datetime.fromisoformat(item["start"])
    end = datetime.fromisoformat(item["end"])
    assert start.utcoffset() is not None
    assert end > start
    assert item["status"] in STATUSES
    assert datetime.fromisoformat(item["updated_at"]).utcoffset() is not None
    for field in OPTIONAL_STRINGS:
        assert isinstance(item.get(field, ""), str)


def allowed_statuses(item: dict[str, Any], now: datetime) -> set[str]:
    """Returns the statuses consistent with the clock; any item may be cancelled."""
    if now >= datetime.fromisoformat(item["end"]):
        return {"completed", "cancelled"}
    if now >= datetime.fromisoformat(item["start"]):
        return {"in_progress", "cancelled"}
    return {"scheduled", "delayed", "cancelled"}


def test_version_starts_at_one_and_grows_by_one_when_stepping() -> None:
    sim = DaySimulation(items=20, seed=1, now=morning_clock())

    assert sim.version == 1
    assert sim.snapshot()["version"] == 1
    for expected in range(2, 52):
        change = sim.step()
        assert (change.version, change.base_version) == (expected, expected - 1)
        assert sim.version == expected
    assert sim.snapshot()["version"] == 51


def test_applying_every_change_reproduces_snapshot_when_clock_advances() -> None:
    clock = FakeClock(datetime(2026, 11, 27, 5, 0).astimezone())
    sim = DaySimulation(items=60, seed=3, now=clock)
    mirror = by_id(sim.snapshot()["items"])

    for _ in range(600):
        clock.advance(minutes=2)
        change = sim.step()
        assert change.upserts or change.deletes
        assert not {item["id"] for item in change.upserts} & set(change.deletes)
        apply(mirror, change)

    assert mirror == by_id(sim.snapshot()["items"])
    assert len(mirror) == len(sim)


def test_items_are_valid_when_generated_and_changed() -> None:
    clock = morning_clock()
    sim = DaySimulation(items=200, seed=4, now=clock)
    changed = []
    for _ in range(300):
        clock.advance(minutes=1)
        changed.extend(sim.step().upserts)

    for item in sim.snapshot()["items"] + changed:
        assert_valid_item(item)


def test_statuses_are_consistent_with_clock_when_time_passes() -> None:
    clock = FakeClock(datetime(2026, 11, 27, 7, 0).astimezone())
    sim = DaySimulation(items=300, seed=5, now=clock)
    for _ in range(200):
        clock.advance(minutes=3)
        sim.step()

    for item in sim.snapshot()["items"]:
        assert item["status"] in allowed_statuses(item, clock.current)


def test_status_advances_in_a_change_when_item_starts() -> None:
    clock = FakeClock(datetime(2026, 11, 27, 5, 0).astimezone())
    sim = DaySimulation(items=50, seed=6, now=clock)
    first = min(sim.snapshot()["items"], key=lambda item: item["start"])
    clock.current = datetime.fromisoformat(first["start"]) + timedelta(seconds=1)

    change = sim.step()

    upserts = by_id(change.upserts)
    assert first["id"] in upserts or first["id"] in change.deletes
    if first["id"] in upserts and first["status"] != "cancelled":
        assert upserts[first["id"]]["status"] in {"in_progress", "completed"}


def test_all_statuses_appear_when_day_is_under_way() -> None:
    clock = FakeClock(datetime(2026, 11, 27, 12, 0).astimezone())
    sim = DaySimulation(items=500, seed=7, now=clock)
    for _ in range(100):
        sim.step()

    assert {item["status"] for item in sim.snapshot()["items"]} == STATUSES


def test_schedule_covers_today_with_parallel_items_when_thousands() -> None:
    clock = morning_clock()
    sim = DaySimulation(items=3000, seed=8, now=clock)
    items = sim.snapshot()["items"]
    starts = sorted(datetime.fromisoformat(item["start"]) for item in items)

    assert len(items) == 3000
    assert {start.date() for start in starts} == {clock.current.date()}
    assert starts[-1] - starts[0] > timedelta(hours=10)
    assert len(starts) - len(set(starts)) > 100  # many items share a start time


def test_ids_are_unique_and_mostly_strings_when_generated() -> None:
    sim = DaySimulation(items=400, seed=9, now=morning_clock())
    ids = [item["id"] for item in sim.snapshot()["items"]]

    strings = [item_id for item_id in ids if isinstance(item_id, str)]
    assert len(set(ids)) == len(ids)
    assert 0.7 < len(strings) / len(ids) < 1.0
    assert all(item_id.startswith("job-") for item_id in strings)


def test_same_seed_gives_same_schedule_and_changes_when_clock_is_the_same() -> None:
    def run(seed: int) -> list[Any]:
        clock = morning_clock()
        sim = DaySimulation(items=100, seed=seed, now=clock)
        history: list[Any] = [sim.snapshot()]
        for _ in range(100):
            clock.advance(minutes=1)
            history.append(sim.step())
        return history

    assert run(10) == run(10)
    assert run(10) != run(11)


def test_step_inserts_an_item_when_schedule_is_empty() -> None:
    sim = DaySimulation(items=0, seed=12, now=morning_clock())

    change = sim.step()

    assert change.deletes == []
    assert len(change.upserts) == 1
    assert_valid_item(change.upserts[0])
    assert len(sim) == 1


def test_snapshot_items_are_copies_when_caller_mutates_them() -> None:
    sim = DaySimulation(items=5, seed=13, now=morning_clock())
    snapshot = sim.snapshot()
    snapshot["items"][0]["title"] = "mutated"

    assert sim.snapshot()["items"][0]["title"] != "mutated"


def test_naive_clock_is_taken_as_local_time_when_given() -> None:
    sim = DaySimulation(items=5, seed=14, now=lambda: datetime(2026, 11, 27, 9, 0))

    for item in sim.snapshot()["items"]:
        assert datetime.fromisoformat(item["start"]).utcoffset() is not None
    assert sim.snapshot()["generated_at"].endswith("Z")


def test_constructor_raises_when_items_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        DaySimulation(items=-1)


def test_delta_payload_has_protocol_shape_when_built() -> None:
    change = DaySimulation(items=10, seed=15, now=morning_clock()).step()

    payload = change.payload()

    assert set(payload) == {"version", "base_version", "upserts", "deletes"}
    assert payload["version"] == payload["base_version"] + 1


def test_step_is_fast_when_50000_items() -> None:
    clock = morning_clock()
    sim = DaySimulation(items=50_000, seed=16, now=clock)

    started = time.perf_counter()
    for _ in range(2000):
        clock.advance(seconds=5)
        sim.step()
    elapsed = time.perf_counter() - started

    assert len(sim) > 49_000
    # About 0.05 s here; a step that scanned all items would take 10 s or more.
    assert elapsed < 3.0, f"2000 steps took {elapsed:.2f} s"
