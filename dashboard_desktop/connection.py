"""The replaceable connection, and applying settings from the dialog without a restart.

:class:`Connection` owns the current :class:`~dashboard_desktop.net.sync.SyncService`; nothing
else keeps a reference to it, so :meth:`Connection.replace` can stop it and start a new one
with other settings (a new server, token or poll interval) while the window stays open. The
metrics and the schedule's item digests belong to the connection, not to a service, so they
(and the health endpoint that serves them) carry on across a replacement.
:class:`SettingsFlow` opens the non-modal settings dialog and, on OK, saves the settings (the
token to the keyring, the rest to the config file; off the GUI thread, since a keyring may
block) and reconnects when a connection setting changed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from dashboard_desktop.config import LoadedSettings, Settings, SettingsError
from dashboard_desktop.config_file import changed_settings, save_accepted
from dashboard_desktop.core.consistency import ItemDigests
from dashboard_desktop.core.metrics import Metrics
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import Clock, ConnectionStatus, StatusTracker, utc_now
from dashboard_desktop.log import configure_logging, log_event
from dashboard_desktop.net.health import HealthSource
from dashboard_desktop.net.sync import SyncService
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.settings_dialog import KIOSK_SETTINGS, SettingsDialog

_log = logging.getLogger(__name__)


class Connection:
    """Holds the current sync service and swaps it for one with new settings.

    Args:
        settings: The settings of the first service.
        schedule: The schedule every service keeps in sync.
        wire: Connects a new service's signals to the rest of the application.
        clock: The clock of the services' status trackers (the server-corrected "now").

    Attributes:
        metrics: The metrics of every service of this run.
        digests: The item digests of the schedule shown (its content hash).
    """

    def __init__(
        self,
        settings: Settings,
        schedule: Schedule,
        wire: Callable[[SyncService], None],
        clock: Clock = utc_now,
    ) -> None:
        self._schedule, self._wire, self._clock = schedule, wire, clock
        self._lock = asyncio.Lock()
        self.metrics = Metrics()
        self.digests = ItemDigests()
        self.service = self._make(settings)

    def _make(self, settings: Settings) -> SyncService:
        tracker = StatusTracker(
            settings.poll_interval, settings.reconnection_attempts, self._clock
        )
        service = SyncService(
            settings, self._schedule, tracker=tracker, metrics=self.metrics, digests=self.digests
        )
        self._wire(service)
        return service

    def status(self) -> ConnectionStatus:
        """The current service's status now."""
        return self.service.tracker.status()

    def health_source(self) -> HealthSource:
        """What the health endpoint serves (follows :meth:`replace`)."""
        return HealthSource(self.status, self.metrics, self._schedule, self.digests)

    def request_snapshot(self, reason: str) -> None:
        """Fetch a snapshot now through the current service."""
        self.service.request_snapshot(reason)

    async def stop(self) -> None:
        """Stop the current service (at exit)."""
        async with self._lock:
            await self.service.stop()

    async def replace(self, settings: Settings) -> None:
        """Stop the current service and start one with ``settings``."""
        async with self._lock:
            old = self.service
            await old.stop()
            old.deleteLater()  # its signal connections go with it
            moved = (settings.server_url, settings.namespace) != (
                old.settings.server_url,
                old.settings.namespace,
            )
            if moved:
                self._schedule.replace([], None)  # another server's data must not linger
            self.service = self._make(settings)
            log_event(_log, "settings_applied", reconnect=True, server_changed=moved)
            self.service.start()


class SettingsFlow:
    """Opens the settings dialog (never modal) and applies what it accepts.

    Args:
        window: The dialog's parent; shows a failure to save.
        connection: Reconnected when a connection setting changes.
        loaded: The settings in use and where each came from.
        on_applied: Called with the new settings once they are in use (e.g. so that crash
            reports redact a new token).
    """

    def __init__(
        self,
        window: MainWindow,
        connection: Connection,
        loaded: LoadedSettings,
        on_applied: Callable[[Settings], None] | None = None,
    ) -> None:
        self._window, self._connection, self.loaded = window, connection, loaded
        self._on_applied = on_applied
        self._dialog: SettingsDialog | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def open(self) -> None:
        """Show the dialog, or bring the open one to the front."""
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.raise_()
            self._dialog.activateWindow()
            return
        if self._dialog is not None:
            self._dialog.deleteLater()
        fixed = {n: s for n, s in self.loaded.sources.items() if self.loaded.transient(n)}
        self._dialog = SettingsDialog(self.loaded.settings, self._window, fixed=fixed)
        self._dialog.settingsAccepted.connect(self._accepted)
        self._dialog.show()

    def _accepted(self, new: Settings) -> None:
        task = asyncio.ensure_future(self.apply(new))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def apply(self, new: Settings) -> None:
        """Save ``new`` and reconnect if a connection setting changed."""
        async with self._lock:
            old = self.loaded.settings
            await self._save(new)
            if (new.token, new.log_level) != (old.token, old.log_level):
                configure_logging(new)  # the redactor learns the new token
            self._window.server_url = new.server_url
            changed = set(changed_settings(old, new)) - set(KIOSK_SETTINGS)
            if new.token != old.token or changed:
                await self._connection.replace(new)
            if self._on_applied is not None:
                self._on_applied(new)

    async def _save(self, new: Settings) -> None:
        try:  # the keyring and the disk may block (an unlock prompt): off the GUI thread
            loop = asyncio.get_running_loop()
            self.loaded = await loop.run_in_executor(None, save_accepted, self.loaded, new)
        except (OSError, SettingsError) as exc:
            log_event(_log, "settings_save_failed", level=logging.WARNING, error=str(exc))
            message = QCoreApplication.translate(
                "SettingsFlow", "Settings applied but not saved: {e}"
            )
            self._window.show_error(message.format(e=exc))
            self.loaded = dataclasses.replace(self.loaded, settings=new)
