"""Property-based fuzzing of the real SyncService and Schedule with pushed events and REST bodies.

Each example feeds a random sequence of socket events (``SyncService.on_event``, the argument
the Socket.IO handler hands over) and REST bodies (the fetcher's path for a 200 response) to a
service that is not started: no network, the qasync loop of ``tests/conftest.py``, the real
``Schedule``. Resync requests are recorded instead of fetched. After every step: nothing
escaped, a rejected payload left the schedule exactly as it was, the schedule equals the
independent :class:`~tests.unit.core.fuzz_payloads.Reference`, the row invariants hold and a
pushed payload never lowers the version. Example counts: profile ``fuzz``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.net.rest import FetchResult, Outcome
from dashboard_desktop.net.sync import SyncService
from tests.unit.core.fuzz_payloads import (
    BAD_VERSION,
    FUZZ,
    LABELLED_ITEMS,
    VALID_DELETE,
    Reference,
    assert_invariants,
    delta_payload,
    junk_payload,
    schedule_rows,
    snapshot_payload,
)

MAX_ITEMS = 5
FORMS = ("snapshot", "delta", "hint", "junk", "rest", "rest junk")


def _versions(reference: Reference) -> st.SearchStrategy[int | None]:
    shown = reference.version if reference.version is not None else 0
    near = st.sampled_from([shown - 1, shown, shown + 1, shown + 2])
    return st.none() | near | st.integers(-3, 12)


@dataclass
class Event:
    """A labelled snapshot, delta or hint and its outcome: reject, apply, ignore or resync."""

    data: dict[str, Any]
    expected: str
    labelled: list[tuple[Any, bool]] = field(default_factory=list)
    deletes: list[Any] = field(default_factory=list)
    version: int | None = None


def _labelled_event(draw: Any, form: str, reference: Reference) -> Event:
    labelled = draw(LABELLED_ITEMS)
    version = draw(_versions(reference))
    if form == "hint":
        return Event({} if version is None else {"version": version}, "resync")
    if form == "snapshot":
        data = snapshot_payload(labelled, version)
        if len(labelled) > MAX_ITEMS:
            return Event(data, "reject")
        return Event(data, reference.decide(form, version, None), labelled, [], version)
    deletes = draw(st.lists(VALID_DELETE, max_size=3))
    base = draw(_versions(reference))
    data = delta_payload(labelled, deletes, version, base)
    if len(labelled) + len(deletes) > MAX_ITEMS:
        return Event(data, "reject")
    return Event(data, reference.decide(form, version, base), labelled, deletes, version)


class Harness:
    """A service that is not started, with its resync requests recorded."""

    def __init__(self, settings: Settings) -> None:
        self.service = SyncService(settings, Schedule())
        self.schedule = self.service.schedule
        self.resyncs: list[str] = []
        self.service.request_snapshot = self.resyncs.append  # type: ignore[method-assign]

    def push(self, data: Any) -> None:
        self.service.on_event(data)
        self.service.flush_pushes()  # the frame's update, applied now

    def fetched(self, body: Any) -> None:
        fetcher = self.service._fetcher
        ticket = self.service._rules.begin_fetch()
        fetcher._take(FetchResult(Outcome.OK, body, http_status=200), ticket, "poll")

    def shown(self) -> tuple[tuple[Any, ...], int | None]:
        return tuple(self.schedule.items), self.schedule.version


def _follow(reference: Reference, schedule: Schedule) -> Reference:
    """A reference equal to what the schedule shows (after junk, whose outcome is unknown)."""
    items = {
        item.key: {"id": item.key, "title": item.title, "start": item.start.isoformat()}
        for item in schedule.items
    }
    return Reference(items, schedule.version)


def _step(harness: Harness, reference: Reference, form: str, draw: Any) -> Reference:
    before = harness.shown()
    resyncs = len(harness.resyncs)
    if form in ("junk", "rest junk"):
        data = draw(junk_payload() | st.builds(dict, version=BAD_VERSION, items=st.just([])))
        harness.push(data) if form == "junk" else harness.fetched(data)
        return _follow(reference, harness.schedule)
    if form == "rest":
        labelled, version = draw(LABELLED_ITEMS), draw(_versions(reference))
        harness.fetched(snapshot_payload(labelled, version))
        expected = "reject" if len(labelled) > MAX_ITEMS else "apply"
        if expected == "apply":
            reference.replace(labelled, version)
    else:
        event = _labelled_event(draw, form, reference)
        harness.push(event.data)
        expected = event.expected
        if expected == "apply" and form == "snapshot":
            reference.replace(event.labelled, event.version)
        elif expected == "apply":
            reference.apply_delta(event.labelled, event.deletes, event.version)
    if expected in ("reject", "ignore"):
        assert harness.shown() == before  # the very same items, the same version
    if expected == "resync":
        assert harness.shown() == before
        assert len(harness.resyncs) > resyncs
    return reference


@FUZZ
@given(st.data())
def test_shown_schedule_matches_reference_when_any_events_and_bodies_arrive(
    loop: Any, test_settings: Settings, data: st.DataObject
) -> None:
    harness = Harness(test_settings.with_overrides(offline_cache=False, max_items=MAX_ITEMS))
    reference = Reference()
    for _ in range(data.draw(st.integers(1, 6), label="steps")):
        form = data.draw(st.sampled_from(FORMS), label="form")
        pushed = form not in ("rest", "rest junk")
        version_before = harness.schedule.version
        reference = _step(harness, reference, form, data.draw)
        assert_invariants(harness.schedule)
        assert schedule_rows(harness.schedule.items) == reference.rows()
        assert harness.schedule.version == reference.version
        after = harness.schedule.version
        if pushed and version_before is not None and after is not None:
            assert after >= version_before  # a push never goes back
