"""Item parsing: every field row of protocol.md section 4."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from dashboard_desktop.core.items import Item, ItemError, item_key, parse_datetime, parse_item

START = "2026-11-27T16:00:00Z"
START_DT = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


def raw(**fields: Any) -> dict[str, Any]:
    """A valid wire item, with ``fields`` overriding or adding keys."""
    data: dict[str, Any] = {"id": "a", "title": "Stand-up", "start": START}
    data.update(fields)
    return data


def without(name: str) -> dict[str, Any]:
    data = raw()
    del data[name]
    return data


# -- id ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_id", "key"),
    [("a", "a"), ("42", "42"), (42, "42"), (0, "0"), ("0", "0"), (-7, "-7")],
)
def test_id_is_accepted_when_string_or_integer(raw_id: str | int, key: str) -> None:
    item = parse_item(raw(id=raw_id))

    assert item.key == key
    assert item.raw_id == raw_id
    assert type(item.raw_id) is type(raw_id)


@pytest.mark.parametrize("raw_id", [True, False, 1.0, 1.5, None, "", [], {}, ["a"]])
def test_item_is_rejected_when_id_is_not_a_usable_identity(raw_id: object) -> None:
    with pytest.raises(ItemError, match="id"):
        parse_item(raw(id=raw_id))


def test_item_is_rejected_when_id_is_missing() -> None:
    with pytest.raises(ItemError, match="no id"):
        parse_item(without("id"))


def test_key_is_str_of_id_when_integer_and_string_ids_collide() -> None:
    assert parse_item(raw(id=7)).key == parse_item(raw(id="7")).key == "7"


@pytest.mark.parametrize("value", [True, 1.0, None, ""])
def test_item_key_raises_when_value_is_not_an_identity(value: object) -> None:
    with pytest.raises(ItemError):
        item_key(value)


def test_item_key_returns_str_when_value_is_integer() -> None:
    assert item_key(12) == "12"


# -- title -------------------------------------------------------------------------------------


def test_item_is_rejected_when_title_is_missing() -> None:
    with pytest.raises(ItemError, match="'a' has no title"):
        parse_item(without("title"))


@pytest.mark.parametrize("title", [None, 3, ["x"], {"text": "x"}, True])
def test_item_is_rejected_when_title_is_not_a_string(title: object) -> None:
    with pytest.raises(ItemError, match="title"):
        parse_item(raw(title=title))


def test_title_is_kept_verbatim_when_it_looks_like_markup() -> None:
    assert parse_item(raw(title="<b>Bold</b> & co")).title == "<b>Bold</b> & co"


# -- start -------------------------------------------------------------------------------------


def test_item_is_rejected_when_start_is_missing() -> None:
    with pytest.raises(ItemError, match="start"):
        parse_item(without("start"))


@pytest.mark.parametrize(
    "start", ["", "tomorrow", "2026-13-01T00:00:00Z", "2026-11-27T25:00:00Z", "27/11/2026 16:00"]
)
def test_item_is_rejected_when_start_is_unparseable(start: str) -> None:
    with pytest.raises(ItemError, match="start is not an ISO 8601 date-time"):
        parse_item(raw(start=start))


@pytest.mark.parametrize("start", ["2026-11-27T16:00:00", "2026-11-27", "2026-11-27T16:00"])
def test_item_is_rejected_when_start_has_no_offset(start: str) -> None:
    with pytest.raises(ItemError, match="start has no UTC offset"):
        parse_item(raw(start=start))


@pytest.mark.parametrize("start", [None, 1764259200, 1.5, True, ["2026-11-27T16:00:00Z"]])
def test_item_is_rejected_when_start_is_not_a_string(start: object) -> None:
    with pytest.raises(ItemError, match="start must be an ISO 8601 string"):
        parse_item(raw(start=start))


def test_start_is_utc_when_suffixed_with_z() -> None:
    item = parse_item(raw(start="2026-11-27T16:00:00Z"))

    assert item.start == START_DT
    assert item.start.utcoffset() == timedelta(0)


def test_start_keeps_its_offset_when_given_one() -> None:
    item = parse_item(raw(start="2026-11-27T17:30:00+01:30"))

    assert item.start.utcoffset() == timedelta(hours=1, minutes=30)
    assert item.start == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


def test_start_parses_fractional_seconds_when_present() -> None:
    item = parse_item(raw(start="2026-11-27T16:00:00.250-05:00"))

    assert item.start == datetime(
        2026, 11, 27, 16, 0, 0, 250000, tzinfo=timezone(-timedelta(hours=5))
    )


def test_error_names_the_item_when_start_is_bad() -> None:
    with pytest.raises(ItemError, match="item 'x'"):
        parse_item(raw(id="x", start="never"))


# -- end / updated_at --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["end", "updated_at"])
def test_optional_datetime_is_parsed_when_given_with_z(name: str) -> None:
    item = parse_item(raw(**{name: "2026-11-27T17:00:00Z"}))

    assert getattr(item, name) == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["end", "updated_at"])
def test_optional_datetime_is_parsed_when_given_with_offset(name: str) -> None:
    item = parse_item(raw(**{name: "2026-11-27T19:00:00+02:00"}))

    assert getattr(item, name) == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert getattr(item, name).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("name", ["end", "updated_at"])
def test_optional_datetime_is_none_when_absent_or_null(name: str) -> None:
    assert getattr(parse_item(raw()), name) is None
    assert getattr(parse_item(raw(**{name: None})), name) is None


@pytest.mark.parametrize("name", ["end", "updated_at"])
@pytest.mark.parametrize("value", ["soon", "", 1764259200, True, {"at": START}])
def test_item_is_rejected_when_optional_datetime_is_invalid(name: str, value: object) -> None:
    with pytest.raises(ItemError, match=name):
        parse_item(raw(**{name: value}))


@pytest.mark.parametrize("name", ["end", "updated_at"])
def test_item_is_rejected_when_optional_datetime_has_no_offset(name: str) -> None:
    with pytest.raises(ItemError, match=f"{name} has no UTC offset"):
        parse_item(raw(**{name: "2026-11-27T17:00:00"}))


# -- optional text fields ----------------------------------------------------------------------

TEXT_FIELDS = ["status", "location", "assignee", "notes"]


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_optional_text_is_kept_when_a_string(name: str) -> None:
    assert getattr(parse_item(raw(**{name: "Room 4"})), name) == "Room 4"


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_optional_text_is_none_when_absent_or_null(name: str) -> None:
    assert getattr(parse_item(raw()), name) is None
    assert getattr(parse_item(raw(**{name: None})), name) is None


@pytest.mark.parametrize("name", TEXT_FIELDS)
@pytest.mark.parametrize("value", [1, 1.5, True, ["x"], {"x": 1}])
def test_item_is_rejected_when_optional_text_has_wrong_type(name: str, value: object) -> None:
    with pytest.raises(ItemError, match=f"item 'a': {name} must be a string"):
        parse_item(raw(**{name: value}))


@pytest.mark.parametrize(
    "status", ["scheduled", "in_progress", "delayed", "completed", "cancelled", "on_hold", ""]
)
def test_status_is_kept_as_sent_when_known_or_unknown(status: str) -> None:
    assert parse_item(raw(status=status)).status == status


# -- unknown fields ----------------------------------------------------------------------------


def test_unknown_fields_are_kept_in_extra_when_present() -> None:
    item = parse_item(raw(room={"floor": 2}, priority=3, tags=["a"], flag=None))

    assert dict(item.extra) == {"room": {"floor": 2}, "priority": 3, "tags": ["a"], "flag": None}


def test_extra_is_empty_when_only_known_fields_are_sent() -> None:
    item = parse_item(raw(end=START, status="delayed", notes="n"))

    assert dict(item.extra) == {}


def test_extra_excludes_known_fields_when_all_are_present() -> None:
    data = raw(end=START, status="s", location="l", assignee="a", notes="n", updated_at=START, x=1)

    assert dict(parse_item(data).extra) == {"x": 1}


def test_extra_is_read_only_when_parsed() -> None:
    item = parse_item(raw(x=1))

    with pytest.raises(TypeError):
        item.extra["x"] = 2  # type: ignore[index]


def test_extra_is_independent_of_input_when_input_mutated_afterwards() -> None:
    data = raw(x=1)
    item = parse_item(data)
    data["y"] = 2

    assert dict(item.extra) == {"x": 1}


def test_items_are_equal_when_parsed_from_equal_data() -> None:
    assert parse_item(raw(x=1, status="s")) == parse_item(raw(x=1, status="s"))
    assert parse_item(raw(x=1)) != parse_item(raw(x=2))


# -- shape -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [None, "a", 1, ["a"], [("id", "a")]])
def test_item_is_rejected_when_not_an_object(data: object) -> None:
    with pytest.raises(ItemError, match="item must be an object"):
        parse_item(data)


def test_all_fields_are_parsed_when_complete() -> None:
    item = parse_item(
        {
            "id": 9,
            "title": "Review",
            "start": START,
            "end": "2026-11-27T17:00:00Z",
            "status": "delayed",
            "location": "Room 1",
            "assignee": "Kim",
            "notes": "bring laptop",
            "updated_at": "2026-11-27T15:00:00+00:00",
        }
    )

    assert item == Item(
        key="9",
        raw_id=9,
        title="Review",
        start=START_DT,
        end=datetime(2026, 11, 27, 17, 0, tzinfo=UTC),
        status="delayed",
        location="Room 1",
        assignee="Kim",
        notes="bring laptop",
        updated_at=datetime(2026, 11, 27, 15, 0, tzinfo=UTC),
    )


def test_sort_key_is_start_title_key_when_read() -> None:
    item = parse_item(raw(id=3, title="T"))

    assert item.sort_key == (START_DT, "T", "3")


def test_parse_datetime_accepts_z_and_offsets_when_called_directly() -> None:
    assert parse_datetime("2026-11-27T16:00:00Z", "x") == START_DT
    assert parse_datetime("2026-11-27T18:00:00+02:00", "x") == START_DT


def test_parse_datetime_names_the_field_when_rejecting() -> None:
    with pytest.raises(ItemError, match="generated_at"):
        parse_datetime("nope", "generated_at")
