"""Dashboard Desktop performance benchmark (issue 3, "Fast and frugal").

    python benchmarks/bench.py [--quick] [--runs N] [--out FILE]

Prints ONE JSON object: the machine, the command, the median of every figure over the runs,
each target with pass/fail, and the figures of each run. Progress goes to stderr. See
benchmarks/README.md and docs/performance.md.

Scenarios (each run, in this order):

* core: ``bench_core.py`` (snapshot apply, one-change delta, filter keystroke; no sockets).
* latency: ``bench_ui.py`` per load (in-process UI against a DemoServerThread).
* resources: the app as a subprocess against a demo server subprocess, idle and at 2 ev/s.
* large: PSS of the app with 50,000 rows.
* startup: process start -> ``first_rows_painted`` with ``--demo``.

Then the leak check (``--leak-runs`` times, default once: 100,000 events take ~17 min).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import shlex
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

import bench_app
from bench_procs import kill_children, run_worker
from bench_stats import Figures, median_figures

HERE = Path(__file__).resolve().parent
SCENARIOS = ("core", "latency", "resources", "large", "startup", "leak")


@dataclass(frozen=True)
class Load:
    """One latency load: rows of the demo day, changes per second, seconds measured.

    ``max_update_rate`` is the app setting of that name (``None``: its default, 60 updates a
    second; 0: every event applied as it arrives, no coalescing).
    """

    label: str
    items: int
    rate: float
    seconds: float
    max_update_rate: float | None = None


@dataclass(frozen=True)
class Plan:
    """Sizes and durations of one benchmark invocation."""

    runs: int
    loads: tuple[Load, ...]
    resource_s: float
    large_rows: int
    leak_events: int
    leak_rate: float
    leak_runs: int
    core_repeat: int
    keystrokes: int
    force_paint: bool
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """A figure that must stay below a limit."""

    name: str
    figure: str
    limit: float
    unit: str


TARGETS = (
    Target("PSS, 500 rows, 2 ev/s", "pss_mib.2ev_500rows", 110, "MiB"),
    Target("CPU, 500 rows, 2 ev/s", "cpu_s_per_60s.2ev_500rows", 0.9, "s/60 s"),
    Target("CPU, idle", "cpu_s_per_60s.idle_500rows", 0.1, "s/60 s"),
    Target("event->model p99, 2 ev/s, 500 rows", "event_to_model_ms.2ev_500rows.p99", 5, "ms"),
    Target(
        "event->model p99, 100 ev/s, 2,000 rows", "event_to_model_ms.100ev_2000rows.p99", 5, "ms"
    ),
    Target(
        "event->painted p99, 2 ev/s, 500 rows", "event_to_painted_ms.2ev_500rows.p99", 16.7, "ms"
    ),
    Target(
        "event->painted p99, 100 ev/s, 2,000 rows",
        "event_to_painted_ms.100ev_2000rows.p99",
        16.7,
        "ms",
    ),
    Target("snapshot apply 10k, from empty", "snapshot_apply_ms.10k.from_empty", 50, "ms"),
    Target("snapshot apply 10k, 1% changed", "snapshot_apply_ms.10k.changed_1pct", 50, "ms"),
    Target("snapshot apply 50k, from empty", "snapshot_apply_ms.50k.from_empty", 300, "ms"),
    Target("snapshot apply 50k, 1% changed", "snapshot_apply_ms.50k.changed_1pct", 300, "ms"),
    Target("one-change delta 50k (p50)", "delta_one_change_ms.50k.changed.p50", 1, "ms"),
    Target("one-move delta 50k (p50)", "delta_one_change_ms.50k.moved.p50", 1, "ms"),
    Target("filter keystroke 50k (worst)", "filter_keystroke_ms.50k.max", 50, "ms"),
    Target("PSS growth over the leak run, less row growth", "pss_growth_mib.leak_net", 5, "MiB"),
    Target("start to first row painted", "startup_s.first_row_painted", 1.0, "s"),
)


def make_plan(args: argparse.Namespace) -> Plan:
    """Full or quick sizes, with the command line's overrides."""
    quick = bool(args.quick)
    scale = 0.25 if quick else 1.0
    loads = (
        Load("2ev_500rows", 500, 2.0, 60.0 * scale),
        Load("100ev_2000rows", 2000, 100.0, 20.0 * scale),
        Load("100ev_2000rows_uncoalesced", 2000, 100.0, 20.0 * scale, max_update_rate=0.0),
    )
    return Plan(
        runs=args.runs or (1 if quick else 3),
        loads=loads,
        resource_s=60.0 * scale,
        large_rows=50_000,
        leak_events=args.leak_events or (10_000 if quick else 100_000),
        leak_rate=100.0,
        leak_runs=args.leak_runs,
        core_repeat=1 if quick else 3,
        keystrokes=3 if quick else 6,
        force_paint=bool(args.force_paint),
        scenarios=tuple(s for s in SCENARIOS if s not in args.skip.split(",")),
    )


def latency_figures(plan: Plan, load: Load, home: Path) -> Figures:
    """Run ``bench_ui.py`` for one load and name its figures after the load."""
    bench_app.progress(f"latency {load.label}: {load.seconds:g} s")
    args = ["--items", str(load.items), "--rate", str(load.rate), "--seconds", str(load.seconds)]
    args += ["--force-paint"] if plan.force_paint else []
    if load.max_update_rate is not None:
        args += ["--max-update-rate", str(load.max_update_rate)]
    raw = run_worker(HERE / "bench_ui.py", args, home, timeout=load.seconds + 120)
    names = {
        "model_ms.": f"event_to_model_ms.{load.label}.",
        "painted_ms.": f"event_to_painted_ms.{load.label}.",
        "paint_ms.": f"info.paint_ms.{load.label}.",
        "events.": f"info.events.{load.label}.",
    }
    figures: Figures = {}
    for key, value in raw.items():
        prefix = next((p for p in names if key.startswith(p)), None)
        name = names[prefix] + key.removeprefix(prefix) if prefix else f"info.{key}.{load.label}"
        figures[name] = value
    return figures


def core_figures(plan: Plan, home: Path) -> Figures:
    """Run ``bench_core.py``."""
    bench_app.progress("core: snapshot apply, delta, filter")
    args = ["--repeat", str(plan.core_repeat), "--keystrokes", str(plan.keystrokes)]
    args += ["--sizes", f"1000,10000,{plan.large_rows}"]
    return dict(run_worker(HERE / "bench_core.py", args, home, timeout=600))


def one_run(plan: Plan, home: Path) -> Figures:
    """Every scenario but the leak check, once."""
    steps: dict[str, Callable[[], Figures]] = {
        "core": lambda: core_figures(plan, home),
        "latency": lambda: _merge(latency_figures(plan, load, home) for load in plan.loads),
        "resources": lambda: _resources(plan, home),
        "large": lambda: bench_app.pss_large(home, plan.large_rows),
        "startup": lambda: bench_app.startup(home),
    }
    figures: Figures = {}
    for name, step in steps.items():
        if name in plan.scenarios:
            figures |= step()
    return figures


def _resources(plan: Plan, home: Path) -> Figures:
    idle = bench_app.resources(home, 500, 0.0, plan.resource_s, "idle_500rows")
    busy = bench_app.resources(home, 500, 2.0, plan.resource_s, "2ev_500rows")
    return idle | busy


def _merge(parts: Any) -> Figures:
    merged: Figures = {}
    for part in parts:
        merged |= part
    return merged


def net_leak(figures: Figures) -> Figures:
    """PSS growth of the leak check less the memory of the rows the day gained meanwhile.

    The cost of a row is the PSS difference between 50,000 rows and 500 rows (idle).
    """
    names = ("pss_growth_mib.leak", "info.leak.rows_warm", "info.leak.rows_end")
    large, small = figures.get("pss_mib.50k_rows"), figures.get("pss_mib.idle_500rows")
    growth, warm, end = (figures.get(name) for name in names)
    if None in (large, small, growth, warm, end):
        return {}
    assert large is not None and small is not None and growth is not None
    assert warm is not None and end is not None
    per_row = (large - small) / (50_000 - 500)
    return {
        "info.pss_per_row_kib": round(per_row * 1024, 3),
        "pss_growth_mib.leak_net": round(growth - (end - warm) * per_row, 2),
    }


def judge(figures: Figures) -> list[dict[str, Any]]:
    """Each target with its value and pass/fail (``None`` when not measured)."""
    rows = []
    for target in TARGETS:
        value = figures.get(target.figure)
        passed = value is not None and bool(value < target.limit)  # unmeasured fails
        rows.append(
            {
                "name": target.name,
                "figure": target.figure,
                "value": value,
                "target": f"< {target.limit:g} {target.unit}",
                "pass": passed,
            }
        )
    return rows


def machine() -> dict[str, Any]:
    """Facts about the machine and the software measured."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_mib": _memory_mib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "pyside6": metadata.version("PySide6-Essentials"),
        "python_socketio": metadata.version("python-socketio"),
        "qasync": metadata.version("qasync"),
        "dashboard_desktop": metadata.version("dashboard-desktop"),
        "qt_platform": "offscreen",
    }


def _memory_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (one run)")
    parser.add_argument("--runs", type=int, default=0, help="runs (default 3; --quick: 1)")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    parser.add_argument("--leak-runs", type=int, default=1, help="leak checks (default 1)")
    parser.add_argument("--leak-events", type=int, default=0, help="events of a leak check")
    parser.add_argument("--force-paint", action="store_true", help="repaint after each event")
    parser.add_argument("--skip", default="", help=f"comma-separated of {','.join(SCENARIOS)}")
    return parser.parse_args(argv)


def run(plan: Plan, home: Path) -> tuple[list[Figures], list[Figures]]:
    """All runs, then the leak checks."""
    runs = []
    for number in range(1, plan.runs + 1):
        bench_app.progress(f"run {number} of {plan.runs}")
        runs.append(one_run(plan, home))
    leaks = []
    if "leak" in plan.scenarios:
        for _ in range(plan.leak_runs):
            leaks.append(bench_app.leak(home, plan.leak_events, plan.leak_rate))
    return runs, leaks


def report(plan: Plan, runs: list[Figures], leaks: list[Figures], seconds: float) -> Any:
    """The JSON object printed."""
    figures = median_figures(runs) | median_figures(leaks)
    figures |= net_leak(figures)
    verdicts = judge(figures)
    return {
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "plan": {
            "runs": plan.runs,
            "loads": [vars(load) for load in plan.loads],
            "resource_window_s": plan.resource_s,
            "leak": {"events": plan.leak_events, "rate": plan.leak_rate, "runs": plan.leak_runs},
            "force_paint": plan.force_paint,
            "scenarios": list(plan.scenarios),
        },
        "startup_proxy": figures.get("info.startup_proxy") == 1,
        "passed": f"{sum(v['pass'] is True for v in verdicts)} of {len(verdicts)}",
        "targets": verdicts,
        "figures": figures,
        "per_run": runs,
        "leak_runs": leaks,
        "elapsed_s": round(seconds, 1),
    }


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the JSON object."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    plan = make_plan(args)
    atexit.register(kill_children)
    signal.signal(signal.SIGTERM, _on_signal)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
            runs, leaks = run(plan, Path(tmp))
    finally:
        kill_children()
    text = json.dumps(report(plan, runs, leaks, time.monotonic() - started), indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
