"""Sorted row lists for :class:`~dashboard_desktop.core.view.ScheduleView`.

:class:`Rows` holds items ascending by full key with the keys and folded texts alongside;
:func:`blocks` finds where sorted new keys go; :func:`sorted_by` orders items by an order key.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import compress, groupby
from typing import Any

from dashboard_desktop.core.items import Item

OrderKey = Callable[[Item], Any]
"""An order of rows: a key per item (its values mutually comparable)."""


def blocks(keys: list[Any], new_keys: list[Any]) -> Iterator[tuple[int, int, int]]:
    """Yield ``(index, start, stop)``: insert ``new_keys[start:stop]`` (sorted) at ``index``.

    Indices count the blocks yielded before, so insert each block before taking the next.
    """
    if not new_keys:
        return
    if not keys or new_keys[0] > keys[-1]:  # appending: no bisect per key
        yield len(keys), 0, len(new_keys)
        return
    positions = [bisect_left(keys, key) for key in new_keys]
    start = 0
    for position, group in groupby(positions):
        stop = start + sum(1 for _ in group)
        yield position + start, start, stop
        start = stop


def sorted_by(
    order: OrderKey | None, items: list[Item], keys: list[Any]
) -> tuple[list[Item], list[Any]]:
    """Sort ``items``, given in sort_key order with their ``keys``, by full key."""
    if order is None:
        return items, keys
    values = list(map(order, items))
    perm = sorted(range(len(items)), key=values.__getitem__)  # stable: ties keep sort_key order
    full = zip(map(values.__getitem__, perm), map(keys.__getitem__, perm), strict=True)
    return list(map(items.__getitem__, perm)), list(full)


class Rows:
    """Items ascending by full key, with the full keys and folded texts alongside."""

    __slots__ = ("items", "keys", "texts")

    def __init__(self, items: list[Item], keys: list[Any], texts: list[str]) -> None:
        self.items, self.keys, self.texts = items, keys, texts

    def find(self, key: str, full: Any) -> int | None:
        """Return the index of the item with ``key`` and full key ``full``, if present."""
        index = bisect_left(self.keys, full)
        return index if index < len(self.items) and self.items[index].key == key else None

    def insert(self, index: int, rows: Rows, start: int = 0, stop: int | None = None) -> None:
        """Insert ``rows[start:stop]`` before ``index``."""
        self.items[index:index] = rows.items[start:stop]
        self.keys[index:index] = rows.keys[start:stop]
        self.texts[index:index] = rows.texts[start:stop]

    def delete(self, first: int, last: int) -> None:
        """Delete rows ``first``..``last``."""
        del self.items[first : last + 1], self.keys[first : last + 1]
        del self.texts[first : last + 1]

    def put(self, index: int, row: Rows) -> None:
        """Replace row ``index`` by the one row of ``row``, at its place by key."""
        target = bisect_left(self.keys, row.keys[0])
        target -= target > index
        if target == index:
            self.items[index], self.keys[index] = row.items[0], row.keys[0]
            self.texts[index] = row.texts[0]
        else:
            self.delete(index, index)
            self.insert(target, row)

    def select(self, needle: str) -> Rows:
        """Return the rows whose text contains ``needle``, in order."""
        if not needle:
            return Rows(self.items[:], self.keys[:], self.texts[:])
        mask = [needle in text for text in self.texts]
        return Rows(*(list(compress(rows, mask)) for rows in (self.items, self.keys, self.texts)))
