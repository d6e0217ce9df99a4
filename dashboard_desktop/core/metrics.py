"""Metrics kept in the process, fed by the same events that are logged.

The sync service calls :meth:`Metrics.record` with the name and fields of every event it logs
(``state_changed``, ``poll``, ``resync`` ...), and
:data:`~dashboard_desktop.core.metric_events.HANDLERS` maps each name to its
metric updates, so the logs and the metrics cannot disagree. :meth:`Metrics.snapshot` is a
read-only copy for the Diagnostics window and the health endpoint;
:func:`dashboard_desktop.core.prometheus.render` turns one into Prometheus text.

Durations use an injectable monotonic clock, timestamps an injectable wall clock. Everything is
bounded: the state history keeps the last :data:`HISTORY` (at most ``max_transitions``
entries), the latency samples the last ``max_samples``, and each counter at most
:data:`MAX_SERIES` label values (more are counted under ``other``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Final

from dashboard_desktop.core.metric_events import HANDLERS as _HANDLERS
from dashboard_desktop.core.status import Clock, ConnectionState, utc_now

__all__ = [
    "COUNTERS",
    "HISTORY",
    "LATENCY_BUCKETS_MS",
    "MAX_SERIES",
    "Histogram",
    "Labels",
    "Metrics",
    "MetricsSnapshot",
]

Labels = tuple[tuple[str, str], ...]
"""A counter's label set: sorted ``(name, value)`` pairs; ``()`` for none."""

HISTORY: Final = timedelta(hours=24)
MAX_SERIES: Final = 32
MAX_LABEL_LENGTH: Final = 64
LATENCY_BUCKETS_MS: Final = (5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0)
LATENCY_BUCKETS_MS_DOC: Final = "upper bounds in ms; one more bucket for anything larger"
STATES: Final = tuple(state.value for state in ConnectionState)

COUNTERS: Final[Mapping[str, str]] = MappingProxyType({
    "dashboard_connects_total": "Socket.IO connections established.",
    "dashboard_disconnects_total": "Socket.IO connections lost, by reason.",
    "dashboard_connect_attempts_total": "Socket.IO connection attempts (the first included).",
    "dashboard_reconnect_attempts_total": "Socket.IO connection attempts after the first.",
    "dashboard_connect_failures_total": "Socket.IO connection attempts that failed.",
    "dashboard_reconnect_series_exhausted_total": "Series of reconnection attempts used up.",
    "dashboard_events_received_total": "Schedule events received over the socket.",
    "dashboard_events_applied_total": "Pushed events applied to the schedule.",
    "dashboard_events_ignored_total": "Pushed events ignored, by reason.",
    "dashboard_updates_applied_total": "Updates applied to the schedule, by source.",
    "dashboard_payloads_rejected_total": "Payloads rejected as malformed, by source.",
    "dashboard_items_dropped_total": "Items dropped as invalid, by source.",
    "dashboard_rest_polls_total": "REST snapshot fetches, by outcome.",
    "dashboard_rest_snapshots_ignored_total": "Fetched REST snapshots not applied, by reason.",
    "dashboard_resyncs_total": "REST resynchronisations, by reason.",
    "dashboard_consistency_checks_total": "Consistency checks against REST, by result.",
    "dashboard_consistency_skipped_total": "Periodic consistency checks skipped, by reason.",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Histogram:
    """A latency histogram (milliseconds).

    Attributes:
        bounds_ms: The buckets' upper bounds (inclusive), ascending; a last bucket without a
            bound holds the rest.
        counts: Observations per bucket, *not* cumulative; one more than ``bounds_ms``.
        sum_ms: The sum of all observations.
        count: The number of observations.
    """

    bounds_ms: tuple[float, ...]
    counts: tuple[int, ...]
    sum_ms: float
    count: int

    def cumulative(self) -> tuple[int, ...]:
        """Observations at or below each bound, then the total (Prometheus' ``le`` buckets)."""
        total, out = 0, []
        for count in self.counts:
            total += count
            out.append(total)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class MetricsSnapshot:
    """A read-only copy of the metrics at :attr:`taken_at`.

    Attributes:
        taken_at: Wall-clock time of the copy.
        state: The connection state (a :class:`ConnectionState` value), ``None`` before any.
        state_since: When that state began (wall clock).
        seconds_in_state: Seconds spent in each state since the metrics began, the current
            state's time so far included; every state is present.
        transitions: ``(when, state)`` for each state entered, oldest first, covering at least
            the last :data:`HISTORY` (the entry before the window is kept as its start).
        counters: Counter name (see :data:`COUNTERS`) -> label set -> value.
        latency: The event latency histogram.
        latency_samples: Recent ``(applied at, latency in ms)``, oldest first.
        last_error: The last error's text, if any.
        last_error_at: When it happened.
    """

    taken_at: datetime
    state: str | None
    state_since: datetime | None
    seconds_in_state: Mapping[str, float]
    transitions: tuple[tuple[datetime, str], ...]
    counters: Mapping[str, Mapping[Labels, int]]
    latency: Histogram
    latency_samples: tuple[tuple[datetime, float], ...]
    last_error: str | None
    last_error_at: datetime | None

    def counter(self, name: str, **labels: str) -> int:
        """The sum of ``name``'s series whose labels include ``labels`` (0 if none)."""
        wanted = set(labels.items())
        series = self.counters.get(name, {})
        return sum(value for key, value in series.items() if wanted <= set(key))

    def totals(self) -> dict[str, int]:
        """Each counter summed over its labels, by name without ``dashboard_`` and ``_total``."""
        short = {name: name.removeprefix("dashboard_").removesuffix("_total") for name in COUNTERS}
        return {short[name]: sum(self.counters.get(name, {}).values()) for name in COUNTERS}


def label_value(value: object) -> str:
    """A bounded label value: text, spaces as ``_``, at most :data:`MAX_LABEL_LENGTH`."""
    text = str(value).strip().replace(" ", "_") or "none"
    return text[:MAX_LABEL_LENGTH]


class Metrics:
    """Counters, time per connection state and event latency, updated from logged events.

    Thread-safe (one lock), though everything normally runs on the GUI thread.

    Args:
        monotonic: Seconds of a monotonic clock (durations).
        wall: The current aware time (timestamps of transitions, samples and errors).
        max_transitions: The most state transitions kept (a safety bound on the history).
        max_samples: The most latency samples kept.
    """

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Clock = utc_now,
        max_transitions: int = 50_000,
        max_samples: int = 1000,
    ) -> None:
        self._monotonic, self._wall = monotonic, wall
        self._lock = threading.Lock()
        self._state: str | None = None
        self._entered = 0.0
        self._seconds = dict.fromkeys(STATES, 0.0)
        self._transitions: deque[tuple[datetime, str]] = deque(maxlen=max_transitions)
        self._counters: dict[str, dict[Labels, int]] = {name: {} for name in COUNTERS}
        self._buckets = [0] * (len(LATENCY_BUCKETS_MS) + 1)
        self._latency_sum = 0.0
        self._samples: deque[tuple[datetime, float]] = deque(maxlen=max_samples)
        self._error: tuple[datetime, str] | None = None

    def record(self, event: str, fields: Mapping[str, object]) -> None:
        """Update the metrics for the logged ``event`` with its ``fields``; unknown: ignored."""
        handler = _HANDLERS.get(event)
        if handler is not None:
            with self._lock:
                handler(self, fields)

    def snapshot(self) -> MetricsSnapshot:
        """A read-only copy of everything, now."""
        with self._lock:
            now, wall = self._monotonic(), self._wall()
            seconds = dict(self._seconds)
            if self._state is not None:
                seconds[self._state] = seconds.get(self._state, 0.0) + now - self._entered
            self._prune(wall)
            error = self._error
            return MetricsSnapshot(
                taken_at=wall,
                state=self._state,
                state_since=self._transitions[-1][0] if self._transitions else None,
                seconds_in_state=MappingProxyType(seconds),
                transitions=tuple(self._transitions),
                counters=MappingProxyType(
                    {name: MappingProxyType(dict(s)) for name, s in self._counters.items()}
                ),
                latency=Histogram(
                    LATENCY_BUCKETS_MS, tuple(self._buckets), self._latency_sum, sum(self._buckets)
                ),
                latency_samples=tuple(self._samples),
                last_error=None if error is None else error[1],
                last_error_at=None if error is None else error[0],
            )

    # -- updates (called with the lock held) ------------------------------------------------

    def count(self, name: str, amount: int = 1, /, **labels: object) -> None:
        """Add ``amount`` to counter ``name`` (one of :data:`COUNTERS`) with ``labels``."""
        series = self._counters[name]
        key: Labels = tuple(sorted((k, label_value(v)) for k, v in labels.items()))
        if key not in series and len(series) >= MAX_SERIES:
            key = tuple((k, "other") for k, _ in key)
        series[key] = series.get(key, 0) + amount

    def enter_state(self, state: object) -> None:
        """The connection state is now ``state``."""
        value = str(state)
        if value == self._state:
            return
        now = self._monotonic()
        if self._state is not None:
            self._seconds[self._state] = self._seconds.get(self._state, 0.0) + now - self._entered
        self._state, self._entered = value, now
        self._transitions.append((self._wall(), value))
        self._prune(self._transitions[-1][0])

    def observe_latencies(self, latencies_ms: object) -> None:
        """Add each latency (ms) to the histogram (negative ones, from clock skew, as 0)."""
        if not isinstance(latencies_ms, tuple | list):
            return
        wall = self._wall()
        for value in latencies_ms:
            if not isinstance(value, int | float):
                continue
            clamped = max(0.0, float(value))
            index = next(
                (i for i, bound in enumerate(LATENCY_BUCKETS_MS) if clamped <= bound),
                len(LATENCY_BUCKETS_MS),
            )
            self._buckets[index] += 1
            self._latency_sum += clamped
            self._samples.append((wall, float(value)))

    def error(self, text: object) -> None:
        """Remember ``text`` as the last error."""
        self._error = (self._wall(), str(text))

    def _prune(self, now: datetime) -> None:
        # Keep the newest transition before the window: it says which state the window began in.
        horizon = now - HISTORY
        while len(self._transitions) > 1 and self._transitions[1][0] <= horizon:
            self._transitions.popleft()
