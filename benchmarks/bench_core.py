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
from PySide6.QtWidgets import QApplication, QTableView

from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.demo import DaySimulation
from dashboard_desktop.ui.filtering import TableFilter
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


def keystroke(table: QTableView, search: TableFilter, text: str) -> int:
    """Type ``text`` into the search: filter, then let the view lay out and paint."""
    search.set_text(text)
    table.viewport().repaint()
    return table.model().rowCount()


def filter_figures(items: Sequence[Item], keystrokes: int) -> Figures:
    """Typing "dock 3" into the search (``ui.filtering.TableFilter``) with the table shown.

    Each keystroke is timed from the new text to the end of the repaint of the table's
    viewport (1200x700, offscreen), after ``TableFilter.prepare()`` (what focusing the search
    field does; timed apart). A first keystroke without it is timed too, then sorting by title
    and back by start.
    """
    schedule, model = attached(items)
    table = QTableView()
    table.setModel(model)
    table.resize(1200, 700)
    table.show()
    QApplication.processEvents()
    k = len(items) // 1000
    unprepared = TableFilter(schedule, model)
    figures: Figures = {
        f"info.filter_unprepared_first_keystroke_ms.{k}k": round(
            timed_ms(partial(keystroke, table, unprepared, KEYSTROKES[0])), 1
        )
    }
    keystroke(table, unprepared, "")
    unprepared.release()
    search = TableFilter(schedule, model)
    figures[f"info.filter_prepare_ms.{k}k"] = round(timed_ms(search.prepare), 1)
    times = []
    for text in KEYSTROKES[:keystrokes]:
        times.append(timed_ms(partial(keystroke, table, search, text)))
        figures[f"info.filter_rows.{text.replace(' ', '_')}"] = model.rowCount()
    figures[f"filter_keystroke_ms.{k}k.first"] = round(times[0], 1)
    figures[f"filter_keystroke_ms.{k}k.median"] = round(statistics.median(times), 1)
    figures[f"filter_keystroke_ms.{k}k.max"] = round(max(times), 1)
    figures[f"info.filter_clear_ms.{k}k"] = round(
        timed_ms(partial(keystroke, table, search, "")), 1
    )
    title = next(i for i, column in enumerate(model.columns) if column.name == "title")
    figures[f"info.sort_ms.{k}k.by_title"] = round(
        timed_ms(partial(sort, table, search, title)), 1
    )
    figures[f"info.sort_ms.{k}k.by_start"] = round(timed_ms(partial(sort, table, search, -1)), 1)
    table.hide()
    return figures


def sort(table: QTableView, search: TableFilter, column: int) -> None:
    """Sort by ``column`` and repaint."""
    search.sort(column)
    table.viewport().repaint()


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
