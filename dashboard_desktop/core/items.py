"""Schedule items: the ``Item`` value type and its parsing from protocol.md section 4.

An item that lacks ``id`` or ``title``, has an unparseable ``start``, or has an optional field of
the wrong type is rejected with an :class:`ItemError` naming the problem; the caller drops it and
keeps the rest of the payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

KNOWN_FIELDS = frozenset(
    {"id", "title", "start", "end", "status", "location", "assignee", "notes", "updated_at"}
)
_TEXT_FIELDS = ("status", "location", "assignee", "notes")
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class ItemError(ValueError):
    """An item that cannot be shown; the message says why."""


@dataclass(frozen=True, slots=True)
class Item:
    """One schedule entry as shown to the user.

    Attributes:
        key: The identity used for updates and deletes (``id`` as a string).
        raw_id: The ``id`` exactly as the server sent it (string or integer).
        title: Plain text, never interpreted as markup.
        start: Aware start time.
        end: Aware end time, if any.
        status: One of the protocol's statuses or any other text.
        extra: Unknown fields, kept as sent.
    """

    key: str
    raw_id: str | int
    title: str
    start: datetime
    end: datetime | None = None
    status: str | None = None
    location: str | None = None
    assignee: str | None = None
    notes: str | None = None
    updated_at: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, hash=False)

    @property
    def sort_key(self) -> tuple[datetime, str, str]:
        """Order of rows: by start, then title, then identity (a total order)."""
        return (self.start, self.title, self.key)


def item_key(raw_id: object) -> str:
    """Return the identity key of an ``id`` value (string or integer, not bool).

    Raises:
        ItemError: If the value is not a usable identity.
    """
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise ItemError(f"id must be a string or integer, got {type(raw_id).__name__}")
    try:
        key = str(raw_id)
    except ValueError:  # an integer of more than sys.get_int_max_str_digits() digits
        raise ItemError("id is an integer too long to show") from None
    if not key:
        raise ItemError("id is empty")
    return key


def parse_datetime(value: object, name: str) -> datetime:
    """Parse an ISO 8601 date-time with an offset or ``Z``.

    Raises:
        ItemError: If the value is not a string or has no UTC offset.
    """
    if not isinstance(value, str):
        raise ItemError(f"{name} must be an ISO 8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ItemError(f"{name} is not an ISO 8601 date-time: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        raise ItemError(f"{name} has no UTC offset: {value[:40]!r}")
    return parsed


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ItemError(f"{name} must be a string, got {type(value).__name__}")


def _optional_datetime(data: Mapping[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    return None if value is None else parse_datetime(value, name)


def parse_item(data: object) -> Item:
    """Build an :class:`Item` from one element of ``items`` or ``upserts``.

    Raises:
        ItemError: If the element cannot be shown (see the module docstring).
    """
    if not isinstance(data, Mapping):
        raise ItemError(f"item must be an object, got {type(data).__name__}")
    if "id" not in data:
        raise ItemError("item has no id")
    key = item_key(data["id"])
    title = data.get("title")
    if not isinstance(title, str):
        raise ItemError(f"item {key!r} has no title")
    try:
        texts = {name: _optional_text(data, name) for name in _TEXT_FIELDS}
        start = parse_datetime(data.get("start"), "start")
        end = _optional_datetime(data, "end")
        updated_at = _optional_datetime(data, "updated_at")
    except ItemError as exc:
        raise ItemError(f"item {key!r}: {exc}") from None
    extra = {k: v for k, v in data.items() if k not in KNOWN_FIELDS}
    return Item(
        key=key,
        raw_id=data["id"],
        title=title,
        start=start,
        end=end,
        updated_at=updated_at,
        extra=MappingProxyType(extra) if extra else _EMPTY,
        **texts,
    )
