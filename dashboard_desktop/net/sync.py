"""The sync service: where asyncio meets Qt.

:class:`SyncService` runs the Socket.IO supervisor and the REST fallback on the qasync event
loop, applies payloads to the :class:`~dashboard_desktop.core.schedule.Schedule` by the rules of
protocol.md, and tells the UI what happened through signals. Fallback polling is a ``QTimer``
that runs only while the socket is down (first poll at once); on (re)connect it stops and one
REST snapshot resynchronises. The last good snapshot is kept on disk and shown at start-up
(:class:`~dashboard_desktop.net.offline.OfflineCache`). Pushed events go through
:class:`~dashboard_desktop.net.pushes.PushHandler`; REST snapshots of the version shown are
compared with it (:class:`~dashboard_desktop.net.consistency.ConsistencyChecker`). Every event
is logged and recorded in :class:`~dashboard_desktop.core.metrics.Metrics` by one helper,
:meth:`SyncService.observe`, so logs and metrics agree.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from dashboard_desktop.config import Settings
from dashboard_desktop.core.backoff import Backoff, ReconnectPolicy
from dashboard_desktop.core.consistency import ItemDigests
from dashboard_desktop.core.metrics import Metrics
from dashboard_desktop.core.protocol import Delta, Payload, Snapshot
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionStatus, StatusTracker, utc_now
from dashboard_desktop.core.sync import SyncRules
from dashboard_desktop.log import log_event
from dashboard_desktop.net.consistency import ConsistencyChecker
from dashboard_desktop.net.fetcher import SnapshotFetcher
from dashboard_desktop.net.offline import OfflineCache
from dashboard_desktop.net.pushes import PushHandler
from dashboard_desktop.net.rest import RestClient
from dashboard_desktop.net.socket_client import SocketSupervisor
from dashboard_desktop.net.updates import ApplyInfo, latencies_ms

_log = logging.getLogger(__name__)
_STATUS_TICK_MS = 5000


def reconnect_policy(settings: Settings) -> ReconnectPolicy:
    """The reconnect policy the settings describe."""
    backoff = Backoff(
        minimum=settings.reconnection_delay,
        maximum=settings.reconnection_delay_max,
        jitter=settings.randomization_factor,
    )
    return ReconnectPolicy(
        backoff,
        attempts=settings.reconnection_attempts,
        series_pause=settings.reconnect_series_pause,
        auth_delay=settings.poll_interval,
    )


class SyncService(QObject):
    """Keeps a :class:`Schedule` in sync with the backend.

    Signals:
        statusChanged(ConnectionStatus): The connection mode or data age changed.
        scheduleApplied(ApplyInfo): An update was applied to the schedule.
        dayChanged(): The local date changed (times shown as "today" need repainting).
        serverDateSeen(datetime): The ``Date`` header of a REST response (the clock check).
    """

    statusChanged = Signal(object)
    scheduleApplied = Signal(object)
    dayChanged = Signal()
    serverDateSeen = Signal(object)

    def __init__(
        self,
        settings: Settings,
        schedule: Schedule,
        parent: QObject | None = None,
        *,
        tracker: StatusTracker | None = None,
        metrics: Metrics | None = None,
        digests: ItemDigests | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.schedule = schedule
        self.tracker = tracker or StatusTracker(
            settings.poll_interval, settings.reconnection_attempts, utc_now
        )
        self.metrics = metrics or Metrics()
        self._rules = SyncRules()
        self.checker = ConsistencyChecker(self, digests or ItemDigests())
        self._fetcher = SnapshotFetcher(RestClient(settings), self._rules, schedule, self)
        self._supervisor = SocketSupervisor(settings, self, reconnect_policy(settings))
        self._pushes = PushHandler(self, self._rules)
        self.offline = OfflineCache(settings, self)
        self._socket_task: asyncio.Task[None] | None = None
        self._connections = 0
        self._socket_up = False
        self._last_state = self.tracker.status().state
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(round(settings.poll_interval * 1000))
        self.poll_timer.timeout.connect(lambda: self.request_snapshot("poll"))
        self._ticker = QTimer(self)
        self._ticker.setInterval(_STATUS_TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._today = self._local_date()

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Show the cached snapshot, then start the socket and the polling (loop running)."""
        self.observe(_log, "sync_started", state=self._last_state.value)
        self.offline.restore()
        self._socket_task = asyncio.ensure_future(self._run_socket())
        self._ticker.start()
        self._start_polling()
        self.publish_status()

    async def stop(self) -> None:
        """Stop everything promptly, without waiting for a request in flight."""
        self.poll_timer.stop()
        self._ticker.stop()
        self.checker.stop()
        self._pushes.stop()
        self._fetcher.close()
        task, self._socket_task = self._socket_task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.offline.close()

    @property
    def fetching(self) -> bool:
        """True while a REST fetch is in flight or queued."""
        return self._fetcher.busy

    def request_snapshot(self, reason: str) -> None:
        """Fetch a REST snapshot now (coalesced with one already in flight)."""
        self._fetcher.request(reason)

    def observe(
        self,
        logger: logging.Logger,
        event: str,
        /,
        *,
        level: int = logging.INFO,
        unlogged: dict[str, object] | None = None,
        **fields: Any,
    ) -> None:
        """Log ``event`` with ``fields`` and record it in :attr:`metrics`.

        ``unlogged``: more fields for the metrics only (too bulky for a log line).
        """
        log_event(logger, event, level=level, **fields)
        self.metrics.record(event, {**fields, **unlogged} if unlogged else fields)

    # -- SocketListener ---------------------------------------------------------------------

    def on_attempt(self, attempt: int, delay: float) -> None:
        """Record a connection attempt that starts after ``delay`` seconds."""
        self.observe(_log, "connect_attempt", attempt=attempt, delay=round(delay, 3))
        self.tracker.attempting(attempt)
        self.publish_status()

    def on_attempt_failed(self, attempt: int, reason: str, auth_refused: bool) -> None:
        """Record a failed connection attempt."""
        level = logging.WARNING if auth_refused else logging.INFO
        self.observe(_log, "connect_failed", level=level, attempt=attempt, reason=reason)
        self.tracker.attempt_failed(reason, auth_refused=auth_refused)
        self.publish_status()

    def on_series_exhausted(self, pause: float) -> None:
        """Record that a series of attempts is used up."""
        self.observe(_log, "reconnect_exhausted", level=logging.WARNING, pause=pause)

    def on_connected(self) -> None:
        """Go live: stop polling and resynchronise once."""
        self._connections += 1
        self._socket_up = True
        self.observe(_log, "socket_connected", connection=self._connections)
        self.poll_timer.stop()
        self.tracker.connected()
        self.publish_status()
        self.request_snapshot("connect" if self._connections == 1 else "reconnect")

    def on_disconnected(self, reason: str) -> None:
        """Fall back to polling."""
        self._socket_up = False
        self.observe(_log, "socket_disconnected", reason=reason)
        self.checker.stop()
        self.poll_timer.stop()  # restarted at once below: the first fallback poll is immediate
        self.tracker.lost(f"disconnected: {reason}")
        self._start_polling()
        self.publish_status()

    def on_event(self, data: object) -> None:
        """Apply, ignore or resync on a pushed event."""
        self._pushes.on_event(data)

    # -- shared with SnapshotFetcher --------------------------------------------------------

    def flush_pushes(self) -> None:
        """Apply the pushed events waiting for the next frame now (before a REST decision)."""
        self._pushes.queue.flush()

    def apply(
        self,
        payload: Snapshot | Delta,
        source: str,
        form: str | None = None,
        *,
        emitted_at_ms: tuple[int, ...] = (),
        events: int = 1,
        body: object = None,
        cached_at: datetime | None = None,
    ) -> None:
        """Apply ``payload`` to the schedule and announce it.

        ``body`` is the REST body of a REST snapshot (saved as the offline cache); ``cached_at``
        the saved time of a snapshot from the offline cache (shown as cached, not confirmed).
        """
        if isinstance(payload, Snapshot):
            summary = self.schedule.replace(payload.items, payload.version)
        else:
            summary = self.schedule.apply_delta(payload.upserts, payload.deletes, payload.version)
        latencies = latencies_ms(emitted_at_ms)
        info = ApplyInfo(
            self.schedule.version, len(self.schedule), source, form or payload.form, summary,
            round(max(latencies)) if latencies else None, events, latencies,
        )  # fmt: skip
        self.observe(
            _log, "schedule_applied", unlogged={"latencies_ms": latencies}, **info.log_fields()
        )
        self.tracker.data(info.version, info.items, cached_at=cached_at)
        self.offline.applied(info, body)
        self.update_polling()
        self.scheduleApplied.emit(info)
        self.publish_status()

    def log_dropped(self, payload: Payload, source: str) -> None:
        """Warn about each item a payload dropped."""
        for reason in getattr(payload, "dropped", ()):
            self.observe(_log, "item_dropped", level=logging.WARNING, source=source, reason=reason)

    def update_polling(self) -> None:
        """While live, poll until a resync (or a push) has confirmed the data, then stop."""
        self.checker.follow(self._socket_up and self.tracker.synced)
        if not self._socket_up:
            return
        if self.tracker.synced:
            self.poll_timer.stop()
        elif not self.poll_timer.isActive():
            self.poll_timer.start()  # the next try one poll interval from now

    def publish_status(self) -> None:
        """Emit the current status, logging a change of state."""
        status: ConnectionStatus = self.tracker.status()
        if status.state is not self._last_state:
            self.observe(
                _log,
                "state_changed",
                state=status.state.value,
                previous=self._last_state.value,
                reason=status.reason,
            )
            self._last_state = status.state
        self.statusChanged.emit(status)

    # -- internals --------------------------------------------------------------------------

    def _local_date(self) -> date:
        return self.tracker.now().astimezone().date()

    def _tick(self) -> None:
        self.check_day()
        self.publish_status()

    def check_day(self) -> None:
        """Emit :attr:`dayChanged` if the local date changed since the last check."""
        today = self._local_date()
        if today != self._today:
            self._today = today
            self.dayChanged.emit()

    def _start_polling(self) -> None:
        if not self.poll_timer.isActive():
            self.poll_timer.start()
            self.request_snapshot("startup" if self._connections == 0 else "poll")

    async def _run_socket(self) -> None:
        # The supervisor never ends by itself; if a bug escapes it, report it, count it as a
        # failed attempt and start again, backing off so a persistent fault cannot spin.
        failures = 0
        while True:
            try:
                await self._supervisor.run()
            except Exception as exc:
                failures += 1
                self.tracker.attempt_failed(f"internal error: {type(exc).__name__}")
                self.publish_status()
                asyncio.get_running_loop().call_exception_handler(
                    {"message": "socket supervisor failed; restarting", "exception": exc}
                )
                pause = self.settings.reconnection_delay * 2 ** min(failures, 20)
                await asyncio.sleep(min(pause, self.settings.reconnect_series_pause))
