"""Schedule: sorted rows and the row edits told to a Qt-like observer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import ChangeSummary, Schedule, ScheduleObserver
from tests.unit.core.recording import Call, RecordingObserver

BASE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def make(key: str | int, hour: float, title: str | None = None, **fields: Any) -> Item:
    """An item starting ``hour`` hours after 08:00 UTC."""
    start = (BASE + timedelta(hours=hour)).isoformat()
    data: dict[str, Any] = {"id": key, "title": title or f"T{key}", "start": start}
    data.update(fields)
    return parse_item(data)


def observed(*items: Item, version: int | None = 1) -> tuple[Schedule, RecordingObserver]:
    schedule = Schedule()
    schedule.replace(items, version)
    observer = RecordingObserver(schedule)
    schedule.add_observer(observer)
    return schedule, observer


def titles(schedule: Schedule) -> list[str]:
    return [i.key for i in schedule.items]


def test_recording_observer_satisfies_the_protocol_when_type_checked() -> None:
    observer: ScheduleObserver = RecordingObserver(Schedule())
    assert observer is not None


# -- initial fill ------------------------------------------------------------------------------


def test_initial_fill_is_one_insert_range_when_schedule_is_empty() -> None:
    schedule, observer = observed(version=None)

    summary = schedule.replace([make("c", 3), make("a", 1), make("b", 2), make("d", 0)], 7)

    assert observer.take() == [("insert", 0, 3)]
    observer.check()
    assert titles(schedule) == ["d", "a", "b", "c"]
    assert summary == ChangeSummary(inserted=4)


def test_empty_snapshot_emits_nothing_when_schedule_is_empty() -> None:
    schedule, observer = observed(version=None)

    summary = schedule.replace([], 1)

    assert observer.take() == []
    assert summary.empty
    assert schedule.version == 1


def test_all_rows_are_removed_in_one_range_when_snapshot_is_empty() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3))

    summary = schedule.replace([], 2)

    assert observer.take() == [("remove", 0, 2)]
    observer.check()
    assert summary == ChangeSummary(removed=3)


# -- snapshot diff -----------------------------------------------------------------------------


def test_snapshot_diff_is_minimal_removes_changes_inserts_when_rows_differ() -> None:
    a, b, c, d, e, f = (make(k, h) for k, h in zip("abcdef", range(1, 7), strict=True))
    schedule, observer = observed(a, b, c, d, e, f)

    summary = schedule.replace(
        [
            a,
            make("d", 4, status="delayed"),
            make("f", 6, location="Hall"),
            make("h", 8),
            make("g", 7),
            make("x", 2.5),
        ],
        2,
    )

    assert observer.take() == [
        ("remove", 4, 4),
        ("remove", 1, 2),
        ("changed", 1, 2),
        ("insert", 1, 1),
        ("insert", 4, 5),
    ]
    observer.check()
    assert titles(schedule) == ["a", "x", "d", "f", "g", "h"]
    assert summary == ChangeSummary(inserted=3, removed=3, moved=0, changed=2)


def test_unchanged_snapshot_emits_nothing_when_items_are_equal() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2, notes="n", extra_field=[1]))

    summary = schedule.replace([make("b", 2, notes="n", extra_field=[1]), make("a", 1)], 2)

    assert observer.take() == []
    assert summary.empty
    assert schedule.version == 2


def test_change_is_announced_when_only_an_unknown_field_changes() -> None:
    schedule, observer = observed(make("a", 1, room="1"), make("b", 2))

    summary = schedule.replace([make("a", 1, room="2"), make("b", 2)], 2)

    assert observer.take() == [("changed", 0, 0)]
    observer.check()
    assert summary == ChangeSummary(changed=1)


def test_start_change_emits_move_and_change_when_row_goes_later() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3), make("d", 4))

    summary = schedule.replace([make("a", 1), make("b", 5), make("c", 3), make("d", 4)], 2)

    assert observer.take() == [("move", 1, 4), ("changed", 3, 3)]
    observer.check()
    assert titles(schedule) == ["a", "c", "d", "b"]
    assert summary == ChangeSummary(moved=1, changed=1)


def test_start_change_emits_move_and_change_when_row_goes_earlier() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3), make("d", 4))

    summary = schedule.replace([make("a", 1), make("b", 2), make("c", 3), make("d", 0)], 2)

    assert observer.take() == [("move", 3, 0), ("changed", 0, 0)]
    observer.check()
    assert titles(schedule) == ["d", "a", "b", "c"]
    assert summary == ChangeSummary(moved=1, changed=1)


def test_start_change_emits_only_change_when_order_is_kept() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3))

    summary = schedule.replace([make("a", 1), make("b", 2.5), make("c", 3)], 2)

    assert observer.take() == [("changed", 1, 1)]
    observer.check()
    assert summary == ChangeSummary(changed=1)


def test_swap_of_neighbours_emits_one_move_when_starts_cross() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2))

    schedule.replace([make("a", 3), make("b", 2)], 2)

    assert observer.take() == [("move", 0, 2), ("changed", 1, 1)]
    observer.check()
    assert titles(schedule) == ["b", "a"]


def test_changed_rows_are_reported_after_all_moves_when_several_items_move() -> None:
    schedule, observer = observed(*(make(k, h) for h, k in enumerate("abcde")))

    schedule.replace(
        [make("a", 10), make("b", 1), make("c", -1), make("d", 3), make("e", 4, notes="x")], 2
    )

    observer.check()
    assert titles(schedule) == ["c", "b", "d", "e", "a"]
    changed = [c for c in observer.edits() if c[0] == "changed"]
    assert changed == [("changed", 0, 0), ("changed", 3, 4)]


# -- delta -------------------------------------------------------------------------------------


def test_delta_removes_then_inserts_when_it_deletes_and_upserts() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3))

    summary = schedule.apply_delta([make("d", 2.5)], ["b"], 2)

    assert observer.take() == [("remove", 1, 1), ("insert", 1, 1)]
    observer.check()
    assert titles(schedule) == ["a", "d", "c"]
    assert summary == ChangeSummary(inserted=1, removed=1)
    assert schedule.version == 2


def test_delta_upsert_updates_in_place_when_key_exists() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2))

    summary = schedule.apply_delta([make("b", 2, status="completed")], [], 2)

    assert observer.take() == [("changed", 1, 1)]
    observer.check()
    assert schedule.get("b") == make("b", 2, status="completed")
    assert summary == ChangeSummary(changed=1)


def test_delta_upsert_moves_row_when_start_changes() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3))

    schedule.apply_delta([make("a", 2.5)], [], 2)

    assert observer.take() == [("move", 0, 2), ("changed", 1, 1)]
    observer.check()


def test_delete_of_unknown_id_is_ignored_when_applying_delta() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2))

    summary = schedule.apply_delta([], ["zzz", "42"], 5)

    assert observer.take() == []
    observer.check()
    assert summary.empty
    assert titles(schedule) == ["a", "b"]
    assert schedule.version == 5


def test_delta_deletes_in_minimal_ranges_when_deleted_rows_are_adjacent() -> None:
    schedule, observer = observed(*(make(k, h) for h, k in enumerate("abcdef")))

    summary = schedule.apply_delta([], ["e", "b", "c", "f"], 2)

    assert observer.take() == [("remove", 4, 5), ("remove", 1, 2)]
    observer.check()
    assert summary == ChangeSummary(removed=4)


def test_delta_inserts_adjacent_new_rows_as_one_range_when_they_sort_together() -> None:
    schedule, observer = observed(make("a", 1), make("z", 9))

    schedule.apply_delta([make("m", 5), make("k", 4), make("n", 6)], [], 2)

    assert observer.take() == [("insert", 1, 3)]
    observer.check()


def test_deleted_and_upserted_key_is_reinserted_when_both_in_one_delta() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2))

    schedule.apply_delta([make("a", 3)], ["a"], 2)

    observer.check()
    assert titles(schedule) == ["b", "a"]
    assert schedule.get("a") == make("a", 3)


def test_last_upsert_wins_when_delta_repeats_a_key() -> None:
    schedule, observer = observed(make("a", 1))

    schedule.apply_delta([make("b", 2, title="old"), make("b", 3, title="new")], [], 2)

    observer.check()
    assert [i.title for i in schedule.items] == ["Ta", "new"]


def test_integer_delete_matches_string_key_when_ids_are_equal_as_text() -> None:
    schedule, observer = observed(make(7, 1), make("8", 2))

    schedule.apply_delta([], ["7"], 2)

    observer.check()
    assert titles(schedule) == ["8"]


def test_repeated_delete_is_applied_once_when_delta_lists_an_id_twice() -> None:
    schedule, observer = observed(make("a", 1), make("b", 2), make("c", 3))

    summary = schedule.apply_delta([], ["a", "a", "b"], 2)

    observer.check()
    assert titles(schedule) == ["c"]
    assert schedule.get("b") is None
    assert summary == ChangeSummary(removed=2)
    assert schedule.version == 2


# -- snapshots with duplicates, ordering, lookup -----------------------------------------------


def test_last_item_wins_when_snapshot_has_duplicate_ids() -> None:
    schedule, observer = observed(version=None)

    summary = schedule.replace(
        [make("a", 5, title="first"), make("b", 2), make("a", 1, title="last")], 3
    )

    assert observer.take() == [("insert", 0, 1)]
    observer.check()
    assert [(i.key, i.title) for i in schedule.items] == [("a", "last"), ("b", "Tb")]
    assert summary == ChangeSummary(inserted=2)


def test_rows_sort_by_title_then_key_when_starts_are_equal() -> None:
    schedule, observer = observed(version=None)

    schedule.replace(
        [make("2", 1, "Beta"), make("1", 1, "Beta"), make("3", 1, "Alpha"), make("0", 0, "Z")], 1
    )

    observer.check()
    assert [(i.key, i.title) for i in schedule.items] == [
        ("0", "Z"),
        ("3", "Alpha"),
        ("1", "Beta"),
        ("2", "Beta"),
    ]


def test_rows_sort_by_instant_when_offsets_differ() -> None:
    schedule = Schedule()
    early = parse_item({"id": "e", "title": "x", "start": "2026-11-27T10:00:00+02:00"})  # 08:00Z
    late = parse_item({"id": "l", "title": "x", "start": "2026-11-27T09:00:00Z"})

    schedule.replace([late, early], 1)

    assert titles(schedule) == ["e", "l"]


def test_title_change_moves_row_when_starts_are_equal() -> None:
    schedule, observer = observed(make("1", 1, "A"), make("2", 1, "B"))

    schedule.apply_delta([make("1", 1, "C")], [], 2)

    assert observer.take() == [("move", 0, 2), ("changed", 1, 1)]
    observer.check()


def test_row_of_returns_row_when_key_is_present() -> None:
    schedule, _ = observed(make("c", 3), make("a", 1), make("b", 2))

    assert [schedule.row_of(k) for k in "abc"] == [0, 1, 2]
    assert schedule.row_of("missing") is None


def test_row_of_follows_moves_when_start_changes() -> None:
    schedule, _ = observed(make("a", 1), make("b", 2), make("c", 3))

    schedule.apply_delta([make("a", 4)], [], 2)

    assert schedule.row_of("a") == 2
    assert schedule.row_of("b") == 0


def test_row_get_and_len_agree_when_queried() -> None:
    schedule, _ = observed(make("a", 1), make("b", 2))

    assert len(schedule) == 2
    assert schedule.row(1) == make("b", 2)
    assert schedule.get("a") == make("a", 1)
    assert schedule.get("nope") is None


@pytest.mark.parametrize("version", [None, 0, 17])
def test_version_is_recorded_when_snapshot_applied(version: int | None) -> None:
    schedule = Schedule()

    schedule.replace([make("a", 1)], version)

    assert schedule.version == version


def test_version_is_recorded_when_delta_applied() -> None:
    schedule, _ = observed(make("a", 1), version=3)

    schedule.apply_delta([], [], 4)

    assert schedule.version == 4


def test_version_is_none_when_schedule_is_new() -> None:
    assert Schedule().version is None
    assert len(Schedule()) == 0


def test_removed_observer_hears_nothing_when_schedule_changes() -> None:
    schedule, observer = observed(make("a", 1))
    schedule.remove_observer(observer)

    schedule.replace([make("b", 2)], 2)

    assert observer.calls == []


def test_every_observer_hears_every_edit_when_two_are_attached() -> None:
    schedule, first = observed(make("a", 1))
    second = RecordingObserver(schedule)
    schedule.add_observer(second)

    schedule.replace([make("a", 3), make("b", 2)], 2)

    assert first.calls == second.calls != []
    first.check()
    second.check()


def test_change_summary_is_empty_when_all_counts_are_zero() -> None:
    assert ChangeSummary().empty
    assert not ChangeSummary(moved=1).empty


# -- property: random snapshots and deltas -----------------------------------------------------

KEYS = ["a", "b", "c", "d", "e", "f", 1, 2]

item_strategy = st.builds(
    make,
    key=st.sampled_from(KEYS),
    hour=st.integers(0, 4),
    title=st.sampled_from(["A", "B"]),
    status=st.sampled_from([None, "delayed"]),
)
snapshot_op = st.tuples(
    st.just("snapshot"), st.lists(item_strategy, max_size=9), st.none() | st.integers(0, 99)
)
delta_op = st.tuples(
    st.just("delta"),
    st.lists(item_strategy, max_size=5),
    # Repeated ids included: a delete listed twice is applied once.
    st.lists(st.sampled_from([str(k) for k in [*KEYS, "zz"]]), max_size=4),
    st.none() | st.integers(0, 99),
)


def _assert_minimal(calls: list[Call]) -> None:
    """Successive ranges of one kind never touch (else they would be one range)."""
    for kind in ("insert", "remove", "changed"):
        ranges = [(c[1], c[2]) for c in calls if c[0] == kind]
        if kind == "remove":
            ranges.reverse()  # emitted bottom-up so earlier rows keep their numbers
        for (_, last), (first, _) in pairwise(ranges):
            assert first > last + 1, f"{kind} ranges {ranges} could be merged"


def _counted(calls: list[Call], kind: str) -> int:
    return sum(c[2] - c[1] + 1 for c in calls if c[0] == kind)


@settings(max_examples=300, deadline=None)
@given(st.lists(snapshot_op | delta_op, max_size=12))
def test_schedule_matches_mirror_and_model_when_random_updates_are_applied(
    ops: list[tuple[Any, ...]],
) -> None:
    schedule = Schedule()
    observer = RecordingObserver(schedule)
    schedule.add_observer(observer)
    model: dict[str, Item] = {}

    for op in ops:
        before = dict(model)
        if op[0] == "snapshot":
            _, items, version = op
            summary = schedule.replace(items, version)
            model = {i.key: i for i in items}
            kept = {k: v for k, v in before.items() if k in model}
        else:
            _, upserts, deletes, version = op
            summary = schedule.apply_delta(upserts, deletes, version)
            kept = {k: v for k, v in before.items() if k not in deletes}
            model = {**kept, **{i.key: i for i in upserts}}

        calls = observer.take()
        observer.check()
        expected = sorted(model.values(), key=lambda i: i.sort_key)
        assert list(schedule.items) == expected
        assert schedule.version == version
        for row, item in enumerate(schedule.items):
            assert schedule.row_of(item.key) == row
            assert schedule.get(item.key) == item
        assert len(schedule) == len(model)

        # A delta deletes before it upserts, so a key in both is removed and inserted again.
        inserted = len(model.keys() - kept.keys())
        removed = len(before.keys() - kept.keys())
        changed = sum(kept[k] != model[k] for k in kept)
        assert summary.inserted == inserted == _counted(calls, "insert")
        assert summary.removed == removed == _counted(calls, "remove")
        assert summary.changed == changed == _counted(calls, "changed")
        assert summary.moved == sum(c[0] == "move" for c in calls) <= changed
        _assert_minimal(calls)
