"""Connection state and data age, driven by a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard_desktop.core.status import ConnectionState, StatusTracker, utc_now

POLL = 30.0
T0 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)

CONNECTING = ConnectionState.CONNECTING
LIVE = ConnectionState.LIVE
RECONNECTING = ConnectionState.RECONNECTING
POLLING = ConnectionState.POLLING
OFFLINE = ConnectionState.OFFLINE
UNAUTHORIZED = ConnectionState.UNAUTHORIZED


class FakeClock:
    """A clock whose ``now()`` only moves when told to."""

    def __init__(self, start: datetime = T0) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> datetime:
        self.current += timedelta(seconds=seconds)
        return self.current


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tracker(clock: FakeClock) -> StatusTracker:
    return StatusTracker(POLL, 60, clock.now)


def state(tracker: StatusTracker) -> ConnectionState:
    return tracker.status().state


def started_down(tracker: StatusTracker) -> StatusTracker:
    """Start-up whose first connection attempt failed."""
    tracker.attempting(0)
    tracker.attempt_failed("connection refused")
    return tracker


# -- states ------------------------------------------------------------------------------------


def test_state_is_connecting_when_tracker_starts(tracker: StatusTracker) -> None:
    status = tracker.status()

    assert status.state is CONNECTING
    assert status.reason == "starting"
    assert status.confirmed_at is None
    assert status.age is None
    assert status.version is None
    assert status.item_count == 0


def test_state_stays_connecting_when_first_attempt_is_still_running(
    tracker: StatusTracker,
) -> None:
    tracker.attempting(0)

    assert state(tracker) is CONNECTING


def test_state_is_live_when_connected(tracker: StatusTracker) -> None:
    tracker.connected()

    assert state(tracker) is LIVE
    assert tracker.status().reason == "connected"


def test_state_is_reconnecting_when_first_attempt_fails(tracker: StatusTracker) -> None:
    started_down(tracker)

    assert state(tracker) is RECONNECTING
    assert tracker.status().reason == "connection refused"


def test_state_is_reconnecting_when_connection_is_lost_after_clean_start(
    tracker: StatusTracker,
) -> None:
    tracker.connected()
    tracker.lost("disconnected: transport close")

    assert state(tracker) is RECONNECTING


def test_state_is_reconnecting_when_lost_after_an_earlier_failure(
    tracker: StatusTracker,
) -> None:
    started_down(tracker)
    tracker.connected()
    tracker.lost("disconnected: transport close")

    assert state(tracker) is RECONNECTING
    assert tracker.status().reason == "disconnected: transport close"


def test_state_is_polling_when_poll_succeeds_while_down(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.polled(True, "snapshot received")

    assert state(tracker) is POLLING
    assert tracker.status().reason == "snapshot received"


def test_state_is_polling_when_poll_succeeds_after_loss_of_clean_start(
    tracker: StatusTracker,
) -> None:
    tracker.connected()
    tracker.lost("disconnected: ping timeout")
    tracker.polled(True, "snapshot received")

    assert state(tracker) is POLLING


def test_state_is_polling_when_poll_succeeds_after_loss(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.connected()
    tracker.lost("disconnected: ping timeout")
    tracker.polled(True, "not modified")

    assert state(tracker) is POLLING


def test_state_is_offline_when_poll_fails_then_attempt_fails(tracker: StatusTracker) -> None:
    tracker.polled(False, "HTTP 503")
    started_down(tracker)

    assert state(tracker) is OFFLINE


def test_state_is_offline_when_attempt_fails_then_poll_fails(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.polled(False, "timeout")

    assert state(tracker) is OFFLINE
    assert tracker.status().reason == "timeout"


def test_state_is_reconnecting_when_only_the_poll_failed_after_loss(
    tracker: StatusTracker,
) -> None:
    started_down(tracker)
    tracker.connected()
    tracker.lost("disconnected")
    tracker.polled(False, "HTTP 500")

    assert state(tracker) is RECONNECTING


def test_state_is_offline_when_poll_and_retry_fail_after_loss(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.connected()
    tracker.lost("disconnected")
    tracker.polled(False, "HTTP 500")
    tracker.attempt_failed("connection refused")

    assert state(tracker) is OFFLINE


def test_state_is_polling_again_when_poll_recovers_while_offline(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.polled(False, "HTTP 502")
    tracker.polled(True, "snapshot received")

    assert state(tracker) is POLLING


def test_state_is_live_when_connected_after_being_offline(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.polled(False, "HTTP 502")
    tracker.connected()

    assert state(tracker) is LIVE


def test_live_reason_is_kept_when_a_poll_succeeds_while_connected(
    tracker: StatusTracker,
) -> None:
    tracker.connected()
    tracker.polled(True, "snapshot received")

    assert state(tracker) is LIVE
    assert tracker.status().reason == "connected"


# -- authorization -----------------------------------------------------------------------------


def test_state_is_unauthorized_when_socket_refuses_the_token(tracker: StatusTracker) -> None:
    tracker.attempt_failed("unauthorized", auth_refused=True)

    assert state(tracker) is UNAUTHORIZED
    assert tracker.status().reason == "unauthorized"


def test_state_is_unauthorized_when_rest_refuses_the_token(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.polled(False, "HTTP 401", auth_refused=True)

    assert state(tracker) is UNAUTHORIZED


def test_rest_refusal_shows_unauthorized_when_socket_is_connected(
    tracker: StatusTracker,
) -> None:
    tracker.connected()
    tracker.polled(False, "HTTP 403", auth_refused=True)

    assert state(tracker) is UNAUTHORIZED
    assert tracker.status().reason == "HTTP 403"


def test_socket_refusal_is_cleared_when_connected(tracker: StatusTracker) -> None:
    tracker.attempt_failed("unauthorized", auth_refused=True)
    tracker.connected()

    assert state(tracker) is LIVE


def test_rest_refusal_is_cleared_when_a_poll_succeeds(tracker: StatusTracker) -> None:
    started_down(tracker)
    tracker.polled(False, "HTTP 401", auth_refused=True)
    tracker.polled(True, "snapshot received")

    assert state(tracker) is POLLING


def test_rest_refusal_is_cleared_when_connect_is_followed_by_resync(
    tracker: StatusTracker,
) -> None:
    started_down(tracker)
    tracker.polled(False, "HTTP 401", auth_refused=True)
    tracker.connected()
    tracker.polled(True, "snapshot received")

    assert state(tracker) is LIVE


def test_socket_refusal_persists_when_a_later_poll_succeeds(tracker: StatusTracker) -> None:
    tracker.attempt_failed("unauthorized", auth_refused=True)
    tracker.polled(True, "snapshot received")

    assert state(tracker) is UNAUTHORIZED


def test_socket_refusal_is_cleared_when_next_attempt_fails_otherwise(
    tracker: StatusTracker,
) -> None:
    tracker.attempt_failed("unauthorized", auth_refused=True)
    tracker.attempt_failed("connection refused")

    assert state(tracker) is RECONNECTING


# -- stale -------------------------------------------------------------------------------------


def test_data_are_not_stale_when_live_and_resynced_however_old(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    tracker.connected()
    tracker.polled(True, "resync")
    clock.advance(10 * POLL)

    status = tracker.status()
    assert not status.stale
    assert status.confirmed_at == clock.now()
    assert status.age == timedelta(0)


def test_data_are_stale_when_nothing_was_ever_confirmed(tracker: StatusTracker) -> None:
    started_down(tracker)

    assert tracker.status().stale


def test_data_are_stale_when_last_poll_failed(tracker: StatusTracker, clock: FakeClock) -> None:
    started_down(tracker)
    tracker.polled(True, "ok")
    clock.advance(1)
    tracker.polled(False, "HTTP 503")

    assert tracker.status().stale


def test_data_are_fresh_when_poll_succeeded_recently(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    started_down(tracker)
    tracker.polled(True, "ok")
    clock.advance(2 * POLL)

    assert not tracker.status().stale


def test_data_are_stale_when_confirmation_is_older_than_twice_the_poll_interval(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    started_down(tracker)
    tracker.polled(True, "ok")
    clock.advance(2 * POLL + 0.001)

    assert tracker.status().stale


def test_data_are_fresh_after_loss_when_they_were_live_until_then(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    started_down(tracker)
    tracker.connected()
    tracker.polled(True, "resync")
    clock.advance(600)
    tracker.lost("disconnected")
    clock.advance(2 * POLL)

    status = tracker.status()
    assert not status.stale
    assert status.confirmed_at == T0 + timedelta(seconds=600)


def test_data_turn_stale_after_loss_when_no_poll_confirms_them(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    started_down(tracker)
    tracker.connected()
    tracker.lost("disconnected")
    clock.advance(2 * POLL + 1)

    assert tracker.status().stale


def test_data_become_fresh_again_when_a_poll_succeeds_after_staleness(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    started_down(tracker)
    tracker.polled(False, "HTTP 503")
    clock.advance(100)
    tracker.polled(True, "ok")

    assert not tracker.status().stale


def test_stale_window_follows_poll_interval_when_configured(clock: FakeClock) -> None:
    tracker = started_down(StatusTracker(5.0, 60, clock.now))
    tracker.polled(True, "ok")
    clock.advance(10)
    assert not tracker.status().stale
    clock.advance(0.5)
    assert tracker.status().stale


# -- confirmation and age ----------------------------------------------------------------------


def test_confirmed_at_moves_when_data_are_applied(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    started_down(tracker)
    applied_at = clock.advance(5)
    tracker.data(7, 3)
    clock.advance(12)

    status = tracker.status()
    assert status.confirmed_at == applied_at
    assert status.age == timedelta(seconds=12)
    assert status.version == 7
    assert status.item_count == 3


def test_confirmed_at_moves_when_a_poll_succeeds(tracker: StatusTracker, clock: FakeClock) -> None:
    started_down(tracker)
    polled_at = clock.advance(20)
    tracker.polled(True, "not modified")

    assert tracker.status().confirmed_at == polled_at
    assert tracker.status().last_poll_at == polled_at


def test_confirmed_at_stays_when_a_poll_fails(tracker: StatusTracker, clock: FakeClock) -> None:
    started_down(tracker)
    confirmed = clock.advance(1)
    tracker.polled(True, "ok")
    failed_at = clock.advance(30)
    tracker.polled(False, "timeout")

    status = tracker.status()
    assert status.confirmed_at == confirmed
    assert status.last_poll_at == failed_at
    assert status.age == timedelta(seconds=30)


def test_age_grows_when_clock_advances(tracker: StatusTracker, clock: FakeClock) -> None:
    started_down(tracker)
    tracker.polled(True, "ok")

    assert tracker.status().age == timedelta(0)
    clock.advance(42)
    assert tracker.status().age == timedelta(seconds=42)


def test_status_reports_settings_and_now_when_read(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    tracker.attempting(4)
    clock.advance(3)

    status = tracker.status()
    assert status.now == clock.now() == tracker.now()
    assert status.attempt == 4
    assert status.max_attempts == 60
    assert status.poll_interval == POLL
    assert status.last_poll_at is None


def test_attempt_resets_when_connected(tracker: StatusTracker) -> None:
    tracker.attempting(5)
    tracker.connected()

    assert tracker.status().attempt == 0


def test_default_clock_is_aware_utc_when_not_injected() -> None:
    now = utc_now()

    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert StatusTracker(POLL, 60).now().tzinfo is not None


def test_data_are_unconfirmed_when_live_but_resync_not_yet_done(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    tracker.polled(True, "startup")
    tracker.connected()
    clock.advance(10 * POLL)

    status = tracker.status()
    assert status.state is ConnectionState.LIVE
    assert status.stale
    assert status.confirmed_at == T0


def test_data_are_stale_when_live_and_resync_fails(tracker: StatusTracker) -> None:
    tracker.polled(True, "startup")
    tracker.connected()
    tracker.polled(False, "HTTP 502")

    status = tracker.status()
    assert status.state is ConnectionState.LIVE
    assert status.stale
    assert not tracker.synced


def test_data_are_confirmed_when_live_and_a_push_applies(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    tracker.connected()
    tracker.polled(False, "HTTP 502")
    clock.advance(5)
    tracker.data(7, 3)

    status = tracker.status()
    assert not status.stale
    assert status.confirmed_at == clock.now()


def test_state_stays_connecting_when_startup_poll_fails_before_first_attempt_ends(
    tracker: StatusTracker,
) -> None:
    tracker.attempting(0)
    tracker.polled(False, "HTTP 500")

    assert tracker.status().state is ConnectionState.CONNECTING


# -- offline cache ------------------------------------------------------------------------------

SAVED_AT = T0 - timedelta(minutes=42)


def test_cached_data_are_stale_and_as_old_as_their_saved_time_when_just_shown(
    tracker: StatusTracker,
) -> None:
    tracker.data(7, 3, cached_at=SAVED_AT)

    status = tracker.status()
    assert status.cached and status.stale
    assert status.confirmed_at == SAVED_AT
    assert status.age == timedelta(minutes=42)
    assert (status.version, status.item_count, status.state) == (7, 3, CONNECTING)


def test_cached_data_stay_stale_when_saved_only_a_moment_ago(tracker: StatusTracker) -> None:
    tracker.data(7, 3, cached_at=T0)

    assert tracker.status().stale


def test_cached_data_stay_unconfirmed_when_live_before_the_resync(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    tracker.data(7, 3, cached_at=SAVED_AT)
    tracker.connected()
    clock.advance(5)

    status = tracker.status()
    assert status.state is LIVE
    assert status.cached and status.stale
    assert status.confirmed_at == SAVED_AT
    assert not tracker.synced


def test_a_poll_does_not_confirm_cached_data_when_it_brings_no_new_data(
    tracker: StatusTracker,
) -> None:
    tracker.data(7, 3, cached_at=SAVED_AT)
    started_down(tracker)
    tracker.polled(True, "not modified")

    status = tracker.status()
    assert status.state is POLLING
    assert status.cached and status.stale and status.confirmed_at == SAVED_AT


def test_cached_mark_goes_when_fresh_data_replace_the_cache(
    tracker: StatusTracker, clock: FakeClock
) -> None:
    tracker.data(7, 3, cached_at=SAVED_AT)
    tracker.connected()
    applied_at = clock.advance(2)
    tracker.polled(True, "snapshot received")
    tracker.data(1, 12)

    status = tracker.status()
    assert not status.cached and not status.stale
    assert status.confirmed_at == applied_at
    assert tracker.synced
