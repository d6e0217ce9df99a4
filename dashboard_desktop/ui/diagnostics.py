"""The Diagnostics window (staff): the connection's health and the app's metrics, live.

From top to bottom: the state now and the time spent in each state; a timeline of the states
over the last hours (:class:`~dashboard_desktop.ui.plots.StateTimeline`) with its legend; the
event latencies of the last hour (:class:`~dashboard_desktop.ui.plots.LatencyChart`); every
counter (connects, disconnects by reason, events received/applied/ignored, polls by outcome,
resyncs by reason, consistency checks and mismatches) in a table.

The window is dumb: a non-modal top-level window that shows what it is told
(``show_states``, ``show_counters``, the plots' setters). The diagnostics service
(``dashboard_desktop.diagnostics``) reads the metrics and refreshes it while it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dashboard_desktop.ui.plots import LatencyChart, StateTimeline, state_colour, state_words

Counter = tuple[str, str, float]
"""One counter row: metric name, labels in words (may be empty), value."""


def duration_words(seconds: float) -> str:
    """A short duration: "42 s", "7 min", "3 h 05 min"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return QCoreApplication.translate("Diagnostics", "{n} s").format(n=seconds)
    if seconds < 3600:
        return QCoreApplication.translate("Diagnostics", "{n} min").format(n=seconds // 60)
    return QCoreApplication.translate("Diagnostics", "{h} h {m:02d} min").format(
        h=seconds // 3600, m=seconds % 3600 // 60
    )


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # reasons and labels may come from the server
    return label


class _Swatch(QWidget):
    """A small square of one colour (a legend entry's key)."""

    def __init__(self, colour: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        side = self.fontMetrics().height() * 2 // 3
        self.setFixedSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Fill the square."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.colour)
        painter.end()


class DiagnosticsWindow(QWidget):
    """Connection states, latencies and counters, shown live (see the module docstring).

    Signals:
        visibilityChanged(bool): The window was shown (True) or hidden or closed (False): the
            service refreshes it only while it is visible.
    """

    visibilityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("diagnosticsWindow")
        self.setWindowTitle(QCoreApplication.translate("Diagnostics", "Diagnostics"))
        self.state = _plain("")
        self.state.setObjectName("diagnosticsState")
        self.times = _plain("")
        self.times.setWordWrap(True)
        self.timeline = StateTimeline(self)
        self.legend = QHBoxLayout()
        self.latency = LatencyChart(self)
        self.counters = self._counter_table()
        self._build()
        self.resize(760, 720)

    def _counter_table(self) -> QTableWidget:
        table = QTableWidget(0, 3, self)
        table.setObjectName("diagnosticsCounters")
        table.setAccessibleName(QCoreApplication.translate("Diagnostics", "Counters"))
        table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("Diagnostics", "Counter"),
                QCoreApplication.translate("Diagnostics", "Labels"),
                QCoreApplication.translate("Diagnostics", "Value"),
            ]
        )
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _group(
        self, title: str, *widgets: QWidget, layout: QHBoxLayout | None = None
    ) -> QGroupBox:
        box = QGroupBox(title, self)
        column = QVBoxLayout(box)
        for widget in widgets:
            column.addWidget(widget)
        if layout is not None:
            column.addLayout(layout)
        return box

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(
            self._group(
                QCoreApplication.translate("Diagnostics", "Connection"), self.state, self.times
            )
        )
        layout.addWidget(
            self._group(
                QCoreApplication.translate("Diagnostics", "States over the last hours"),
                self.timeline,
                layout=self.legend,
            )
        )
        layout.addWidget(
            self._group(
                QCoreApplication.translate("Diagnostics", "Event latency, last hour"), self.latency
            )
        )
        layout.addWidget(
            self._group(QCoreApplication.translate("Diagnostics", "Counters"), self.counters), 1
        )

    # -- what is shown ------------------------------------------------------------------------

    def show_states(self, current: str, seconds: Mapping[str, float]) -> None:
        """Show the state now and the time spent in each state (by state value)."""
        self.state.setText(
            QCoreApplication.translate("Diagnostics", "Now: {state}").format(
                state=state_words(current)
            )
        )
        parts = [
            f"{state_words(state)} {duration_words(value)}"
            for state, value in sorted(seconds.items(), key=lambda pair: -pair[1])
        ]
        self.times.setText(" \u00b7 ".join(parts))
        self._show_legend(list(seconds))

    def _show_legend(self, states: Sequence[str]) -> None:
        while self.legend.count():
            taken = self.legend.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        for state in states:
            self.legend.addWidget(_Swatch(state_colour(state), self))
            self.legend.addWidget(_plain(state_words(state)))
            self.legend.addSpacing(self.fontMetrics().height())
        self.legend.addStretch(1)

    def show_counters(self, rows: Sequence[Counter]) -> None:
        """Show every counter: name, its labels in words, value (rows kept when unchanged)."""
        table = self.counters
        table.setRowCount(len(rows))
        for row, (name, labels, value) in enumerate(rows):
            shown = f"{value:g}" if not float(value).is_integer() else str(int(value))
            for column, text in enumerate((name, labels, shown)):
                item = table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(row, column, item)
                if item.text() != text:
                    item.setText(text)  # a QTableWidgetItem's text is plain text
            alignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            item = table.item(row, 2)
            if item is not None:
                item.setTextAlignment(alignment)

    # -- visibility ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc or the platform's Close key (Ctrl+W) closes the window."""
        if event.key() == Qt.Key.Key_Escape or event.matches(QKeySequence.StandardKey.Close):
            self.close()
        else:
            super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Announce that the window is visible (the service starts refreshing)."""
        super().showEvent(event)
        self.visibilityChanged.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:
        """Announce that the window is hidden (the service stops refreshing)."""
        super().hideEvent(event)
        self.visibilityChanged.emit(False)
