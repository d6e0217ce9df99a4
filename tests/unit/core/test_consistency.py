"""The schedule's content hash and the comparison of two sets of items."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard_desktop.core import consistency
from dashboard_desktop.core.consistency import (
    ItemDigests,
    canonical,
    compare,
    item_digest,
    schedule_digest,
)
from dashboard_desktop.core.items import Item, parse_item

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def make(n: int, **fields: object) -> Item:
    base = Item(key=f"k{n}", raw_id=f"k{n}", title=f"Item {n}", start=START + timedelta(minutes=n))
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


items_lists = st.lists(st.integers(0, 50), unique=True, max_size=12).map(
    lambda ns: [make(n) for n in ns]
)


@given(items_lists, st.randoms())
def test_hash_is_same_when_order_differs(items: list[Item], rnd: object) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]

    assert schedule_digest(map(item_digest, shuffled)) == schedule_digest(map(item_digest, items))


CHANGES: list[dict[str, object]] = [
    {"raw_id": 7},
    {"title": "Other"},
    {"start": START + timedelta(seconds=1)},
    {"end": START + timedelta(hours=1)},
    {"status": "delayed"},
    {"location": "Dock 1"},
    {"assignee": "Team Red"},
    {"notes": "n"},
    {"updated_at": START},
    {"extra": MappingProxyType({"room": "B"})},
]


@given(items_lists.filter(bool), st.sampled_from(CHANGES), st.data())
def test_hash_changes_when_any_field_changes(
    items: list[Item], change: dict[str, object], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(items) - 1))
    changed = list(items)
    changed[index] = dataclasses.replace(items[index], **change)  # type: ignore[arg-type]

    assert schedule_digest(map(item_digest, changed)) != schedule_digest(map(item_digest, items))


def test_hash_is_same_when_times_are_in_other_offsets() -> None:
    plus_two = timezone(timedelta(hours=2))
    local = make(0, start=START.astimezone(plus_two))

    assert item_digest(local) == item_digest(make(0))
    assert canonical(local)["start"] == "2026-11-27T09:00:00+00:00"


def test_hash_keeps_offset_when_time_has_no_utc_date() -> None:
    edge = make(0, start=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))

    assert canonical(edge)["start"] == "0001-01-01T00:00:00+01:00"
    assert len(item_digest(edge)) == 32


def test_canonical_form_is_wire_item_when_parsed() -> None:
    raw = {"id": 5, "title": "T", "start": "2026-11-27T09:00:00Z", "notes": None, "room": "B"}

    assert canonical(parse_item(raw)) == {
        "id": 5,
        "title": "T",
        "start": "2026-11-27T09:00:00+00:00",
        "room": "B",
    }


def test_lists_differing_ids_when_items_differ() -> None:
    digests = ItemDigests()
    shown = digests.of([make(1), make(2), make(3, title="old")], remember=True)
    reference = digests.of([make(1), make(3, title="new"), make(4)])

    result = compare(shown, reference)

    assert not result.match
    assert result.differing == ("k2", "k3", "k4")
    assert result.listed(2) == ["k2", "k3"]


def test_matches_when_items_are_equal() -> None:
    digests = ItemDigests()
    items = [make(n) for n in range(5)]

    result = compare(digests.of(items, remember=True), digests.of([make(n) for n in range(5)]))

    assert result.match
    assert result.differing == ()
    assert result.shown_digest == digests.digest(items)


def test_reuses_digests_when_items_are_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    digests = ItemDigests()
    items = [make(n) for n in range(3)]
    digests.of(items, remember=True)
    calls: list[Item] = []

    original = consistency.item_digest
    monkeypatch.setattr(consistency, "item_digest", lambda i: calls.append(i) or original(i))
    digests.of([make(0), make(1), make(2, title="x")])

    assert calls == [make(2, title="x")]


def test_empty_schedule_hash_when_no_items() -> None:
    assert ItemDigests().digest([]) == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
