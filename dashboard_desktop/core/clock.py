"""The clock check: "now" from the server's clock when the local one is more than a minute off.

:class:`ServerClock` is fed the ``Date`` header of each HTTP response together with the local
time it arrived at. The header has one-second resolution and is taken as is (up to a second
early, plus the response's transit time: far below the tolerance). The offset is the median
of the last few samples, so one odd response (e.g. a cached one carrying an old ``Date``) does
not move it. While the offset exceeds the tolerance the clock is *skewed* and :meth:`now`
answers the local time plus the offset; otherwise it answers the local time.

The offset is measured again with every response (each poll while the socket is down, each
resync). A local clock that is stepped between two responses (e.g. NTP catching up) shifts
:meth:`now` by the step until the next samples have replaced the old ones.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from dashboard_desktop.core.status import utc_now

Clock = Callable[[], datetime]

TOLERANCE = timedelta(minutes=1)
SAMPLES = 5


class ServerClock:
    """The local clock, corrected to the server's when they differ by more than a tolerance.

    Args:
        local: The local clock (aware).
        tolerance: The largest difference that is ignored.
        samples: How many recent samples the offset is the median of.
    """

    def __init__(
        self, local: Clock = utc_now, tolerance: timedelta = TOLERANCE, samples: int = SAMPLES
    ) -> None:
        self.local = local
        self.tolerance = tolerance
        self._offsets: deque[timedelta] = deque(maxlen=samples)
        self._offset: timedelta | None = None

    def observe(self, local_now: datetime, server_date: datetime) -> None:
        """Record that the server's clock read ``server_date`` at local time ``local_now``.

        A naive ``server_date`` (``Date: ... -0000``) is taken as UTC.
        """
        if server_date.tzinfo is None:
            server_date = server_date.replace(tzinfo=UTC)
        self._offsets.append(server_date - local_now)
        self._offset = statistics.median_low(self._offsets)

    @property
    def offset(self) -> timedelta | None:
        """Server time minus local time (the median of the samples), or ``None`` before any."""
        return self._offset

    @property
    def skewed(self) -> bool:
        """True when the local clock differs from the server's by more than the tolerance."""
        return self._offset is not None and abs(self._offset) > self.tolerance

    @property
    def skew(self) -> timedelta | None:
        """The offset, in whole seconds, while :attr:`skewed`; ``None`` otherwise."""
        if self._offset is None or not self.skewed:
            return None
        return timedelta(seconds=round(self._offset.total_seconds()))

    def now(self) -> datetime:
        """The current time: the server's while :attr:`skewed`, else the local clock's."""
        local = self.local()
        offset = self._offset
        if offset is not None and abs(offset) > self.tolerance:
            return local + offset
        return local
