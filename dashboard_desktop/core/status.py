"""Which mode the screen is in, and how old its data is.

:class:`StatusTracker` is fed the facts (socket connected or lost, connection attempts,
authorization refusals, REST outcomes, data applied) and derives one
:class:`ConnectionStatus` at a given time:

- ``CONNECTING``: start-up, before the first connection attempt has failed or succeeded.
- ``LIVE``: the Socket.IO channel is connected; pushed changes arrive as they happen.
- ``RECONNECTING``: the channel is down and being retried; REST has not confirmed data yet.
- ``POLLING``: the channel is down but the last REST poll succeeded.
- ``OFFLINE``: the channel is down, a retry has failed and the last REST poll failed too.
- ``UNAUTHORIZED``: the server refused the token (on connect or on REST).

Data are *stale* when not live (or live but not yet resynchronised after connecting) and either
the last poll failed or the last confirmation is older than twice the poll interval. Data
shown from the offline cache are *cached*: stale, and as old as their saved time, until fresh
data replace them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock: the current time, timezone-aware UTC."""
    return datetime.now(UTC)


class ConnectionState(enum.Enum):
    """The mode of the screen; see the module docstring."""

    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    POLLING = "polling"
    OFFLINE = "offline"
    UNAUTHORIZED = "unauthorized"


@dataclass(frozen=True, slots=True)
class ConnectionStatus:
    """Everything the status bar shows, at time ``now``.

    ``cached``: the data come from the offline cache, saved at ``confirmed_at``.
    """

    state: ConnectionState
    now: datetime
    attempt: int
    max_attempts: int
    poll_interval: float
    last_poll_at: datetime | None
    confirmed_at: datetime | None
    version: int | None
    item_count: int
    stale: bool
    reason: str
    cached: bool = False

    @property
    def age(self) -> timedelta | None:
        """How long ago the data were last confirmed."""
        return None if self.confirmed_at is None else self.now - self.confirmed_at


class StatusTracker:
    """Derives :class:`ConnectionStatus` from connection and data facts.

    Args:
        poll_interval: Seconds between fallback polls.
        max_attempts: Attempts per series of reconnections.
        clock: Returns the current aware time.
    """

    def __init__(self, poll_interval: float, max_attempts: int, clock: Clock = utc_now) -> None:
        self.poll_interval = poll_interval
        self.max_attempts = max_attempts
        self._clock = clock
        self._connected = False
        self._synced = False
        self._started = False  # left CONNECTING: connected once, or an attempt failed
        self._attempt = 0
        self._attempt_failed_in_outage = False
        self._poll_ok: bool | None = None
        self._last_poll_at: datetime | None = None
        self._socket_refused = False
        self._rest_refused = False
        self._confirmed_at: datetime | None = None
        self._version: int | None = None
        self._items = 0
        self._cached = False
        self.reason = "starting"

    def now(self) -> datetime:
        """The tracker's current time."""
        return self._clock()

    def attempting(self, attempt: int) -> None:
        """A connection attempt (0 = the first at start-up) is starting."""
        self._attempt = attempt

    def connected(self) -> None:
        """The Socket.IO channel is up; the data count as confirmed once a resync succeeds."""
        self._connected = True
        self._synced = False
        self._started = True
        self._socket_refused = False
        self._attempt = 0
        self.reason = "connected"

    def lost(self, reason: str) -> None:
        """The Socket.IO channel went down."""
        if self._in_sync:
            self._confirm()
        self._connected = False
        self._synced = False
        self._attempt_failed_in_outage = False
        self._poll_ok = None
        self.reason = reason

    def attempt_failed(self, reason: str, *, auth_refused: bool = False) -> None:
        """A connection attempt failed, possibly because the server refused the token."""
        self._started = True
        self._attempt_failed_in_outage = True
        self._socket_refused = auth_refused
        self.reason = reason

    def polled(self, ok: bool, reason: str, *, auth_refused: bool = False) -> None:
        """A REST fetch finished; ``ok`` covers 200 and 304."""
        self._last_poll_at = self._clock()
        self._poll_ok = ok
        self._rest_refused = auth_refused
        # A fetch that failed leaves the data unconfirmed (a gap or hint may have asked for it).
        self._synced = ok
        if ok and not self._cached:  # a poll confirms what is shown, not the offline cache
            self._confirm()
        if not self._connected or not ok:
            self.reason = reason

    def data(self, version: int | None, items: int, *, cached_at: datetime | None = None) -> None:
        """New data are on screen; ``cached_at``: from the offline cache, saved at that time."""
        self._version = version
        self._items = items
        self._cached = cached_at is not None
        self._synced = not self._cached
        if cached_at is None:
            self._confirm()
        else:
            self._confirmed_at = cached_at

    def _confirm(self) -> None:
        self._confirmed_at = self._clock()

    @property
    def _in_sync(self) -> bool:
        """Live, and a REST snapshot or a push has confirmed the data since connecting."""
        return self._connected and self._synced and not self._cached

    @property
    def synced(self) -> bool:
        """False while live but the resync after connecting has not succeeded yet (or while
        the offline cache is shown)."""
        return self._synced and not self._cached

    def _state(self) -> ConnectionState:
        if self._socket_refused or self._rest_refused:
            return ConnectionState.UNAUTHORIZED
        if self._connected:
            return ConnectionState.LIVE
        if not self._started:
            return ConnectionState.CONNECTING
        if self._poll_ok:
            return ConnectionState.POLLING
        if self._poll_ok is False and self._attempt_failed_in_outage:
            return ConnectionState.OFFLINE
        return ConnectionState.RECONNECTING

    def _is_stale(self, now: datetime) -> bool:
        if self._in_sync:
            return False
        if self._cached or self._confirmed_at is None or self._poll_ok is False:
            return True
        return now - self._confirmed_at > timedelta(seconds=2 * self.poll_interval)

    def status(self) -> ConnectionStatus:
        """Return the status now."""
        now = self._clock()
        return ConnectionStatus(
            state=self._state(),
            now=now,
            attempt=self._attempt,
            max_attempts=self.max_attempts,
            poll_interval=self.poll_interval,
            last_poll_at=self._last_poll_at,
            confirmed_at=now if self._in_sync else self._confirmed_at,
            version=self._version,
            item_count=self._items,
            stale=self._is_stale(now),
            reason=self.reason,
            cached=self._cached,
        )
