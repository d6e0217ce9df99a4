"""Scenarios that run the app as a subprocess against a demo server subprocess.

The app is ``python -m dashboard_desktop --server-url URL --log-format json --log-dir DIR``
with ``QT_QPA_PLATFORM=offscreen``; its stderr JSON log tells when it is live and what it
applied. PSS and CPU are read from /proc for the app's process only (the demo server runs in a
process of its own, so its CPU is not counted).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench_procs import AppProcess, BenchError, DemoProcess, Record, cpu_seconds, log_time, pss_mib
from bench_stats import Figures, per_minute, summary

SETTLE_S = 3.0
LIVE_TIMEOUT_S = 60.0


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries only the JSON)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def app_against_demo(home: Path, items: int, rate: float) -> Iterator[AppProcess]:
    """A demo server subprocess and the app connected to it, live and resynchronised."""
    demo = DemoProcess(items, rate, home).start()
    app = AppProcess(["--server-url", demo.url], home)
    try:
        app.start()
        app.wait_live(LIVE_TIMEOUT_S)
        app.wait_for("schedule_applied", LIVE_TIMEOUT_S + items / 1000, _rows_at_least(items))
        yield app
    finally:
        app.stop()
        demo.stop()


def _rows_at_least(items: int) -> Callable[[Record], bool]:
    # The day loses and gains a few items as it changes; 90 % means "the snapshot is in".
    return lambda record: int(record.get("items", 0)) >= items * 0.9


def settle(app: AppProcess, seconds: float = SETTLE_S) -> None:
    """Let start-up work finish, reading the log meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.drain()
        time.sleep(0.1)


def resources(home: Path, items: int, rate: float, seconds: float, label: str) -> Figures:
    """CPU seconds per 60 s and PSS of the app over ``seconds`` at ``rate`` events/s."""
    progress(f"resources {label}: {items} rows, {rate:g} ev/s, {seconds:g} s")
    with app_against_demo(home, items, rate) as app:
        settle(app)
        app.keep = False
        cpu_before, pss_samples, latencies = cpu_seconds(app.pid), [], []
        counts: dict[str, int] = {}
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            time.sleep(min(1.0, remaining))
            pss_samples.append(pss_mib(app.pid))
            records = app.drain()
            latencies += _latencies(records)
            count_events(records, counts)
        cpu = cpu_seconds(app.pid) - cpu_before
    figures: Figures = {
        f"cpu_s_per_60s.{label}": round(per_minute(cpu, seconds), 3),
        f"pss_mib.{label}": round(pss_samples[-1], 1),
        f"info.pss_max_mib.{label}": round(max(pss_samples), 1),
    }
    if rate > 0:
        figures |= summary(latencies, f"info.event_to_model_ms_log.{label}", 1)
        figures |= {f"info.log_counts.{label}.{k}": v for k, v in counts.items()}
    return figures


def count_events(records: list[Record], counts: dict[str, int]) -> None:
    """Count pushed and REST applies, ignored events and resyncs; note the rows shown."""
    for record in records:
        event = record.get("event")
        if event == "schedule_applied":
            key = "socket_applies" if record.get("source") == "socket" else "rest_applies"
            counts[key] = counts.get(key, 0) + 1
            counts["rows"] = int(record.get("items", 0))
        elif event in ("event_ignored", "resync"):
            counts[str(event)] = counts.get(str(event), 0) + 1


def _latencies(records: list[Record]) -> list[float]:
    return [
        float(r["latency_ms"])
        for r in records
        if r.get("event") == "schedule_applied" and "latency_ms" in r
    ]


def pss_large(home: Path, items: int) -> Figures:
    """PSS once ``items`` rows are shown (no changes)."""
    progress(f"PSS with {items} rows")
    with app_against_demo(home, items, 0.0) as app:
        settle(app)
        return {f"pss_mib.{items // 1000}k_rows": round(pss_mib(app.pid), 1)}


def leak(home: Path, events: int, rate: float, items: int = 500) -> Figures:
    """PSS after a warm-up (10 % of ``events``) and after ``events`` events, and its slope.

    The demo's day grows as it changes (more inserts than deletes), so the rows shown at the
    warm-up and at the end are reported too: ``bench.py`` subtracts their memory.
    """
    progress(f"leak check: {events} events at {rate:g} ev/s, {items} rows")
    deadline = time.monotonic() + events / rate * 1.6 + 90.0
    with app_against_demo(home, items, rate) as app:
        app.keep = False
        first = _wait_version(app, None, 0, deadline)[0]
        counts: dict[str, int] = {}
        warm = _wait_version(app, first, max(events // 10, 1000), deadline, counts)
        samples = [(warm[0], pss_mib(app.pid))]
        rows_warm = counts.pop("rows", 0)
        latencies: list[float] = []
        for step in range(2, 11):
            reached = _wait_version(app, first, events * step // 10, deadline, counts)
            samples.append((reached[0], pss_mib(app.pid)))
            latencies += reached[1]
        elapsed = time.monotonic() - warm[2]
    grown = samples[-1][1] - samples[0][1]
    return (
        {
            "pss_growth_mib.leak": round(grown, 2),
            "info.leak.events": samples[-1][0],
            "info.leak.pss_warm_mib": round(samples[0][1], 1),
            "info.leak.pss_end_mib": round(samples[-1][1], 1),
            "info.leak.slope_mib_per_100k": round(_slope(samples) * 100_000, 2),
            "info.leak.rate_achieved": round((samples[-1][0] - samples[0][0]) / elapsed, 1),
            "info.leak.rows_warm": rows_warm,
            "info.leak.rows_end": counts.get("rows", 0),
        }
        | summary(latencies, "info.event_to_model_ms_log.leak", 1)
        | {f"info.log_counts.leak.{k}": v for k, v in counts.items()}
    )


def _wait_version(
    app: AppProcess,
    first: int | None,
    count: int,
    deadline: float,
    counts: dict[str, int] | None = None,
) -> tuple[int, list[float], float]:
    """Wait until ``count`` versions past ``first`` are applied; (events, latencies, time).

    With ``first`` None: wait for any applied version and return it as the events.
    """
    latencies: list[float] = []
    version = first or 0
    while time.monotonic() < deadline:
        records = app.drain()
        for record in records:
            if record.get("event") == "schedule_applied" and record.get("version") is not None:
                version = max(version, int(record["version"]))
        latencies += _latencies(records)
        count_events(records, counts if counts is not None else {})
        if first is None and version:
            return version, latencies, time.monotonic()
        if first is not None and version - first >= count:
            return version - first, latencies, time.monotonic()
        time.sleep(0.2)
    raise BenchError(f"leak check: {count} events not reached in time (at {version})")


def _slope(samples: list[tuple[int, float]]) -> float:
    """Least-squares slope of PSS (MiB) over events."""
    n = len(samples)
    mean_x = sum(x for x, _ in samples) / n
    mean_y = sum(y for _, y in samples) / n
    var = sum((x - mean_x) ** 2 for x, _ in samples)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in samples)
    return cov / var if var else 0.0


def startup(home: Path) -> Figures:
    """Process start -> ``first_rows_painted`` (or the first ``schedule_applied``) with --demo.

    Timed from just before the fork to the record's ``ts`` (logged once the first paint with
    rows is drawn); the app's own ``since_start_ms`` (from the kernel's start time of the
    process, 10 ms resolution) is reported beside it.
    """
    progress("start-up with --demo")
    app = AppProcess(["--demo"], home).start()
    try:
        applied = app.wait_for("schedule_applied", LIVE_TIMEOUT_S)
        try:
            painted: Record | None = app.wait_for("first_rows_painted", 10.0)
        except BenchError:
            painted = None
        live = app.wait_live(LIVE_TIMEOUT_S)
    finally:
        app.stop()
    mark = painted or applied
    return {
        "startup_s.first_row_painted": round(log_time(mark) - app.started_at, 3),
        "info.startup_proxy": 0 if painted else 1,
        "info.startup_s.first_row_painted_app_field": (
            painted["since_start_ms"] / 1000 if painted and "since_start_ms" in painted else -1
        ),
        "info.startup_s.first_schedule_applied": round(log_time(applied) - app.started_at, 3),
        "info.startup_s.live": round(log_time(live) - app.started_at, 3),
    }
