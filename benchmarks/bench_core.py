"""Worker: snapshot apply, one-change delta and filter keystroke timings; prints one JSON object.

    python benchmarks/bench_core.py [--sizes 1000,10000,50000] [--repeat 3]

Items are built with ``core.items.parse_item`` from ``DaySimulation`` snapshots (seed 1, a fixed
clock, so every run sees the same data). The second snapshot is the first after ``n / 100``
simulation steps (each a delay, reassignment, note, cancellation, insert or delete), i.e. about
1 % of the rows changed. Every ``Schedule`` has a ``ScheduleTableModel`` attached (no view).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from bench_stats import Figures, summary
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication

from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.demo import DaySimulation
from dashboard_desktop.ui.model import ScheduleTableModel

NOON = datetime(2026, 3, 2, 12, 0).astimezone()
KEYSTROKES = ("d", "do", "doc", "dock", "dock ", "dock 3")
DELTAS = 200


def snapshots(size: int) -> tuple[list[Item], list[Item]]:
    """A day of ``size`` items and the same day after ``size / 100`` changes."""
    simulation = DaySimulation(items=size, seed=1, now=lambda: NOON)
    first = [parse_item(data) for data in simulation.snapshot()["items"]]
    for _ in range(max(size // 100, 1)):
        simulation.step()
    second = [parse_item(data) for data in simulation.snapshot()["items"]]
    return first, second


def attached(items: Sequence[Item] = ()) -> tuple[Schedule, ScheduleTableModel]:
    """A schedule with a model attached, holding ``items``."""
    schedule = Schedule()
    model = ScheduleTableModel(schedule)
    if items:
        schedule.replace(items, 1)
    return schedule, model


def timed_ms(action: Callable[[], object]) -> float:
    """Milliseconds ``action()`` takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000.0


def snapshot_figures(size: int, repeat: int) -> Figures:
    """Replace from empty and with the 1 %-changed snapshot, median of ``repeat`` each."""
    parse_ms = timed_ms(lambda: snapshots(size))
    first, second = snapshots(size)
    from_empty, changed = [], []
    for _ in range(repeat):
        schedule, _model = attached()
        from_empty.append(timed_ms(partial(schedule.replace, first, 1)))
        changed.append(timed_ms(partial(schedule.replace, second, 2)))
    label = f"snapshot_apply_ms.{size // 1000}k"
    return {
        f"{label}.from_empty": round(statistics.median(from_empty), 3),
        f"{label}.changed_1pct": round(statistics.median(changed), 3),
        f"info.build_two_snapshots_ms.{size // 1000}k": round(parse_ms, 1),
    }


def delta_figures(items: Sequence[Item]) -> Figures:
    """One-change deltas at ``len(items)`` rows: a changed note, and a start moved by 5 min."""
    schedule, _model = attached(items)
    rng = random.Random(1)
    note_ms: list[float] = []
    move_ms: list[float] = []
    for step in range(DELTAS):
        old = schedule.row(rng.randrange(len(schedule)))
        noted = dataclasses.replace(old, notes=f"note {step}")
        note_ms.append(timed_ms(partial(schedule.apply_delta, [noted], [], None)))
        moved = dataclasses.replace(noted, start=noted.start + timedelta(minutes=5))
        move_ms.append(timed_ms(partial(schedule.apply_delta, [moved], [], None)))
    label = f"delta_one_change_ms.{len(items) // 1000}k"
    return summary(note_ms, f"{label}.changed", 4) | summary(move_ms, f"{label}.moved", 4)


def keystroke(proxy: QSortFilterProxyModel, text: str) -> int:
    """Set the filter text and make the proxy apply it (the rows it accepts)."""
    proxy.setFilterFixedString(text)
    return proxy.rowCount()


def filter_figures(items: Sequence[Item], keystrokes: int) -> Figures:
    """Typing "dock 3" into a case-insensitive fixed-string filter over all columns."""
    _schedule, model = attached(items)
    proxy = QSortFilterProxyModel()
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSourceModel(model)
    label = f"filter_keystroke_ms.{len(items) // 1000}k"
    first_map = timed_ms(proxy.rowCount)
    figures: Figures = {f"info.filter_first_map_ms.{len(items) // 1000}k": round(first_map, 1)}
    times = []
    for text in KEYSTROKES[:keystrokes]:
        times.append(timed_ms(partial(keystroke, proxy, text)))
        figures[f"info.filter_rows.{text.replace(' ', '_')}"] = proxy.rowCount()
    figures[f"{label}.first"] = round(times[0], 1)
    figures[f"{label}.median"] = round(statistics.median(times), 1)
    figures[f"{label}.max"] = round(max(times), 1)
    return figures


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The worker's command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keystrokes", type=int, default=len(KEYSTROKES))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print one JSON object."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    _app = QApplication.instance() or QApplication([sys.argv[0]])
    sizes = [int(size) for size in args.sizes.split(",")]
    figures: Figures = {}
    for size in sizes:
        figures |= snapshot_figures(size, args.repeat)
    largest, _ = snapshots(max(sizes))
    figures |= delta_figures(largest)
    figures |= filter_figures(largest, args.keystrokes)
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
