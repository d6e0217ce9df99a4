"""Garbage collection on the GUI thread only.

WORKAROUND: Python's cyclic garbage collector runs in whichever thread happens to allocate when
a threshold is crossed. If that is a worker thread (a REST fetch, the demo backend) and the
garbage holds Qt objects, Qt destroys them on the wrong thread ("QObject::~QObject: Timers
cannot be stopped from another thread", or worse). Like qutebrowser, the application turns the
automatic collector off and collects on the GUI thread from a timer, with the same thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 1000


class MainThreadCollector(QObject):
    """Runs the cyclic garbage collector on the thread that owns this object."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self.collections = 0

    def start(self) -> None:
        """Turn the automatic collector off and start collecting from the timer."""
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Stop the timer, collect once and turn the automatic collector back on."""
        self._timer.stop()
        gc.collect()
        gc.enable()

    def collect(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for index, (count, threshold) in enumerate(zip(counts, thresholds, strict=True)):
            if threshold and count > threshold:
                generation = index
        if generation >= 0:
            gc.collect(generation)
            self.collections += 1
