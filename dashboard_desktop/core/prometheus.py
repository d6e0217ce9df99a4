"""Prometheus text exposition format 0.0.4 of a :class:`MetricsSnapshot`.

Every family has its ``# HELP`` and ``# TYPE`` lines; counters end in ``_total``; the latency
histogram is in seconds (``_bucket{le=...}``, ``_sum``, ``_count``); label values are escaped
(backslash, double quote, line feed). Gauges that are not metrics of their own (the schedule's
size, the data's age) are passed in by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dashboard_desktop.core.metrics import COUNTERS, STATES, MetricsSnapshot

__all__ = ["CONTENT_TYPE", "Gauge", "escape_label", "render"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Gauge:
    """One gauge sample to render: name, help text, value and labels."""

    name: str
    help: str
    value: float
    labels: Mapping[str, str] = field(default_factory=dict)


def escape_label(value: str) -> str:
    """Escape a label value: backslash, double quote and line feed."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _sample(name: str, labels: Iterable[tuple[str, str]], value: float) -> str:
    pairs = ",".join(f'{key}="{escape_label(val)}"' for key, val in labels)
    return f"{name}{{{pairs}}} {_number(value)}" if pairs else f"{name} {_number(value)}"


def _family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {_escape_help(help_text)}", f"# TYPE {name} {kind}"]


def _counters(snapshot: MetricsSnapshot) -> list[str]:
    lines: list[str] = []
    for name, help_text in COUNTERS.items():
        lines += _family(name, "counter", help_text)
        series = snapshot.counters.get(name, {})
        if not series:
            lines.append(_sample(name, (), 0))
        for labels, value in sorted(series.items()):
            lines.append(_sample(name, labels, value))
    return lines


def _states(snapshot: MetricsSnapshot) -> list[str]:
    name = "dashboard_state_seconds_total"
    lines = _family(name, "counter", "Seconds spent in each connection state.")
    for state in STATES:
        seconds = snapshot.seconds_in_state.get(state, 0.0)
        lines.append(_sample(name, (("state", state),), round(seconds, 3)))
    lines += _family("dashboard_state", "gauge", "1 for the current connection state.")
    for state in STATES:
        lines.append(_sample("dashboard_state", (("state", state),), int(snapshot.state == state)))
    return lines


def _latency(snapshot: MetricsSnapshot) -> list[str]:
    name = "dashboard_event_latency_seconds"
    help_text = "Delay from a pushed event's emitted_at_ms to its update being applied."
    lines = _family(name, "histogram", help_text)
    histogram = snapshot.latency
    bounds = [_number(bound / 1000) for bound in histogram.bounds_ms] + ["+Inf"]
    for bound, count in zip(bounds, histogram.cumulative(), strict=True):
        lines.append(_sample(f"{name}_bucket", (("le", bound),), count))
    lines.append(_sample(f"{name}_sum", (), round(histogram.sum_ms / 1000, 6)))
    lines.append(_sample(f"{name}_count", (), histogram.count))
    return lines


def _gauges(gauges: Sequence[Gauge]) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    for gauge in gauges:
        if gauge.name not in seen:
            seen.add(gauge.name)
            lines += _family(gauge.name, "gauge", gauge.help)
        lines.append(_sample(gauge.name, sorted(gauge.labels.items()), gauge.value))
    return lines


def render(snapshot: MetricsSnapshot, gauges: Sequence[Gauge] = ()) -> str:
    """The snapshot and ``gauges`` as Prometheus text (samples of a gauge kept together)."""
    ordered = sorted(gauges, key=lambda gauge: gauge.name)
    lines = _counters(snapshot) + _states(snapshot) + _latency(snapshot) + _gauges(ordered)
    return "\n".join(lines) + "\n"
