"""Timeline: current, next, past, dropped and flagged rows at a time, and when that changes."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from dashboard_desktop.core.ends import EndIndex
from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.timeline import Phase, RowState, Timeline, local_midnight

T0 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # 11:00 in Berlin
GRACE = timedelta(minutes=15)
DURATION = timedelta(minutes=30)
US = timedelta(microseconds=1)

UPCOMING, NEXT, CURRENT = Phase.UPCOMING, Phase.NEXT, Phase.CURRENT
PAST, DROPPED = Phase.PAST, Phase.DROPPED


def at(minutes: float) -> datetime:
    """``minutes`` after T0."""
    return T0 + timedelta(minutes=minutes)


def make(key: str, start: float, end: float | None = None, **fields: Any) -> Item:
    """An item from ``start`` to ``end`` minutes after T0 (no end if ``None``)."""
    data: dict[str, Any] = {"id": key, "title": f"T{key}", "start": at(start).isoformat()}
    if end is not None:
        data["end"] = at(end).isoformat()
    data.update(fields)
    return parse_item(data)


def timeline_of(*items: Item, now: float = 0) -> tuple[Schedule, Timeline]:
    schedule = Schedule()
    schedule.replace(items, 1)
    timeline = Timeline(schedule, at(now), grace=GRACE, default_duration=DURATION)
    return schedule, timeline


def phases(timeline: Timeline) -> dict[str, Phase]:
    return {key: state.phase for key, state in timeline.states().items()}


def flagged(timeline: Timeline) -> set[str]:
    return {key for key, state in timeline.states().items() if state.flagged}


@pytest.fixture
def berlin() -> Iterator[None]:
    """The local time zone is Europe/Berlin for the test."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


# -- classification ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (-60, NEXT),
        (10 - 1e-6 / 60, NEXT),  # a microsecond before the start
        (10, CURRENT),  # start <= now
        (69.99, CURRENT),
        (70, PAST),  # end <= now
        (84.99, PAST),
        (85, DROPPED),  # end + grace <= now
        (600, DROPPED),
    ],
)
def test_item_phase_follows_start_end_and_grace_when_time_passes(now: float, phase: Phase) -> None:
    _, timeline = timeline_of(make("a", 10, 70))

    timeline.advance(at(now))

    assert timeline.state(make("a", 10, 70)) == RowState(phase)
    assert phases(timeline) == {"a": phase}


def test_every_item_sharing_the_earliest_future_start_is_next_when_several_share_it() -> None:
    _, timeline = timeline_of(
        make("now", -5, 20), make("a", 10, 20), make("b", 10), make("later", 11, 30), now=0
    )

    assert phases(timeline) == {"now": CURRENT, "a": NEXT, "b": NEXT, "later": UPCOMING}


def test_next_moves_on_when_the_next_items_start() -> None:
    _, timeline = timeline_of(make("a", 10, 20), make("b", 30, 40))

    timeline.advance(at(10))

    assert phases(timeline) == {"a": CURRENT, "b": NEXT}


def test_nothing_is_next_when_every_item_has_started() -> None:
    _, timeline = timeline_of(make("a", -10, 20), make("b", -30, -10))

    assert phases(timeline) == {"a": CURRENT, "b": PAST}


def test_dropped_lists_the_rows_ended_more_than_grace_ago_when_asked() -> None:
    _, timeline = timeline_of(
        make("long_ago", -120, -60), make("just", -40, -15), make("past", -20, -5), make("now", 0)
    )

    assert timeline.dropped() == ["long_ago", "just"]
    assert set(timeline.dropped()) == {k for k, p in phases(timeline).items() if p is DROPPED}


def test_item_without_end_is_current_for_the_default_duration_when_end_is_missing() -> None:
    _, timeline = timeline_of(make("open", 0), make("other", 5, 120))

    assert phases(timeline)["open"] is CURRENT
    timeline.advance(at(29.9))
    assert phases(timeline)["open"] is CURRENT  # not cut short by "other" starting
    timeline.advance(at(30))
    assert phases(timeline)["open"] is PAST
    timeline.advance(at(30) + GRACE)
    assert phases(timeline)["open"] is DROPPED


def test_item_is_past_from_its_start_when_its_end_is_before_its_start() -> None:
    _, timeline = timeline_of(make("odd", 10, 5), now=9)

    assert phases(timeline) == {"odd": NEXT}
    timeline.advance(at(10))
    assert phases(timeline) == {"odd": PAST}


def test_past_row_is_dropped_at_its_end_when_grace_is_zero() -> None:
    schedule = Schedule()
    schedule.replace([make("a", 0, 10)], 1)
    timeline = Timeline(schedule, at(10), grace=timedelta(0), default_duration=DURATION)

    assert phases(timeline) == {"a": DROPPED}


def test_extreme_times_are_classified_when_they_cannot_be_offset() -> None:
    far = parse_item({"id": "far", "title": "t", "start": "9999-12-31T23:50:00Z"})
    old = parse_item({"id": "old", "title": "t", "start": "0001-01-01T00:00:00Z"})
    schedule = Schedule()
    schedule.replace([far, old], 1)
    timeline = Timeline(schedule, T0, grace=GRACE, default_duration=timedelta(hours=1))

    assert phases(timeline) == {"far": NEXT, "old": DROPPED}
    assert timeline.next_change() == far.start


# -- flagged rows ------------------------------------------------------------------------------


def test_rows_whose_start_or_end_passed_since_confirmation_are_flagged_when_unconfirmed() -> None:
    _, timeline = timeline_of(
        make("ended_before", -90, -70),  # ended before the confirmation: known
        make("ended_since", -90, -30),
        make("started_since", -30, 60),
        make("running", -90, 60),  # started before, not ended: nothing passed unseen
        make("upcoming", 10, 60),
    )

    timeline.advance(at(0), confirmed=at(-60))

    assert flagged(timeline) == {"ended_since", "started_since"}
    assert phases(timeline)["started_since"] is CURRENT  # the flag comes on top of the phase


def test_boundary_at_the_confirmation_itself_is_not_flagged_when_confirmed_then() -> None:
    _, timeline = timeline_of(make("a", -60, -30))

    timeline.advance(at(0), confirmed=at(-30))

    assert flagged(timeline) == set()


def test_nothing_is_flagged_when_confirmed_continuously() -> None:
    _, timeline = timeline_of(make("a", -60, -30), make("b", -10, 10))

    timeline.advance(at(0), confirmed=None)

    assert flagged(timeline) == set()


def test_flags_clear_when_a_new_confirmation_arrives() -> None:
    _, timeline = timeline_of(make("a", -60, -30), make("b", -10, 10))
    timeline.advance(at(0), confirmed=at(-45))

    changed = timeline.advance(at(1), confirmed=at(1))

    assert changed == {"a", "b"}
    assert flagged(timeline) == set()


def test_row_becomes_flagged_when_its_end_passes_while_unconfirmed() -> None:
    _, timeline = timeline_of(make("a", -60, 5))
    timeline.advance(at(0), confirmed=at(-1))
    assert flagged(timeline) == set()

    changed = timeline.advance(at(5), confirmed=at(-1))

    assert changed == {"a"}
    assert timeline.states()["a"] == RowState(PAST, flagged=True)


# -- what changed, and when the next change is -------------------------------------------------


def test_advance_returns_only_the_rows_whose_state_changed_when_time_passes() -> None:
    _, timeline = timeline_of(
        make("ends", -30, 10), make("starts", 10, 40), make("next", 40, 50), make("far", 90, 99)
    )

    changed = timeline.advance(at(10))

    assert changed == {"ends", "starts", "next"}  # "next" became next; "far" did not change
    assert phases(timeline) == {"ends": PAST, "starts": CURRENT, "next": NEXT, "far": UPCOMING}


def test_advance_returns_nothing_when_no_boundary_passed() -> None:
    _, timeline = timeline_of(make("a", -30, 10), make("b", 10, 40))

    assert timeline.advance(at(5)) == set()


def test_advance_reports_the_old_next_rows_when_an_earlier_item_is_inserted() -> None:
    schedule, timeline = timeline_of(make("a", 30, 40), make("b", 30, 50), make("c", 60, 70))

    schedule.apply_delta([make("early", 10, 20)], [], 2)
    changed = timeline.advance(at(0))

    assert changed == {"a", "b", "early"}
    assert phases(timeline) == {"early": NEXT, "a": UPCOMING, "b": UPCOMING, "c": UPCOMING}


def test_advance_reports_the_new_next_rows_when_the_next_item_is_deleted() -> None:
    schedule, timeline = timeline_of(make("a", 30, 40), make("c", 60, 70), make("d", 60, 80))

    schedule.apply_delta([], ["a"], 2)

    assert timeline.advance(at(0)) == {"c", "d"}


def test_next_change_is_the_earliest_start_end_or_drop_when_items_lie_ahead() -> None:
    _, timeline = timeline_of(make("ended", -40, -10), make("running", -5, 20), make("b", 30))

    assert timeline.next_change() == at(-10) + GRACE  # "ended" is dropped at 5
    timeline.advance(at(5))
    assert timeline.next_change() == at(20)  # "running" ends
    timeline.advance(at(20))
    assert timeline.next_change() == at(30)  # "b" starts
    timeline.advance(at(30))
    assert timeline.next_change() == at(20) + GRACE  # "running" is dropped
    timeline.advance(at(35))
    assert timeline.next_change() == at(60)  # "b", without end, ends after the default


def test_next_change_is_none_when_every_row_is_dropped_or_schedule_is_empty() -> None:
    _, timeline = timeline_of(make("a", -90, -60))
    assert timeline.next_change() is None

    _, empty = timeline_of()
    assert empty.next_change() is None


def test_next_change_is_strictly_after_now_when_now_is_a_boundary() -> None:
    _, timeline = timeline_of(make("a", 0, 10), make("b", 0, 20))

    assert timeline.next_change() == at(10)


def test_generation_grows_when_timeline_advances() -> None:
    _, timeline = timeline_of(make("a", 0, 10))
    before = timeline.generation

    timeline.advance(at(1))

    assert timeline.generation > before


# -- following schedule edits (incremental index vs a fresh timeline) --------------------------


def random_item(rng: random.Random, key: str) -> Item:
    start = rng.randrange(-120, 120, 5)
    end = None if rng.random() < 0.3 else start + rng.randrange(-10, 90, 5)
    return make(key, start, end, notes=str(rng.random()))


def test_advance_matches_a_full_recount_when_time_moves_and_schedule_changes() -> None:
    rng = random.Random(4)
    schedule, timeline = timeline_of()
    now, confirmed = at(-150), None
    for version in range(400):
        keys = [f"k{i}" for i in rng.sample(range(40), rng.randrange(40))]
        if rng.random() < 0.3:
            schedule.replace([random_item(rng, key) for key in keys], version)
        else:
            deletes = rng.sample([item.key for item in schedule.items], min(3, len(schedule)))
            schedule.apply_delta([random_item(rng, key) for key in keys[:5]], deletes, version)
        before = timeline.states()  # the edited rows at the old moment
        now += timedelta(minutes=rng.choice([-30, 0, 0.5, 5, 5, 10, 25]))
        if rng.random() < 0.3:
            confirmed = rng.choice([None, now, now - timedelta(minutes=rng.randrange(60))])
        changed = timeline.advance(now, confirmed)
        after = timeline.states()
        assert changed == {key for key in after if after[key] is not before[key]}
        fresh = Timeline(schedule, now, grace=GRACE, default_duration=DURATION)
        fresh.advance(now, confirmed)
        assert after == fresh.states()
        assert timeline.next_change() == fresh.next_change()
        assert set(timeline.dropped()) == {k for k, s in after.items() if s.phase is DROPPED}
        fresh.detach()


def test_next_change_follows_edits_when_ends_change_in_bulk() -> None:
    schedule, timeline = timeline_of(*(make(f"k{i}", i, i + 100) for i in range(200)))
    timeline.advance(at(1000))
    assert timeline.next_change() is None

    schedule.replace([make(f"k{i}", i, 1000 + 200 - i) for i in range(200)], 2)  # all ends move

    assert timeline.next_change() == at(1001)
    schedule.apply_delta([make("k0", 0, 1000.5)], ["k199"], 3)  # a few: one by one
    assert timeline.next_change() == at(1000.5)


def test_timeline_stops_following_schedule_when_detached() -> None:
    schedule, timeline = timeline_of(make("a", 10, 20))
    timeline.detach()

    schedule.apply_delta([make("b", -5, 5)], [], 2)  # would end before "a" starts

    assert timeline.next_change() == at(10)


def test_end_index_answers_ranges_when_edits_are_pending() -> None:
    index = EndIndex({"a": at(10), "b": at(20), "d": at(20)})
    assert index.latest() == at(20)  # sorted now; the edits below are applied one by one
    index.put("c", at(15))
    index.put("a", at(30))
    index.put("a", at(25))  # changed twice before a query
    index.remove("b")  # one of two equal ends

    assert index.between(at(10), at(30)) == ["c", "d", "a"]
    assert index.between(at(15), at(25)) == ["d", "a"]  # (low, high]
    assert index.first_after(at(15)) == at(20)
    assert index.latest() == at(25)
    assert len(index) == 3


# -- yesterday's schedule ----------------------------------------------------------------------


def test_schedule_is_outdated_when_every_item_ended_before_today(berlin: None) -> None:
    midnight = local_midnight(T0)  # 2026-11-27 00:00 Berlin = 26th 23:00 UTC
    minutes = (midnight - T0).total_seconds() / 60
    _, timeline = timeline_of(make("a", minutes - 300, minutes - 60), make("b", minutes - 30))

    assert timeline.outdated() == date(2026, 11, 26)


def test_schedule_is_not_outdated_when_an_item_ends_today(berlin: None) -> None:
    midnight = local_midnight(T0)
    minutes = (midnight - T0).total_seconds() / 60
    _, timeline = timeline_of(make("a", minutes - 300, minutes - 60), make("b", minutes - 10))

    assert timeline.outdated() is None  # "b" lasts 30 minutes: until 00:20 today
    assert local_midnight(T0) == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)


def test_schedule_becomes_outdated_when_the_date_changes(berlin: None) -> None:
    _, timeline = timeline_of(make("a", 0, 60))
    assert timeline.outdated() is None

    timeline.advance(at(14 * 60))  # 01:00 Berlin on the 28th

    assert timeline.outdated() == date(2026, 11, 27)


def test_empty_schedule_is_not_outdated_when_nothing_is_shown() -> None:
    _, timeline = timeline_of()

    assert timeline.outdated() is None


def test_local_midnight_is_correct_when_daylight_saving_ends_that_day(berlin: None) -> None:
    # 2026-10-25: Berlin goes from UTC+2 to UTC+1 at 03:00; midnight was still UTC+2.
    assert local_midnight(datetime(2026, 10, 25, 12, 0, tzinfo=UTC)) == datetime(
        2026, 10, 24, 22, 0, tzinfo=UTC
    )
