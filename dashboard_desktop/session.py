"""One running session: the schedule, its timeline, the window and the connection, wired.

:class:`Session` builds, in this order: the ``Schedule``; the ``ServerClock`` (local time,
corrected by the server's ``Date`` header when they differ by more than a minute) and the
``Timeline`` on it; the ``ScheduleTableModel``; the staff ``Desktop`` window, or with
``kiosk`` the model on ``PrunedRows`` (the schedule without the rows dropped after the grace
period), the ``KioskWindow`` and its ``Kiosk`` service (screen, paging, clock, exit keys); the
``Timekeeper`` (one timer, firing when a row's phase changes); the replaceable
``Connection`` (the ``SyncService``, its metrics kept across replacements); for the staff
window the settings dialog flow and the ``Diagnostics`` window's service; with ``health_port``, the
local ``HealthServer`` (``/healthz``, ``/metrics``); the ``SystemdNotifier`` (``READY=1``,
watchdog pings and status for a systemd unit). :meth:`Session.stop` takes them down in reverse.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

from dashboard_desktop.config import LoadedSettings
from dashboard_desktop.connection import Connection, SettingsFlow
from dashboard_desktop.core.clock import ServerClock
from dashboard_desktop.core.pruned import PrunedRows
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.timeline import Timeline
from dashboard_desktop.desktop import Desktop
from dashboard_desktop.diagnostics import Diagnostics
from dashboard_desktop.errors import ErrorChannel
from dashboard_desktop.kiosk import Kiosk
from dashboard_desktop.log import log_event
from dashboard_desktop.net.health import HealthServer
from dashboard_desktop.net.sync import SyncService
from dashboard_desktop.shutdown import QuitSignal
from dashboard_desktop.timekeeper import Timekeeper
from dashboard_desktop.ui.diagnostics import DiagnosticsWindow
from dashboard_desktop.ui.kiosk_theme import KIOSK_CUES
from dashboard_desktop.ui.kiosk_window import KioskWindow
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.watchdog import SystemdNotifier

_log = logging.getLogger("dashboard_desktop")


class Session:
    """The application's objects for one run, wired together.

    Args:
        loaded: The settings and their sources.
        channel: Reports unexpected errors (shown in the window's banner).
        quit_signal: Triggered when the window is closed.
    """

    def __init__(
        self, loaded: LoadedSettings, channel: ErrorChannel, quit_signal: QuitSignal
    ) -> None:
        settings = loaded.settings
        self.schedule = Schedule()
        self.clock = ServerClock()
        self.timeline = Timeline(
            self.schedule,
            self.clock.now(),
            grace=timedelta(minutes=settings.past_grace),
            default_duration=timedelta(minutes=settings.default_duration),
        )
        self.model = ScheduleTableModel(self.schedule, extra_columns=settings.extra_columns)
        self.rows: PrunedRows | None = None
        self.desktop: Desktop | None = None
        self.kiosk: Kiosk | None = None
        self.window: MainWindow | KioskWindow
        if settings.kiosk:  # the wall display: no menus, no dialogs, only the exit keys quit
            self.rows = PrunedRows(self.schedule, self.timeline.is_dropped)  # past the grace
            self.model.set_rows(self.rows)
            self.model.set_timeline(self.timeline, KIOSK_CUES)
            self.window = KioskWindow(self.model, settings.title)
            self.kiosk = Kiosk(self.window, settings, clock=self.clock.now, rows=self.rows)
            self.kiosk.exitRequested.connect(quit_signal.trigger)
            channel.errorReported.connect(self.kiosk.show_error)  # a banner, for a while
        else:
            self.model.set_timeline(self.timeline)
            self.desktop = Desktop(self.schedule, self.model, settings.server_url)
            self.window = self.desktop.window
            channel.errorReported.connect(self.window.show_error)
        window = self.window
        self.timekeeper = Timekeeper(self.timeline, self.clock)
        if self.rows is not None:
            self.timekeeper.timelineChanged.connect(self.rows.refresh)  # drop, then repaint
        self.timekeeper.timelineChanged.connect(self.model.timeline_changed)
        self.timekeeper.clockSkewChanged.connect(window.show_clock_skew)
        self.timekeeper.outdatedChanged.connect(window.show_outdated)
        self.watchdog = SystemdNotifier()  # sd_notify, when run by systemd (NOTIFY_SOCKET)
        self.connection = Connection(settings, self.schedule, self._wire, self.clock.now)
        self.diagnostics: Diagnostics | None = None
        if isinstance(window, MainWindow):
            self._wire_desktop(window, loaded, channel, quit_signal)
        self.first_rows = FirstRowsPainted(window.table)
        self.health = (
            HealthServer(
                settings.health_host, settings.health_port, self.connection.health_source()
            )
            if settings.health_port
            else None
        )

    def _wire_desktop(
        self,
        window: MainWindow,
        loaded: LoadedSettings,
        channel: ErrorChannel,
        quit_signal: QuitSignal,
    ) -> None:
        """The staff window's requests: refresh, settings, diagnostics, quit."""
        self.flow = SettingsFlow(window, self.connection, loaded, channel.use_settings)
        self.diagnostics = Diagnostics(DiagnosticsWindow(window), self.connection.metrics.snapshot)
        window.refreshRequested.connect(lambda: self.connection.request_snapshot("manual"))
        window.settingsRequested.connect(self.flow.open)
        window.diagnosticsRequested.connect(self.diagnostics.open)
        window.closing.connect(quit_signal.trigger)

    def _wire(self, service: SyncService) -> None:
        window = self.window
        window.show_tls_warning(not service.settings.verify_tls)  # for as long as it is off
        service.statusChanged.connect(window.show_status)
        service.statusChanged.connect(self.timekeeper.follow_status)
        service.statusChanged.connect(self.watchdog.show_status)
        if self.kiosk is not None:
            service.statusChanged.connect(self.kiosk.follow_status)
        service.dayChanged.connect(self.model.refresh_times)
        service.scheduleApplied.connect(self.timekeeper.refresh)
        if self.desktop is not None:
            service.scheduleApplied.connect(self.desktop.show_now)  # once: scroll to "now"
        service.serverDateSeen.connect(self.timekeeper.observe_server_date)

    def start(self) -> None:
        """Show the window and start the connection and the timekeeper."""
        if self.kiosk is not None:
            self.kiosk.start()  # full screen on its screen, cursor hidden, blanking inhibited
        elif self.desktop is not None:
            self.desktop.show()
        self.connection.service.start()
        self.timekeeper.start()
        if self.health is not None:
            self.health.start()  # logs health_listening, or health_unavailable if taken
        self.watchdog.start()  # READY=1 on the next turn of the loop, then WATCHDOG=1 pings

    async def stop(self) -> None:
        """Stop everything, in reverse order of :meth:`start` and construction."""
        self.watchdog.stop()  # STOPPING=1
        if self.health is not None:
            await self.health.stop()
        self.timekeeper.stop()
        await self.connection.stop()
        self.first_rows.stop()
        if self.kiosk is not None:
            self.kiosk.stop()
            self.window.hide()
        if self.diagnostics is not None:
            self.diagnostics.stop()
        if self.desktop is not None:
            self.desktop.close()
        self.model.detach()
        if self.rows is not None:
            self.rows.detach()
        self.timeline.detach()


class FirstRowsPainted(QObject):
    """Logs ``first_rows_painted`` the first time the table paints with rows (start-up time)."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view
        view.viewport().installEventFilter(self)

    def stop(self) -> None:
        """Stop watching (at exit: no Python filter may run while the window is destroyed)."""
        self._view.viewport().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Watch the viewport's paint events until one shows rows; log once it is drawn."""
        model = self._view.model()
        if event.type() != QEvent.Type.Paint or model is None or not model.rowCount():
            return False
        self._view.viewport().removeEventFilter(self)
        handled = bool(self._view.viewportEvent(event))  # the view's own paint, done now
        fields: dict[str, Any] = {"rows": model.rowCount()}
        age = process_age_ms()
        if age is not None:
            fields["since_start_ms"] = age
        log_event(_log, "first_rows_painted", **fields)
        return handled


def process_age_ms() -> int | None:
    """Milliseconds since this process started (Linux, 10 ms resolution); None elsewhere."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    started = int(stat[stat.rindex(")") + 2 :].split()[19]) / os.sysconf("SC_CLK_TCK")
    return round((uptime - started) * 1000)
