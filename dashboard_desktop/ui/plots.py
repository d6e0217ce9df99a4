"""Small plots drawn by the app for the Diagnostics window: connection states and latencies.

Both widgets are dumb: they draw the data they are given (``set_history``, ``set_samples``) and
nothing else. The arithmetic is in plain functions (:func:`state_segments`, :func:`percentile`),
tested without painting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.ui.indicator import STATE_COLOURS

Segment = tuple[float, float, str]
"""A stretch of one state: start and end as fractions of the span (0 = oldest), the state."""

_COLOURS = {state.value: QColor(colour) for state, colour in STATE_COLOURS.items()}
# The status bar shows one state at a time; side by side, reconnecting needs its own colour.
_COLOURS[ConnectionState.RECONNECTING.value] = QColor("#e6c200")
_UNKNOWN = QColor("#9e9e9e")
_TICKS = 6
_MARGIN = 6


def state_segments(
    transitions: Sequence[tuple[datetime, str]], now: datetime, span: timedelta
) -> list[Segment]:
    """The states over ``(now - span, now]`` from ``transitions`` (time, new state), oldest first.

    A state lasts from its transition to the next one (or ``now``); before the first
    transition nothing is known and nothing is drawn.
    """
    start = now - span
    total = span.total_seconds()
    segments: list[Segment] = []
    ordered = sorted(transitions, key=lambda pair: pair[0])
    for index, (since, state) in enumerate(ordered):
        until = ordered[index + 1][0] if index + 1 < len(ordered) else now
        low, high = max(since, start), min(until, now)
        if high > low:
            left = (low - start).total_seconds() / total
            right = (high - start).total_seconds() / total
            segments.append((left, right, state))
    return segments


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` (0..1) percentile of ``values`` (nearest rank), or None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _axis_labels(now: datetime, span: timedelta) -> list[tuple[float, str]]:
    """Time labels along the axis: (fraction, "hh:mm"), oldest first."""
    local = now.astimezone()
    return [
        (step / (_TICKS - 1), (local - span * (1 - step / (_TICKS - 1))).strftime("%H:%M"))
        for step in range(_TICKS)
    ]


class _Plot(QWidget):
    """What both plots share: a plot area above a time axis, over ``span`` up to ``now``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.now: datetime | None = None
        self.span = timedelta(hours=1)

    def _area(self) -> QRectF:
        """The plot area: the widget less its margins and the axis line below."""
        axis = self.fontMetrics().height() + _MARGIN
        return QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -axis)

    def _draw_axis(self, painter: QPainter, area: QRectF) -> None:
        if self.now is None:
            return
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        metrics = self.fontMetrics()
        for fraction, text in _axis_labels(self.now, self.span):
            x = area.left() + fraction * area.width()
            width = metrics.horizontalAdvance(text)
            x = min(max(x - width / 2, area.left()), area.right() - width)
            painter.drawText(QPointF(x, area.bottom() + metrics.ascent() + 2), text)

    def _background(self, painter: QPainter, area: QRectF) -> None:
        painter.fillRect(area, self.palette().color(QPalette.ColorRole.Base))


class StateTimeline(_Plot):
    """The connection states over the last hours as one coloured band, with a time axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(3 * self.fontMetrics().height())
        self.setAccessibleName(
            QCoreApplication.translate("Diagnostics", "Connection states over time")
        )
        self.segments: list[Segment] = []

    def set_history(
        self, transitions: Sequence[tuple[datetime, str]], now: datetime, span: timedelta
    ) -> None:
        """Show the states of ``transitions`` over ``span`` up to ``now``."""
        self.now, self.span = now, span
        self.segments = state_segments(transitions, now, span)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the band and the axis."""
        painter = QPainter(self)
        area = self._area()
        self._background(painter, area)
        for left, right, state in self.segments:
            band = QRectF(
                area.left() + left * area.width(),
                area.top(),
                max(1.0, (right - left) * area.width()),
                area.height(),
            )
            painter.fillRect(band, _COLOURS.get(state, _UNKNOWN))
        self._draw_axis(painter, area)
        painter.end()


class LatencyChart(_Plot):
    """Event latencies over the last hour as dots, with the median and p99 as lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(8 * self.fontMetrics().height())
        self.setAccessibleName(QCoreApplication.translate("Diagnostics", "Event latency chart"))
        self.points: list[tuple[float, float]] = []
        self.p50: float | None = None
        self.p99: float | None = None
        self.top_ms = 10.0

    def set_samples(
        self, samples: Sequence[tuple[datetime, float]], now: datetime, span: timedelta
    ) -> None:
        """Show the latencies (time, milliseconds) of ``samples`` over ``span`` up to ``now``."""
        self.now, self.span = now, span
        start, total = now - span, span.total_seconds()
        shown = [(when, ms) for when, ms in samples if start <= when <= now]
        values = [ms for _, ms in shown]
        self.p50, self.p99 = percentile(values, 0.5), percentile(values, 0.99)
        self.top_ms = max(10.0, (self.p99 or 0.0) * 1.25, max(values, default=0.0) * 1.05)
        self.points = [((when - start).total_seconds() / total, ms) for when, ms in shown]
        self.update()

    def summary(self) -> str:
        """The figures in words, e.g. "median 3 ms · p99 15 ms · 120 events"."""
        if self.p50 is None or self.p99 is None:
            return QCoreApplication.translate("Diagnostics", "No event latencies yet")
        return QCoreApplication.translate(
            "Diagnostics", "median {p50:.0f} ms · p99 {p99:.0f} ms · {n} events"
        ).format(p50=self.p50, p99=self.p99, n=len(self.points))

    def _y(self, area: QRectF, ms: float) -> float:
        return area.bottom() - min(ms, self.top_ms) / self.top_ms * area.height()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the dots, the median and p99 lines, the summary and the axis."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = self._area()
        self._background(painter, area)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Highlight))
        for fraction, ms in self.points:
            centre = QPointF(area.left() + fraction * area.width(), self._y(area, ms))
            painter.drawEllipse(centre, 2.0, 2.0)
        text = self.palette().color(QPalette.ColorRole.Text)
        for value in (self.p50, self.p99):
            if value is not None:
                painter.setPen(text)
                y = self._y(area, value)
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(text)
        painter.drawText(
            area.adjusted(4, 2, -4, -2), int(Qt.AlignmentFlag.AlignTop), self.summary()
        )
        self._draw_axis(painter, area)
        painter.end()


def state_words(state: str) -> str:
    """A state's name for the legend, in words."""
    words = {
        ConnectionState.CONNECTING.value: QCoreApplication.translate("Diagnostics", "Connecting"),
        ConnectionState.LIVE.value: QCoreApplication.translate("Diagnostics", "Live"),
        ConnectionState.RECONNECTING.value: QCoreApplication.translate(
            "Diagnostics", "Reconnecting"
        ),
        ConnectionState.POLLING.value: QCoreApplication.translate("Diagnostics", "Polling"),
        ConnectionState.OFFLINE.value: QCoreApplication.translate("Diagnostics", "Offline"),
        ConnectionState.UNAUTHORIZED.value: QCoreApplication.translate(
            "Diagnostics", "Not authorised"
        ),
    }
    return words.get(state, state)


def state_colour(state: str) -> QColor:
    """The colour of ``state`` in the timeline (as in the status bar's dot)."""
    return _COLOURS.get(state, _UNKNOWN)
