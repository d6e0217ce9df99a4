"""The version rules of protocol.md section 1: what to do with each pushed or fetched payload.

:class:`SyncRules` is pure bookkeeping. The caller shows it the version on screen and a payload;
it answers apply, ignore (duplicate or late) or resync (fetch a REST snapshot), with a reason
that goes into the logs and metrics.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dashboard_desktop.core.protocol import Delta, Hint, Payload, Snapshot


class Action(enum.Enum):
    """What to do with a payload."""

    APPLY = "apply"
    IGNORE = "ignore"
    RESYNC = "resync"


@dataclass(frozen=True, slots=True)
class Decision:
    """An :class:`Action` and why."""

    action: Action
    reason: str


def _not_newer(version: int, shown: int | None) -> Decision | None:
    if shown is None or version > shown:
        return None
    return Decision(Action.IGNORE, "duplicate" if version == shown else "stale")


class SyncRules:
    """Decides between apply, ignore and resync for pushed events and REST snapshots.

    A REST snapshot is authoritative (it may even lower the version, as after a backend
    restart) unless a newer version arrived over the socket while it was being fetched; the
    caller brackets each fetch with :meth:`begin_fetch` and :meth:`decide_fetched`.
    """

    def __init__(self) -> None:
        self._pushes_applied = 0

    def decide_push(self, payload: Payload, shown: int | None) -> Decision:
        """Decide what to do with a payload pushed over the socket."""
        if isinstance(payload, Hint):
            return Decision(Action.RESYNC, "hint")
        if payload.version is None:
            if isinstance(payload, Snapshot):
                return Decision(Action.APPLY, "unversioned snapshot")
            return Decision(Action.RESYNC, "unversioned delta")
        ignore = _not_newer(payload.version, shown)
        if ignore is not None:
            return ignore
        if isinstance(payload, Delta) and (shown is None or payload.base_version != shown):
            return Decision(Action.RESYNC, "gap")
        return Decision(Action.APPLY, payload.form)

    def push_applied(self) -> None:
        """Record that a pushed payload was applied."""
        self._pushes_applied += 1

    def begin_fetch(self) -> int:
        """Return a ticket to pass to :meth:`decide_fetched` when the fetch completes."""
        return self._pushes_applied

    def decide_fetched(self, snapshot: Snapshot, ticket: int, shown: int | None) -> Decision:
        """Decide what to do with a REST snapshot whose fetch began at ``ticket``."""
        pushed_meanwhile = self._pushes_applied != ticket
        newer_shown = (
            shown is not None and snapshot.version is not None and shown > snapshot.version
        )
        if pushed_meanwhile and newer_shown:
            return Decision(Action.IGNORE, "newer version arrived over the socket")
        return Decision(Action.APPLY, "rest snapshot")
