"""Parsing of ``dashboard_schedule_updated`` payloads and REST snapshots (protocol.md section 1).

A payload is classified as a snapshot (has ``items``), a delta (has ``upserts`` or ``deletes``)
or a hint (anything else). A payload that is not an object or whose fields have the wrong types
raises :class:`PayloadError`; an individual bad item is dropped and reported in ``dropped``.
Fields the client does not depend on (``generated_at``, the ``emitted_at_ms`` extension) are
read leniently: a bad value counts as absent. Versions must fit in 64 bits, and a payload with
more than ``max_items`` entries (items, or upserts and deletes together) is refused as a whole
before any item is parsed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dashboard_desktop.core.items import Item, ItemError, item_key, parse_datetime, parse_item

# Versions and timestamps beyond 64 bits are junk (and such ints cannot even be printed).
_INT64 = 2**63


class PayloadError(ValueError):
    """A payload that must be ignored as a whole; the message says why."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The whole schedule at ``version`` (``None`` when unversioned)."""

    version: int | None
    items: tuple[Item, ...]
    generated_at: datetime | None = None
    emitted_at_ms: int | None = None
    dropped: tuple[str, ...] = ()

    form = "snapshot"


@dataclass(frozen=True, slots=True)
class Delta:
    """Changes that turn ``base_version`` into ``version``."""

    version: int | None
    base_version: int | None
    upserts: tuple[Item, ...]
    deletes: tuple[str, ...]
    emitted_at_ms: int | None = None
    dropped: tuple[str, ...] = ()

    form = "delta"


@dataclass(frozen=True, slots=True)
class Hint:
    """ "Something changed": the client fetches a REST snapshot."""

    version: int | None
    emitted_at_ms: int | None = None

    form = "hint"


Payload = Snapshot | Delta | Hint


def _optional_int(data: Mapping[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{name} must be an integer, got {type(value).__name__}")
    if not -_INT64 <= value < _INT64:
        raise PayloadError(f"{name} is out of range (more than 64 bits)")
    return value


def _list_field(data: Mapping[str, Any], name: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise PayloadError(f"{name} must be a list, got {type(value).__name__}")
    return value


def _parse_items(raw: list[Any]) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    items: list[Item] = []
    dropped: list[str] = []
    for element in raw:
        try:
            items.append(parse_item(element))
        except ItemError as exc:
            dropped.append(str(exc))
    return tuple(items), tuple(dropped)


def _parse_deletes(raw: list[Any]) -> tuple[str, ...]:
    try:
        return tuple(item_key(value) for value in raw)
    except ItemError as exc:
        raise PayloadError(f"deletes: {exc}") from None


def _generated_at(data: Mapping[str, Any]) -> datetime | None:
    """``generated_at`` if it is a valid date-time; the client does not depend on it."""
    try:
        return parse_datetime(data["generated_at"], "generated_at")
    except (KeyError, ItemError):
        return None


def _emitted_at_ms(data: Mapping[str, Any]) -> int | None:
    """The server's send time (an extension used for latency), if it is a number."""
    value = data.get("emitted_at_ms")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return int(value) if -_INT64 <= value < _INT64 else None


def _check_size(count: int, max_items: int | None) -> None:
    if max_items is not None and count > max_items:
        raise PayloadError(f"{count} items, over max_items {max_items}")


def parse_payload(data: object, max_items: int | None = None) -> Payload:
    """Classify and parse one pushed event argument.

    Args:
        data: The event argument (decoded JSON).
        max_items: Most entries accepted (``items``, or ``upserts`` plus ``deletes``); None
            for no cap.

    Raises:
        PayloadError: If the payload must be ignored as a whole.
    """
    if not isinstance(data, Mapping):
        raise PayloadError(f"payload must be a JSON object, got {type(data).__name__}")
    version = _optional_int(data, "version")
    emitted = _emitted_at_ms(data)
    if "items" in data:
        raw_items = _list_field(data, "items")
        _check_size(len(raw_items), max_items)
        items, dropped = _parse_items(raw_items)
        return Snapshot(version, items, _generated_at(data), emitted, dropped)
    if "upserts" in data or "deletes" in data:
        raw_upserts, raw_deletes = _list_field(data, "upserts"), _list_field(data, "deletes")
        _check_size(len(raw_upserts) + len(raw_deletes), max_items)
        base = _optional_int(data, "base_version")
        deletes = _parse_deletes(raw_deletes)
        upserts, dropped = _parse_items(raw_upserts)
        return Delta(version, base, upserts, deletes, emitted, dropped)
    return Hint(version, emitted)


def parse_snapshot(data: object, max_items: int | None = None) -> Snapshot:
    """Parse a REST snapshot body, which must be a snapshot.

    Args:
        data: The body (decoded JSON).
        max_items: Most items accepted; None for no cap.

    Raises:
        PayloadError: If the body is not a snapshot object, or has too many items.
    """
    payload = parse_payload(data, max_items)
    if not isinstance(payload, Snapshot):
        raise PayloadError("REST body is not a snapshot (no items list)")
    return payload
