"""Timekeeper: one precise single-shot timer at the next change, repainting only changed rows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtTest import QSignalSpy

from dashboard_desktop.core.clock import ServerClock
from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.core.timeline import Phase, Timeline
from dashboard_desktop.timekeeper import Timekeeper, next_minute
from dashboard_desktop.ui.model import ScheduleTableModel

T0 = datetime(2026, 11, 27, 16, 0, 20, tzinfo=UTC)
GRACE = timedelta(minutes=15)


class RunningClock:
    """A local clock set to a chosen time that then runs at real speed (as QTimer waits)."""

    def __init__(self, start: datetime = T0) -> None:
        self.set(start)

    def set(self, when: datetime) -> None:
        self._origin, self._base = when, time.monotonic()

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=time.monotonic() - self._base)


class FrozenClock:
    """A local clock that stands still."""

    def __init__(self, start: datetime = T0) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current


class Applier(QObject):
    """Stands in for SyncService: a signal with an argument, like ``scheduleApplied``."""

    applied = Signal(object)


def make(key: str, start: timedelta, end: timedelta | None = None) -> Item:
    data: dict[str, Any] = {"id": key, "title": key, "start": (T0 + start).isoformat()}
    if end is not None:
        data["end"] = (T0 + end).isoformat()
    return parse_item(data)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def ms(value: float) -> timedelta:
    return timedelta(milliseconds=value)


def status(now: datetime, confirmed_at: datetime | None) -> ConnectionStatus:
    return ConnectionStatus(
        state=ConnectionState.POLLING,
        now=now,
        attempt=0,
        max_attempts=60,
        poll_interval=30.0,
        last_poll_at=now,
        confirmed_at=confirmed_at,
        version=1,
        item_count=1,
        stale=False,
        reason="test",
    )


class Rig:
    """A schedule, its timeline, a model showing it and a timekeeper on a given clock."""

    def __init__(self, local: Any, items: list[Item]) -> None:
        self.schedule = Schedule()
        self.schedule.replace(items, 1)
        self.clock = ServerClock(local.now)
        self.timeline = Timeline(self.schedule, self.clock.now(), grace=GRACE)
        self.model = ScheduleTableModel(self.schedule)
        self.model.set_timeline(self.timeline)
        self.keeper = Timekeeper(self.timeline, self.clock)
        self.keeper.timelineChanged.connect(self.model.timeline_changed)

    def phase(self, key: str) -> Phase:
        return self.timeline.states()[key].phase

    def close(self) -> None:
        self.keeper.stop()
        self.model.detach()
        self.timeline.detach()


@pytest.fixture
def rigs(qapp: Any) -> Iterator[list[Rig]]:
    made: list[Rig] = []
    yield made
    for rig in made:
        rig.close()


def rig_of(rigs: list[Rig], local: Any, *items: Item) -> Rig:
    rig = Rig(local, list(items))
    rigs.append(rig)
    return rig


def changed_rows(spy: QSignalSpy) -> list[tuple[int, int]]:
    return [(spy.at(i)[0].row(), spy.at(i)[1].row()) for i in range(spy.count())]


# -- the timer ---------------------------------------------------------------------------------


def test_only_changed_rows_repaint_when_timer_fires_at_next_change(
    qtbot: Any, rigs: list[Rig]
) -> None:
    local = RunningClock()
    rig = rig_of(
        rigs,
        local,
        make("dropped", minutes(-60), minutes(-50)),
        make("ending", minutes(-10), ms(500)),
        make("running", minutes(-5), minutes(60)),
        make("starting", ms(500), minutes(30)),
        make("becomes_next", minutes(30)),
        make("later", minutes(60)),
    )
    rig.keeper.start()
    due = rig.keeper.due
    assert due == T0 + ms(500)
    spy = QSignalSpy(rig.model.dataChanged)

    with qtbot.waitSignal(rig.keeper.timelineChanged, timeout=3000) as blocker:
        pass

    assert rig.timeline.moment.now >= due  # never early
    assert blocker.args == [["becomes_next", "ending", "starting"]]
    assert changed_rows(spy) == [(1, 1), (3, 4)]  # rows 0, 2 and 5 did not change
    assert [rig.phase(k) for k in ("ending", "starting", "becomes_next")] == [
        Phase.PAST,
        Phase.CURRENT,
        Phase.NEXT,
    ]
    assert rig.keeper.timer.isActive()  # set again, for the next change


def test_timer_is_precise_single_shot_at_next_change_when_it_is_within_the_minute(
    rigs: list[Rig],
) -> None:
    rig = rig_of(rigs, FrozenClock(), make("a", timedelta(seconds=10), minutes(5)))

    rig.keeper.start()

    timer = rig.keeper.timer
    assert timer.isActive() and timer.isSingleShot()
    assert timer.timerType() == Qt.TimerType.PreciseTimer
    assert timer.interval() == 10_000
    assert rig.keeper.due == T0 + timedelta(seconds=10)


def test_timer_wakes_at_next_minute_when_next_change_is_later(rigs: list[Rig]) -> None:
    rig = rig_of(rigs, FrozenClock(), make("a", minutes(5), minutes(10)))

    rig.keeper.start()

    assert rig.keeper.timer.interval() == 40_000  # 16:00:20 -> 16:01:00
    assert rig.keeper.due == next_minute(T0)


def test_timer_wakes_at_next_minute_when_schedule_is_empty(rigs: list[Rig]) -> None:
    rig = rig_of(rigs, FrozenClock())

    rig.keeper.start()

    assert rig.keeper.timer.interval() == 40_000


def test_minute_changed_is_emitted_when_a_minute_boundary_passes(
    qtbot: Any, rigs: list[Rig]
) -> None:
    local = RunningClock(next_minute(T0) - ms(200))
    rig = rig_of(rigs, local)
    rig.keeper.start()

    with qtbot.waitSignal(rig.keeper.minuteChanged, timeout=3000):
        pass

    assert rig.clock.now() >= next_minute(T0)


def test_timer_stops_when_stopped(rigs: list[Rig]) -> None:
    rig = rig_of(rigs, FrozenClock(), make("a", minutes(5)))
    rig.keeper.start()

    rig.keeper.stop()

    assert not rig.keeper.timer.isActive()


# -- schedule changes, confirmations, the clock check ------------------------------------------


def test_old_and_new_next_rows_repaint_when_schedule_change_brings_an_earlier_item(
    qtbot: Any, rigs: list[Rig]
) -> None:
    rig = rig_of(rigs, FrozenClock(), make("a", minutes(30)), make("b", minutes(40)))
    rig.keeper.start()
    applier = Applier()
    applier.applied.connect(rig.keeper.refresh)  # as SyncService.scheduleApplied
    spy = QSignalSpy(rig.keeper.timelineChanged)

    rig.schedule.apply_delta([make("early", timedelta(seconds=5), minutes(1))], [], 2)
    applier.applied.emit(object())

    assert spy.count() == 1
    assert spy.at(0)[0] == ["a", "early"]
    assert rig.phase("early") is Phase.NEXT
    assert rig.keeper.timer.interval() == 5_000  # re-armed for the earlier start


def test_rows_are_flagged_when_status_reports_an_old_confirmation(rigs: list[Rig]) -> None:
    rig = rig_of(
        rigs, FrozenClock(), make("ended", minutes(-30), minutes(-5)), make("later", minutes(5))
    )
    rig.keeper.start()
    spy = QSignalSpy(rig.keeper.timelineChanged)

    rig.keeper.follow_status(status(T0, T0 - minutes(10)))
    rig.keeper.follow_status(status(T0 + ms(5), T0 - minutes(10)))  # the same confirmation

    assert spy.count() == 1
    assert spy.at(0)[0] == ["ended"]
    assert rig.timeline.states()["ended"].flagged


def test_flags_clear_when_status_reports_live_confirmation(rigs: list[Rig]) -> None:
    rig = rig_of(rigs, FrozenClock(), make("ended", minutes(-30), minutes(-5)))
    rig.keeper.follow_status(status(T0, T0 - minutes(10)))
    spy = QSignalSpy(rig.keeper.timelineChanged)

    rig.keeper.follow_status(status(T0, T0))  # live and in sync: confirmed_at == now

    assert spy.count() == 1
    assert not rig.timeline.states()["ended"].flagged


def test_now_follows_server_and_skew_is_announced_when_local_clock_is_off(
    rigs: list[Rig],
) -> None:
    local = FrozenClock()
    rig = rig_of(rigs, local, make("a", minutes(3), minutes(10)))
    rig.keeper.start()
    skews = QSignalSpy(rig.keeper.clockSkewChanged)
    changes = QSignalSpy(rig.keeper.timelineChanged)

    rig.keeper.observe_server_date(T0 + minutes(5))  # the local clock is 5 minutes slow
    rig.keeper.observe_server_date(T0 + minutes(5))

    assert skews.count() == 1
    assert skews.at(0)[0] == minutes(5)
    assert rig.timeline.moment.now == T0 + minutes(5)
    assert changes.count() == 1 and changes.at(0)[0] == ["a"]  # "a" started by server time
    assert rig.phase("a") is Phase.CURRENT


def test_skew_is_cleared_when_local_clock_agrees_again(rigs: list[Rig]) -> None:
    local = FrozenClock()
    rig = rig_of(rigs, local)
    for _ in range(3):
        rig.keeper.observe_server_date(T0 - minutes(2))
    skews = QSignalSpy(rig.keeper.clockSkewChanged)

    for _ in range(3):
        rig.keeper.observe_server_date(T0 + timedelta(seconds=1))

    assert skews.count() == 1
    assert skews.at(0)[0] is None
    assert rig.timeline.moment.now == T0


def test_outdated_is_announced_when_every_row_ended_before_today(rigs: list[Rig]) -> None:
    rig = rig_of(rigs, FrozenClock(), make("a", timedelta(days=-2), timedelta(days=-2, hours=1)))
    spy = QSignalSpy(rig.keeper.outdatedChanged)

    rig.keeper.start()
    rig.keeper.refresh()

    assert spy.count() == 1
    assert spy.at(0)[0] == (T0 - timedelta(days=2, hours=-1)).astimezone().date()
    assert spy.at(0)[1] == T0.astimezone().date()


def test_outdated_is_announced_again_when_the_day_changes_while_outdated(
    rigs: list[Rig],
) -> None:
    local = FrozenClock()
    rig = rig_of(rigs, local, make("a", timedelta(days=-2), timedelta(days=-2, hours=1)))
    rig.keeper.start()
    spy = QSignalSpy(rig.keeper.outdatedChanged)

    local.current += timedelta(days=1)
    rig.keeper.refresh()

    assert spy.count() == 1
    assert spy.at(0)[1] == (T0 + timedelta(days=1)).astimezone().date()


def test_outdated_is_cleared_when_todays_rows_arrive(rigs: list[Rig]) -> None:
    rig = rig_of(rigs, FrozenClock(), make("a", timedelta(days=-2), timedelta(days=-2, hours=1)))
    rig.keeper.start()
    spy = QSignalSpy(rig.keeper.outdatedChanged)

    rig.schedule.apply_delta([make("b", minutes(5))], [], 2)
    rig.keeper.refresh()

    assert spy.count() == 1
    assert spy.at(0)[0] is None
