"""MainThreadCollector: cyclic garbage is collected on the GUI thread, from its timer."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtCore import QObject

from dashboard_desktop.housekeeping import MainThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.qobject = QObject()


def _make_cyclic_garbage() -> None:
    for _ in range(5_000):  # far beyond generation 0's threshold
        pair: list[Any] = []
        pair.append(pair)


def test_cycles_collected_on_gui_thread_when_worker_allocates(qtbot: Any) -> None:
    collector = MainThreadCollector()
    collector.start()
    try:
        assert not gc.isenabled()
        cycle = _Cycle()
        alive = weakref.ref(cycle)
        del cycle
        worker = threading.Thread(target=_make_cyclic_garbage)
        worker.start()
        worker.join()
        assert alive() is not None  # the worker's allocations did not collect it
        qtbot.waitUntil(lambda: alive() is None, timeout=5000)
        assert collector.collections >= 1
    finally:
        collector.stop()
    assert gc.isenabled()


def test_nothing_collected_when_below_thresholds(qtbot: Any) -> None:
    collector = MainThreadCollector()
    collector.start()
    try:
        gc.collect()
        collector.collect()
        assert collector.collections == 0
    finally:
        collector.stop()
