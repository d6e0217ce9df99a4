"""The sync service's offline cache: the last good snapshot on screen at once after a restart.

:class:`OfflineCache` loads the cache file when the service starts, before anything connects,
and applies it with source ``cache``; the status then says the data are cached, with their
saved time, and stale until fresh data arrive. After that it keeps the file current:

- a REST snapshot that changed what is shown is saved as served, at once;
- pushed updates make the file out of date: it is rewritten from the schedule at most once per
  ``max(poll_interval, MIN_SAVE_INTERVAL)``, so a 50,000-row schedule under a steady stream of
  deltas costs one 12 MB write per interval, not one per delta;
- on stop an out-of-date file is rewritten, waiting at most :data:`CLOSE_TIMEOUT`.

Writes run in a daemon thread and are coalesced: a save requested while one is being written
replaces any other waiting save, so only the latest state reaches the disk. There is no cache
with ``offline_cache`` off, nor with ``--demo`` (its backend's data and port are new each run).
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from dashboard_desktop.config import Settings
from dashboard_desktop.log import log_event
from dashboard_desktop.net.cache import SnapshotCache, snapshot_body
from dashboard_desktop.net.updates import ApplyInfo

if TYPE_CHECKING:
    from dashboard_desktop.net.sync import SyncService

__all__ = ["CLOSE_TIMEOUT", "MIN_SAVE_INTERVAL", "OfflineCache"]

MIN_SAVE_INTERVAL = 10.0
CLOSE_TIMEOUT = 2.0
_CLOSE_POLL = 0.02
_log = logging.getLogger(__name__)

_Job = tuple[Callable[[], object], int | None, datetime]


class _Writer:
    """Saves in a daemon thread of its own, only the latest job waiting; never raises."""

    def __init__(self, cache: SnapshotCache) -> None:
        self._cache = cache
        self._lock = threading.Lock()
        self._job: _Job | None = None
        self._idle = threading.Event()
        self._idle.set()

    @property
    def idle(self) -> bool:
        """True when nothing is being written or waiting."""
        return self._idle.is_set()

    def submit(self, job: _Job) -> None:
        """Write ``job`` (body factory, version, saved time) after the write in progress."""
        with self._lock:
            start = self._idle.is_set()
            self._job = job
            self._idle.clear()
        if start:
            threading.Thread(target=self._run, name="cache-writer", daemon=True).start()

    def wait(self, timeout: float) -> bool:
        """Block until idle, at most ``timeout`` seconds; True if idle."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._job = self._job, None
                if job is None:
                    self._idle.set()
                    return
            make_body, version, saved_at = job
            try:
                body = make_body()
            except Exception as exc:  # never let a cache write reach the error banner
                error = f"{type(exc).__name__}: {exc}"
                log_event(_log, "cache_save_failed", level=logging.WARNING, error=error)
                continue
            self._cache.save(body, version, saved_at)


class OfflineCache:
    """Restores the last good snapshot at start-up and keeps the cache file current.

    Args:
        settings: ``offline_cache``, ``cache_dir``, ``demo``, ``poll_interval``, the server.
        service: The sync service whose schedule is cached.
    """

    def __init__(self, settings: Settings, service: SyncService) -> None:
        self._service = service
        enabled = settings.offline_cache and not settings.demo
        self.cache = SnapshotCache.for_settings(settings) if enabled else None
        self._writer = _Writer(self.cache) if self.cache is not None else None
        self._interval = max(settings.poll_interval, MIN_SAVE_INTERVAL)
        self._dirty = False  # the schedule changed since the file was last saved or loaded
        self._saved_version: int | None = None
        self._last_save = -math.inf
        self._timer = QTimer(service)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save_shown)

    @property
    def busy(self) -> bool:
        """True while a save is being written or waits for the write in progress."""
        return self._writer is not None and not self._writer.idle

    def restore(self) -> bool:
        """Apply the cached snapshot, if a usable one exists; True if it was applied."""
        if self.cache is None:
            return False
        cached = self.cache.load()
        if cached is None:
            return False
        snapshot = cached.snapshot
        log_event(
            _log, "cache_loaded", path=str(self.cache.path),
            version=snapshot.version, items=len(snapshot.items),
            saved_at=cached.saved_at.isoformat(),
        )  # fmt: skip
        self._service.log_dropped(snapshot, "cache")
        self._service.apply(snapshot, "cache", cached_at=cached.saved_at)
        self._dirty, self._saved_version = False, snapshot.version
        return True

    def applied(self, info: ApplyInfo, body: object = None) -> None:
        """Note an applied update; ``body`` is the REST body of an applied REST snapshot."""
        if self._writer is None or info.source == "cache":
            return
        if not (self._dirty or not info.summary.empty or info.version != self._saved_version):
            return  # the file already holds what is shown
        self._dirty = True
        if body is not None:
            self._save(lambda: body, info.version)
        elif not self._timer.isActive():
            delay = max(0.0, self._last_save + self._interval - time.monotonic())
            self._timer.start(math.ceil(delay * 1000))

    async def close(self) -> None:
        """Save what is shown if the file is out of date; wait for the writes (bounded)."""
        self._timer.stop()
        if self._writer is None:
            return
        if self._dirty:
            self._save_shown()
        deadline = time.monotonic() + CLOSE_TIMEOUT
        while not self._writer.idle and time.monotonic() < deadline:
            await asyncio.sleep(_CLOSE_POLL)  # no executor thread just to wait for another

    def _save_shown(self) -> None:
        schedule = self._service.schedule
        items, version = tuple(schedule.items), schedule.version
        self._save(lambda: snapshot_body(items, version), version)

    def _save(self, make_body: Callable[[], object], version: int | None) -> None:
        assert self._writer is not None
        self._timer.stop()
        self._dirty, self._saved_version = False, version
        self._last_save = time.monotonic()
        tracker = self._service.tracker
        saved_at = tracker.status().confirmed_at or tracker.now()
        self._writer.submit((make_body, version, saved_at))
