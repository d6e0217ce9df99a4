"""Worker: event -> model applied and event -> painted latency, measured in-process.

    python benchmarks/bench_ui.py --items 500 --rate 2 --seconds 60 [--force-paint]

Builds the app's pieces as ``app._serve`` does (Schedule -> ScheduleTableModel -> MainWindow
shown offscreen at 1200x700, SyncService with the app's style sheet, JSON logging and
GUI-thread garbage collection) against a :class:`DemoServerThread` in this process, and prints
one JSON object of figures.

Timing (all ``time.perf_counter()`` in this one process):

* emitted: the demo server's ``emit_payload`` is wrapped on the instance (demo code, not app
  code) to record when each version is emitted, right after it stamped ``emitted_at_ms``.
* applied: when ``SyncService.scheduleApplied`` is emitted (schedule, model signals and the
  ``schedule_applied`` log line done). Every version up to ``ApplyInfo.version`` not yet seen
  counts as applied then, so coalesced events are each measured from their own emission; so
  do the events a REST resync snapshot brings in (counted as ``events.resynced``).
* painted: the end of the first paint of ``window.table.viewport()`` after the update was
  applied. An event filter on the viewport runs the view's own ``viewportEvent`` for
  ``QEvent.Paint`` (and consumes the event), so the paint itself is timed too.
  Qt repaints the whole viewport after a row insert, removal or move (wherever the row is), but
  after a changed row only if it is on screen: the model's signals during the apply tell which,
  and updates that repaint nothing are counted as ``events.offscreen`` (no paint latency).
  ``--force-paint`` asks for a full viewport repaint after every applied update, as if every
  change were visible (the worst case, and a sample for every event).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import qasync
from bench_stats import Figures, summary
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject
from PySide6.QtWidgets import QApplication, QTableView

from dashboard_desktop.app import _describe_application
from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.housekeeping import MainThreadCollector
from dashboard_desktop.log import configure_logging
from dashboard_desktop.net.executor import DaemonThreadExecutor
from dashboard_desktop.net.sync import ApplyInfo, SyncService
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel

WINDOW_SIZE = (1200, 700)
LIVE_TIMEOUT_S = 60.0


class Probe(QObject):
    """Timestamps applied updates and viewport paints (see the module docstring)."""

    def __init__(self, view: QTableView, emitted: dict[int, float]) -> None:
        super().__init__(view)
        self._view = view
        self._emitted = emitted
        self.force_paint = False
        self.recording = False
        self.socket_seen = False
        self.next_version: int | None = None
        self.model_ms: list[float] = []
        self.app_ms: list[float] = []
        self.painted_ms: list[float] = []
        self.paint_ms: list[float] = []
        self.counts = {"applied": 0, "updates": 0, "resynced": 0, "offscreen": 0}
        self._repaints = False
        self._waiting: list[float] = []
        self._watch_model(view.model())
        view.viewport().installEventFilter(self)

    def _watch_model(self, model: QAbstractItemModel) -> None:
        # Qt repaints the whole viewport after any row insert, removal or move (a delayed
        # items layout), but after dataChanged only the rows that are on screen.
        for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            signal.connect(self._layout_changed)
        model.layoutChanged.connect(self._layout_changed)
        model.modelReset.connect(self._layout_changed)
        model.dataChanged.connect(self._data_changed)

    def _layout_changed(self, *_: object) -> None:
        self._repaints = True

    def _data_changed(self, first: QModelIndex, last: QModelIndex, *_: object) -> None:
        top = self._view.rowAt(0)
        bottom = self._view.rowAt(self._view.viewport().height() - 1)
        bottom = self._view.model().rowCount() - 1 if bottom < 0 else bottom
        if top >= 0 and first.row() <= bottom and last.row() >= top:
            self._repaints = True

    def on_applied(self, info: ApplyInfo) -> None:
        """Slot of ``scheduleApplied``: every version up to ``info.version`` is applied now."""
        now = time.perf_counter()
        repaints, self._repaints = self._repaints or self.force_paint, False
        if info.version is None:
            return
        first = info.version if self.next_version is None else self.next_version
        versions = range(first, info.version + 1)
        self.next_version = max(info.version + 1, first)
        self.socket_seen = self.socket_seen or info.source == "socket"
        if self.recording:
            self._record_applied(now, info, versions, repaints)

    def _record_applied(
        self, now: float, info: ApplyInfo, versions: range, repaints: bool
    ) -> None:
        self.counts["updates"] += 1
        if info.source != "socket":  # a REST resync carried these events to the screen
            self.counts["resynced"] += sum(1 for v in versions if v in self._emitted)
        if info.latency_ms is not None:
            self.app_ms.append(float(info.latency_ms))
        for version in versions:
            emitted = self._emitted.get(version)
            if emitted is None:
                continue
            self.counts["applied"] += 1
            self.model_ms.append((now - emitted) * 1000.0)
            if repaints:
                self._waiting.append(emitted)
            else:
                self.counts["offscreen"] += 1
        if self.force_paint:
            self._view.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Time the viewport's paints (the view's own ``viewportEvent`` does the painting)."""
        if event.type() != QEvent.Type.Paint:
            return False
        start = time.perf_counter()
        handled = bool(self._view.viewportEvent(event))
        end = time.perf_counter()
        if self.recording:
            self.paint_ms.append((end - start) * 1000.0)
            self.painted_ms.extend((end - emitted) * 1000.0 for emitted in self._waiting)
        self._waiting = []
        return handled

    def figures(self) -> Figures:
        """The measured figures (latencies in ms)."""
        figures: Figures = {f"events.{name}": value for name, value in self.counts.items()}
        figures["events.never_painted"] = len(self._waiting)
        figures |= summary(self.model_ms, "model_ms")
        figures |= summary(self.app_ms, "model_ms_app_field")
        figures |= summary(self.painted_ms, "painted_ms")
        figures |= summary(self.paint_ms, "paint_ms")
        return figures


def record_emissions(demo: DemoServerThread) -> dict[int, float]:
    """Wrap the demo server's ``emit_payload`` to record each version's emission time."""
    emitted: dict[int, float] = {}
    server = demo.server
    original = server.emit_payload

    async def recording(payload: object) -> None:
        if isinstance(payload, dict) and isinstance(payload.get("version"), int):
            emitted[payload["version"]] = time.perf_counter()
        await original(payload)

    server.emit_payload = recording
    return emitted


async def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Wait (polling every 20 ms) until ``condition()`` or raise after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:g} s")
        await asyncio.sleep(0.02)


async def measure(args: argparse.Namespace, demo: DemoServerThread, settings: Settings) -> Figures:
    """Run the UI against ``demo`` and measure for ``args.seconds`` after the warm-up."""
    asyncio.get_running_loop().set_default_executor(DaemonThreadExecutor())
    emitted = record_emissions(demo)
    collector = MainThreadCollector()
    collector.start()
    schedule = Schedule()
    model = ScheduleTableModel(schedule)
    window = MainWindow(model, settings.server_url)
    window.setFixedSize(*WINDOW_SIZE)
    service = SyncService(settings, schedule)
    service.statusChanged.connect(window.show_status)
    service.dayChanged.connect(model.refresh_times)
    probe = Probe(window.table, emitted)
    probe.force_paint = args.force_paint
    service.scheduleApplied.connect(probe.on_applied)
    window.show()
    service.start()
    try:
        return await _window(args, demo, probe)
    finally:
        await service.stop()
        window.hide()
        model.detach()
        collector.stop()


async def _window(args: argparse.Namespace, demo: DemoServerThread, probe: Probe) -> Figures:
    await wait_until(lambda: probe.socket_seen, LIVE_TIMEOUT_S)
    await asyncio.sleep(args.warmup)
    first = demo.server.version
    probe.recording = True
    await asyncio.sleep(args.seconds)
    probe.recording = False
    emitted = demo.server.version - first
    figures = probe.figures()
    figures["events.emitted"] = emitted
    figures["rate_achieved"] = round(emitted / args.seconds, 2)
    figures["rows"] = len(demo.server.snapshot()["items"]) if args.items <= 5000 else args.items
    return figures


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The worker's command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--force-paint", action="store_true")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Figures:
    """Start the demo thread and the qasync loop; measure."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    _describe_application(app)  # the app's style sheet: it shapes the paint cost
    demo = DemoServerThread(DemoOptions(port=0, items=args.items, rate=args.rate, seed=1))
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as log_dir, demo:
        settings = Settings(server_url=demo.url, log_format="json", log_dir=log_dir)
        configure_logging(settings)
        coroutine: Coroutine[Any, Any, Figures] = measure(args, demo, settings)
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(coroutine)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print one JSON object."""
    figures = run(parse_args(sys.argv[1:] if argv is None else argv))
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
