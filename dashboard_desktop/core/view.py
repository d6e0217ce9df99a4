"""A filtered, re-ordered view of a :class:`Schedule` that follows its edits incrementally.

:class:`ScheduleView` shows the items whose text contains a needle, in the order of a key, and
turns each row edit of the schedule into the fewest row edits of its own rows, told to
:class:`ViewObserver` objects with Qt's conventions; a new needle or order is told as a reset.

Two sorted row lists (``core.viewrows.Rows``) are kept, each with the rows' full keys (for
``bisect``) and casefolded texts alongside: *all* items in view order, and the *shown* ones.
Filtering is then a scan of texts that keeps the order (no sort per keystroke); a narrowing
needle scans only the shown rows. The full key is ``item.sort_key`` in schedule order, else
``(key(item), item.sort_key)``; rows are kept ascending and mapped to display rows when
descending. Texts are computed when a needle is first set, then once per new item version.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any, Protocol

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule, ScheduleObserver, row_runs
from dashboard_desktop.core.viewrows import OrderKey, Rows, blocks, sorted_by

_KEY = attrgetter("key")
_SORT_KEY = attrgetter("sort_key")


class ViewObserver(ScheduleObserver, Protocol):
    """Receives the row edits of a :class:`ScheduleView`, resets included."""

    def begin_reset(self) -> None:
        """The whole row set is about to change."""

    def end_reset(self) -> None:
        """The rows have been replaced."""


class ScheduleView:
    """The rows of a :class:`Schedule` whose text contains a needle, in a chosen order.

    Args:
        schedule: The schedule to present; the view observes it until :meth:`detach`.
        text: The searchable text of an item (casefolded and cached per item version).
    """

    def __init__(self, schedule: Schedule, text: Callable[[Item], str]) -> None:
        self._schedule, self._text = schedule, text
        self._order: OrderKey | None = None
        self._descending, self._texted = False, False  # texted: texts computed (needle set)
        self._needle = self._folded = ""
        self._full: dict[str, Any] = {}  # item key -> full key, for every item
        self._observers: list[ViewObserver] = []
        self._pending = (0, -1)  # the rows of a schedule insert or move in progress
        self._removing: list[str] = []
        self._entered: dict[str, Item] = {}  # shown by a move; its `changed` would be redundant
        self._all = self._rows_of(list(schedule.items), list(schedule.sort_keys))
        self._shown = self._all.select("")
        schedule.add_observer(self)

    def detach(self) -> None:
        """Stop observing the schedule."""
        self._schedule.remove_observer(self)

    def add_observer(self, observer: ViewObserver) -> None:
        """Tell ``observer`` about every later row edit."""
        self._observers.append(observer)

    def remove_observer(self, observer: ViewObserver) -> None:
        """Stop telling ``observer`` about row edits."""
        self._observers.remove(observer)

    def __len__(self) -> int:
        return len(self._shown.items)

    def row(self, index: int) -> Item:
        """Return the item shown in row ``index``."""
        return self._shown.items[~index if self._descending else index]

    @property
    def items(self) -> Sequence[Item]:
        """The shown items in row order (read-only; do not keep it across updates)."""
        return self._shown.items[::-1] if self._descending else self._shown.items

    def row_of(self, key: str) -> int | None:
        """Return the row of the item with ``key``, if shown (O(log n))."""
        full = self._full.get(key)
        index = None if full is None else self._shown.find(key, full)
        return None if index is None else self._at(index)

    @property
    def needle(self) -> str:
        """The search text, as set."""
        return self._needle

    def set_filter(self, needle: str) -> None:
        """Show only the items whose text contains ``needle``, ignoring case ("" = all)."""
        folded = needle.casefold()
        self._needle = needle
        if folded == self._folded:
            return
        self.prepare()
        narrowing = self._folded in folded
        self._folded = folded
        self._replace((self._shown if narrowing else self._all).select(folded), self._descending)

    def prepare(self) -> None:
        """Compute every item's text now, so that the first :meth:`set_filter` is quick."""
        if not self._texted:  # so far every item is shown
            self._all.texts = [self._text(item).casefold() for item in self._all.items]
            self._shown.texts, self._texted = self._all.texts[:], True

    def set_order(self, key: OrderKey | None, descending: bool = False) -> None:
        """Order rows by ``(key(item), item.sort_key)``, or by ``item.sort_key``.

        Args:
            key: The order key, or None for the schedule's order. Its values must be mutually
                comparable, and the same for the same item.
            descending: Show the exact reverse of the ascending order.
        """
        shown = self._shown
        if key is not self._order:
            self._reorder(key)
            shown = self._all.select(self._folded)
        self._replace(shown, descending)

    # -- whole row sets ----------------------------------------------------------------------

    def _reorder(self, order: OrderKey | None) -> None:
        """Sort every item by the full keys of ``order``."""
        items = list(self._schedule.items)
        names = list(map(_KEY, items))
        keys = list(map(self._full.__getitem__, names))  # reuse the sort keys
        keys = keys if self._order is None else list(map(itemgetter(1), keys))
        old = zip(map(_KEY, self._all.items), self._all.texts, strict=True)
        text_of = dict(old) if self._texted else None
        self._order, self._entered = order, {}
        items, keys = sorted_by(order, items, keys)
        names = list(map(_KEY, items))
        self._full = dict(zip(names, keys, strict=True))
        texts = [""] * len(items) if text_of is None else list(map(text_of.__getitem__, names))
        self._all = Rows(items, keys, texts)

    def _replace(self, shown: Rows, descending: bool) -> None:
        """Show ``shown``; tell a reset unless the rows are the same as before."""
        old = self._shown.items
        same = shown.items == old and (descending == self._descending or len(old) < 2)
        if not same:
            self._emit("begin_reset")
        self._shown, self._descending = shown, descending
        if not same:
            self._emit("end_reset")

    # -- shown-row edits, told to the observers ----------------------------------------------

    def _emit(self, name: str, *args: int) -> None:
        for observer in self._observers:
            getattr(observer, name)(*args)

    def _at(self, index: int) -> int:
        """Map ascending index ``index`` of the shown rows to its display row (and back)."""
        return len(self._shown.items) - 1 - index if self._descending else index

    def _show(self, index: int, rows: Rows, start: int = 0, stop: int | None = None) -> None:
        count = len(rows.items[start:stop])
        first = len(self._shown.items) - index if self._descending else index
        self._emit("begin_insert", first, first + count - 1)
        self._shown.insert(index, rows, start, stop)
        self._emit("end_insert")

    def _hide(self, first: int, last: int) -> None:
        """Remove display rows ``first``..``last``."""
        self._emit("begin_remove", first, last)
        self._shown.delete(*sorted((self._at(first), self._at(last))))
        self._emit("end_remove")

    def _move(self, index: int, row: Rows) -> None:
        """Replace shown row ``index`` by ``row``, moving it to keep the order."""
        target = bisect_left(self._shown.keys, row.keys[0])
        target -= target > index
        if target != index:
            source, final = self._at(index), self._at(target)
            self._emit("begin_move", source, final + 1 if final > source else final)
        self._shown.put(index, row)
        if target != index:
            self._emit("end_move")

    # -- applying schedule edits ---------------------------------------------------------------

    def _rows_of(self, items: list[Item], sort_keys: list[Any] | None = None) -> Rows:
        """Return ``items`` (in sort_key order) as rows sorted by full key; note the keys."""
        sort_keys = list(map(_SORT_KEY, items)) if sort_keys is None else sort_keys
        items, keys = sorted_by(self._order, items, sort_keys)
        texts = [self._text(i).casefold() for i in items] if self._texted else [""] * len(items)
        self._full.update(zip(map(_KEY, items), keys, strict=True))
        return Rows(items, keys, texts)

    def _add(self, items: list[Item]) -> None:
        new = self._rows_of(items)
        for index, start, stop in blocks(self._all.keys, new.keys):
            self._all.insert(index, new, start, stop)
        new = new.select(self._folded)
        for index, start, stop in blocks(self._shown.keys, new.keys):
            self._show(index, new, start, stop)

    def _drop(self, keys: list[str]) -> None:
        fulls = [self._full.pop(key) for key in keys]
        found = [self._all.find(key, full) for key, full in zip(keys, fulls, strict=True)]
        for first, last in reversed(row_runs(sorted(i for i in found if i is not None))):
            self._all.delete(first, last)
        shown = [self._shown.find(key, full) for key, full in zip(keys, fulls, strict=True)]
        for first, last in reversed(row_runs(sorted(self._at(i) for i in shown if i is not None))):
            self._hide(first, last)

    def _update(self, item: Item) -> None:
        """Hold ``item`` instead of its older version: move, hide or show it."""
        old = self._full[item.key]
        row = self._rows_of([item])
        self._all.put(bisect_left(self._all.keys, old), row)
        index = self._shown.find(item.key, old)
        matches = self._folded in row.texts[0]
        if index is not None and matches:
            self._move(index, row)
        elif index is not None:
            self._hide(self._at(index), self._at(index))
        elif matches:
            self._show(bisect_left(self._shown.keys, row.keys[0]), row)
            self._entered[item.key] = item

    # -- ScheduleObserver ----------------------------------------------------------------------

    def begin_insert(self, first: int, last: int) -> None:
        """Schedule rows ``first``..``last`` are about to be inserted."""
        self._pending, self._entered = (first, last), {}

    def end_insert(self) -> None:
        """Show the new items that match, in one insert per place."""
        first, last = self._pending
        self._add(list(self._schedule.items[first : last + 1]))

    def begin_remove(self, first: int, last: int) -> None:
        """Schedule rows ``first``..``last`` are about to be removed."""
        self._removing, self._entered = list(map(_KEY, self._schedule.items[first : last + 1])), {}

    def end_remove(self) -> None:
        """Remove the shown rows of the removed items, bottom-up in runs."""
        self._drop(self._removing)
        self._removing = []

    def begin_move(self, source: int, destination: int) -> None:
        """Schedule row ``source`` is about to move before row ``destination``."""
        self._pending = (source, destination)

    def end_move(self) -> None:
        """Follow the new version of the moved item."""
        source, destination = self._pending
        self._update(self._schedule.row(destination - (destination > source)))

    def changed(self, first: int, last: int) -> None:
        """Follow the new versions, then tell which shown rows changed, in runs."""
        items = list(self._schedule.items[first : last + 1])
        for item in items:
            if self._all.items[bisect_left(self._all.keys, self._full[item.key])] is not item:
                self._update(item)
        rows = []
        for item in items:
            index = self._shown.find(item.key, self._full[item.key])
            if index is not None and self._entered.pop(item.key, None) is not item:
                rows.append(self._at(index))
        for first_row, last_row in row_runs(sorted(rows)):
            self._emit("changed", first_row, last_row)
