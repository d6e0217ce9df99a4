"""Metrics: counters fed by logged events, time per state, latencies, the Prometheus text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from dashboard_desktop.core.metrics import HISTORY, MAX_SERIES, Metrics
from dashboard_desktop.core.prometheus import escape_label, render

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_]\w*="([^"\\]|\\.)*",?)*\})? \S+$')


class FakeClock:
    """Monotonic seconds and wall time moving together."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def advance(self, seconds: float) -> None:
        self.seconds += seconds

    def monotonic(self) -> float:
        return self.seconds

    def wall(self) -> datetime:
        return START + timedelta(seconds=self.seconds - 1000.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def metrics(clock: FakeClock) -> Metrics:
    return Metrics(monotonic=clock.monotonic, wall=clock.wall, max_samples=3)


def test_counts_seconds_per_state_when_states_change(metrics: Metrics, clock: FakeClock) -> None:
    metrics.record("sync_started", {"state": "connecting"})
    clock.advance(2)
    metrics.record("state_changed", {"state": "live", "previous": "connecting"})
    clock.advance(10)
    metrics.record("state_changed", {"state": "reconnecting", "previous": "live"})
    clock.advance(3)

    snap = metrics.snapshot()

    assert snap.state == "reconnecting"
    assert snap.seconds_in_state["connecting"] == 2
    assert snap.seconds_in_state["live"] == 10
    assert snap.seconds_in_state["reconnecting"] == 3  # the current state so far
    assert snap.seconds_in_state["offline"] == 0
    assert [state for _, state in snap.transitions] == ["connecting", "live", "reconnecting"]
    assert snap.state_since == START + timedelta(seconds=12)


def test_keeps_last_day_of_transitions_when_history_is_older(
    metrics: Metrics, clock: FakeClock
) -> None:
    for state in ("connecting", "live", "reconnecting", "live"):
        metrics.record("state_changed", {"state": state})
        clock.advance(3600 * 10)

    snap = metrics.snapshot()

    assert snap.taken_at - snap.transitions[1][0] < HISTORY
    assert snap.transitions[0][0] <= snap.taken_at - HISTORY  # the state the window began in
    assert [state for _, state in snap.transitions] == ["live", "reconnecting", "live"]


def test_counts_connection_events_when_recorded(metrics: Metrics) -> None:
    for attempt in (0, 1, 2):
        metrics.record("connect_attempt", {"attempt": attempt, "delay": 0.1})
    metrics.record("connect_failed", {"attempt": 1, "reason": "refused"})
    metrics.record("socket_connected", {"connection": 1})
    metrics.record("socket_disconnected", {"reason": "transport error"})
    metrics.record("socket_disconnected", {"reason": "transport error"})

    snap = metrics.snapshot()

    assert snap.counter("dashboard_connect_attempts_total") == 3
    assert snap.counter("dashboard_reconnect_attempts_total") == 2
    assert snap.counter("dashboard_connects_total") == 1
    assert snap.counter("dashboard_disconnects_total", reason="transport_error") == 2
    assert snap.last_error == "connect failed: refused"


def test_counts_events_by_fate_when_pushes_are_applied_or_ignored(metrics: Metrics) -> None:
    for _ in range(4):
        metrics.record("event_received", {"form": "delta"})
    metrics.record("schedule_applied", {"source": "socket", "events": 2, "latencies_ms": ()})
    metrics.record("event_ignored", {"reason": "duplicate", "version": 3, "shown": 3})
    metrics.record("payload_rejected", {"source": "socket", "reason": "not an object"})
    metrics.record("schedule_applied", {"source": "rest", "events": 1})

    snap = metrics.snapshot()

    assert snap.counter("dashboard_events_received_total") == 4
    assert snap.counter("dashboard_events_applied_total") == 2
    assert snap.counter("dashboard_events_ignored_total") == 2
    assert snap.counter("dashboard_events_ignored_total", reason="duplicate") == 1
    assert snap.counter("dashboard_updates_applied_total", source="rest") == 1
    assert snap.last_error == "payload rejected (socket): not an object"


def test_counts_polls_resyncs_and_checks_when_recorded(metrics: Metrics) -> None:
    metrics.record("poll", {"outcome": "ok", "kind": "ok", "reason": "startup"})
    metrics.record("poll", {"outcome": "not_modified", "kind": "not_modified"})
    metrics.record("poll", {"outcome": "error", "kind": "timeout", "error": "timed out"})
    metrics.record("resync", {"reason": "gap"})
    metrics.record("resync", {"reason": "older version pushed"})
    metrics.record("consistency_checked", {"version": 3})
    metrics.record("consistency_mismatch", {"version": 4, "ids": ["a"]})

    snap = metrics.snapshot()

    assert snap.counter("dashboard_rest_polls_total", outcome="ok") == 1
    assert snap.counter("dashboard_rest_polls_total", outcome="not_modified") == 1
    assert snap.counter("dashboard_rest_polls_total", outcome="timeout") == 1
    assert snap.counter("dashboard_resyncs_total", reason="older_version_pushed") == 1
    assert snap.counter("dashboard_consistency_checks_total") == 2
    assert snap.counter("dashboard_consistency_checks_total", result="mismatch") == 1
    assert snap.totals()["resyncs"] == 2
    assert snap.last_error == "REST: timed out"


def test_fills_histogram_and_keeps_recent_samples_when_latencies_arrive(
    metrics: Metrics,
) -> None:
    fields = {"source": "socket", "events": 5, "latencies_ms": (3.0, 7.5, 120.0, 9999.0, -2.0)}
    metrics.record("schedule_applied", fields)

    snap = metrics.snapshot()

    assert snap.latency.count == 5
    assert snap.latency.sum_ms == pytest.approx(3.0 + 7.5 + 120.0 + 9999.0)
    assert snap.latency.cumulative()[0] == 2  # 3 ms and the skewed -2 ms (as 0)
    assert snap.latency.cumulative()[-1] == 5
    assert snap.latency.counts[-1] == 1  # above the largest bound
    assert [ms for _, ms in snap.latency_samples] == [120.0, 9999.0, -2.0]  # max_samples=3


def test_bounds_label_values_when_too_many_appear(metrics: Metrics) -> None:
    for n in range(MAX_SERIES + 5):
        metrics.record("socket_disconnected", {"reason": f"reason {n}"})

    series = metrics.snapshot().counters["dashboard_disconnects_total"]

    assert len(series) == MAX_SERIES + 1
    assert series[(("reason", "other"),)] == 5


def test_ignores_unknown_events_when_recorded(metrics: Metrics) -> None:
    metrics.record("theme_applied", {"scheme": "dark"})

    assert metrics.snapshot().totals() == dict.fromkeys(metrics.snapshot().totals(), 0)


def test_renders_parseable_prometheus_text_when_metrics_exist(
    metrics: Metrics, clock: FakeClock
) -> None:
    metrics.record("state_changed", {"state": "live"})
    clock.advance(1.5)
    metrics.record("socket_disconnected", {"reason": 'quo"te\\back\nline'})
    metrics.record("schedule_applied", {"source": "socket", "latencies_ms": (12.0,)})

    text = render(metrics.snapshot())

    lines = text.splitlines()
    assert all(line.startswith("# ") or SAMPLE.match(line) for line in lines), text
    assert 'dashboard_disconnects_total{reason="quo\\"te\\\\back\\nline"} 1' in lines
    assert 'dashboard_state_seconds_total{state="live"} 1.5' in lines
    assert 'dashboard_state{state="live"} 1' in lines
    assert 'dashboard_event_latency_seconds_bucket{le="0.025"} 1' in lines
    assert 'dashboard_event_latency_seconds_bucket{le="+Inf"} 1' in lines
    assert "dashboard_event_latency_seconds_count 1" in lines
    assert "# TYPE dashboard_event_latency_seconds histogram" in lines
    assert "dashboard_connects_total 0" in lines
    names = {line.split()[2] for line in lines if line.startswith("# TYPE")}
    assert all(name.startswith("dashboard_") for name in names)


def test_escapes_label_values_when_special_characters() -> None:
    assert escape_label('a"b\\c\nd') == 'a\\"b\\\\c\\nd'
