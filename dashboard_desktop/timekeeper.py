"""``Timekeeper``: moves the schedule's "now" along with one single-shot timer, never polling.

The timer is set to the earlier of the moment the next row changes state
(:meth:`Timeline.next_change <dashboard_desktop.core.timeline.Timeline.next_change>`) and the
next minute boundary (for "n minutes ago" texts and the day's end), so an idle schedule costs
one wake-up a minute. It is a precise timer: a coarse one may fire 5 % late, three seconds on a
minute. "Now" is :meth:`ServerClock.now <dashboard_desktop.core.clock.ServerClock.now>`: the
server's time when the local clock is more than a minute off.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from dashboard_desktop.core.clock import ServerClock
from dashboard_desktop.core.status import ConnectionStatus
from dashboard_desktop.core.timeline import Timeline

_MINUTE = timedelta(minutes=1)
_MAX_WAIT_MS = 60_000


def next_minute(now: datetime) -> datetime:
    """The first whole minute after ``now``."""
    return now.replace(second=0, microsecond=0) + _MINUTE


class Timekeeper(QObject):
    """Keeps a :class:`Timeline` at the current time and tells who needs repainting.

    Call :meth:`refresh` after every schedule change (``SyncService.scheduleApplied``), feed
    :meth:`follow_status` every ``ConnectionStatus`` (for the rows that may have changed since
    the last confirmation) and :meth:`observe_server_date` every HTTP ``Date`` header.
    Confirmation times must come from the same clock as "now": build the ``StatusTracker``
    with ``ServerClock.now``.

    Signals:
        timelineChanged(list): The keys (``list[str]``) of the rows whose state changed; for
            ``ScheduleTableModel.timeline_changed``. Not emitted when none changed.
        minuteChanged(): A minute boundary passed ("n minutes ago" texts are due).
        outdatedChanged(object, object): ``(day, today)``: the local date of the schedule's
            last end when every row ended before today ("yesterday's schedule"), else
            ``None``; and today's date (``datetime.date``). Emitted when either changes
            (today only while outdated).
        clockSkewChanged(object): The local clock's offset from the server's
            (``timedelta``, server minus local, whole seconds) while it is more than a minute,
            or ``None``.

    Args:
        timeline: The timeline to move along.
        clock: Where "now" comes from.
        parent: The Qt parent.
    """

    timelineChanged = Signal(list)
    minuteChanged = Signal()
    outdatedChanged = Signal(object, object)
    clockSkewChanged = Signal(object)

    def __init__(
        self, timeline: Timeline, clock: ServerClock, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.clock = clock
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.refresh)
        self._confirmed: datetime | None = None
        self._minute = next_minute(timeline.moment.now)
        self.outdated: date | None = None
        self._today: date | None = None
        self.skew: timedelta | None = None
        self.due: datetime | None = None  # when the timer is set to fire

    def start(self) -> None:
        """Bring the timeline to now and start the timer."""
        self.refresh()

    def stop(self) -> None:
        """Stop the timer."""
        self.timer.stop()
        self.due = None

    def refresh(self) -> None:
        """Bring the timeline to now, say what changed and set the timer again."""
        now = self.clock.now()
        changed = self.timeline.advance(now, self._confirmed)
        if changed:
            self.timelineChanged.emit(sorted(changed))
        if now >= self._minute or now < self._minute - _MINUTE:  # also: the clock went back
            self._minute = next_minute(now)
            self.minuteChanged.emit()
        self._check_outdated(now)
        self._arm(now)

    def _check_outdated(self, now: datetime) -> None:
        day = self.timeline.outdated()
        today = now.astimezone().date()
        seen = (day, today if day is not None else None)  # today matters only while outdated
        if seen != (self.outdated, self._today):
            self.outdated, self._today = seen
            self.outdatedChanged.emit(day, today)

    def follow_status(self, status: ConnectionStatus) -> None:
        """Take the data's last confirmation from ``status`` (``SyncService.statusChanged``).

        While live and in sync, ``StatusTracker`` reports ``confirmed_at == now``: the data
        count as confirmed continuously, and no row is flagged.
        """
        confirmed = status.confirmed_at
        if confirmed is not None and confirmed >= status.now:
            confirmed = None
        if confirmed != self._confirmed:
            self._confirmed = confirmed
            self.refresh()

    def observe_server_date(self, server_date: datetime, received: datetime | None = None) -> None:
        """Check the local clock against a response's ``Date`` header.

        Args:
            server_date: The header's time.
            received: The local time the response arrived (default: now).
        """
        self.clock.observe(received or self.clock.local(), server_date)
        skew = self.clock.skew
        if skew != self.skew:
            self.skew = skew
            self.clockSkewChanged.emit(skew)
        self.refresh()  # "now" may have moved

    def _arm(self, now: datetime) -> None:
        due = next_minute(now)
        change = self.timeline.next_change()
        if change is not None and change < due:
            due = change
        wait_ms = math.ceil((due - now).total_seconds() * 1000)
        self.due = due
        self.timer.start(min(max(wait_ms, 0), _MAX_WAIT_MS))
