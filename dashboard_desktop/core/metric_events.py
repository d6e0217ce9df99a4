"""Which metrics each logged event updates (the table behind ``Metrics.record``).

One handler per event name, given the :class:`~dashboard_desktop.core.metrics.Metrics` (its
lock held) and the event's fields exactly as logged, plus ``latencies_ms`` for
``schedule_applied`` (every folded event's latency; the log carries only the largest).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from dashboard_desktop.core.metrics import Metrics

Fields = Mapping[str, object]
Handler = Callable[["Metrics", Fields], None]


def _state(m: Metrics, f: Fields) -> None:
    m.enter_state(f.get("state"))


def _attempt(m: Metrics, f: Fields) -> None:
    m.count("dashboard_connect_attempts_total")
    attempt = f.get("attempt")
    if isinstance(attempt, int) and attempt > 0:
        m.count("dashboard_reconnect_attempts_total")


def _connect_failed(m: Metrics, f: Fields) -> None:
    m.count("dashboard_connect_failures_total")
    m.error(f"connect failed: {f.get('reason')}")


def _disconnected(m: Metrics, f: Fields) -> None:
    m.count("dashboard_disconnects_total", reason=f.get("reason", "unknown"))


def _applied(m: Metrics, f: Fields) -> None:
    source = f.get("source", "unknown")
    m.count("dashboard_updates_applied_total", source=source)
    if source == "socket":
        events = f.get("events", 1)
        m.count("dashboard_events_applied_total", events if isinstance(events, int) else 1)
        m.observe_latencies(f.get("latencies_ms"))


def _rejected(m: Metrics, f: Fields) -> None:
    source = f.get("source", "unknown")
    m.count("dashboard_payloads_rejected_total", source=source)
    if source == "socket":
        m.count("dashboard_events_ignored_total", reason="rejected")
    m.error(f"payload rejected ({source}): {f.get('reason')}")


def _poll(m: Metrics, f: Fields) -> None:
    m.count("dashboard_rest_polls_total", outcome=f.get("kind", f.get("outcome", "unknown")))
    if f.get("error"):
        m.error(f"REST: {f.get('error')}")


def _by(name: str, label: str) -> Handler:
    return lambda m, f: m.count(name, **{label: f.get(label, "unknown")})


def _plain(name: str) -> Handler:
    return lambda m, _f: m.count(name)


def _result(result: str) -> Handler:
    return lambda m, _f: m.count("dashboard_consistency_checks_total", result=result)


HANDLERS: Final[Mapping[str, Handler]] = {
    "sync_started": _state,
    "state_changed": _state,
    "connect_attempt": _attempt,
    "connect_failed": _connect_failed,
    "reconnect_exhausted": _plain("dashboard_reconnect_series_exhausted_total"),
    "socket_connected": _plain("dashboard_connects_total"),
    "socket_disconnected": _disconnected,
    "event_received": _plain("dashboard_events_received_total"),
    "event_ignored": _by("dashboard_events_ignored_total", "reason"),
    "schedule_applied": _applied,
    "payload_rejected": _rejected,
    "item_dropped": _by("dashboard_items_dropped_total", "source"),
    "poll": _poll,
    "snapshot_ignored": _by("dashboard_rest_snapshots_ignored_total", "reason"),
    "resync": _by("dashboard_resyncs_total", "reason"),
    "consistency_checked": _result("match"),
    "consistency_mismatch": _result("mismatch"),
    "consistency_skipped": _by("dashboard_consistency_skipped_total", "reason"),
}
