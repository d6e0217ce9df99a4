"""The diagnostics service: keeps the Diagnostics window current while it is shown.

:class:`Diagnostics` owns the refresh timer the dumb
:class:`~dashboard_desktop.ui.diagnostics.DiagnosticsWindow` must not have: once a second,
and only while the window is visible, it takes a
:class:`~dashboard_desktop.core.metrics.MetricsSnapshot` and shows the state now, the time
per state, the state timeline of the last :data:`TIMELINE_SPAN`, the event latencies of the
last :data:`LATENCY_SPAN` and every counter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QObject, QTimer

from dashboard_desktop.core.metrics import COUNTERS, MetricsSnapshot
from dashboard_desktop.ui.diagnostics import Counter, DiagnosticsWindow

TIMELINE_SPAN = timedelta(hours=6)
LATENCY_SPAN = timedelta(hours=1)
REFRESH_MS = 1000


def counter_rows(snapshot: MetricsSnapshot) -> list[Counter]:
    """Every counter series as a row: short name, labels (``reason=stale``), value.

    Counters never incremented are listed once, at 0, so the table keeps its shape.
    """
    rows: list[Counter] = []
    for name in COUNTERS:
        short = name.removeprefix("dashboard_").removesuffix("_total")
        series = snapshot.counters.get(name) or {(): 0}
        for labels, value in sorted(series.items()):
            words = ", ".join(f"{key}={text}" for key, text in labels)
            rows.append((short, words, float(value)))
    return rows


class Diagnostics(QObject):
    """Refreshes ``window`` from ``metrics()`` once a second while it is visible.

    Args:
        window: The Diagnostics window.
        metrics: Returns the current metrics (e.g. ``Metrics.snapshot``).
        parent: The Qt parent.
    """

    def __init__(
        self,
        window: DiagnosticsWindow,
        metrics: Callable[[], MetricsSnapshot],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self._metrics = metrics
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        window.visibilityChanged.connect(self._visibility_changed)

    def open(self) -> None:
        """Show the window (current at once) and bring it to the front."""
        self.refresh()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def stop(self) -> None:
        """Stop refreshing and close the window (at exit)."""
        self.timer.stop()
        self.window.close()

    def refresh(self) -> None:
        """Show the metrics as they are now."""
        snapshot = self._metrics()
        now, window = snapshot.taken_at, self.window
        spent = {state: value for state, value in snapshot.seconds_in_state.items() if value > 0}
        window.show_states(snapshot.state or "connecting", spent)
        window.timeline.set_history(snapshot.transitions, now, TIMELINE_SPAN)
        window.latency.set_samples(snapshot.latency_samples, now, LATENCY_SPAN)
        window.show_counters(counter_rows(snapshot))

    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            self.refresh()
            self.timer.start()
        else:
            self.timer.stop()
