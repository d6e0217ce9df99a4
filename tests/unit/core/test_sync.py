"""Version rules of protocol.md section 1: apply, ignore or resync."""

from __future__ import annotations

import pytest

from dashboard_desktop.core.protocol import Delta, Hint, Snapshot, parse_payload
from dashboard_desktop.core.sync import Action, Decision, SyncRules


def snapshot(version: int | None) -> Snapshot:
    return Snapshot(version, ())


def delta(version: int | None, base: int | None) -> Delta:
    return Delta(version, base, (), ())


# -- pushed snapshots --------------------------------------------------------------------------


@pytest.mark.parametrize("shown", [None, 0, 41])
def test_pushed_snapshot_applies_when_newer_than_shown(shown: int | None) -> None:
    assert SyncRules().decide_push(snapshot(42), shown) == Decision(Action.APPLY, "snapshot")


def test_pushed_snapshot_is_duplicate_when_version_equals_shown() -> None:
    assert SyncRules().decide_push(snapshot(42), 42) == Decision(Action.IGNORE, "duplicate")


@pytest.mark.parametrize("version", [0, 1, 41])
def test_pushed_snapshot_is_stale_when_older_than_shown(version: int) -> None:
    assert SyncRules().decide_push(snapshot(version), 42) == Decision(Action.IGNORE, "stale")


@pytest.mark.parametrize("shown", [None, 1, 42])
def test_unversioned_snapshot_applies_when_pushed(shown: int | None) -> None:
    decision = SyncRules().decide_push(snapshot(None), shown)

    assert decision == Decision(Action.APPLY, "unversioned snapshot")


# -- pushed deltas -----------------------------------------------------------------------------


def test_delta_applies_when_base_matches_shown() -> None:
    assert SyncRules().decide_push(delta(43, 42), 42) == Decision(Action.APPLY, "delta")


def test_delta_applies_when_it_skips_versions_but_base_matches() -> None:
    assert SyncRules().decide_push(delta(50, 42), 42).action is Action.APPLY


@pytest.mark.parametrize("base", [41, 43, None])
def test_delta_resyncs_with_gap_when_base_does_not_match(base: int | None) -> None:
    assert SyncRules().decide_push(delta(44, base), 42) == Decision(Action.RESYNC, "gap")


def test_delta_resyncs_when_nothing_is_shown() -> None:
    assert SyncRules().decide_push(delta(43, 42), None) == Decision(Action.RESYNC, "gap")


@pytest.mark.parametrize("shown", [None, 42])
def test_unversioned_delta_resyncs_when_pushed(shown: int | None) -> None:
    decision = SyncRules().decide_push(delta(None, 42), shown)

    assert decision == Decision(Action.RESYNC, "unversioned delta")


def test_delta_is_duplicate_when_version_equals_shown() -> None:
    assert SyncRules().decide_push(delta(42, 41), 42) == Decision(Action.IGNORE, "duplicate")


def test_delta_is_stale_when_older_than_shown() -> None:
    assert SyncRules().decide_push(delta(40, 39), 42) == Decision(Action.IGNORE, "stale")


# -- hints -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "shown"), [(None, None), (44, 42), (42, 42), (1, 42)])
def test_hint_resyncs_when_pushed_whatever_its_version(version: int | None, shown: int) -> None:
    assert SyncRules().decide_push(Hint(version), shown) == Decision(Action.RESYNC, "hint")


@pytest.mark.parametrize(
    ("data", "shown", "action"),
    [
        ({"version": 43, "items": []}, 42, Action.APPLY),
        ({"version": 42, "items": []}, 42, Action.IGNORE),
        ({"items": []}, 42, Action.APPLY),
        ({"version": 43, "base_version": 42, "upserts": []}, 42, Action.APPLY),
        ({"version": 44, "base_version": 43, "deletes": []}, 42, Action.RESYNC),
        ({"deletes": []}, 42, Action.RESYNC),
        ({}, 42, Action.RESYNC),
        ({"version": 44}, 42, Action.RESYNC),
    ],
)
def test_event_table_rows_decide_as_specified_when_parsed_from_wire(
    data: dict[str, object], shown: int, action: Action
) -> None:
    assert SyncRules().decide_push(parse_payload(data), shown).action is action


# -- REST snapshots ----------------------------------------------------------------------------

REST_APPLY = Decision(Action.APPLY, "rest snapshot")


@pytest.mark.parametrize(("version", "shown"), [(43, 42), (42, 42), (None, 42), (5, None)])
def test_rest_snapshot_applies_when_no_push_arrived_during_fetch(
    version: int | None, shown: int | None
) -> None:
    rules = SyncRules()
    ticket = rules.begin_fetch()

    assert rules.decide_fetched(snapshot(version), ticket, shown) == REST_APPLY


def test_rest_snapshot_applies_with_lower_version_when_backend_restarted() -> None:
    rules = SyncRules()
    ticket = rules.begin_fetch()

    assert rules.decide_fetched(snapshot(1), ticket, 500) == REST_APPLY


def test_rest_snapshot_applies_with_lower_version_when_pushes_predate_the_fetch() -> None:
    rules = SyncRules()
    rules.push_applied()
    rules.push_applied()
    ticket = rules.begin_fetch()

    assert rules.decide_fetched(snapshot(1), ticket, 500) == REST_APPLY


def test_rest_snapshot_is_ignored_when_a_newer_push_was_applied_during_fetch() -> None:
    rules = SyncRules()
    ticket = rules.begin_fetch()
    rules.push_applied()  # version 45 is now shown

    decision = rules.decide_fetched(snapshot(44), ticket, 45)

    assert decision == Decision(Action.IGNORE, "newer version arrived over the socket")


@pytest.mark.parametrize(("version", "shown"), [(45, 45), (46, 45), (None, 45), (3, None)])
def test_rest_snapshot_applies_when_push_during_fetch_is_not_newer(
    version: int | None, shown: int | None
) -> None:
    rules = SyncRules()
    ticket = rules.begin_fetch()
    rules.push_applied()

    assert rules.decide_fetched(snapshot(version), ticket, shown) == REST_APPLY


def test_each_fetch_sees_only_its_own_window_when_fetches_overlap() -> None:
    rules = SyncRules()
    first = rules.begin_fetch()
    rules.push_applied()
    second = rules.begin_fetch()

    assert rules.decide_fetched(snapshot(10), first, 20).action is Action.IGNORE
    assert rules.decide_fetched(snapshot(10), second, 20) == REST_APPLY


def test_ticket_changes_when_a_push_is_applied() -> None:
    rules = SyncRules()
    ticket = rules.begin_fetch()
    rules.push_applied()
    later = rules.begin_fetch()

    assert later != ticket
