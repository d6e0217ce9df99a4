"""``EndIndex``: items' end times by key and in order, for range queries in O(log n).

The ends are kept sorted in two parallel lists (times, keys): sorting the keys by time is three
times faster than sorting ``(time, key)`` pairs. Edits are collected and applied on the next
query: one by one when few (a bisection and a list insertion each); when many, the surviving
keys and the sorted new ones are merged (``sorted`` of two sorted runs is a linear merge), so a
burst of edits costs at most one merge however it arrives.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime

_MERGE_FLOOR = 32  # pending edits beyond this (and 1/64 of the entries) are merged in


class EndIndex:
    """One end time per key, queryable in time order.

    Args:
        ends: The initial end of each key (kept, not copied).
    """

    def __init__(self, ends: dict[str, datetime]) -> None:
        self._by_key = ends
        self._times: list[datetime] = []
        self._keys: list[str] = []
        self._added: dict[str, datetime] = {}  # edits not yet applied to the sorted lists
        self._removed: list[tuple[datetime, str]] = []
        self._resort = True  # the sorted lists are to be built from scratch

    def __len__(self) -> int:
        return len(self._by_key)

    def __getitem__(self, key: str) -> datetime:
        return self._by_key[key]

    def put(self, key: str, end: datetime) -> None:
        """Set the end of ``key`` (new or changed)."""
        old = self._by_key.get(key)
        if old == end:
            return
        self._by_key[key] = end
        if self._resort:
            return
        if old is not None:
            self._unindex(key, old)
        self._added[key] = end

    def put_many(self, ends: dict[str, datetime]) -> None:
        """Set the ends of many keys (new or changed) at once."""
        if self._resort or len(ends) > _MERGE_FLOOR + len(self._by_key) // 4:
            self._by_key.update(ends)
            self._resort = True  # as good as a merge, without noting each edit
            self._added.clear()
            self._removed.clear()
            return
        for key, end in ends.items():
            self.put(key, end)

    def remove(self, key: str) -> None:
        """Forget ``key``."""
        end = self._by_key.pop(key)
        if not self._resort:
            self._unindex(key, end)

    def between(self, low: datetime, high: datetime) -> list[str]:
        """The keys whose end is in ``(low, high]``."""
        times = self._sorted()
        return self._keys[bisect_right(times, low) : bisect_right(times, high)]

    def until(self, high: datetime) -> list[str]:
        """The keys whose end is at or before ``high``, in end order."""
        times = self._sorted()
        return self._keys[: bisect_right(times, high)]

    def first_after(self, moment: datetime) -> datetime | None:
        """The earliest end after ``moment``, if any."""
        times = self._sorted()
        index = bisect_right(times, moment)
        return times[index] if index < len(times) else None

    def latest(self) -> datetime | None:
        """The latest end, if any."""
        times = self._sorted()
        return times[-1] if times else None

    def _unindex(self, key: str, end: datetime) -> None:
        if self._added.pop(key, None) is None:  # else it never reached the sorted lists
            self._removed.append((end, key))

    def _sorted(self) -> list[datetime]:
        """The end times in order, with the pending edits applied."""
        by_key = self._by_key
        if self._resort:
            self._keys = sorted(by_key, key=by_key.__getitem__)
        elif len(self._added) + len(self._removed) > _MERGE_FLOOR + len(self._keys) // 64:
            gone = {key for _, key in self._removed}
            kept = [key for key in self._keys if key not in gone]
            added = sorted(self._added, key=by_key.__getitem__)
            self._keys = sorted(kept + added, key=by_key.__getitem__)  # merges two runs
        else:
            self._edit_in_place()
            return self._times
        self._times = list(map(by_key.__getitem__, self._keys))
        self._resort = False
        self._added.clear()
        self._removed.clear()
        return self._times

    def _edit_in_place(self) -> None:
        times, keys = self._times, self._keys
        for end, key in self._removed:
            index = keys.index(key, bisect_left(times, end), bisect_right(times, end))
            del times[index], keys[index]
        for key, end in self._added.items():
            index = bisect_right(times, end)
            times.insert(index, end)
            keys.insert(index, key)
        self._added.clear()
        self._removed.clear()
