"""ScheduleView: filtered, re-ordered rows that follow the schedule with minimal row edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule, ScheduleObserver
from dashboard_desktop.core.view import ScheduleView, ViewObserver
from tests.unit.core.recording import RecordingObserver

BASE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)

OrderKey = Callable[[Item], Any]


def make(key: str, hour: float, title: str | None = None, location: str | None = None) -> Item:
    """An item starting ``hour`` hours after 08:00 UTC."""
    start = BASE + timedelta(hours=hour)
    return Item(key, key, title or f"T{key}", start, location=location)


def text(item: Item) -> str:
    return f"{item.title} {item.location or ''}"


def by_title(item: Item) -> Any:
    return item.title


def by_location(item: Item) -> Any:
    """Location may be None: map it to a comparable tuple (missing last)."""
    return (item.location is None, item.location or "")


def viewed(
    *items: Item, needle: str = "", order: OrderKey | None = None, descending: bool = False
) -> tuple[Schedule, ScheduleView, RecordingObserver]:
    schedule = Schedule()
    schedule.replace(items, 1)
    view = ScheduleView(schedule, text)
    view.set_filter(needle)
    view.set_order(order, descending)
    observer = RecordingObserver(view)
    view.add_observer(observer)
    return schedule, view, observer


def keys(view: ScheduleView) -> list[str]:
    return [i.key for i in view.items]


def test_view_and_recorder_satisfy_the_observer_protocols_when_type_checked() -> None:
    view = ScheduleView(Schedule(), text)
    as_schedule_observer: ScheduleObserver = view
    as_view_observer: ViewObserver = RecordingObserver(view)
    assert as_schedule_observer is view and as_view_observer is not None


# -- filter and order --------------------------------------------------------------------------


def test_view_shows_every_row_in_schedule_order_when_created() -> None:
    _, view, _ = viewed(make("b", 2), make("a", 1), make("c", 3))

    assert keys(view) == ["a", "b", "c"]
    assert len(view) == 3
    assert view.row(1) == make("b", 2)
    assert [view.row_of(k) for k in "abc"] == [0, 1, 2]
    assert view.needle == ""


def test_filter_matches_substring_ignoring_case_when_needle_is_set() -> None:
    _, view, observer = viewed(
        make("a", 1, "Standup"), make("b", 2, "Lunch", "STAGE"), make("c", 3, "Review")
    )

    view.set_filter("sTa")

    assert keys(view) == ["a", "b"]
    assert view.needle == "sTa"
    assert view.row_of("c") is None
    assert observer.take() == [("reset",)]
    observer.check()


def test_filter_folds_case_when_text_has_special_casing() -> None:
    _, view, _ = viewed(make("a", 1, "Straße"), make("b", 2, "Strasse"), make("c", 3, "Strand"))

    view.set_filter("STRASS")

    assert keys(view) == ["a", "b"]


def test_empty_needle_shows_every_row_when_filter_is_cleared() -> None:
    _, view, observer = viewed(make("a", 1, "x"), make("b", 2, "y"), needle="x")

    view.set_filter("")

    assert keys(view) == ["a", "b"]
    assert observer.take() == [("reset",)]
    observer.check()


def test_no_reset_is_emitted_when_a_new_needle_keeps_the_same_rows() -> None:
    _, view, observer = viewed(make("a", 1, "alpha"), make("b", 2, "bob"), needle="a")

    view.set_filter("al")
    view.set_filter("AL")

    assert keys(view) == ["a"]
    assert observer.take() == []


def test_rows_are_ordered_by_key_then_schedule_order_when_order_is_set() -> None:
    _, view, observer = viewed(make("a", 1, "B"), make("b", 2, "A"), make("c", 3, "B"))

    view.set_order(by_title)

    assert keys(view) == ["b", "a", "c"]
    assert observer.take() == [("reset",)]
    view.set_order(by_title, descending=True)
    assert keys(view) == ["c", "a", "b"]
    assert [view.row_of(k) for k in "cab"] == [0, 1, 2]
    assert view.row(0).key == "c"
    observer.check()


def test_no_reset_is_emitted_when_order_keeps_the_same_rows() -> None:
    _, view, observer = viewed(make("a", 1, "A"), make("b", 2, "B"))

    view.set_order(by_title)

    assert observer.take() == []
    assert keys(view) == ["a", "b"]


def test_text_is_computed_once_per_item_version_when_filtering_repeatedly() -> None:
    calls: list[str] = []

    def counting(item: Item) -> str:
        calls.append(item.key)
        return item.title

    schedule = Schedule()
    schedule.replace([make("a", 1, "x"), make("b", 2, "y")], 1)
    view = ScheduleView(schedule, counting)
    schedule.apply_delta([make("c", 3, "x")], [], 2)
    assert calls == []  # nothing is computed before a needle is set

    view.set_filter("x")
    view.set_filter("")
    view.set_order(by_title, descending=True)
    view.set_filter("y")
    assert sorted(calls) == ["a", "b", "c"]

    schedule.apply_delta([make("a", 1, "y")], [], 3)
    assert sorted(calls) == ["a", "a", "b", "c"]
    assert keys(view) == ["b", "a"]


def test_view_ignores_the_schedule_when_detached() -> None:
    schedule, view, observer = viewed(make("a", 1))

    view.detach()
    schedule.apply_delta([make("b", 2)], [], 2)

    assert observer.calls == []
    assert keys(view) == ["a"]


# -- minimal edits for schedule edits ----------------------------------------------------------


def test_one_changed_is_emitted_when_a_shown_item_changes_in_place() -> None:
    schedule, _, observer = viewed(
        make("a", 1, "x1"), make("b", 2, "y"), make("c", 3, "x2"), needle="x"
    )

    schedule.apply_delta([make("c", 3, "x2", "Hall")], [], 2)

    assert observer.take() == [("changed", 1, 1)]
    observer.check()


def test_nothing_is_emitted_when_a_hidden_item_changes_and_still_does_not_match() -> None:
    schedule, _, observer = viewed(make("a", 1, "x"), make("b", 2, "y"), needle="x")

    schedule.apply_delta([make("b", 2, "y", "Hall")], [], 2)

    assert observer.take() == []


def test_one_remove_is_emitted_when_an_item_leaves_the_filter() -> None:
    schedule, view, observer = viewed(
        make("a", 1, "x1"), make("b", 2, "x2"), make("c", 3, "x3"), needle="x"
    )

    schedule.apply_delta([make("b", 2, "y")], [], 2)

    assert observer.take() == [("remove", 1, 1)]
    observer.check()
    assert keys(view) == ["a", "c"]


def test_one_insert_is_emitted_when_an_item_enters_the_filter() -> None:
    schedule, view, observer = viewed(
        make("a", 1, "x1"), make("b", 2, "y"), make("c", 3, "x3"), needle="x"
    )

    schedule.apply_delta([make("b", 2, "x2")], [], 2)

    assert observer.take() == [("insert", 1, 1)]
    observer.check()
    assert keys(view) == ["a", "b", "c"]


def test_one_insert_is_emitted_when_an_item_enters_the_filter_by_a_schedule_move() -> None:
    schedule, view, observer = viewed(make("a", 1, "x1"), make("b", 2, "y"), needle="x")

    schedule.apply_delta([make("b", 0, "x2")], [], 2)

    assert observer.take() == [("insert", 0, 0)]
    observer.check()
    assert keys(view) == ["b", "a"]


def test_one_move_and_its_change_are_emitted_when_the_order_key_changes() -> None:
    schedule, view, observer = viewed(
        make("a", 1, "A"), make("b", 2, "B"), make("c", 3, "C"), order=by_title
    )

    schedule.apply_delta([make("a", 1, "D")], [], 2)  # same start: no move in the schedule

    assert observer.take() == [("move", 0, 3), ("changed", 2, 2)]
    observer.check()
    assert keys(view) == ["b", "c", "a"]


def test_move_uses_display_rows_when_order_is_descending() -> None:
    schedule, view, observer = viewed(
        make("a", 1), make("b", 2), make("c", 3), make("d", 4), descending=True
    )

    schedule.apply_delta([make("a", 3.5)], [], 2)

    assert observer.take() == [("move", 3, 1), ("changed", 1, 1)]
    observer.check()
    assert keys(view) == ["d", "a", "c", "b"]


def test_removals_go_bottom_up_in_display_rows_when_order_is_descending() -> None:
    titles = dict(zip("abcdef", ["T1", "T5", "T6", "T2", "T3", "T4"], strict=True))
    items = (make(k, h, titles[k]) for h, k in enumerate("abcdef"))
    schedule, view, observer = viewed(*items, order=by_title, descending=True)
    assert keys(view) == list("cbfeda")

    schedule.apply_delta([], ["b", "c", "d"], 2)  # one block of schedule rows 1..3

    assert observer.take() == [("remove", 4, 4), ("remove", 0, 1)]
    observer.check()
    assert keys(view) == list("fea")


def test_snapshot_is_one_insert_when_a_filtered_view_is_empty() -> None:
    schedule, view, observer = viewed(needle="match")
    items = [make(str(n), n / 10, "match" if n % 3 else "other") for n in range(1000)]

    schedule.replace(items, 2)

    assert observer.take() == [("insert", 0, 665)]
    observer.check()
    assert len(view) == 666


def test_snapshot_inserts_are_grouped_by_position_when_ordered_by_another_key() -> None:
    schedule, _, observer = viewed(make("m", -1, "M"), order=by_title)
    items = [make("m", -1, "M"), *(make(str(n), n / 10, "AZ"[n % 2]) for n in range(1000))]

    schedule.replace(items, 2)

    assert observer.take() == [("insert", 0, 499), ("insert", 501, 1000)]
    observer.check()


def test_deletes_are_grouped_in_runs_when_many_rows_go() -> None:
    items = [make(str(n), n, "x" if n % 10 else "y") for n in range(100)]
    schedule, view, observer = viewed(*items, needle="x")

    schedule.replace([i for i in items if int(i.key) >= 50], 2)

    assert observer.take() == [("remove", 0, 44)]
    observer.check()
    assert len(view) == 45


# -- property: random schedule edits, filters and orders ---------------------------------------

KEYS = [*"abcdef", "1", "2"]
ORDERS: dict[str, OrderKey | None] = {"schedule": None, "title": by_title, "where": by_location}

item_strategy = st.builds(
    make,
    key=st.sampled_from(KEYS),
    hour=st.integers(0, 3),
    title=st.sampled_from(["alpha", "Beta", "ALPHA beta", "gamma"]),
    location=st.sampled_from([None, "Hall", "stage b"]),
)
snapshot_op = st.tuples(st.just("snapshot"), st.lists(item_strategy, max_size=9))
delta_op = st.tuples(
    st.just("delta"),
    st.lists(item_strategy, max_size=5),
    st.lists(st.sampled_from([*KEYS, "zz"]), max_size=4),
)
filter_op = st.tuples(
    st.just("filter"), st.sampled_from(["", "a", "al", "alp", "B", "be", "hall", "ga", "zzz"])
)
order_op = st.tuples(st.just("order"), st.sampled_from(sorted(ORDERS)), st.booleans())


def expected_rows(
    schedule: Schedule, needle: str, order: OrderKey | None, descending: bool
) -> list[Item]:
    def full(item: Item) -> Any:
        return item.sort_key if order is None else (order(item), item.sort_key)

    shown = (i for i in schedule.items if needle.casefold() in text(i).casefold())
    return sorted(shown, key=full, reverse=descending)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(item_strategy, max_size=6),
    st.lists(snapshot_op | delta_op | filter_op | order_op, max_size=14),
)
def test_view_matches_reference_and_mirror_when_random_edits_are_applied(
    initial: list[Item], ops: list[tuple[Any, ...]]
) -> None:
    schedule = Schedule()
    schedule.replace(initial, 1)
    view = ScheduleView(schedule, text)
    observer = RecordingObserver(view)
    view.add_observer(observer)
    needle, order, descending = "", None, False

    for op in ops:
        if op[0] == "snapshot":
            schedule.replace(op[1], 2)
        elif op[0] == "delta":
            schedule.apply_delta(op[1], op[2], 2)
        elif op[0] == "filter":
            needle = op[1]
            view.set_filter(needle)
        else:
            order, descending = ORDERS[op[1]], op[2]
            view.set_order(order, descending)

        calls = observer.take()
        observer.check()
        if op[0] in ("snapshot", "delta"):
            assert ("reset",) not in calls, "a schedule edit must not reset the view"
        assert list(view.items) == expected_rows(schedule, needle, order, descending)
        assert [view.row_of(i.key) for i in view.items] == list(range(len(view)))
        assert [view.row(r) for r in range(len(view))] == list(view.items)
        hidden = {i.key for i in schedule.items} - {i.key for i in view.items}
        assert all(view.row_of(key) is None for key in hidden)
