"""Consistency checks: is the schedule kept up by pushes the one REST serves?

:class:`ConsistencyChecker` compares, after every REST resync and every
``consistency_interval`` minutes while live (a ``QTimer``; 0 = only after resyncs), the items
shown with a REST snapshot *of the same version*, by their content hashes
(:mod:`dashboard_desktop.core.consistency`). The fetcher calls :meth:`ConsistencyChecker.check`
after it has flushed the pushes waiting for the next frame and the version rules have accepted
the snapshot, just before applying it, so both sides describe one version:

- same version, same hash: ``consistency_checked``;
- same version, another hash: ``consistency_mismatch`` (warning, with the differing ids, at
  most :data:`~dashboard_desktop.core.consistency.MAX_LISTED_IDS`); the fetcher then applies
  the snapshot, which repairs the schedule;
- another version: no check. A newer snapshot is an ordinary update; an older one is either
  dropped by the version rules (a newer push arrived during the fetch) or, with no push
  meanwhile, the backend restarted. Only a periodic check says so (``consistency_skipped``),
  since for a resync that is the normal case.

A periodic check is a fetch with reason ``consistency`` that never sends ``If-None-Match``: a
``304`` would confirm the version, not the content.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from dashboard_desktop.core.consistency import ItemDigests, compare
from dashboard_desktop.core.protocol import Snapshot

if TYPE_CHECKING:
    from dashboard_desktop.net.sync import SyncService

__all__ = ["REASON", "ConsistencyChecker"]

REASON = "consistency"
_log = logging.getLogger(__name__)


class ConsistencyChecker:
    """Compares fetched snapshots with the schedule shown, and times the periodic checks.

    Args:
        service: The owner: its schedule, ``consistency_interval``, logging and fetches.
        digests: The item digests of the schedule shown (shared with the health endpoint).
    """

    def __init__(self, service: SyncService, digests: ItemDigests) -> None:
        self._service = service
        self.digests = digests
        minutes = service.settings.consistency_interval
        self._timer = QTimer(service)
        self._timer.setInterval(round(minutes * 60_000))
        self._timer.timeout.connect(lambda: service.request_snapshot(REASON))
        self._enabled = minutes > 0

    @property
    def scheduled(self) -> bool:
        """True while a periodic check is due (live, resynchronised, interval above 0)."""
        return self._timer.isActive()

    def follow(self, live_and_synced: bool) -> None:
        """Time the periodic checks only while live and resynchronised."""
        if not live_and_synced:
            self._timer.stop()
        elif self._enabled and not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """No more periodic checks."""
        self._timer.stop()

    def check(self, snapshot: Snapshot, reason: str) -> None:
        """Compare ``snapshot`` (about to be applied) with the schedule, if of its version."""
        schedule = self._service.schedule
        if snapshot.version is None or schedule.version != snapshot.version:
            if reason == REASON:
                newer = schedule.version is None or (
                    snapshot.version is not None and snapshot.version > schedule.version
                )
                self.skipped("snapshot newer" if newer else "other version")
            return
        shown = self.digests.of(schedule.items, remember=True)
        result = compare(shown, self.digests.of(snapshot.items))
        fields: dict[str, Any] = {
            "version": snapshot.version,
            "items": len(shown),
            "reason": reason,
        }
        if result.match:
            self._service.observe(_log, "consistency_checked", hash=result.shown_digest, **fields)
        else:
            self._service.observe(
                _log, "consistency_mismatch", level=logging.WARNING,
                differing=len(result.differing), ids=result.listed(),
                shown_hash=result.shown_digest, rest_hash=result.reference_digest, **fields,
            )  # fmt: skip
        if self._timer.isActive():
            self._timer.start()  # the next periodic check one interval after this one

    def skipped(self, why: str) -> None:
        """A periodic check could not compare (the versions differ)."""
        self._service.observe(_log, "consistency_skipped", reason=why)
