"""The status-bar widgets: the connection indicator, the data summary and the TLS warning.

Both are dumb: they show the :class:`~dashboard_desktop.core.status.ConnectionStatus` they are
given and hold no timers. The words for each state live in :func:`describe`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.ui.text import plain_tooltip
from dashboard_desktop.ui.themes import alert_colour

STATE_COLOURS = {
    ConnectionState.CONNECTING: "#d98a00",
    ConnectionState.LIVE: "#2e9d4f",
    ConnectionState.RECONNECTING: "#d98a00",
    ConnectionState.POLLING: "#2f6fb5",
    ConnectionState.OFFLINE: "#c0392b",
    ConnectionState.UNAUTHORIZED: "#8e2c8e",
}


def clock(value: datetime | None, fmt: str = "%H:%M:%S") -> str:
    """A time of day in the local time zone, or a dash."""
    return value.astimezone().strftime(fmt) if value is not None else "-"


def ago(age: timedelta | None) -> str:
    """A short age: "just now", "5 min ago", "3 h ago", "2 days ago"."""
    if age is None:
        return QCoreApplication.translate("ConnectionIndicator", "never")
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return QCoreApplication.translate("ConnectionIndicator", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("ConnectionIndicator", "{n} min ago").format(
            n=seconds // 60
        )
    if seconds < 86400:
        return QCoreApplication.translate("ConnectionIndicator", "{n} h ago").format(
            n=seconds // 3600
        )
    days = seconds // 86400
    return (
        QCoreApplication.translate("ConnectionIndicator", "1 day ago")
        if days == 1
        else QCoreApplication.translate("ConnectionIndicator", "{n} days ago").format(n=days)
    )


def describe(status: ConnectionStatus) -> str:
    """The words the indicator shows for ``status``."""
    state = status.state
    if state is ConnectionState.CONNECTING:
        return QCoreApplication.translate("ConnectionIndicator", "Connecting")
    if state is ConnectionState.LIVE:
        return QCoreApplication.translate("ConnectionIndicator", "Live")
    if state is ConnectionState.RECONNECTING:
        return QCoreApplication.translate(
            "ConnectionIndicator", "Reconnecting (attempt {k} of {n})"
        ).format(k=status.attempt, n=status.max_attempts)
    if state is ConnectionState.POLLING:
        return QCoreApplication.translate(
            "ConnectionIndicator", "Polling (REST every {s:g} s; last poll {t})"
        ).format(s=status.poll_interval, t=clock(status.last_poll_at))
    if state is ConnectionState.OFFLINE:
        return QCoreApplication.translate(
            "ConnectionIndicator", "Offline (nothing reachable; data from {t})"
        ).format(t=clock(status.confirmed_at, "%H:%M"))
    return QCoreApplication.translate("ConnectionIndicator", "Not authorised")


class ConnectionIndicator(QWidget):
    """A coloured dot and the words of the current connection state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel("\u25cf", self)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.dot.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        self.setAccessibleName(
            QCoreApplication.translate("ConnectionIndicator", "Connection state")
        )
        self.state: ConnectionState | None = None

    def set_state(self, status: ConnectionStatus) -> None:
        """Show ``status``: colour, words and, as tooltip, the reason.

        Only what differs is touched: a style sheet, even an equal one, re-polishes and
        repaints, and the status is shown again on every update and every few seconds.
        """
        if status.state is not self.state:
            self.dot.setStyleSheet(f"color: {STATE_COLOURS[status.state]};")
            self.state = status.state
        self.label.setText(describe(status))  # QLabel repaints only if the text differs
        tooltip = plain_tooltip(
            QCoreApplication.translate("ConnectionIndicator", "Last event: {r}").format(
                r=status.reason
            )
        )
        if tooltip != self.toolTip():
            self.setToolTip(tooltip)
        if self.label.text() != self.accessibleDescription():
            self.setAccessibleDescription(self.label.text())


class DataSummary(QLabel):
    """Schedule version, item count and when the data were last confirmed (or cached)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(QCoreApplication.translate("ConnectionIndicator", "Data summary"))

    def set_status(self, status: ConnectionStatus) -> None:
        """Show the data facts of ``status``; stale data are said to be stale."""
        version = "-" if status.version is None else str(status.version)
        parts = [
            QCoreApplication.translate("ConnectionIndicator", "Version {v}").format(v=version),
            QCoreApplication.translate("ConnectionIndicator", "{n} items").format(
                n=status.item_count
            ),
        ]
        when = {"t": clock(status.confirmed_at, "%H:%M"), "a": ago(status.age)}
        if status.cached:  # from the offline cache: as old as its saved time
            parts.append(
                QCoreApplication.translate("ConnectionIndicator", "cached {t} ({a})").format(
                    **when
                )
            )
        elif status.state is ConnectionState.LIVE:
            parts.append(QCoreApplication.translate("ConnectionIndicator", "confirmed live"))
        else:
            parts.append(
                QCoreApplication.translate("ConnectionIndicator", "confirmed {t} ({a})").format(
                    **when
                )
            )
        if status.stale:
            parts.append(QCoreApplication.translate("ConnectionIndicator", "STALE"))
        self.setText(" \u00b7 ".join(parts))  # QLabel repaints only if the text differs
        style = (
            f"color: {alert_colour(self.palette())}; font-weight: bold;" if status.stale else ""
        )
        if style != self.styleSheet():  # an equal style sheet would still re-polish
            self.setStyleSheet(style)


class TlsWarning(QLabel):
    """The permanent "TLS verification off" warning, shown while ``verify_tls`` is false."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tlsWarning")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(QCoreApplication.translate("ConnectionIndicator", "TLS verification off"))
        self.setToolTip(
            plain_tooltip(
                QCoreApplication.translate(
                    "ConnectionIndicator",
                    "The server's TLS certificate is not checked (verify_tls = false): "
                    "anyone on the way to the server could read and change the data.",
                )
            )
        )
        self.setAccessibleName(self.text())
        self._restyle()
        self.hide()

    def set_verification_off(self, off: bool) -> None:
        """Show the warning while verification is off; hide it otherwise."""
        self.setVisible(off)

    def changeEvent(self, event: QEvent) -> None:
        """Keep the alert colour readable when the light or dark palette changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    def _restyle(self) -> None:
        style = f"color: {alert_colour(self.palette())}; font-weight: bold;"
        if style != self.styleSheet():  # an equal style sheet would still re-polish
            self.setStyleSheet(style)
