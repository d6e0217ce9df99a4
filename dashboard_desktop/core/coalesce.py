"""Coalescing pushed updates: many events, one model update per frame.

Pushed payloads that arrive within one frame are folded by :class:`PendingUpdate` into one
snapshot or delta whose result equals applying them one by one, in order; the latest state is
never dropped. :class:`UpdatePacer` decides when the folded update is applied: at once when
the last update is at least one frame old (so a lone event waits for nothing), otherwise at
the end of that frame, so the schedule and the screen change at most ``max_rate`` times a
second however fast events arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.protocol import Delta, Snapshot


@dataclass(frozen=True, slots=True)
class Folded:
    """The pushed payloads of one update, folded into one.

    Attributes:
        payload: A snapshot if one of them was a snapshot, else a delta from the first base
            version to the last version.
        events: How many payloads were folded.
        emitted_at_ms: Each payload's ``emitted_at_ms`` (those that had one), oldest first.
    """

    payload: Snapshot | Delta
    events: int
    emitted_at_ms: tuple[int, ...]


class PendingUpdate:
    """Pushed payloads accepted for the next update, folded as they arrive.

    Deletes and upserts are merged by key: a later upsert of a deleted key cancels the delete
    (the key is then updated, or inserted if it was new), a later delete drops an earlier
    upsert. A snapshot discards everything before it and becomes the base of what follows.
    """

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self._snapshot: Snapshot | None = None
        self._upserts: dict[str, Item] = {}
        self._deletes: dict[str, None] = {}
        self._base: int | None = None
        self._version: int | None = None
        self._events = 0
        self._emitted: list[int] = []

    def __bool__(self) -> bool:
        return self._events > 0

    @property
    def version(self) -> int | None:
        """The version the schedule will have once the pending update is applied."""
        return self._version

    def add(self, payload: Snapshot | Delta) -> None:
        """Fold ``payload`` (accepted by the version rules against :attr:`version`)."""
        if isinstance(payload, Snapshot):
            self._snapshot = payload
            self._upserts = {item.key: item for item in payload.items}
            self._deletes = {}
        else:
            if not self:
                self._base = payload.base_version
            for key in payload.deletes:
                self._upserts.pop(key, None)
                if self._snapshot is None:
                    self._deletes[key] = None
            for item in payload.upserts:
                self._upserts[item.key] = item
                self._deletes.pop(item.key, None)
        self._version = payload.version
        self._events += 1
        if payload.emitted_at_ms is not None:
            self._emitted.append(payload.emitted_at_ms)

    def take(self) -> Folded:
        """Return the folded update and start empty again.

        Raises:
            LookupError: If nothing is pending.
        """
        if not self:
            raise LookupError("no pending update")
        payload: Snapshot | Delta
        if self._snapshot is not None:
            payload = Snapshot(
                self._version, tuple(self._upserts.values()), self._snapshot.generated_at
            )
        else:
            payload = Delta(
                self._version, self._base, tuple(self._upserts.values()), tuple(self._deletes)
            )
        folded = Folded(payload, self._events, tuple(self._emitted))
        self._clear()
        return folded


class UpdatePacer:
    """At most ``max_rate`` updates a second, the first of a quiet spell without delay.

    Args:
        max_rate: Updates per second; 0 applies every event as it arrives.
    """

    def __init__(self, max_rate: float) -> None:
        self.interval = 1.0 / max_rate if max_rate > 0 else 0.0
        self._last: float | None = None

    def delay(self, now: float) -> float:
        """Seconds to wait before the next update may be applied (0: apply now)."""
        if self._last is None:
            return 0.0
        return max(0.0, self._last + self.interval - now)

    def applied(self, now: float) -> None:
        """Record that an update was applied at ``now`` (a monotonic time in seconds)."""
        self._last = now
