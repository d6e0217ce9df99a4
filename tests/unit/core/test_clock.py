"""ServerClock: the clock check against HTTP ``Date`` headers, with a fake local clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard_desktop.core.clock import ServerClock

T0 = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


class FakeClock:
    """A local clock that only moves when told to."""

    def __init__(self) -> None:
        self.current = T0

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def local() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clock(local: FakeClock) -> ServerClock:
    return ServerClock(local.now)


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def observe(clock: ServerClock, local: FakeClock, offset: float) -> None:
    """A response whose ``Date`` reads ``offset`` seconds off the local clock."""
    clock.observe(local.now(), local.now() + seconds(offset))


def test_now_is_local_time_when_no_date_was_seen(clock: ServerClock) -> None:
    assert clock.now() == T0
    assert clock.offset is None
    assert not clock.skewed
    assert clock.skew is None


@pytest.mark.parametrize("offset", [0, 1, -1, 59, -60, 60])
def test_now_is_local_time_when_clocks_differ_by_a_minute_or_less(
    clock: ServerClock, local: FakeClock, offset: float
) -> None:
    observe(clock, local, offset)

    assert clock.now() == T0
    assert clock.offset == seconds(offset)
    assert not clock.skewed
    assert clock.skew is None


@pytest.mark.parametrize("offset", [61, -61, 300, -7200])
def test_now_is_server_time_when_clocks_differ_by_more_than_a_minute(
    clock: ServerClock, local: FakeClock, offset: float
) -> None:
    observe(clock, local, offset)
    local.current += seconds(10)

    assert clock.skewed
    assert clock.skew == seconds(offset)
    assert clock.now() == T0 + seconds(10 + offset)


def test_skew_is_whole_seconds_when_samples_have_fractions(
    clock: ServerClock, local: FakeClock
) -> None:
    local.current = T0 + timedelta(milliseconds=400)
    clock.observe(local.now(), T0 + seconds(120))  # Date headers have whole seconds

    assert clock.offset == timedelta(seconds=119.6)
    assert clock.skew == seconds(120)


def test_one_odd_sample_does_not_move_the_offset_when_others_agree(
    clock: ServerClock, local: FakeClock
) -> None:
    for offset in (2, 3, -3600, 2):  # e.g. a cached response with an hour-old Date
        observe(clock, local, offset)

    assert clock.offset == seconds(2)
    assert not clock.skewed


def test_offset_follows_the_last_samples_when_the_clock_is_corrected(
    clock: ServerClock, local: FakeClock
) -> None:
    for _ in range(5):
        observe(clock, local, 300)
    assert clock.skewed

    local.current += seconds(300)  # NTP steps the local clock
    for _ in range(3):  # a majority of the five kept samples
        observe(clock, local, 0)

    assert not clock.skewed
    assert clock.now() == local.current


def test_server_date_without_zone_is_taken_as_utc_when_header_says_minus_0000(
    clock: ServerClock, local: FakeClock
) -> None:
    clock.observe(T0, (T0 + seconds(600)).replace(tzinfo=None))

    assert clock.skew == seconds(600)
