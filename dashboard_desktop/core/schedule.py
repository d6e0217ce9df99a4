"""The schedule shown to the user: items indexed by key, kept sorted by start.

:class:`Schedule` owns the data; views adapt to it through :class:`ScheduleObserver`, which is
told about every row insert, removal, move and change *as it happens*, in the order and with
the row numbers a Qt item model needs (``beginInsertRows`` ... ``endInsertRows`` and so on).
A snapshot is applied as the smallest such set of edits, never as a reset, so a view keeps its
selection and scroll position.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import attrgetter
from typing import Protocol

from dashboard_desktop.core.items import Item

SortKey = tuple[datetime, str, str]
_SORT_KEY = attrgetter("sort_key")


class ScheduleObserver(Protocol):
    """Receives the row edits of a :class:`Schedule` (Qt's model protocol, without Qt)."""

    def begin_insert(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` are about to be inserted."""

    def end_insert(self) -> None:
        """The announced rows have been inserted."""

    def begin_remove(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` are about to be removed."""

    def end_remove(self) -> None:
        """The announced rows have been removed."""

    def begin_move(self, source: int, destination: int) -> None:
        """Row ``source`` is about to move before row ``destination`` (Qt's convention)."""

    def end_move(self) -> None:
        """The announced row has moved."""

    def changed(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` have new content."""


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """How many rows an update inserted, removed, moved and changed."""

    inserted: int = 0
    removed: int = 0
    moved: int = 0
    changed: int = 0

    @property
    def empty(self) -> bool:
        """True if nothing visible changed."""
        return not (self.inserted or self.removed or self.moved or self.changed)


def row_runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Group sorted row numbers into ``(first, last)`` runs of consecutive rows."""
    runs = []
    for _, run in groupby(enumerate(rows), key=lambda pair: pair[1] - pair[0]):
        members = [row for _, row in run]
        runs.append((members[0], members[-1]))
    return runs


class Schedule:
    """Items sorted by :attr:`Item.sort_key` and indexed by :attr:`Item.key`.

    Attributes:
        version: The version of the data shown, or ``None`` when unversioned or empty.
    """

    def __init__(self) -> None:
        self.version: int | None = None
        self._rows: list[Item] = []
        self._keys: list[SortKey] = []
        self._by_key: dict[str, Item] = {}
        self._observers: list[ScheduleObserver] = []

    def add_observer(self, observer: ScheduleObserver) -> None:
        """Tell ``observer`` about every later row edit."""
        self._observers.append(observer)

    def remove_observer(self, observer: ScheduleObserver) -> None:
        """Stop telling ``observer`` about row edits."""
        self._observers.remove(observer)

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> Item:
        """Return the item shown in row ``index``."""
        return self._rows[index]

    @property
    def items(self) -> Sequence[Item]:
        """All items in row order (a read-only view; do not keep it across updates)."""
        return self._rows

    @property
    def sort_keys(self) -> Sequence[SortKey]:
        """Each row's :attr:`Item.sort_key`, in row order (read-only, like :attr:`items`)."""
        return self._keys

    def get(self, key: str) -> Item | None:
        """Return the item with ``key``, if present."""
        return self._by_key.get(key)

    def row_of(self, key: str) -> int | None:
        """Return the row of the item with ``key``, if present (O(log n))."""
        item = self._by_key.get(key)
        return None if item is None else bisect_left(self._keys, item.sort_key)

    def replace(self, items: Iterable[Item], version: int | None) -> ChangeSummary:
        """Make the schedule equal to ``items`` with the fewest row edits."""
        incoming = {item.key: item for item in items}
        gone = [key for key in self._by_key if key not in incoming]
        removed = self._remove_keys(gone)
        summary = self._upsert_all(incoming.values())
        self.version = version
        return ChangeSummary(summary.inserted, removed, summary.moved, summary.changed)

    def apply_delta(
        self, upserts: Iterable[Item], deletes: Iterable[str], version: int | None
    ) -> ChangeSummary:
        """Apply a delta: delete ``deletes`` (unknown keys are ignored), then upsert."""
        removed = self._remove_keys(list({key: None for key in deletes if key in self._by_key}))
        summary = self._upsert_all({item.key: item for item in upserts}.values())
        self.version = version
        return ChangeSummary(summary.inserted, removed, summary.moved, summary.changed)

    def _remove_keys(self, keys: Sequence[str]) -> int:
        rows = sorted({bisect_left(self._keys, self._by_key[key].sort_key) for key in keys})
        for first, last in reversed(row_runs(rows)):
            for observer in self._observers:
                observer.begin_remove(first, last)
            del self._rows[first : last + 1]
            del self._keys[first : last + 1]
            for observer in self._observers:
                observer.end_remove()
        for key in keys:
            del self._by_key[key]
        return len(rows)

    def _upsert_all(self, items: Iterable[Item]) -> ChangeSummary:
        fresh: list[Item] = []
        changed_keys: list[str] = []
        moved = 0
        for item in items:
            old = self._by_key.get(item.key)
            if old is None:
                fresh.append(item)
            elif old is not item and old != item:
                moved += self._update(old, item)
                changed_keys.append(item.key)
        changed = self._announce_changed(changed_keys)
        inserted = self._insert_sorted(fresh)
        return ChangeSummary(inserted=inserted, moved=moved, changed=changed)

    def _update(self, old: Item, new: Item) -> bool:
        """Replace ``old`` by ``new``, moving its row if the order changes; True if moved."""
        row = bisect_left(self._keys, old.sort_key)
        self._by_key[new.key] = new
        target = bisect_left(self._keys, new.sort_key)
        if target > row:
            target -= 1
        if target == row:
            self._rows[row] = new
            self._keys[row] = new.sort_key
            return False
        destination = target + 1 if target > row else target
        for observer in self._observers:
            observer.begin_move(row, destination)
        del self._rows[row], self._keys[row]
        self._rows.insert(target, new)
        self._keys.insert(target, new.sort_key)
        for observer in self._observers:
            observer.end_move()
        return True

    def _announce_changed(self, keys: list[str]) -> int:
        # Rows are looked up after all moves, since a later move can shift an earlier row.
        rows = sorted({bisect_left(self._keys, self._by_key[key].sort_key) for key in keys})
        for first, last in row_runs(rows):
            for observer in self._observers:
                observer.changed(first, last)
        return len(rows)

    def _insert_sorted(self, items: list[Item]) -> int:
        items.sort(key=_SORT_KEY)
        keys = [item.sort_key for item in items]
        if self._keys:
            positions = [bisect_left(self._keys, key) for key in keys]
        else:
            positions = [0] * len(keys)  # into an empty schedule: one block, no search
        offset = done = 0
        for position, group in groupby(positions):
            size = sum(1 for _ in group)
            block = items[done : done + size]
            first = position + offset
            for observer in self._observers:
                observer.begin_insert(first, first + size - 1)
            self._rows[first:first] = block
            self._keys[first:first] = keys[done : done + size]
            for item in block:
                self._by_key[item.key] = item
            for observer in self._observers:
                observer.end_insert()
            offset += size
            done += size
        return len(items)
