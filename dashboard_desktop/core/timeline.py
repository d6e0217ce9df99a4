"""Which rows matter now: current, next, past and dropped items, and rows possibly out of date.

The rules, at time ``now``:

- An item lasts from ``start`` to its *effective end*: ``end``, or ``start + default_duration``
  when it has none. (Not "until the next item starts": with parallel tracks the next start says
  nothing about this item, and the last item would never end.) An end before the start counts
  as the start.
- ``CURRENT``: ``start <= now < effective end``.
- ``PAST``: ended (``effective end <= now``) less than ``grace`` ago; ``DROPPED`` after that.
  A kiosk hides dropped rows; the desktop dims them like past ones.
- ``NEXT``: not started, and its start is the earliest start after ``now`` (items sharing that
  start are all next).
- ``UPCOMING``: any other item that has not started.
- *Flagged*, on top of the above: its start or effective end passed after the data were last
  confirmed (``confirmed < boundary <= now``), so the server may have changed it meanwhile.
- The schedule is *outdated* ("yesterday's schedule") when every item ended before today's
  local date.

:class:`Timeline` observes a :class:`~dashboard_desktop.core.schedule.Schedule` and keeps its
effective ends sorted beside the schedule's own start order, so a move of ``now`` finds the
rows whose state changed, and the next moment any state changes, in O(log n + changes)
instead of classifying every row. It never reads a clock: ``now`` is given.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dashboard_desktop.core.ends import EndIndex
from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule

_TICK = timedelta(microseconds=1)  # datetime's resolution: "after t" is ">= t + _TICK"
_FAR = datetime.max.replace(tzinfo=UTC)


class Phase(enum.Enum):
    """Where an item stands at ``now``; see the module docstring."""

    UPCOMING = "upcoming"
    NEXT = "next"
    CURRENT = "current"
    PAST = "past"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class RowState:
    """The state of one row: its phase, and whether it may have changed unseen."""

    phase: Phase
    flagged: bool = False


def _pair(phase: Phase) -> tuple[RowState, RowState]:
    return RowState(phase), RowState(phase, flagged=True)


# One shared instance per state, indexed by ``flagged``: states compare by identity.
_UPCOMING, _NEXT, _CURRENT = _pair(Phase.UPCOMING), _pair(Phase.NEXT), _pair(Phase.CURRENT)
_PAST, _DROPPED = _pair(Phase.PAST), _pair(Phase.DROPPED)


@dataclass(frozen=True, slots=True)
class Moment:
    """What the states depend on besides the item.

    Attributes:
        now: The time the states hold at.
        next_start: The earliest start after ``now``, if any.
        confirmed: When the data were last confirmed; ``None`` when confirmed continuously
            (or never), which flags nothing.
        cutoff: ``now - grace``: rows that ended at or before it are dropped.
    """

    now: datetime
    next_start: datetime | None
    confirmed: datetime | None
    cutoff: datetime

    def window(self) -> tuple[datetime, datetime] | None:
        """The span ``(confirmed, now]`` whose boundaries flag a row, if not empty."""
        if self.confirmed is None or self.confirmed >= self.now:
            return None
        return self.confirmed, self.now


def _plus(value: datetime, delta: timedelta) -> datetime:
    try:
        return value + delta
    except OverflowError:  # e.g. a start on 9999-12-31
        return _FAR


def effective_end(item: Item, default_duration: timedelta) -> datetime:
    """When ``item`` ends by the rules of the module docstring."""
    end = item.end
    if end is None:
        return _plus(item.start, default_duration)
    return end if end > item.start else item.start


def local_midnight(now: datetime) -> datetime:
    """The start of ``now``'s local date, aware (correct across daylight-saving changes)."""
    return datetime.combine(now.astimezone().date(), time()).astimezone()


class Timeline:
    """The state of every row of a schedule at one moment, moved along by :meth:`advance`.

    Args:
        schedule: The schedule; the timeline observes it from now on (:meth:`detach`).
        now: The first moment.
        grace: How long an ended row stays past before it is dropped.
        default_duration: How long an item without ``end`` lasts.

    Attributes:
        moment: The current moment.
        generation: Incremented by every :meth:`advance`: a cached state stays valid while it
            is unchanged and the item is the same object.
    """

    def __init__(
        self,
        schedule: Schedule,
        now: datetime,
        *,
        grace: timedelta = timedelta(minutes=15),
        default_duration: timedelta = timedelta(minutes=30),
    ) -> None:
        self.grace = grace
        self.default_duration = default_duration
        self.generation = 0
        self._schedule = schedule
        self._ends = EndIndex(
            {item.key: effective_end(item, default_duration) for item in schedule.items}
        )
        self._inserting = (0, -1)
        self.moment = self._moment(now, None)
        schedule.add_observer(self)

    def detach(self) -> None:
        """Stop observing the schedule."""
        self._schedule.remove_observer(self)

    # -- questions --------------------------------------------------------------------------

    def state(self, item: Item) -> RowState:
        """The state of ``item`` at the current moment (O(1))."""
        return self._state_at(item, effective_end(item, self.default_duration), self.moment)

    def is_dropped(self, item: Item) -> bool:
        """Whether ``item`` ended longer than ``grace`` ago (a kiosk hides it; O(1))."""
        return effective_end(item, self.default_duration) <= self.moment.cutoff

    def states(self) -> dict[str, RowState]:
        """Every row's state at the current moment, by key (O(n): for tests and filters)."""
        moment, state_at, ends = self.moment, self._state_at, self._ends
        return {item.key: state_at(item, ends[item.key], moment) for item in self._schedule.items}

    def dropped(self) -> list[str]:
        """The keys of the dropped rows, in end order (O(log n + dropped): for a kiosk)."""
        return self._ends.until(self.moment.cutoff)

    def next_change(self) -> datetime | None:
        """The earliest moment after now when some row's state changes, if any will."""
        moment = self.moment
        times = [
            self._next_start(moment.now),
            self._ends.first_after(moment.now),
            self._ends.first_after(moment.cutoff),
        ]
        if times[2] is not None:
            times[2] = _plus(times[2], self.grace)
        return min((t for t in times if t is not None), default=None)

    def outdated(self) -> date | None:
        """The local date of the last end when every row ended before today, else ``None``."""
        latest = self._ends.latest()
        if latest is None or latest > local_midnight(self.moment.now):
            return None
        try:
            return (latest - _TICK).astimezone().date()  # an end at midnight: the day before
        except (OverflowError, ValueError):  # e.g. 0001-01-01 west of UTC
            return latest.date()

    # -- moving along -----------------------------------------------------------------------

    def advance(self, now: datetime, confirmed: datetime | None = None) -> set[str]:
        """Move to ``now``, the data confirmed at ``confirmed``; return the keys that changed.

        ``confirmed`` is ``None`` while the data are confirmed continuously (live). Time may
        also go back (a clock correction). A row edited since the last call is reported if
        its state differs, although its edit repaints it anyway.
        """
        before = self.moment
        after = self._moment(now, confirmed)
        candidates = self._candidates(before, after)
        self.moment = after
        self.generation += 1
        get, ends, state_at = self._schedule.get, self._ends, self._state_at
        changed = set()
        for key in candidates:
            item, end = get(key), ends[key]
            if item is not None and state_at(item, end, before) is not state_at(item, end, after):
                changed.add(key)
        return changed

    def _next_start(self, now: datetime) -> datetime | None:
        starts = self._schedule.sort_keys
        index = bisect_left(starts, (now + _TICK,))
        return starts[index][0] if index < len(starts) else None

    def _moment(self, now: datetime, confirmed: datetime | None) -> Moment:
        return Moment(now, self._next_start(now), confirmed, now - self.grace)

    def _state_at(self, item: Item, end: datetime, moment: Moment) -> RowState:
        now, start = moment.now, item.start
        if end <= now:
            pair = _DROPPED if end <= moment.cutoff else _PAST
        elif start <= now:
            pair = _CURRENT
        elif start == moment.next_start:
            pair = _NEXT
        else:
            pair = _UPCOMING
        confirmed = moment.confirmed
        if confirmed is None:
            return pair[0]
        return pair[confirmed < start <= now or confirmed < end <= now]

    def _candidates(self, before: Moment, after: Moment) -> set[str]:
        """The keys whose state may differ between two moments (a superset)."""
        ends = self._ends
        low, high = sorted((before.now, after.now))
        keys = self._starting(low, high)
        keys.update(ends.between(low, high), ends.between(low - self.grace, high - self.grace))
        for start in (before.next_start, after.next_start):
            if start is not None:
                keys.update(self._starting_at(start))
        if before.confirmed != after.confirmed:
            for window in (before.window(), after.window()):
                if window is not None:
                    keys.update(self._starting(*window), ends.between(*window))
        return keys

    def _starting(self, low: datetime, high: datetime) -> set[str]:
        """Keys of the rows that start in ``(low, high]``."""
        starts = self._schedule.sort_keys
        first = bisect_left(starts, (low + _TICK,))
        last = bisect_left(starts, (high + _TICK,))
        return {key for _, _, key in starts[first:last]}

    def _starting_at(self, start: datetime) -> set[str]:
        """Keys of the rows that start at ``start``."""
        starts = self._schedule.sort_keys
        index = bisect_left(starts, (start,))
        keys = set()
        while index < len(starts) and starts[index][0] == start:
            keys.add(starts[index][2])
            index += 1
        return keys

    # -- ScheduleObserver -------------------------------------------------------------------

    def _put(self, items: Iterable[Item]) -> None:
        duration = self.default_duration
        self._ends.put_many({item.key: effective_end(item, duration) for item in items})

    def begin_insert(self, first: int, last: int) -> None:
        """Remember where rows are being inserted."""
        self._inserting = (first, last)

    def end_insert(self) -> None:
        """Index the inserted rows."""
        first, last = self._inserting
        self._put(self._schedule.items[first : last + 1])

    def begin_remove(self, first: int, last: int) -> None:
        """Forget the rows about to be removed."""
        for item in self._schedule.items[first : last + 1]:
            self._ends.remove(item.key)

    def end_remove(self) -> None:
        """Nothing to do: the rows were forgotten on :meth:`begin_remove`."""

    def begin_move(self, source: int, destination: int) -> None:
        """Nothing to do: a moved row is announced as changed afterwards."""

    def end_move(self) -> None:
        """Nothing to do (see :meth:`begin_move`)."""

    def changed(self, first: int, last: int) -> None:
        """Re-index the changed rows."""
        self._put(self._schedule.items[first : last + 1])
