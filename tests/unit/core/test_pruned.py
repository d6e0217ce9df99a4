"""PrunedRows: the schedule without its hidden (a kiosk's dropped) rows, with minimal edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.pruned import PrunedRows
from dashboard_desktop.core.schedule import Schedule, ScheduleObserver
from tests.unit.core.recording import RecordingObserver

BASE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def make(key: str, hour: float, title: str = "") -> Item:
    """An item starting ``hour`` hours after 08:00 UTC, lasting an hour."""
    start = BASE + timedelta(hours=hour)
    return Item(key, key, title or f"T{key}", start, start + timedelta(hours=1))


class Cutoff:
    """Hides the items that ended at or before ``at`` (like a timeline's dropped rows)."""

    def __init__(self, hour: float = -10) -> None:
        self.at = BASE + timedelta(hours=hour)

    def move(self, hour: float) -> None:
        self.at = BASE + timedelta(hours=hour)

    def __call__(self, item: Item) -> bool:
        return item.end is not None and item.end <= self.at


def pruned(*items: Item, hour: float = -10) -> tuple[Schedule, PrunedRows, Cutoff, Any]:
    schedule = Schedule()
    schedule.replace(items, 1)
    cutoff = Cutoff(hour)
    rows = PrunedRows(schedule, cutoff)
    observer = RecordingObserver(rows)
    rows.add_observer(observer)
    return schedule, rows, cutoff, observer


def keys(rows: PrunedRows) -> list[str]:
    return [item.key for item in rows.items]


def test_rows_satisfy_the_observer_protocol_when_type_checked() -> None:
    as_observer: ScheduleObserver = PrunedRows(Schedule(), Cutoff())
    assert as_observer is not None


def test_hidden_items_are_left_out_when_created() -> None:
    _, rows, _, _ = pruned(make("a", 0), make("b", 1), make("c", 2), hour=2)

    assert keys(rows) == ["c"]
    assert rows.hidden_count == 2
    assert rows.row_of("c") == 0
    assert rows.row_of("a") is None


def test_ended_rows_leave_in_one_removal_when_time_moves_on() -> None:
    _schedule, rows, cutoff, observer = pruned(make("a", 0), make("b", 0.5), make("c", 3))

    cutoff.move(2)
    rows.refresh(["a", "b", "c", "gone"])

    assert observer.take() == [("remove", 0, 1)]
    observer.check()
    assert keys(rows) == ["c"]


def test_rows_come_back_in_order_when_time_goes_back() -> None:
    _schedule, rows, cutoff, observer = pruned(make("a", 0), make("b", 1), make("c", 3), hour=2.5)

    cutoff.move(0)
    rows.refresh(["b", "a"])

    assert observer.take() == [("insert", 0, 0), ("insert", 1, 1)]
    observer.check()


def test_hidden_rows_stay_hidden_when_a_snapshot_brings_them_again() -> None:
    schedule, rows, _, observer = pruned(make("c", 3), hour=2)

    schedule.replace([make("a", 0), make("b", 1), make("c", 3), make("d", 4)], 2)

    assert keys(rows) == ["c", "d"]
    assert observer.take() == [("insert", 1, 1)]
    observer.check()


def test_one_changed_run_is_told_when_shown_items_change_in_place() -> None:
    schedule, _rows, _, observer = pruned(make("a", 0), make("b", 1), make("c", 2))

    schedule.apply_delta([make("a", 0, "new a"), make("b", 1, "new b")], [], 2)

    assert observer.take() == [("changed", 0, 1)]
    observer.check()


def test_an_item_moved_into_the_past_is_hidden_when_it_changes() -> None:
    schedule, rows, _, observer = pruned(make("a", 3), make("b", 4), hour=2)

    schedule.apply_delta([make("a", -1)], [], 2)

    assert keys(rows) == ["b"]
    assert observer.take() == [("remove", 0, 0)]
    observer.check()


# -- property: random schedule edits and moves of the cutoff ------------------------------------

KEYS = [*"abcdef"]
item_strategy = st.builds(
    make,
    key=st.sampled_from(KEYS),
    hour=st.integers(0, 4),
    title=st.sampled_from(["x", "y"]),
)
snapshot_op = st.tuples(st.just("snapshot"), st.lists(item_strategy, max_size=8))
delta_op = st.tuples(
    st.just("delta"),
    st.lists(item_strategy, max_size=4),
    st.lists(st.sampled_from([*KEYS, "zz"]), max_size=3),
)
time_op = st.tuples(st.just("time"), st.integers(-1, 6))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(item_strategy, max_size=6),
    st.integers(-1, 6),
    st.lists(snapshot_op | delta_op | time_op, max_size=12),
)
def test_rows_match_the_unhidden_schedule_and_mirror_when_random_edits_are_applied(
    initial: list[Item], hour: int, ops: list[tuple[Any, ...]]
) -> None:
    schedule, rows, cutoff, observer = pruned(*initial, hour=hour)

    for op in ops:
        if op[0] == "snapshot":
            schedule.replace(op[1], 2)
        elif op[0] == "delta":
            schedule.apply_delta(op[1], op[2], 2)
        else:
            cutoff.move(op[1])
            rows.refresh([item.key for item in schedule.items])

        observer.take()
        observer.check()
        assert list(rows.items) == [i for i in schedule.items if not cutoff(i)]
        assert [rows.row_of(i.key) for i in rows.items] == list(range(len(rows)))
        assert rows.hidden_count == sum(map(cutoff, schedule.items))
