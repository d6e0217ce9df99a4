"""The kiosk window: a frameless, full-screen wall display of the schedule.

From top to bottom: a header with the dashboard's title, the connection state in words, the
clock and the date; banners for stale data, for an outdated schedule, a wrong local clock or
TLS verification turned off, and for unexpected errors (each shown only when it has something
to say); the schedule table in a large theme (``ui.kiosk_theme``, ``ui.kiosk_table``),
showing the model's own cues (current, next, past rows), as tall as whole rows fit (no row is
cut at the bottom), with a placeholder when there are no rows.

The window is dumb: no timers, no menus, no dialogs, nothing modal and nothing to click. It
shows what it is told to (``show_status``, ``show_time``, ``show_page``, ...); the kiosk
service (``dashboard_desktop.kiosk``) places it on a screen, pages it and owns its timers.
Every key press without a shortcut is swallowed (Esc does nothing) and a close request from
the window system (Alt+F4) is refused: the kiosk ends through the exit key sequence (or a
signal such as SIGTERM).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.ui.indicator import ConnectionIndicator, ago, clock
from dashboard_desktop.ui.kiosk_table import KioskTable, WholeRows
from dashboard_desktop.ui.kiosk_theme import (
    MAX_SHIFT,
    KioskMetrics,
    kiosk_metrics,
    kiosk_style_sheet,
)
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.timecues import clock_note, outdated_note

_MAX_ERROR_CHARS = 300


def stale_text(status: ConnectionStatus) -> str:
    """The stale banner's words, e.g. "Offline - data from 08:20, 42 min ago"."""
    words = {
        ConnectionState.CONNECTING: QCoreApplication.translate("KioskWindow", "Connecting"),
        ConnectionState.LIVE: QCoreApplication.translate("KioskWindow", "Not confirmed"),
        ConnectionState.UNAUTHORIZED: QCoreApplication.translate("KioskWindow", "Not authorised"),
    }.get(status.state, QCoreApplication.translate("KioskWindow", "Offline"))
    if status.confirmed_at is None:
        return QCoreApplication.translate("KioskWindow", "{state} - no data yet").format(
            state=words
        )
    return QCoreApplication.translate("KioskWindow", "{state} - data from {t}, {a}").format(
        state=words, t=clock(status.confirmed_at, "%H:%M"), a=ago(status.age)
    )


def placeholder_text(hidden: int, has_data: bool) -> str:
    """What the kiosk says while no row is shown: ``hidden`` rows have ended, or there are
    no data yet, or the schedule is empty."""
    if hidden:
        return QCoreApplication.translate(
            "KioskWindow", "Nothing more on the schedule - {n} items have ended"
        ).format(n=hidden)
    return (
        QCoreApplication.translate("KioskWindow", "Nothing on the schedule")
        if has_data
        else QCoreApplication.translate("KioskWindow", "Waiting for the schedule")
    )


def _label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # server and user text is never rich text
    return label


def _show_text(label: QLabel, text: str) -> None:
    """Show ``text`` in a banner label, or hide the banner when there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


class KioskWindow(QWidget):
    """The kiosk's one and only window (frameless; the kiosk service makes it full screen).

    Args:
        model: The schedule model; its font and colour roles are shown as they are.
        title: The dashboard's title, shown in the header (plain text).
        parent: Normally none: the window is a top-level window.
    """

    def __init__(
        self, model: ScheduleTableModel, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("kioskWindow")
        self.setWindowTitle(
            title or QCoreApplication.translate("KioskWindow", "Dashboard Desktop")
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = _label("kioskTitle", self)
        self.title.setText(title)
        self.indicator = ConnectionIndicator(self)
        self.indicator.setObjectName("kioskState")
        self.clock = _label("kioskClock", self)
        self.date = _label("kioskDate", self)
        self.notice = _label("kioskNotice", self)
        self.stale = _label("kioskStale", self)
        self.error = _label("kioskError", self)
        for banner in (self.notice, self.stale, self.error):
            banner.setWordWrap(True)
            banner.hide()
        self.table = KioskTable(model, self)
        self.rows_area = WholeRows(self.table, self)
        self._notes = {"tls": "", "outdated": "", "clock": ""}
        self._day: date | None = None
        self.error_count = 0
        self._layout = self._make_layout()
        self.metrics = kiosk_metrics(1920, 1080)
        self.apply_metrics(self.metrics)

    def _make_layout(self) -> QVBoxLayout:
        header = QFrame(self)
        header.setObjectName("kioskHeader")
        times = QVBoxLayout()
        times.setSpacing(0)
        times.addWidget(self.clock, 0, Qt.AlignmentFlag.AlignRight)
        times.addWidget(self.date, 0, Qt.AlignmentFlag.AlignRight)
        row = self._header_row = QHBoxLayout(header)
        row.addWidget(self.title, 1)
        row.addWidget(self.indicator, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(times)
        layout = QVBoxLayout(self)
        layout.setSpacing(0)
        layout.setContentsMargins(MAX_SHIFT, MAX_SHIFT, MAX_SHIFT, MAX_SHIFT)
        for widget in (header, self.stale, self.notice, self.error, self.rows_area):
            layout.addWidget(widget)
        layout.setStretchFactor(self.rows_area, 1)
        self.header = header
        return layout

    # -- look ---------------------------------------------------------------------------------

    def apply_metrics(self, metrics: KioskMetrics) -> None:
        """Size the fonts, the rows and the columns for ``metrics`` (a screen's size)."""
        self.metrics = metrics
        self.setStyleSheet(kiosk_style_sheet(metrics))  # the fonts and colours
        pad = metrics.padding
        self._header_row.setContentsMargins(pad, pad // 2, pad, pad // 2)
        self.table.apply_metrics(metrics)
        self.rows_area.fit()

    def shift_content(self, dx: int, dy: int) -> None:
        """Move everything by ``dx``, ``dy`` logical pixels (burn-in protection), within
        :data:`~dashboard_desktop.ui.kiosk_theme.MAX_SHIFT`; the sizes stay the same."""
        dx = max(-MAX_SHIFT, min(MAX_SHIFT, dx))
        dy = max(-MAX_SHIFT, min(MAX_SHIFT, dy))
        self._layout.setContentsMargins(
            MAX_SHIFT + dx, MAX_SHIFT + dy, MAX_SHIFT - dx, MAX_SHIFT - dy
        )

    # -- what is shown ------------------------------------------------------------------------

    def show_time(self, now: datetime) -> None:
        """Show the time of day of ``now`` (local time) and, when it changed, the date."""
        local = now.astimezone()
        self.clock.setText(local.strftime("%H:%M"))  # QLabel repaints only if it differs
        day = local.date()
        if day != self._day:
            self._day = day
            qdate = QDate(day.year, day.month, day.day)
            self.date.setText(QLocale().toString(qdate, QLocale.FormatType.LongFormat))

    def show_status(self, status: ConnectionStatus) -> None:
        """Show the connection state in words and, while the data are stale, the banner."""
        self.indicator.set_state(status)
        _show_text(self.stale, stale_text(status) if status.stale else "")

    def show_outdated(self, day: date | None, today: date) -> None:
        """Say "Yesterday's schedule" (or its date) while every row ended before ``today``."""
        self._notes["outdated"] = outdated_note(day, today)
        self._show_notes()

    def show_tls_warning(self, verification_off: bool) -> None:
        """Say in the notice banner, for as long as it lasts, that the server's TLS
        certificate is not checked (``verify_tls = false``)."""
        self._notes["tls"] = (
            QCoreApplication.translate(
                "KioskWindow", "TLS verification off - the server is not authenticated"
            )
            if verification_off
            else ""
        )
        self._show_notes()

    def show_clock_skew(self, skew: timedelta | None) -> None:
        """Say that the local clock is off (``None``: it is fine)."""
        self._notes["clock"] = clock_note(skew)
        self._show_notes()

    def _show_notes(self) -> None:
        _show_text(self.notice, " \u00b7 ".join(note for note in self._notes.values() if note))

    def show_error(self, message: str) -> None:
        """Show an unexpected error in the error banner (never a dialog)."""
        self.error_count += 1
        first = message.splitlines()[0][:_MAX_ERROR_CHARS] if message else ""
        suffix = (
            QCoreApplication.translate("KioskWindow", " ({n} errors)").format(n=self.error_count)
            if self.error_count > 1
            else ""
        )
        _show_text(
            self.error,
            (first + suffix) or QCoreApplication.translate("KioskWindow", "Unexpected error"),
        )

    def clear_error(self) -> None:
        """Hide the error banner and reset its count."""
        self.error_count = 0
        _show_text(self.error, "")

    # -- paging -------------------------------------------------------------------------------

    def rows_per_page(self) -> int:
        """How many whole rows one page shows."""
        return self.table.rows_per_page()

    def first_row(self) -> int:
        """The first row of the page shown."""
        return self.table.first_row()

    def show_placeholder(self, text: str) -> None:
        """Say ``text`` where the rows would be while there are none ("": nothing)."""
        self.table.set_placeholder(text)

    def show_page(self, first_row: int) -> None:
        """Show the page that starts at ``first_row``; nothing but the table repaints."""
        self.table.show_row_at_top(first_row)

    # -- input --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Swallow every key (Esc included); only the exit shortcut does anything."""
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse a close request of the window system (e.g. Alt+F4); ``close()`` and
        quitting the application still close the window."""
        if event.spontaneous():
            event.ignore()
        else:
            super().closeEvent(event)
