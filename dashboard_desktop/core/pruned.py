"""The rows of a schedule without the ones a predicate hides, followed incrementally.

A kiosk shows the schedule without its *dropped* rows (ended longer than the grace period
ago): :class:`PrunedRows` keeps the shown items in schedule order and turns each schedule edit,
and each :meth:`PrunedRows.refresh` after the predicate's answers changed (time moved on),
into the fewest row edits of its own, told to observers with Qt's conventions.

Rows of the schedule that are contiguous stay contiguous among the shown rows, so an insert or
a removal of the schedule is at most one edit here; the shown rows are found by ``bisect`` on
their sort keys (the schedule's order).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule, ScheduleObserver, row_runs


class PrunedRows:
    """The items of ``schedule`` for which ``hidden`` is false, in schedule order.

    Args:
        schedule: The schedule; observed from now on (until :meth:`detach`).
        hidden: Whether an item is hidden now. Its answers may change only when told with
            :meth:`refresh`.
    """

    def __init__(self, schedule: Schedule, hidden: Callable[[Item], bool]) -> None:
        self._schedule, self._hidden = schedule, hidden
        self._items = [item for item in schedule.items if not hidden(item)]
        self._keys = [item.sort_key for item in self._items]
        self._shown = {item.key: item.sort_key for item in self._items}
        self._observers: list[ScheduleObserver] = []
        self._pending = (0, 0)
        schedule.add_observer(self)

    def detach(self) -> None:
        """Stop observing the schedule."""
        self._schedule.remove_observer(self)

    def add_observer(self, observer: ScheduleObserver) -> None:
        """Tell ``observer`` about every later row edit."""
        self._observers.append(observer)

    def remove_observer(self, observer: ScheduleObserver) -> None:
        """Stop telling ``observer`` about row edits."""
        self._observers.remove(observer)

    # -- rows --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._items)

    def row(self, index: int) -> Item:
        """The item shown in row ``index``."""
        return self._items[index]

    @property
    def items(self) -> Sequence[Item]:
        """The shown items in row order (read-only; do not keep it across updates)."""
        return self._items

    def row_of(self, key: str) -> int | None:
        """The row of the item with ``key``, if shown (O(log n))."""
        sort_key = self._shown.get(key)
        return None if sort_key is None else bisect_left(self._keys, sort_key)

    @property
    def hidden_count(self) -> int:
        """How many items of the schedule are hidden."""
        return len(self._schedule) - len(self._items)

    def refresh(self, keys: Iterable[str]) -> None:
        """Hide or show again the items of ``keys``, whose ``hidden`` answer may have changed.

        Rows leaving go in runs, bottom-up; rows coming back are inserted one by one.
        """
        leaving, coming = [], []
        for key in keys:
            item = self._schedule.get(key)
            if item is None:
                continue
            hide = self._hidden(item)
            if hide and key in self._shown:
                leaving.append(bisect_left(self._keys, self._shown[key]))
            elif not hide and key not in self._shown:
                coming.append(item)
        for first, last in reversed(row_runs(sorted(leaving))):
            self._remove(first, last)
        for item in sorted(coming, key=lambda i: i.sort_key):
            self._insert([item])

    # -- row edits, told to the observers ----------------------------------------------------

    def _emit(self, name: str, *args: int) -> None:
        for observer in self._observers:
            getattr(observer, name)(*args)

    def _insert(self, items: list[Item]) -> None:
        """Show ``items`` (adjacent in schedule order, sorted)."""
        if not items:
            return
        index = bisect_left(self._keys, items[0].sort_key)
        self._emit("begin_insert", index, index + len(items) - 1)
        self._items[index:index] = items
        self._keys[index:index] = [item.sort_key for item in items]
        self._shown.update((item.key, item.sort_key) for item in items)
        self._emit("end_insert")

    def _remove(self, first: int, last: int) -> None:
        self._emit("begin_remove", first, last)
        for item in self._items[first : last + 1]:
            del self._shown[item.key]
        del self._items[first : last + 1], self._keys[first : last + 1]
        self._emit("end_remove")

    def _follow(self, item: Item) -> None:
        """Show ``item``'s new version (maybe with a new sort key), or hide it."""
        old = self._shown.get(item.key)
        index = None if old is None else bisect_left(self._keys, old)
        hide = self._hidden(item)
        if index is None:
            if not hide:
                self._insert([item])
        elif hide:
            self._remove(index, index)
        else:
            row = self._place(index, item)
            self._emit("changed", row, row)

    def _place(self, index: int, item: Item) -> int:
        """Put ``item`` in shown row ``index``, moved to its place by sort key; return it."""
        target = bisect_left(self._keys, item.sort_key)
        target -= target > index
        if target != index:
            self._emit("begin_move", index, target + 1 if target > index else target)
        del self._items[index], self._keys[index]
        self._items.insert(target, item)
        self._keys.insert(target, item.sort_key)
        self._shown[item.key] = item.sort_key
        if target != index:
            self._emit("end_move")
        return target

    # -- ScheduleObserver --------------------------------------------------------------------

    def begin_insert(self, first: int, last: int) -> None:
        """Schedule rows ``first``..``last`` are about to be inserted."""
        self._pending = (first, last)

    def end_insert(self) -> None:
        """Show the new items that are not hidden (one insert: they are adjacent)."""
        first, last = self._pending
        self._insert([i for i in self._schedule.items[first : last + 1] if not self._hidden(i)])

    def begin_remove(self, first: int, last: int) -> None:
        """Remove the shown rows of schedule rows ``first``..``last`` (adjacent here too)."""
        rows = [
            bisect_left(self._keys, self._shown[item.key])
            for item in self._schedule.items[first : last + 1]
            if item.key in self._shown
        ]
        if rows:
            self._remove(min(rows), max(rows))

    def end_remove(self) -> None:
        """Nothing left to do: the rows went on :meth:`begin_remove`."""

    def begin_move(self, source: int, destination: int) -> None:
        """Schedule row ``source`` is about to move before row ``destination``."""
        self._pending = (source, destination)

    def end_move(self) -> None:
        """Follow the moved item to its new place, or hide or show it."""
        source, destination = self._pending
        self._follow(self._schedule.row(destination - (destination > source)))

    def changed(self, first: int, last: int) -> None:
        """Follow the new versions of schedule rows ``first``..``last``.

        Rows that stay are told as changed in runs, after the rows that move, leave or come
        back.
        """
        staying = []
        for item in list(self._schedule.items[first : last + 1]):
            old = self._shown.get(item.key)
            if old is not None and not self._hidden(item):
                self._place(bisect_left(self._keys, old), item)
                staying.append(item.key)
            else:
                self._follow(item)
        rows = sorted(bisect_left(self._keys, self._shown[key]) for key in staying)
        for first_row, last_row in row_runs(rows):
            self._emit("changed", first_row, last_row)
