"""Reconnection timing: socket.io-client's back-off and the per-outage attempt policy.

protocol.md section 1: first retry after 1 s, exponential back-off capped at 5 s with relative
jitter 0.5, at most 60 attempts per outage, then a fresh series every 5 minutes; after an
authorization refusal, no retry sooner than the poll interval.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """socket.io-client's ``Backoff.duration`` (backo2), in seconds.

    The n-th delay (from 0) is ``minimum * factor**n``, moved up or down by up to
    ``jitter`` of itself, then capped at ``maximum``.
    """

    minimum: float = 1.0
    maximum: float = 5.0
    factor: float = 2.0
    jitter: float = 0.5

    def duration(self, attempt: int, rand: float) -> float:
        """Return the delay before retry number ``attempt`` (0-based) given ``rand`` in [0, 1)."""
        ms = self.minimum * 1000 * self.factor ** min(attempt, 64)
        if self.jitter:
            deviation = math.floor(rand * self.jitter * ms)
            ms = ms - deviation if math.floor(rand * 10) % 2 == 0 else ms + deviation
        return int(min(ms, self.maximum * 1000)) / 1000


@dataclass(frozen=True, slots=True)
class Retry:
    """The next connection attempt: its number in the series and the delay before it."""

    attempt: int
    delay: float
    new_series: bool = False


class ReconnectPolicy:
    """Numbers the attempts of each outage and spaces them.

    Args:
        backoff: The delay curve.
        attempts: Attempts per series (per outage).
        series_pause: Delay before a fresh series once a series is used up.
        auth_delay: The shortest delay after an authorization refusal (the poll interval).
        rand: Source of jitter, injectable for tests.
    """

    def __init__(
        self,
        backoff: Backoff,
        attempts: int,
        series_pause: float,
        auth_delay: float,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.backoff = backoff
        self.attempts = attempts
        self.series_pause = series_pause
        self.auth_delay = auth_delay
        self._rand = rand

    def next_retry(self, failed: int, *, auth_refused: bool = False) -> Retry:
        """Return the retry that follows ``failed`` failed retries of the current series.

        ``failed`` is 0 right after start-up's first attempt or after losing a connection.
        """
        new_series = failed >= self.attempts
        delay = self.series_pause if new_series else self.backoff.duration(failed, self._rand())
        if auth_refused:
            delay = max(delay, self.auth_delay)
        return Retry(1 if new_series else failed + 1, delay, new_series)
