"""Applied updates and the frame-paced queue of pushed ones.

:class:`PushQueue` is the Qt side of :mod:`dashboard_desktop.core.coalesce`: it folds pushed
payloads and applies them through a callback, at once when the last update is a frame old,
otherwise when a single-shot ``QTimer`` ends the frame. :class:`ApplyInfo` describes one
applied update; the sync service logs it as ``schedule_applied`` (:meth:`ApplyInfo.log_fields`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer

from dashboard_desktop.core.coalesce import Folded, PendingUpdate, UpdatePacer
from dashboard_desktop.core.protocol import Delta, Snapshot
from dashboard_desktop.core.schedule import ChangeSummary


@dataclass(frozen=True, slots=True)
class ApplyInfo:
    """What one applied update did.

    Attributes:
        version: The version shown after the update.
        items: Rows shown after the update.
        source: ``socket``, ``rest`` (or ``cache``).
        form: ``snapshot``, ``delta`` or ``hint``.
        summary: The row edits.
        latency_ms: Whole milliseconds from the oldest folded event's ``emitted_at_ms`` to the
            moment the update was applied; ``None`` when no event carried ``emitted_at_ms``.
        events: How many pushed events the update folded (1 for a REST snapshot).
        latencies_ms: The latency of each folded event that carried ``emitted_at_ms``, in
            milliseconds (wall clock against the server's stamp, which has millisecond
            resolution).
    """

    version: int | None
    items: int
    source: str
    form: str
    summary: ChangeSummary
    latency_ms: int | None = None
    events: int = 1
    latencies_ms: tuple[float, ...] = ()

    def log_fields(self) -> dict[str, Any]:
        """The fields of its ``schedule_applied`` log line."""
        summary = self.summary
        fields: dict[str, Any] = dict(
            version=self.version, items=self.items, source=self.source, form=self.form,
            events=self.events, inserted=summary.inserted, removed=summary.removed,
            changed=summary.changed, moved=summary.moved,
        )  # fmt: skip
        if self.latency_ms is not None:
            fields["latency_ms"] = self.latency_ms
        return fields


def latencies_ms(emitted_at_ms: tuple[int, ...]) -> tuple[float, ...]:
    """Milliseconds from each ``emitted_at_ms`` to now (wall clock, as the server stamps)."""
    now_ms = time.time() * 1000
    return tuple(now_ms - emitted for emitted in emitted_at_ms)


class PushQueue:
    """Pushed payloads waiting for the next update, at most ``max_rate`` updates a second.

    Args:
        max_rate: Updates per second (0: every payload is applied as it arrives).
        apply: Called with each folded update.
        parent: Parent of the frame timer.
    """

    def __init__(self, max_rate: float, apply: Callable[[Folded], None], parent: QObject) -> None:
        self._pending = PendingUpdate()
        self._pacer = UpdatePacer(max_rate)
        self._apply = apply
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.flush)

    def version(self, shown: int | None) -> int | None:
        """The version shown once the pending payloads are applied."""
        return self._pending.version if self._pending else shown

    def push(self, payload: Snapshot | Delta) -> None:
        """Fold ``payload`` in; apply now if the last update is a frame old."""
        self._pending.add(payload)
        delay = self._pacer.delay(time.monotonic())
        if delay <= 0:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(math.ceil(delay * 1000))

    def flush(self) -> None:
        """Apply the pending payloads now, if any."""
        self._timer.stop()
        if self._pending:
            self._pacer.applied(time.monotonic())
            self._apply(self._pending.take())

    def clear(self) -> None:
        """Drop the pending payloads (on shutdown)."""
        self._timer.stop()
        self._pending = PendingUpdate()
