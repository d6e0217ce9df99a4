"""Hypothesis strategies for fuzzing payloads, and a reference model of the protocol.

Items are generated with a label saying whether protocol.md section 4 keeps or drops them, so
the tests can compare the client with :class:`Reference`, which is written from protocol.md
alone (it shares no code with ``dashboard_desktop.core``). Payloads come in two families:
*labelled* ones (valid structure, valid and invalid items, the expected outcome known) and
*junk* (any JSON, or a valid payload mutated at random), for which only robustness is checked.

Example counts come from the hypothesis profile ``fuzz`` (500 examples a property, the CI
default) or ``fuzz-deep`` (5,000), chosen with the ``FUZZ_PROFILE`` environment variable.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    max_examples=500,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the qasync loop is shared by the examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile("fuzz-deep", settings.get_profile("fuzz"), max_examples=5000)
FUZZ = settings.get_profile(os.environ.get("FUZZ_PROFILE", "fuzz"))

Json = Any

# -- building blocks ----------------------------------------------------------------------------

MARKUP = st.sampled_from(
    [
        "<b>bold</b>",
        "<script>alert(1)</script>",
        "&amp;",
        "<img src=x onerror=1>",
        "\u202e",
        "",
        "\ud800 lone surrogate",
        "\x00nul",
    ]
)
# A long text is a short one repeated: drawing thousands of characters one by one is slow.
LONG_TEXT = st.builds(lambda t, n: (t or "w") * n, st.text(max_size=4), st.integers(500, 5000))
TEXT = st.one_of(st.text(max_size=20), MARKUP, LONG_TEXT)
# Too many digits to print (built in map: hypothesis cannot repr such an int in a strategy).
UNPRINTABLE_INT = st.integers(4300, 4400).map(lambda digits: 10**digits + 7)
HUGE_INT = UNPRINTABLE_INT | st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**400])
NUMBER = st.one_of(
    st.integers(), HUGE_INT, st.floats(allow_nan=True, allow_infinity=True), st.booleans()
)
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, TEXT)


def _nested(scalar: st.SearchStrategy[Json]) -> st.SearchStrategy[Json]:
    return st.recursive(
        scalar,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=5,
    )


JUNK = _nested(SCALAR)
# What json.loads can produce (no int of more than 4300 digits): for unknown item fields.
WIRE_JUNK = _nested(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT))

_EPOCH = datetime(2026, 11, 27, 16, tzinfo=UTC)
_SPAN = int((datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH).total_seconds())
_BACK = int((_EPOCH - datetime(1, 1, 2, tzinfo=UTC)).total_seconds())
# Near the epoch most of the time (equal starts, ties broken by title), anywhere sometimes.
SECONDS = st.integers(-7200, 7200).map(lambda s: s - s % 900) | st.integers(-_BACK, _SPAN)
OFFSET_MINUTES = st.sampled_from([0, 60, -300, 330, 840, -720]) | st.integers(-1439, 1439)


def _iso(seconds: int, offset: int, zulu: bool) -> str:
    zone = timezone(timedelta(minutes=offset))
    text = (_EPOCH + timedelta(seconds=seconds)).astimezone(zone).isoformat()
    return text[:-6] + "Z" if zulu and text.endswith("+00:00") else text


DATE = st.builds(_iso, SECONDS, OFFSET_MINUTES, st.booleans())
# Valid, though some have no UTC date (0001-01-01T00:00+14:00): code downstream must cope.
EDGE_DATES = st.sampled_from(
    ["0001-01-01T00:00:00-01:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+14:00",
     "9999-12-31T23:59:59-14:00"]
)  # fmt: skip
VALID_DATE = DATE | EDGE_DATES
BAD_DATE = st.one_of(
    st.sampled_from(
        ["", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T10:00:00Z", "2026-11-27T16:00:00",
         "2026-11-27", "2026-11-27T25:00:00Z", "2026-11-27T16:00:00+24:00"]
    ),
    st.text(max_size=30).map(lambda t: "x" + t),
    st.integers(), st.floats(), st.booleans(), st.lists(st.integers(), max_size=2),
)  # fmt: skip
POOL_IDS = st.sampled_from(["a", "b", "1", "\u00e9", "<i>"]) | st.integers(0, 3)
VALID_ID = POOL_IDS | st.text(min_size=1, max_size=20) | st.integers(-(10**30), 10**30)
BAD_ID = st.one_of(
    st.none(), st.just(""), st.booleans(), st.floats(), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), UNPRINTABLE_INT,
)  # fmt: skip
NOT_TEXT = st.one_of(st.integers(), st.floats(), st.booleans(), st.lists(st.text(), max_size=2))
OPTIONAL_TEXT = ("status", "location", "assignee", "notes")
KNOWN = {"id", "title", "start", "end", "updated_at", *OPTIONAL_TEXT}
EXTRA_KEYS = st.sampled_from(["room", "x-colour", "", "\u00fcber", "<b>k</b>", "__proto__"])
EXTRA = st.dictionaries(EXTRA_KEYS, WIRE_JUNK, max_size=2)
OPTIONAL_FIELDS = {name: st.none() | TEXT for name in OPTIONAL_TEXT} | {
    "end": st.none() | VALID_DATE,
    "updated_at": st.none() | VALID_DATE,
}


@st.composite
def valid_item(draw: st.DrawFn) -> dict[str, Json]:
    """An item protocol.md keeps: id, title, start, optional fields, unknown fields."""
    data: dict[str, Json] = draw(EXTRA) if draw(st.integers(0, 3)) == 0 else {}
    data.update(id=draw(VALID_ID), title=draw(TEXT), start=draw(VALID_DATE))
    data.update(draw(st.fixed_dictionaries({}, optional=OPTIONAL_FIELDS)))
    return data


@st.composite
def invalid_item(draw: st.DrawFn) -> Json:
    """An element protocol.md drops: not an object, or one field broken."""
    data = draw(valid_item())
    how = draw(st.sampled_from(["junk", "id", "no id", "title", "start", "text", "date"]))
    if how == "junk":
        return draw(st.one_of(SCALAR, st.lists(SCALAR, max_size=3)))
    if how in ("no id", "title") or (how == "start" and draw(st.booleans())):
        data.pop({"no id": "id", "title": "title", "start": "start"}[how])
        if how == "title" and draw(st.booleans()):
            data["title"] = draw(st.none() | NOT_TEXT)
    elif how == "id":
        data["id"] = draw(BAD_ID)
    elif how == "start":
        data["start"] = draw(BAD_DATE)
    elif how == "text":
        data[draw(st.sampled_from(OPTIONAL_TEXT))] = draw(NOT_TEXT)
    else:
        data[draw(st.sampled_from(["end", "updated_at"]))] = draw(BAD_DATE)
    return data


LABELLED_ITEM = st.tuples(valid_item(), st.just(True)) | st.tuples(invalid_item(), st.just(False))
LABELLED_ITEMS = st.lists(LABELLED_ITEM, max_size=6)
BAD_VERSION = st.one_of(
    st.text(max_size=5), st.floats(), st.booleans(), HUGE_INT, st.lists(st.integers(), max_size=1)
)


# -- the reference model ------------------------------------------------------------------------


def identity(raw_id: Json) -> str:
    """protocol.md: ``id`` is a string or an integer; 7 and "7" are the same item."""
    return raw_id if isinstance(raw_id, str) else str(int(raw_id))


@dataclass
class Reference:
    """The schedule protocol.md says the client shows, kept as plain dictionaries."""

    items: dict[str, dict[str, Json]] = field(default_factory=dict)
    version: int | None = None

    def replace(self, labelled: list[tuple[Json, bool]], version: int | None) -> None:
        """Show only the valid items (the last of two with one id wins)."""
        self.items = {identity(e["id"]): e for e, ok in labelled if ok}
        self.version = version

    def apply_delta(
        self, labelled: list[tuple[Json, bool]], deletes: list[Json], version: int | None
    ) -> None:
        """Delete, then upsert the valid items."""
        for raw in deletes:
            self.items.pop(identity(raw), None)
        self.items.update({identity(e["id"]): e for e, ok in labelled if ok})
        self.version = version

    def rows(self) -> list[tuple[datetime, str, str]]:
        """(start, title, key) of every item, in the order rows are shown."""
        return sorted(
            (datetime.fromisoformat(_plain_z(e["start"])), e["title"], key)
            for key, e in self.items.items()
        )

    def decide(self, form: str, version: int | None, base: int | None) -> str:
        """protocol.md section 1 for a pushed payload: apply, ignore or resync."""
        if form == "hint" or (version is None and form == "delta"):
            return "resync"
        if version is None:
            return "apply"
        if self.version is not None and version <= self.version:
            return "ignore"
        if form == "delta" and (self.version is None or base != self.version):
            return "resync"
        return "apply"


def _plain_z(text: str) -> str:
    return text[:-1] + "+00:00" if text.endswith("Z") else text


def schedule_rows(items: Any) -> list[tuple[datetime, str, str]]:
    """(start, title, key) of each row of a ``Schedule``, in row order."""
    return [(item.start, item.title, item.key) for item in items]


def assert_invariants(schedule: Any) -> None:
    """Rows strictly sorted by (start, title, key), keys unique, every index agrees."""
    keys = [item.key for item in schedule.items]
    assert len(set(keys)) == len(keys)
    sort_keys = [item.sort_key for item in schedule.items]
    assert all(a < b for a, b in itertools.pairwise(sort_keys))
    assert list(schedule.sort_keys) == sort_keys
    for row, key in enumerate(keys):
        assert schedule.row_of(key) == row
        assert schedule.get(key) is schedule.row(row)


# -- payloads -----------------------------------------------------------------------------------

VALID_DELETE = VALID_ID
BAD_DELETE = st.one_of(
    st.none(), st.just(""), st.booleans(), st.floats(), st.lists(st.integers(), max_size=1),
    UNPRINTABLE_INT,
)  # fmt: skip


def snapshot_payload(labelled: list[tuple[Json, bool]], version: int | None) -> dict[str, Json]:
    """A snapshot event or REST body (``version`` None: the key is left out)."""
    body: dict[str, Json] = {"items": [element for element, _ in labelled]}
    if version is not None:
        body["version"] = version
    return body


def delta_payload(
    labelled: list[tuple[Json, bool]], deletes: list[Json], version: int | None, base: int | None
) -> dict[str, Json]:
    """A delta event (``None`` fields are left out)."""
    body: dict[str, Json] = {"upserts": [element for element, _ in labelled], "deletes": deletes}
    for name, value in (("version", version), ("base_version", base)):
        if value is not None:
            body[name] = value
    return body


@st.composite
def mutated(draw: st.DrawFn, value: Json, depth: int = 0) -> Json:
    """``value`` with one random change somewhere inside: replaced, removed or added to."""
    containers = isinstance(value, dict | list) and value and depth < 4
    if not containers or draw(st.integers(0, 3)) == 0:
        return draw(JUNK)
    if isinstance(value, list):
        index = draw(st.integers(0, len(value) - 1))
        copy = list(value)
        copy[index] = draw(mutated(value[index], depth + 1))
        return copy
    key = draw(st.sampled_from(sorted(value)))
    copy = dict(value)
    action = draw(st.sampled_from(["change", "remove", "add"]))
    if action == "remove":
        del copy[key]
    elif action == "add":
        copy[draw(st.sampled_from([*KNOWN, "items", "upserts", "deletes", "version"]))] = draw(
            JUNK
        )
    else:
        copy[key] = draw(mutated(value[key], depth + 1))
    return copy


@st.composite
def junk_payload(draw: st.DrawFn) -> Json:
    """Any JSON, or a valid snapshot, delta or hint changed at one random place."""
    items = [(draw(valid_item()), True) for _ in range(draw(st.integers(0, 3)))]
    version = draw(st.none() | st.integers(0, 10))
    valid = draw(
        st.sampled_from(
            [
                snapshot_payload(items, version),
                delta_payload(items, ["a", 1], version, draw(st.integers(0, 10))),
                {"version": version},
            ]
        )
    )
    return draw(JUNK | mutated(valid))
