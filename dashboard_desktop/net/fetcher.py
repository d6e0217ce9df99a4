"""REST snapshot fetches for the sync service: one at a time, coalesced, with ETags.

Each fetch is logged as ``poll`` with its ``outcome`` and, for the metrics, its ``kind``
(:func:`outcome_kind`); a fetch for another reason than polling is also a ``resync``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from dashboard_desktop.core.protocol import PayloadError, parse_snapshot
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.sync import Action, SyncRules
from dashboard_desktop.net.consistency import REASON as CONSISTENCY
from dashboard_desktop.net.rest import FetchResult, Outcome, RestClient

if TYPE_CHECKING:
    from dashboard_desktop.net.sync import SyncService

_log = logging.getLogger(__name__)
_POLL_REASONS = frozenset({"poll", "startup"})


def outcome_kind(result: FetchResult) -> str:
    """A short, bounded name of how a fetch ended: ``ok``, ``not_modified``, ``unauthorized``,
    ``timeout``, ``connection``, ``tls``, ``http_3xx`` (a refused redirect), ``http_4xx``,
    ``http_5xx``, ``invalid_body`` or ``error``."""
    if result.outcome is not Outcome.ERROR:
        return str(result.outcome.value)
    error = result.error or ""
    status = result.http_status
    if status is not None and status != 200:
        return f"http_{status // 100}xx"
    if status == 200:
        return "invalid_body"
    if error.startswith("timed out"):
        return "timeout"
    if error.startswith("TLS"):
        return "tls"
    return "connection" if error.startswith("connection") else "error"


class SnapshotFetcher:
    """Runs REST fetches for :class:`SyncService`.

    At most one fetch is in flight; a request made meanwhile is remembered (the latest reason
    wins) and runs when the current one ends, so no change can slip between the two. The
    ``ETag`` of the applied snapshot is sent back only while that version is still shown.

    Args:
        rest: The REST client.
        rules: The version rules shared with the socket path.
        schedule: The schedule on screen.
        service: The owner, which applies snapshots and tracks status.
    """

    def __init__(
        self, rest: RestClient, rules: SyncRules, schedule: Schedule, service: SyncService
    ) -> None:
        self._rest = rest
        self._rules = rules
        self._schedule = schedule
        self._service = service
        self._task: asyncio.Task[None] | None = None
        self._pending: str | None = None
        self._etag: str | None = None
        self._etag_version: int | None = None
        self.fetches = 0

    @property
    def busy(self) -> bool:
        """True while a fetch is in flight or requested."""
        return self._task is not None and not self._task.done()

    def request(self, reason: str) -> None:
        """Fetch now, or right after the fetch in flight."""
        if self.busy:
            self._pending = reason
            return
        self._task = asyncio.ensure_future(self._run(reason))

    def close(self) -> None:
        """Cancel the fetch in flight (its thread finishes alone) and stop the worker."""
        self._pending = None
        if self._task is not None:
            self._task.cancel()
        self._rest.close()

    async def _run(self, reason: str) -> None:
        while True:
            try:
                await self._fetch_once(reason)
            except Exception as exc:
                self._service.tracker.polled(False, f"internal error: {type(exc).__name__}")
                asyncio.get_running_loop().call_exception_handler(
                    {"message": "REST fetch failed", "exception": exc}
                )
            self._service.update_polling()
            if self._pending is None:
                return
            reason, self._pending = self._pending, None

    async def _fetch_once(self, reason: str) -> None:
        if reason not in _POLL_REASONS:
            self._service.observe(_log, "resync", reason=reason)
        ticket = self._rules.begin_fetch()
        shown = self._schedule.version
        # A consistency check needs the body: a 304 confirms the version, not the content.
        same = shown is not None and shown == self._etag_version and reason != CONSISTENCY
        etag = self._etag if same else None
        self.fetches += 1
        result = await self._rest.fetch(etag)
        if result.server_date is not None:
            self._service.serverDateSeen.emit(result.server_date)
        self._log_result(result, reason)
        if result.outcome is Outcome.OK:
            self._take(result, ticket, reason)
        elif result.outcome is Outcome.NOT_MODIFIED:
            self._service.tracker.polled(True, "not modified")
        else:
            refused = result.outcome is Outcome.UNAUTHORIZED
            self._service.tracker.polled(False, result.error or "error", auth_refused=refused)
        self._service.publish_status()

    def _take(self, result: FetchResult, ticket: int, reason: str) -> None:
        try:
            snapshot = parse_snapshot(result.body, self._service.settings.max_items)
        except PayloadError as exc:
            self._service.observe(
                _log, "payload_rejected", level=logging.WARNING, source="rest", reason=str(exc)
            )
            self._service.tracker.polled(False, f"invalid snapshot: {exc}")
            return
        self._service.log_dropped(snapshot, "rest")
        self._service.tracker.polled(True, "snapshot received")
        self._service.flush_pushes()  # the version rules compare with what is really shown
        decision = self._rules.decide_fetched(snapshot, ticket, self._schedule.version)
        if decision.action is not Action.APPLY:
            self._service.observe(
                _log, "snapshot_ignored", reason=decision.reason, version=snapshot.version
            )
            if reason == CONSISTENCY:
                self._service.checker.skipped("shown newer")
            return
        self._service.checker.check(snapshot, reason)
        form = "hint" if reason == "hint" else "snapshot"
        self._service.apply(snapshot, "rest", form=form, body=result.body)
        self._etag, self._etag_version = result.etag, snapshot.version

    def _log_result(self, result: FetchResult, reason: str) -> None:
        outcome = "error" if result.outcome is Outcome.UNAUTHORIZED else result.outcome.value
        fields: dict[str, Any] = {"outcome": outcome, "reason": reason}
        fields["kind"] = outcome_kind(result)
        if result.http_status is not None:
            fields["http_status"] = result.http_status
        if result.error:
            fields["error"] = result.error
        ok = result.outcome in (Outcome.OK, Outcome.NOT_MODIFIED)
        level = logging.INFO if ok else logging.WARNING
        self._service.observe(_log, "poll", level=level, **fields)
