"""A deterministic simulation of one working day of a site's schedule.

Pure: no network, no threads. All randomness comes from one seeded
:class:`random.Random` and all time from an injectable clock, so two simulations built
with the same seed and clock produce the same items and the same changes.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dashboard_desktop.demo import vocabulary

Item = dict[str, Any]
ItemId = str | int

_GRID_MINUTES = 5
_DAY_START_HOUR = 6
_DAY_END_HOUR = 22
_DURATIONS = (15, 30, 45, 60, 90, 120, 180)
_DELAYS = (5, 10, 15, 20, 30, 45, 60)
# The random part of :meth:`DaySimulation.step`: actions and their weights.
_ACTIONS = ("delay", "reassign", "note", "insert", "cancel", "delete")
_ACTION_WEIGHTS = (30, 20, 15, 15, 10, 10)


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Change:
    """One change of the schedule, the content of a delta event.

    Attributes:
        version: The schedule version after the change.
        base_version: The version the change applies to (``version - 1``).
        upserts: Complete items that were added or modified (copies).
        deletes: Ids of the items that were removed.
    """

    version: int
    base_version: int
    upserts: list[Item]
    deletes: list[ItemId]

    def payload(self) -> dict[str, Any]:
        """Returns the change as a delta event payload (protocol.md §1)."""
        return {
            "version": self.version,
            "base_version": self.base_version,
            "upserts": self.upserts,
            "deletes": self.deletes,
        }


class DaySimulation:
    """A realistic schedule of today (local time) that changes one step at a time.

    Items are kept indexed by id, and the status transitions driven by the clock are
    kept in a heap, so :meth:`step` costs O(log n) even with 50,000 items.

    Args:
        items: Number of items generated for the day.
        seed: Seed of the random generator; ``None`` for a random one.
        now: Clock returning the current time (naive values are taken as local time).
    """

    def __init__(
        self,
        items: int = 40,
        seed: int | None = None,
        now: Callable[[], datetime] = _local_now,
    ) -> None:
        if items < 0:
            raise ValueError("items must not be negative")
        self._clock = now
        self._rng = random.Random(seed)
        self._version = 1
        self._items: dict[ItemId, Item] = {}
        self._times: dict[ItemId, tuple[datetime, datetime]] = {}
        self._delayed: set[ItemId] = set()
        self._ids: list[ItemId] = []
        self._transitions: list[tuple[float, int, ItemId]] = []
        self._counter = 0
        self._tick = 0
        current = self._now()
        self._day = current.replace(hour=0, minute=0, second=0, microsecond=0)
        for _ in range(items):
            self._add(self._random_start_in_day(), current)
        heapq.heapify(self._transitions)

    @property
    def version(self) -> int:
        """The current schedule version; starts at 1 and grows by 1 per step."""
        return self._version

    def __len__(self) -> int:
        return len(self._items)

    def snapshot(self) -> dict[str, Any]:
        """Returns the whole schedule as a snapshot payload (protocol.md §1)."""
        generated = self._now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "version": self._version,
            "items": [dict(item) for item in self._items.values()],
            "generated_at": generated,
        }

    def step(self) -> Change:
        """Makes one realistic change and bumps the version by 1.

        Items whose status is due to change with the clock are updated, then one random
        change is made: a delay, a reassignment, a new note, a new item, a cancellation
        or a deletion.

        Returns:
            The change, with copies of the changed items.
        """
        current = self._now()
        touched: dict[ItemId, None] = {}  # an ordered set
        deletes: list[ItemId] = []
        self._advance_statuses(current, touched)
        self._random_change(current, touched, deletes)
        self._version += 1
        return Change(
            version=self._version,
            base_version=self._version - 1,
            upserts=[dict(self._items[item_id]) for item_id in touched],
            deletes=deletes,
        )

    def _random_change(
        self, current: datetime, touched: dict[ItemId, None], deletes: list[ItemId]
    ) -> None:
        """Makes the random part of a step, recording the ids it touched or deleted."""
        action = self._rng.choices(_ACTIONS, weights=_ACTION_WEIGHTS)[0]
        if not self._ids:
            action = "insert"
        if action == "delete":
            deleted = self._delete_random()
            touched.pop(deleted, None)
            deletes.append(deleted)
        elif action == "insert":
            start = self._grid(current + timedelta(minutes=self._rng.randint(10, 180)))
            touched[self._add(start, current, track=True)] = None
        else:
            touched[self._modify_random(action, current)] = None

    def _now(self) -> datetime:
        return self._clock().astimezone()

    def _grid(self, moment: datetime) -> datetime:
        minutes = -(-(moment.minute + 1) // _GRID_MINUTES) * _GRID_MINUTES
        return moment.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)

    def _random_start_in_day(self) -> datetime:
        last = (_DAY_END_HOUR - _DAY_START_HOUR) * 60 // _GRID_MINUTES
        slot = self._rng.randint(0, last - 1)
        return self._day + timedelta(hours=_DAY_START_HOUR, minutes=slot * _GRID_MINUTES)

    def _new_id(self) -> ItemId:
        self._counter += 1
        if self._counter % 8 == 0:
            return self._counter
        return f"job-{self._counter:04d}"

    def _add(self, start: datetime, current: datetime, track: bool = False) -> ItemId:
        """Creates an item starting at ``start`` and returns its id.

        Args:
            start: When the item starts.
            current: The current time.
            track: False while building the day (the transitions heap is heapified
                afterwards; some items start cancelled or delayed), True afterwards.
        """
        item_id = self._new_id()
        end = start + timedelta(minutes=self._rng.choice(_DURATIONS))
        self._items[item_id] = self._new_item(item_id, start, end, current, initial=not track)
        self._times[item_id] = (start, end)
        self._ids.append(item_id)
        self._items[item_id]["status"] = self._status_of(item_id, current)
        self._schedule_transitions(item_id, current, push=track)
        return item_id

    def _new_item(
        self, item_id: ItemId, start: datetime, end: datetime, current: datetime, initial: bool
    ) -> Item:
        rng = self._rng
        title = rng.choice(vocabulary.TASKS)
        if title.startswith(("Inbound", "Outbound")):
            title = f"{title} \N{EN DASH} {rng.choice(vocabulary.PARTNERS)}"
        item: Item = {"id": item_id, "title": title, "start": _iso(start), "end": _iso(end)}
        item["location"] = rng.choice(vocabulary.LOCATIONS)
        if rng.random() < 0.9:
            item["assignee"] = rng.choice(vocabulary.ASSIGNEES)
        if rng.random() < 0.4:
            item["notes"] = rng.choice(vocabulary.NOTES)
        cancelled = initial and rng.random() < 0.03
        item["status"] = "cancelled" if cancelled else "scheduled"
        if initial and rng.random() < 0.05:
            self._delayed.add(item_id)
        item["updated_at"] = _iso(current)
        return item

    def _status_of(self, item_id: ItemId, current: datetime) -> str:
        if self._items[item_id]["status"] == "cancelled":
            return "cancelled"
        start, end = self._times[item_id]
        if current >= end:
            return "completed"
        if current >= start:
            return "in_progress"
        return "delayed" if item_id in self._delayed else "scheduled"

    def _schedule_transitions(self, item_id: ItemId, current: datetime, push: bool) -> None:
        """Records when the item's status will next change with the clock."""
        for moment in self._times[item_id]:
            if moment > current:
                self._tick += 1
                entry = (moment.timestamp(), self._tick, item_id)
                if push:
                    heapq.heappush(self._transitions, entry)
                else:
                    self._transitions.append(entry)

    def _advance_statuses(self, current: datetime, touched: dict[ItemId, None]) -> None:
        """Updates the items whose status changed because time has passed."""
        stamp = current.timestamp()
        while self._transitions and self._transitions[0][0] <= stamp:
            _, _, item_id = heapq.heappop(self._transitions)
            if item_id not in self._items:
                continue
            status = self._status_of(item_id, current)
            if status != self._items[item_id]["status"]:
                self._touch(item_id, current, status=status)
                touched[item_id] = None

    def _touch(self, item_id: ItemId, current: datetime, **fields: Any) -> None:
        item = self._items[item_id]
        item.update(fields)
        item["updated_at"] = _iso(current)

    def _pick(self, current: datetime, open_only: bool) -> ItemId:
        """Picks a random item, preferring one that is not finished when asked to."""
        item_id = self._rng.choice(self._ids)
        for _ in range(8):
            if not open_only or self._status_of(item_id, current) in ("scheduled", "delayed"):
                break
            item_id = self._rng.choice(self._ids)
        return item_id

    def _modify_random(self, action: str, current: datetime) -> ItemId:
        """Applies a delay, reassignment, note or cancellation to a random item."""
        rng = self._rng
        item_id = self._pick(current, open_only=action in ("delay", "cancel"))
        status = self._status_of(item_id, current)
        if action == "delay" and status in ("scheduled", "delayed", "in_progress"):
            self._delay(item_id, current, rng.choice(_DELAYS))
        elif action == "cancel" and status in ("scheduled", "delayed"):
            self._touch(item_id, current, status="cancelled")
        elif action == "reassign":
            self._touch(item_id, current, assignee=rng.choice(vocabulary.ASSIGNEES))
        else:
            self._touch(item_id, current, notes=rng.choice(vocabulary.NOTES))
        return item_id

    def _delay(self, item_id: ItemId, current: datetime, minutes: int) -> None:
        """Delays a pending item (or extends a running one) by ``minutes``."""
        start, end = self._times[item_id]
        shift = timedelta(minutes=minutes)
        if start > current:
            start += shift
            self._delayed.add(item_id)
        self._times[item_id] = (start, end + shift)
        self._touch(item_id, current, start=_iso(start), end=_iso(end + shift))
        self._touch(item_id, current, status=self._status_of(item_id, current))
        self._schedule_transitions(item_id, current, push=True)

    def _delete_random(self) -> ItemId:
        """Removes a random item (swap-remove from the id list) and returns its id."""
        index = self._rng.randrange(len(self._ids))
        item_id = self._ids[index]
        last = self._ids.pop()
        if index < len(self._ids):
            self._ids[index] = last
        del self._items[item_id], self._times[item_id]
        self._delayed.discard(item_id)
        return item_id
