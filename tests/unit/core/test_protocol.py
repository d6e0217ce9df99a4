"""Payload parsing: the event table of protocol.md section 1."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from dashboard_desktop.core.protocol import (
    Delta,
    Hint,
    PayloadError,
    Snapshot,
    parse_payload,
    parse_snapshot,
)

START = "2026-11-27T16:00:00Z"


def item(item_id: str | int, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item_id, "title": f"Item {item_id}", "start": START}
    data.update(fields)
    return data


def keys(items: tuple[Any, ...]) -> list[str]:
    return [i.key for i in items]


# -- snapshot ----------------------------------------------------------------------------------


def test_payload_is_snapshot_when_it_has_items() -> None:
    payload = parse_payload(
        {"version": 42, "items": [item("a"), item(2)], "generated_at": "2026-11-27T16:00:00Z"}
    )

    assert isinstance(payload, Snapshot)
    assert payload.form == "snapshot"
    assert payload.version == 42
    assert keys(payload.items) == ["a", "2"]
    assert payload.generated_at == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert payload.dropped == ()


def test_snapshot_is_unversioned_when_version_is_absent() -> None:
    payload = parse_payload({"items": []})

    assert isinstance(payload, Snapshot)
    assert payload.version is None
    assert payload.items == ()
    assert payload.generated_at is None


def test_snapshot_is_unversioned_when_version_is_null() -> None:
    assert parse_payload({"version": None, "items": []}).version is None


def test_payload_is_snapshot_when_it_has_items_and_upserts() -> None:
    assert isinstance(parse_payload({"items": [], "upserts": [item("a")]}), Snapshot)


def test_snapshot_keeps_version_zero_when_sent() -> None:
    assert parse_payload({"version": 0, "items": []}).version == 0


# -- delta -------------------------------------------------------------------------------------


def test_payload_is_delta_when_it_has_upserts_and_deletes() -> None:
    payload = parse_payload(
        {"version": 43, "base_version": 42, "upserts": [item("a")], "deletes": ["b", 3]}
    )

    assert isinstance(payload, Delta)
    assert payload.form == "delta"
    assert payload.version == 43
    assert payload.base_version == 42
    assert keys(payload.upserts) == ["a"]
    assert payload.deletes == ("b", "3")
    assert payload.dropped == ()


def test_payload_is_delta_when_it_has_only_upserts() -> None:
    payload = parse_payload({"version": 2, "base_version": 1, "upserts": [item("a")]})

    assert isinstance(payload, Delta)
    assert payload.deletes == ()


def test_payload_is_delta_when_it_has_only_deletes() -> None:
    payload = parse_payload({"version": 2, "base_version": 1, "deletes": ["a"]})

    assert isinstance(payload, Delta)
    assert payload.upserts == ()
    assert payload.deletes == ("a",)


def test_delta_has_no_base_when_base_version_is_absent() -> None:
    payload = parse_payload({"version": 2, "deletes": []})

    assert isinstance(payload, Delta)
    assert payload.base_version is None


def test_delta_is_unversioned_when_version_is_absent() -> None:
    payload = parse_payload({"upserts": []})

    assert isinstance(payload, Delta)
    assert payload.version is None


# -- hint --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "version"),
    [({}, None), ({"version": 44}, 44), ({"version": 45, "reason": "bulk import"}, 45)],
)
def test_payload_is_hint_when_it_has_no_items_upserts_or_deletes(
    data: dict[str, Any], version: int | None
) -> None:
    payload = parse_payload(data)

    assert isinstance(payload, Hint)
    assert payload.form == "hint"
    assert payload.version == version


def test_payload_is_hint_when_it_has_a_base_version_but_no_changes() -> None:
    assert isinstance(parse_payload({"version": 2, "base_version": 1}), Hint)


# -- emitted_at_ms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"items": [], "emitted_at_ms": 1764259200123},
        {"deletes": [], "emitted_at_ms": 1764259200123},
        {"emitted_at_ms": 1764259200123},
    ],
)
def test_emitted_at_ms_is_parsed_when_present_in_any_form(data: dict[str, Any]) -> None:
    assert parse_payload(data).emitted_at_ms == 1764259200123


def test_emitted_at_ms_is_none_when_absent() -> None:
    assert parse_payload({"items": []}).emitted_at_ms is None


@pytest.mark.parametrize("value", ["1764259200123", True, float("nan"), [1]])
def test_emitted_at_ms_is_absent_when_not_a_number(value: object) -> None:
    payload = parse_payload({"version": 3, "items": [], "emitted_at_ms": value})
    assert payload.emitted_at_ms is None
    assert payload.version == 3


def test_emitted_at_ms_is_whole_milliseconds_when_sent_as_float() -> None:
    assert parse_payload({"items": [], "emitted_at_ms": 1764259200123.7}).emitted_at_ms == (
        1764259200123
    )


# -- not an object -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [[{"items": []}], [], "snapshot", '{"items": []}', None, 42, 4.2, True, b"{}"]
)
def test_payload_is_rejected_when_not_an_object(data: object) -> None:
    with pytest.raises(PayloadError, match="payload must be a JSON object"):
        parse_payload(data)


# -- wrong field types -------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["42", True, False, 42.0, [42], {"v": 42}])
@pytest.mark.parametrize("form", [{"items": []}, {"deletes": []}, {}])
def test_payload_is_rejected_when_version_is_not_an_integer(
    version: object, form: dict[str, Any]
) -> None:
    with pytest.raises(PayloadError, match="version must be an integer"):
        parse_payload({**form, "version": version})


@pytest.mark.parametrize("base_version", ["42", True, 42.5])
def test_payload_is_rejected_when_base_version_is_not_an_integer(base_version: object) -> None:
    with pytest.raises(PayloadError, match="base_version must be an integer"):
        parse_payload({"version": 43, "base_version": base_version, "deletes": []})


@pytest.mark.parametrize("items", [{"a": item("a")}, "items", None, 3, item("a")])
def test_payload_is_rejected_when_items_is_not_a_list(items: object) -> None:
    with pytest.raises(PayloadError, match="items must be a list"):
        parse_payload({"version": 1, "items": items})


@pytest.mark.parametrize("name", ["upserts", "deletes"])
@pytest.mark.parametrize("value", [{"a": 1}, "a", None, 1])
def test_payload_is_rejected_when_delta_field_is_not_a_list(name: str, value: object) -> None:
    with pytest.raises(PayloadError, match=f"{name} must be a list"):
        parse_payload({"version": 2, "base_version": 1, name: value})


@pytest.mark.parametrize(
    "deletes", [[{"id": "a"}], ["a", {"id": "b"}], [None], [True], [1.5], [""], [["a"]]]
)
def test_payload_is_rejected_when_deletes_contain_non_ids(deletes: list[Any]) -> None:
    with pytest.raises(PayloadError, match="deletes"):
        parse_payload(
            {"version": 2, "base_version": 1, "upserts": [item("a")], "deletes": deletes}
        )


@pytest.mark.parametrize("generated_at", ["yesterday", "2026-11-27T16:00:00", 1764259200, True])
def test_snapshot_applies_without_generated_at_when_it_is_invalid(generated_at: object) -> None:
    item = {"id": 1, "title": "T", "start": "2026-11-27T09:00:00Z"}
    payload = parse_payload({"version": 1, "items": [item], "generated_at": generated_at})
    assert isinstance(payload, Snapshot)
    assert payload.generated_at is None
    assert [i.key for i in payload.items] == ["1"]


def test_payload_error_is_a_value_error_when_raised() -> None:
    assert issubclass(PayloadError, ValueError)


# -- bad items ---------------------------------------------------------------------------------

BAD_ITEMS: list[tuple[object, str]] = [
    ({"title": "no id", "start": START}, "no id"),
    ({"id": "t", "start": START}, "'t' has no title"),
    ({"id": "s", "title": "bad start", "start": "soon"}, "'s': start"),
    ({"id": "z", "title": "naive", "start": "2026-11-27T16:00:00"}, "'z': start has no UTC"),
    ({"id": True, "title": "bool id", "start": START}, "id must be"),
    ({"id": "o", "title": "x", "start": START, "notes": 5}, "'o': notes must be a string"),
    ("not an object", "item must be an object"),
]


def test_bad_items_are_dropped_one_by_one_when_snapshot_has_good_ones_too() -> None:
    raw_items: list[object] = [item("good-0")]
    for number, (bad, _) in enumerate(BAD_ITEMS, start=1):
        raw_items += [bad, item(f"good-{number}")]

    payload = parse_payload({"version": 1, "items": raw_items})

    assert isinstance(payload, Snapshot)
    assert keys(payload.items) == [f"good-{n}" for n in range(len(BAD_ITEMS) + 1)]
    assert len(payload.dropped) == len(BAD_ITEMS)
    for reason, (_, expected) in zip(payload.dropped, BAD_ITEMS, strict=True):
        assert expected in reason


def test_bad_upserts_are_dropped_one_by_one_when_delta_has_good_ones_too() -> None:
    payload = parse_payload(
        {
            "version": 2,
            "base_version": 1,
            "upserts": [item("a"), *(bad for bad, _ in BAD_ITEMS), item("b")],
            "deletes": ["c"],
        }
    )

    assert isinstance(payload, Delta)
    assert keys(payload.upserts) == ["a", "b"]
    assert payload.deletes == ("c",)
    assert len(payload.dropped) == len(BAD_ITEMS)
    for reason, (_, expected) in zip(payload.dropped, BAD_ITEMS, strict=True):
        assert expected in reason


def test_snapshot_is_kept_empty_when_every_item_is_bad() -> None:
    payload = parse_payload({"version": 5, "items": [bad for bad, _ in BAD_ITEMS]})

    assert isinstance(payload, Snapshot)
    assert payload.version == 5
    assert payload.items == ()
    assert len(payload.dropped) == len(BAD_ITEMS)


def test_duplicate_ids_are_all_kept_when_parsing_a_snapshot() -> None:
    payload = parse_snapshot({"items": [item("a", title="one"), item("a", title="two")]})

    assert [i.title for i in payload.items] == ["one", "two"]  # the schedule decides


# -- parse_snapshot ----------------------------------------------------------------------------


def test_parse_snapshot_returns_snapshot_when_body_is_a_snapshot() -> None:
    snapshot = parse_snapshot({"version": 3, "items": [item("a")], "junk": True})

    assert snapshot.version == 3
    assert keys(snapshot.items) == ["a"]


@pytest.mark.parametrize(
    "body",
    [
        {"version": 3, "base_version": 2, "upserts": []},
        {"version": 3, "deletes": ["a"]},
        {"version": 3},
        {},
    ],
)
def test_parse_snapshot_rejects_body_when_it_is_not_a_snapshot(body: dict[str, Any]) -> None:
    with pytest.raises(PayloadError, match="not a snapshot"):
        parse_snapshot(body)


@pytest.mark.parametrize(
    "body", [[], None, "{}", 1, {"items": "x"}, {"version": "3", "items": []}]
)
def test_parse_snapshot_rejects_body_when_malformed(body: object) -> None:
    with pytest.raises(PayloadError):
        parse_snapshot(body)
