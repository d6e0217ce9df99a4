"""Pushed events for the sync service: parse, decide by the version rules, fold, resync.

:class:`PushHandler` receives each argument of the schedule event (``SyncService.on_event``),
logs it as ``event_received`` (debug), and either folds it into the frame-paced
:class:`~dashboard_desktop.net.updates.PushQueue`, asks for a REST resync (gap, hint,
unversioned delta) or ignores it (duplicate, stale; a stale version also asks REST, at most once
per poll interval, since a restarted backend counts from 1 again: a stale push inside that
interval is checked when it ends).
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from dashboard_desktop.core.coalesce import Folded
from dashboard_desktop.core.protocol import Hint, PayloadError, parse_payload
from dashboard_desktop.core.sync import Action, SyncRules
from dashboard_desktop.net.updates import PushQueue

if TYPE_CHECKING:
    from dashboard_desktop.net.sync import SyncService

_log = logging.getLogger(__name__)


class PushHandler:
    """Handles the pushed events of one :class:`SyncService`.

    Args:
        service: The owner: applies updates, fetches snapshots, logs and records.
        rules: The version rules shared with the REST side.
    """

    def __init__(self, service: SyncService, rules: SyncRules) -> None:
        self._service = service
        self._rules = rules
        self.queue = PushQueue(service.settings.max_update_rate, self._apply, service)
        self._older_check_after = 0.0
        # A stale push inside the rate limit is checked when the limit ends, not dropped: after
        # a bogus far-ahead version the next real push may be the last one for a while.
        self._older_check = QTimer(service)
        self._older_check.setSingleShot(True)
        self._older_check.timeout.connect(self._check_older)

    def on_event(self, data: object) -> None:
        """Apply, ignore or resync on a pushed event."""
        service = self._service
        try:
            payload = parse_payload(data, service.settings.max_items)
        except PayloadError as exc:
            service.observe(
                _log, "payload_rejected", level=logging.WARNING, source="socket", reason=str(exc)
            )
            return
        service.observe(_log, "event_received", level=logging.DEBUG, form=payload.form)
        service.log_dropped(payload, "socket")
        decision = self._rules.decide_push(payload, self.queue.version(service.schedule.version))
        if decision.action is Action.APPLY and not isinstance(payload, Hint):
            self._rules.push_applied()
            self.queue.push(payload)
        elif decision.action is Action.RESYNC:
            service.request_snapshot(decision.reason)
        else:
            if decision.reason == "stale":
                self._check_older_soon()
            service.observe(
                _log,
                "event_ignored",
                reason=decision.reason,
                version=payload.version,
                shown=service.schedule.version,
            )

    def stop(self) -> None:
        """Drop the waiting pushes and the pending check of an older version."""
        self.queue.clear()
        self._older_check.stop()

    def _check_older_soon(self) -> None:
        """Late, or the backend restarted and counts from 1 again: REST decides. At most once
        per poll interval, or late events behind a fresh snapshot feed a storm; a push inside
        that interval is checked when it ends."""
        wait = self._older_check_after - time.monotonic()
        if wait <= 0:
            self._check_older()
        elif not self._older_check.isActive():
            self._older_check.start(math.ceil(wait * 1000))

    def _check_older(self) -> None:
        self._older_check_after = time.monotonic() + self._service.settings.poll_interval
        self._service.request_snapshot("older version pushed")

    def _apply(self, folded: Folded) -> None:
        self._service.apply(
            folded.payload, "socket", emitted_at_ms=folded.emitted_at_ms, events=folded.events
        )
