"""Worker: event -> model applied and event -> painted latency, measured in-process.

    python benchmarks/bench_ui.py --items 500 --rate 2 --seconds 60 [--force-paint]
        [--max-update-rate N]

Builds the app's pieces as ``app._serve`` does (Schedule -> ScheduleTableModel -> MainWindow
shown offscreen at 1200x700, SyncService with the app's style sheet, JSON logging and
GUI-thread garbage collection) in this process, against the demo server
(``python -m dashboard_desktop.demo``) as a separate process, as a real backend is, and prints
one JSON object of figures.

Timing:

* event -> model: each applied update's ``ApplyInfo.latencies_ms``, the app's own figure:
  ``time.time()`` just after the schedule and the model changed, minus the event's
  ``emitted_at_ms`` (stamped by the demo as it emits, in whole milliseconds, so a figure is
  up to 1 ms high). One per pushed event, also when several were folded into one update.
* painted: the end of the first paint of ``window.table.viewport()`` after the update was
  applied, added to the event's latency at the apply. An event filter on the viewport runs the
  view's own ``viewportEvent`` for ``QEvent.Paint`` (and consumes the event), so the paint
  itself is timed too. Qt repaints the whole viewport after a row insert, removal or move
  (wherever the row is), but after a changed row only if it is on screen: the model's signals
  during the apply tell which, and updates that repaint nothing are counted as
  ``events.offscreen`` (no paint latency). ``--force-paint`` asks for a full viewport repaint
  after every applied update, as if every change were visible (the worst case).
* Events that reached the screen in a REST resync rather than their push are counted as
  ``events.resynced`` (the versions a REST snapshot skipped); they have no latency figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import qasync
from bench_procs import DemoProcess
from bench_stats import Figures, summary
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject
from PySide6.QtWidgets import QApplication, QTableView

from dashboard_desktop.app import _describe_application
from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.housekeeping import MainThreadCollector
from dashboard_desktop.log import configure_logging
from dashboard_desktop.net.executor import DaemonThreadExecutor
from dashboard_desktop.net.sync import SyncService
from dashboard_desktop.net.updates import ApplyInfo
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel

WINDOW_SIZE = (1200, 700)
LIVE_TIMEOUT_S = 60.0


class Probe(QObject):
    """Timestamps applied updates and viewport paints (see the module docstring)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view
        self.force_paint = False
        self.recording = False
        self.socket_seen = False
        self.version: int | None = None
        self.rows = 0
        self.model_ms: list[float] = []
        self.painted_ms: list[float] = []
        self.paint_ms: list[float] = []
        self.counts = {"applied": 0, "updates": 0, "resynced": 0, "offscreen": 0}
        self._repaints = False
        self._waiting: list[tuple[float, tuple[float, ...]]] = []
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
        """Slot of ``scheduleApplied``."""
        now = time.perf_counter()
        repaints, self._repaints = self._repaints or self.force_paint, False
        previous, self.version, self.rows = self.version, info.version, info.items
        self.socket_seen = self.socket_seen or info.source == "socket"
        if not self.recording:
            return
        self.counts["updates"] += 1
        if info.source != "socket" and None not in (previous, info.version):
            assert previous is not None and info.version is not None
            self.counts["resynced"] += max(info.version - previous, 0)
        self.counts["applied"] += len(info.latencies_ms)
        self.model_ms.extend(info.latencies_ms)
        if repaints:
            self._waiting.append((now, info.latencies_ms))
        else:
            self.counts["offscreen"] += len(info.latencies_ms)
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
            for applied, latencies in self._waiting:
                waited = (end - applied) * 1000.0
                self.painted_ms.extend(latency + waited for latency in latencies)
        self._waiting = []
        return handled

    def figures(self) -> Figures:
        """The measured figures (latencies in ms)."""
        figures: Figures = {f"events.{name}": value for name, value in self.counts.items()}
        figures["events.never_painted"] = sum(len(lat) for _, lat in self._waiting)
        figures |= summary(self.model_ms, "model_ms")
        figures |= summary(self.painted_ms, "painted_ms")
        figures |= summary(self.paint_ms, "paint_ms")
        return figures


async def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Wait (polling every 20 ms) until ``condition()`` or raise after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:g} s")
        await asyncio.sleep(0.02)


async def measure(args: argparse.Namespace, settings: Settings) -> Figures:
    """Run the UI against the demo and measure for ``args.seconds`` after the warm-up."""
    asyncio.get_running_loop().set_default_executor(DaemonThreadExecutor())
    collector = MainThreadCollector()
    collector.start()
    schedule = Schedule()
    model = ScheduleTableModel(schedule)
    window = MainWindow(model, settings.server_url)
    window.setFixedSize(*WINDOW_SIZE)
    service = SyncService(settings, schedule)
    service.statusChanged.connect(window.show_status)
    service.dayChanged.connect(model.refresh_times)
    probe = Probe(window.table)
    probe.force_paint = args.force_paint
    service.scheduleApplied.connect(probe.on_applied)
    window.show()
    service.start()
    try:
        return await _window(args, probe)
    finally:
        await service.stop()
        window.hide()
        model.detach()
        collector.stop()


async def _window(args: argparse.Namespace, probe: Probe) -> Figures:
    await wait_until(lambda: probe.socket_seen, LIVE_TIMEOUT_S)
    await asyncio.sleep(args.warmup)
    first = probe.version
    probe.recording = True
    await asyncio.sleep(args.seconds)
    probe.recording = False
    assert first is not None and probe.version is not None
    received = probe.version - first
    figures = probe.figures()
    figures["events.received"] = received
    figures["rate_achieved"] = round(received / args.seconds, 2)
    figures["rows"] = probe.rows
    return figures


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The worker's command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--force-paint", action="store_true")
    parser.add_argument("--max-update-rate", type=float, default=None)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Figures:
    """Start the demo thread and the qasync loop; measure."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    _describe_application(app, "system")  # the app's style sheet: it shapes the paint cost
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as home:
        demo = DemoProcess(args.items, args.rate, Path(home)).start()
        try:
            return _run_against(args, app, demo.url, home)
        finally:
            demo.stop()


def _run_against(args: argparse.Namespace, app: QApplication, url: str, log_dir: str) -> Figures:
    """Measure against the demo server at ``url``."""
    settings = Settings(server_url=url, log_format="json", log_dir=Path(log_dir))
    if args.max_update_rate is not None:
        settings = settings.with_overrides(max_update_rate=args.max_update_rate)
    configure_logging(settings)
    coroutine: Coroutine[Any, Any, Figures] = measure(args, settings)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(coroutine)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print one JSON object."""
    figures = run(parse_args(sys.argv[1:] if argv is None else argv))
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
