"""Coalescing: folded pushes equal the pushes applied one by one; the pacer's frame rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard_desktop.core.coalesce import PendingUpdate, UpdatePacer
from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.protocol import Delta, Snapshot
from dashboard_desktop.core.schedule import Schedule

BASE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
KEYS = [f"k{n}" for n in range(8)]


def make(key: str, minutes: int, note: str = "") -> Item:
    start = (BASE + timedelta(minutes=minutes)).isoformat()
    return parse_item({"id": key, "title": key, "start": start, "notes": note})


def delta(
    version: int, upserts: list[Item], deletes: list[str], emitted: int | None = None
) -> Delta:
    return Delta(version, version - 1, tuple(upserts), tuple(deletes), emitted)


def state(schedule: Schedule) -> tuple[int | None, list[Item]]:
    return schedule.version, list(schedule.items)


def apply(schedule: Schedule, payload: Snapshot | Delta) -> None:
    if isinstance(payload, Snapshot):
        schedule.replace(payload.items, payload.version)
    else:
        schedule.apply_delta(payload.upserts, payload.deletes, payload.version)


item_st = st.builds(make, st.sampled_from(KEYS), st.integers(0, 120), st.sampled_from(["", "x"]))
step_st = st.one_of(
    st.tuples(
        st.just("delta"),
        st.lists(item_st, max_size=4),
        st.lists(st.sampled_from(KEYS), max_size=3),
    ),
    st.tuples(st.just("snapshot"), st.lists(item_st, max_size=6), st.just([])),
)


@settings(max_examples=300, deadline=None)
@given(start=st.lists(item_st, max_size=6), steps=st.lists(step_st, min_size=1, max_size=8))
def test_folded_update_equals_one_by_one_application_when_pushes_overlap(
    start: list[Item], steps: list[tuple[str, list[Item], list[str]]]
) -> None:
    one_by_one, folded_into = Schedule(), Schedule()
    for schedule in (one_by_one, folded_into):
        schedule.replace(start, 1)
    pending = PendingUpdate()
    for version, (kind, items, deletes) in enumerate(steps, start=2):
        payload: Snapshot | Delta
        payload = (
            Snapshot(version, tuple(items))
            if kind == "snapshot"
            else delta(version, items, deletes)
        )
        apply(one_by_one, payload)
        pending.add(payload)
        assert pending.version == version

    folded = pending.take()
    apply(folded_into, folded.payload)

    assert state(folded_into) == state(one_by_one)
    assert folded.events == len(steps)


def test_later_upsert_wins_and_delete_is_cancelled_when_same_key_recurs() -> None:
    pending = PendingUpdate()
    pending.add(delta(2, [make("a", 0, "first")], [], emitted=1000))
    pending.add(delta(3, [], ["a", "b"], emitted=1010))
    pending.add(delta(4, [make("a", 5, "last")], [], emitted=1020))

    folded = pending.take()

    assert isinstance(folded.payload, Delta)
    assert (folded.payload.base_version, folded.payload.version) == (1, 4)
    assert folded.payload.upserts == (make("a", 5, "last"),)
    assert folded.payload.deletes == ("b",)
    assert folded.emitted_at_ms == (1000, 1010, 1020)


def test_snapshot_discards_earlier_deltas_when_folded_after_them() -> None:
    pending = PendingUpdate()
    pending.add(delta(2, [make("a", 0)], ["z"]))
    pending.add(Snapshot(3, (make("b", 0),)))
    pending.add(delta(4, [make("c", 1)], ["b"]))

    folded = pending.take()

    assert isinstance(folded.payload, Snapshot)
    assert folded.payload.version == 4
    assert folded.payload.items == (make("c", 1),)


def test_pending_is_empty_again_when_taken() -> None:
    pending = PendingUpdate()
    pending.add(delta(2, [make("a", 0)], []))
    pending.take()

    assert not pending
    assert pending.version is None
    with pytest.raises(LookupError):
        pending.take()


def test_first_update_is_not_delayed_when_no_update_came_before() -> None:
    assert UpdatePacer(60).delay(now=5.0) == 0.0


def test_update_waits_for_end_of_frame_when_last_update_is_recent() -> None:
    pacer = UpdatePacer(50)  # 20 ms frames
    pacer.applied(10.0)

    assert pacer.delay(10.005) == pytest.approx(0.015)
    assert pacer.delay(10.020) == 0.0
    assert pacer.delay(11.0) == 0.0


def test_updates_are_never_delayed_when_rate_is_unlimited() -> None:
    pacer = UpdatePacer(0)
    pacer.applied(10.0)

    assert pacer.delay(10.0) == 0.0


def test_at_most_max_rate_updates_a_second_when_events_arrive_continuously() -> None:
    pacer = UpdatePacer(60)
    updates = 0
    for millisecond in range(1000):  # an event every millisecond for one second
        now = millisecond / 1000
        if pacer.delay(now) == 0.0:
            pacer.applied(now)
            updates += 1

    assert 55 <= updates <= 60
