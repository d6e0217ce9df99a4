"""Minimal failing examples found by the fuzzers (test_fuzz_protocol, test_fuzz_sync_service)."""

from __future__ import annotations

import pytest

from dashboard_desktop.core.items import ItemError, item_key, parse_datetime, parse_item
from dashboard_desktop.core.protocol import Delta, PayloadError, Snapshot, parse_payload

START = "2026-11-27T16:00:00Z"
UNPRINTABLE = 10**4300 + 7  # str() refuses more than 4300 digits (ValueError, not ItemError)


def test_item_is_dropped_when_its_integer_id_has_too_many_digits_to_print() -> None:
    snapshot = parse_payload({"items": [{"id": UNPRINTABLE, "title": "", "start": START}]})

    assert isinstance(snapshot, Snapshot)
    assert snapshot.items == () and len(snapshot.dropped) == 1
    with pytest.raises(ItemError, match="too long"):
        item_key(UNPRINTABLE)


def test_delta_is_rejected_when_a_delete_has_too_many_digits_to_print() -> None:
    with pytest.raises(PayloadError, match="too long"):
        parse_payload({"deletes": [UNPRINTABLE]})


def test_emitted_at_ms_counts_as_absent_when_it_is_an_integer_too_large_for_a_float() -> None:
    payload = parse_payload({"emitted_at_ms": 10**400})  # was OverflowError

    assert payload.emitted_at_ms is None


@pytest.mark.parametrize("field", ["version", "base_version"])
@pytest.mark.parametrize(
    "value", [2**63, -(2**63) - 1, UNPRINTABLE], ids=["2**63", "-2**63-1", "10**4300"]
)
def test_payload_is_rejected_when_a_version_does_not_fit_in_64_bits(
    field: str, value: int
) -> None:
    # A version that str() cannot print used to pass and then break the log and status bar.
    with pytest.raises(PayloadError, match="out of range"):
        parse_payload({field: value, "deletes": []})


def test_version_is_kept_when_it_is_the_largest_64_bit_integer() -> None:
    payload = parse_payload({"version": 2**63 - 1, "base_version": -(2**63), "deletes": []})

    assert isinstance(payload, Delta)
    assert (payload.version, payload.base_version) == (2**63 - 1, -(2**63))


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_date_is_kept_when_it_is_at_the_edge_of_the_range_without_a_utc_date(value: str) -> None:
    # Kept: the timeline, the table and the consistency digest cope with it (no astimezone).
    assert parse_datetime(value, "start").isoformat().startswith(value[:19])


def test_item_digest_is_computed_when_the_title_holds_a_lone_surrogate() -> None:
    # Found through the REST path: core/consistency.item_digest raised UnicodeEncodeError.
    from dashboard_desktop.core.consistency import item_digest

    digest = item_digest(parse_item({"id": "a", "title": "\ud800", "start": START}))

    assert len(digest) == 32
