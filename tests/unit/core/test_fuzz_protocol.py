"""Property-based fuzzing of payload parsing (the real Schedule: see test_fuzz_sync_service).

Socket events (``parse_payload``) and REST bodies (``parse_snapshot``) get structured but wrong
payloads and random mutations of valid ones (see ``fuzz_payloads``). Only :class:`PayloadError`
may escape; bad items are dropped one by one while the good ones of the same payload are kept,
as :class:`~tests.unit.core.fuzz_payloads.Reference` says. Example counts: profile ``fuzz``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard_desktop.core.protocol import (
    Delta,
    Hint,
    PayloadError,
    Snapshot,
    parse_payload,
    parse_snapshot,
)
from tests.unit.core.fuzz_payloads import (
    BAD_DELETE,
    BAD_VERSION,
    FUZZ,
    JUNK,
    LABELLED_ITEMS,
    VALID_DELETE,
    delta_payload,
    identity,
    junk_payload,
    snapshot_payload,
)

VERSION = st.none() | st.integers(-(2**63), 2**63 - 1)


def _parse_or_none(parse: Any, data: Any, **kwargs: Any) -> Any:
    try:
        return parse(data, **kwargs)
    except PayloadError:
        return None


@FUZZ
@given(JUNK | junk_payload(), st.none() | st.integers(0, 5))
def test_only_payload_error_escapes_when_payload_is_junk(data: Any, max_items: int | None) -> None:
    payload = _parse_or_none(parse_payload, data, max_items=max_items)
    snapshot = _parse_or_none(parse_snapshot, data, max_items=max_items)

    assert payload is None or isinstance(payload, Snapshot | Delta | Hint)
    assert snapshot is None or isinstance(snapshot, Snapshot)
    assert (snapshot is None) == (not isinstance(payload, Snapshot))


@FUZZ
@given(LABELLED_ITEMS, st.lists(VALID_DELETE, max_size=3), VERSION, VERSION, st.booleans())
def test_valid_items_are_kept_and_invalid_ones_dropped_when_items_are_mixed(
    labelled: list[tuple[Any, bool]],
    deletes: list[Any],
    version: int | None,
    base: int | None,
    snapshot: bool,
) -> None:
    if snapshot:
        payload = parse_snapshot(snapshot_payload(labelled, version))
        kept, dropped = payload.items, payload.dropped
    else:
        delta = parse_payload(delta_payload(labelled, deletes, version, base))
        assert isinstance(delta, Delta)
        assert list(delta.deletes) == [identity(raw) for raw in deletes]
        assert delta.base_version == base
        kept, dropped, payload = delta.upserts, delta.dropped, delta

    assert [item.key for item in kept] == [identity(e["id"]) for e, ok in labelled if ok]
    assert [item.title for item in kept] == [e["title"] for e, ok in labelled if ok]
    assert len(dropped) == sum(not ok for _, ok in labelled)
    assert payload.version == version


@FUZZ
@given(
    st.sampled_from(["version", "base_version", "items", "upserts", "deletes", "delete"]),
    BAD_VERSION,
    BAD_DELETE,
)
def test_payload_is_rejected_when_a_field_has_the_wrong_type(
    field: str, bad: Any, bad_delete: Any
) -> None:
    item = ({"id": "a", "title": "A", "start": "2026-11-27T16:00:00Z"}, True)
    data = delta_payload([item], ["a"], 2, 1) if field != "items" else snapshot_payload([item], 1)
    if field == "delete":
        data["deletes"] = ["a", bad_delete]
    elif field in ("items", "upserts", "deletes"):
        data[field] = bad if bad is not None and not isinstance(bad, list) else "not a list"
    else:
        data[field] = bad

    with pytest.raises(PayloadError):
        parse_payload(data)


@FUZZ
@given(st.integers(0, 12), st.integers(0, 12), st.integers(1, 10), st.booleans())
def test_payload_is_rejected_when_it_has_more_entries_than_max_items(
    upserts: int, deletes: int, max_items: int, snapshot: bool
) -> None:
    item = {"id": "a", "title": "A", "start": "2026-11-27T16:00:00Z"}
    if snapshot:
        data, entries = snapshot_payload([(item, True)] * upserts, 1), upserts
    else:
        data, entries = delta_payload([(item, True)] * upserts, ["b"] * deletes, 2, 1), upserts
        entries += deletes

    payload = _parse_or_none(parse_payload, data, max_items=max_items)

    assert (payload is None) == (entries > max_items)
