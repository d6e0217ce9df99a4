"""A stable, order-independent hash of schedule items, and comparing two sets of items.

The digest of an item is the SHA-256 of its canonical JSON: the item as a JSON object with the
protocol's field names (``id`` as sent, ``title``, the optional text fields that are not null,
``start``/``end``/``updated_at`` in UTC as Python's ``isoformat()`` writes them, unknown fields
as sent), keys sorted, no spaces, UTF-8. The digest of a schedule is the SHA-256 of its items'
digests sorted and concatenated, in hex: independent of the order of the items, and changed by
any change of any field. The empty schedule's digest is SHA-256 of nothing.

:class:`ItemDigests` remembers the digests of the items last shown: an item that is the same
object as, or equal to, the remembered one of its key reuses its digest, so hashing a 50,000-row
schedule, or a REST snapshot of it that changed little, costs dictionary lookups rather than
50,000 JSON encodings.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from dashboard_desktop.core.items import Item

__all__ = [
    "MAX_LISTED_IDS",
    "ConsistencyResult",
    "ItemDigests",
    "compare",
    "item_digest",
    "schedule_digest",
]

MAX_LISTED_IDS: Final = 20
_ZERO = timedelta(0)
_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=True, default=str
).encode


def _utc(moment: datetime) -> str:
    if moment.utcoffset() == _ZERO:
        return moment.isoformat()
    try:
        return moment.astimezone(UTC).isoformat()
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 has no UTC date: keep its offset
        return moment.isoformat()


def canonical(item: Item) -> dict[str, Any]:
    """The item as the JSON object its digest is computed over."""
    fields: dict[str, Any] = dict(item.extra)
    fields.update(id=item.raw_id, title=item.title, start=_utc(item.start))
    for name in ("status", "location", "assignee", "notes"):
        value = getattr(item, name)
        if value is not None:
            fields[name] = value
    if item.end is not None:
        fields["end"] = _utc(item.end)
    if item.updated_at is not None:
        fields["updated_at"] = _utc(item.updated_at)
    return fields


def item_digest(item: Item) -> bytes:
    """SHA-256 of the item's canonical JSON (32 bytes)."""
    # surrogatepass: JSON may carry a lone surrogate ("\ud800"), which UTF-8 cannot encode
    return hashlib.sha256(_encode(canonical(item)).encode(errors="surrogatepass")).digest()


def schedule_digest(digests: Iterable[bytes]) -> str:
    """The hex SHA-256 of the sorted item digests: the schedule's content hash."""
    return hashlib.sha256(b"".join(sorted(digests))).hexdigest()


class ItemDigests:
    """Item digests by key, remembered for the items last passed with ``remember=True``."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[Item, bytes]] = {}

    def of(self, items: Iterable[Item], *, remember: bool = False) -> dict[str, bytes]:
        """Each item's digest by key (a later item of a key wins, as in a snapshot).

        Args:
            items: The items.
            remember: Keep these digests (for the items on screen), forgetting the others.
        """
        memo = self._memo
        found: dict[str, tuple[Item, bytes]] = {}
        for item in items:
            hit = memo.get(item.key)
            if hit is not None and (hit[0] is item or hit[0] == item):
                found[item.key] = hit if hit[0] is item else (item, hit[1])
            else:
                found[item.key] = (item, item_digest(item))
        if remember:
            self._memo = found
        return {key: digest for key, (_, digest) in found.items()}

    def digest(self, items: Iterable[Item]) -> str:
        """The content hash of the items on screen (remembered for next time)."""
        return schedule_digest(self.of(items, remember=True).values())


@dataclass(frozen=True, slots=True)
class ConsistencyResult:
    """How two sets of items compare.

    Attributes:
        shown_digest: Content hash of the items shown.
        reference_digest: Content hash of the reference (the REST snapshot).
        differing: Keys present on one side only or with different digests, sorted.
    """

    shown_digest: str
    reference_digest: str
    differing: tuple[str, ...]

    @property
    def match(self) -> bool:
        """True if both sides hold the same items."""
        return self.shown_digest == self.reference_digest

    def listed(self, limit: int = MAX_LISTED_IDS) -> list[str]:
        """The first ``limit`` differing keys (for a log line)."""
        return list(self.differing[:limit])


def compare(shown: Mapping[str, bytes], reference: Mapping[str, bytes]) -> ConsistencyResult:
    """Compare item digests by key (see :meth:`ItemDigests.of`)."""
    differing = sorted(
        key for key in shown.keys() | reference.keys() if shown.get(key) != reference.get(key)
    )
    return ConsistencyResult(
        schedule_digest(shown.values()), schedule_digest(reference.values()), tuple(differing)
    )
