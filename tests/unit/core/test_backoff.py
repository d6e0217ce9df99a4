"""Reconnection timing: socket.io-client's Backoff.duration and the attempt policy."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard_desktop.core.backoff import Backoff, ReconnectPolicy, Retry

DEFAULT = Backoff()  # 1 s, cap 5 s, factor 2, jitter 0.5: socket.io-client's defaults


def backo2_ms(attempt: int, rand: float, ms: float = 1000, cap: float = 5000) -> int:
    """socket.io-client's Backoff.duration(), transcribed from the JavaScript."""
    value = ms * 2**attempt
    deviation = math.floor(rand * 0.5 * value)
    value = value - deviation if (math.floor(rand * 10) & 1) == 0 else value + deviation
    return int(min(value, cap))


def constant(value: float) -> Callable[[], float]:
    return lambda: value


def sequence(*values: float) -> Callable[[], float]:
    it: Iterator[float] = iter(values)
    return lambda: next(it)


def policy(
    attempts: int = 60,
    series_pause: float = 300.0,
    auth_delay: float = 30.0,
    rand: Callable[[], float] | None = None,
) -> ReconnectPolicy:
    rand = rand or constant(0.0)
    return ReconnectPolicy(DEFAULT, attempts, series_pause, auth_delay, rand=rand)


# -- Backoff.duration --------------------------------------------------------------------------


def test_first_delay_is_one_second_when_rand_gives_no_deviation() -> None:
    assert DEFAULT.duration(0, 0.0) == 1.0


@pytest.mark.parametrize(("attempt", "seconds"), [(0, 1.0), (1, 2.0), (2, 4.0), (3, 5.0)])
def test_delay_doubles_up_to_the_cap_when_rand_is_zero(attempt: int, seconds: float) -> None:
    assert DEFAULT.duration(attempt, 0.0) == seconds


@pytest.mark.parametrize(
    ("rand", "ms"),
    [
        (0.05, 975),  # floor(0.5) = 0, even: down by floor(25)
        (0.15, 1075),  # floor(1.5) = 1, odd: up by floor(75)
        (0.25, 875),  # 2, even: down by 125
        (0.35, 1175),  # 3, odd: up by 175
        (0.95, 1475),  # 9, odd: up by 475
        (0.85, 575),  # 8, even: down by 425
    ],
)
def test_jitter_direction_follows_parity_when_rand_varies(rand: float, ms: int) -> None:
    assert DEFAULT.duration(0, rand) == ms / 1000


def test_cap_is_applied_after_jitter_when_base_exceeds_the_cap() -> None:
    # 8000 ms lowered by floor(0.85 * 0.5 * 8000) = 3400 -> 4600 (capping first would give 2875).
    assert DEFAULT.duration(3, 0.85) == 4.6


def test_delay_is_capped_when_jitter_raises_it_above_the_maximum() -> None:
    assert DEFAULT.duration(2, 0.95) == 5.0  # 4000 + 1900 -> 5000


def test_delay_exceeds_nominal_value_when_jitter_goes_up_below_cap() -> None:
    assert DEFAULT.duration(2, 0.15) == 4.3  # 4000 + 300


def test_delay_is_whole_milliseconds_when_deviation_is_fractional() -> None:
    assert DEFAULT.duration(0, 0.123) == 1.061  # deviation floor(61.5) = 61, odd -> up


def test_delay_is_truncated_to_whole_milliseconds_when_minimum_is_fractional() -> None:
    assert Backoff(minimum=0.0015, jitter=0).duration(0, 0.99) == 0.001
    assert Backoff(minimum=0.3337, jitter=0).duration(0, 0.5) == 0.333


def test_rand_is_ignored_when_jitter_is_zero() -> None:
    flat = Backoff(jitter=0)

    assert [flat.duration(n, 0.95) for n in range(4)] == [1.0, 2.0, 4.0, 5.0]


def test_delay_stays_at_cap_when_attempt_is_huge() -> None:
    assert DEFAULT.duration(10_000, 0.0) == 5.0
    assert DEFAULT.duration(10_000, 0.85) == 5.0  # jitter of an astronomically large base


def test_custom_curve_is_used_when_configured() -> None:
    curve = Backoff(minimum=0.5, maximum=60.0, factor=3.0, jitter=0.0)

    assert [curve.duration(n, 0.3) for n in range(5)] == [0.5, 1.5, 4.5, 13.5, 40.5]


@given(attempt=st.integers(0, 40), rand=st.floats(0.0, 1.0, exclude_max=True))
def test_duration_matches_socket_io_client_when_inputs_vary(attempt: int, rand: float) -> None:
    seconds = DEFAULT.duration(attempt, rand)

    assert seconds == backo2_ms(attempt, rand) / 1000
    assert 0.5 <= seconds <= 5.0


# -- ReconnectPolicy ---------------------------------------------------------------------------


def test_retries_are_numbered_1_to_60_when_every_attempt_fails() -> None:
    retries = [policy().next_retry(failed) for failed in range(60)]

    assert [r.attempt for r in retries] == list(range(1, 61))
    assert not any(r.new_series for r in retries)


def test_retry_delays_follow_the_backoff_when_attempts_fail() -> None:
    retries = [policy().next_retry(failed) for failed in range(5)]

    assert [r.delay for r in retries] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_first_retry_is_after_one_second_when_connection_is_lost() -> None:
    assert policy().next_retry(0) == Retry(1, 1.0)


def test_new_series_starts_after_pause_when_attempts_are_used_up() -> None:
    assert policy().next_retry(60) == Retry(1, 300.0, new_series=True)


def test_new_series_continues_numbering_from_2_when_its_first_attempt_fails() -> None:
    assert policy().next_retry(1) == Retry(2, 2.0)


def test_attempt_limit_is_configurable_when_set_low() -> None:
    short = policy(attempts=3, series_pause=7.0)

    assert [short.next_retry(n) for n in range(4)] == [
        Retry(1, 1.0),
        Retry(2, 2.0),
        Retry(3, 4.0),
        Retry(1, 7.0, new_series=True),
    ]


def test_rand_is_drawn_once_per_retry_when_injected() -> None:
    retries = policy(rand=sequence(0.15, 0.25, 0.85)).next_retry
    assert [retries(0).delay, retries(1).delay, retries(3).delay] == [1.075, 1.75, 4.6]


@pytest.mark.parametrize("failed", range(60))
def test_auth_refusal_delay_is_at_least_auth_delay_when_retrying(failed: int) -> None:
    retry = policy(auth_delay=30.0, rand=constant(0.95)).next_retry(failed, auth_refused=True)

    assert retry.delay >= 30.0
    assert retry.attempt == failed + 1


def test_auth_refusal_keeps_longer_backoff_when_auth_delay_is_short() -> None:
    retry = policy(auth_delay=0.5).next_retry(3, auth_refused=True)

    assert retry.delay == 5.0


def test_auth_refusal_delay_is_at_least_pause_when_series_is_used_up() -> None:
    assert policy(auth_delay=30.0).next_retry(60, auth_refused=True).delay == 300.0


def test_auth_refusal_delay_is_at_least_auth_delay_when_series_is_used_up() -> None:
    retry = policy(series_pause=300.0, auth_delay=600.0).next_retry(60, auth_refused=True)

    assert retry.new_series
    assert retry.delay >= 600.0
