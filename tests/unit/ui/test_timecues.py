"""Time cues: the status-line words of the clock check and of yesterday's schedule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from dashboard_desktop.ui.timecues import clock_note, outdated_note

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("skew", "words"),
    [
        (None, ""),
        (timedelta(minutes=5), "Local clock 5 min behind the server; showing server time"),
        (timedelta(seconds=-61), "Local clock 1 min ahead of the server; showing server time"),
        (timedelta(hours=-2), "Local clock 120 min ahead of the server; showing server time"),
    ],
)
def test_clock_note_says_which_way_the_clock_is_off_when_skewed(
    qapp: Any, skew: timedelta | None, words: str
) -> None:
    assert clock_note(skew) == words


def test_outdated_note_says_yesterday_when_schedule_ended_yesterday(qapp: Any) -> None:
    assert outdated_note(date(2026, 11, 26), TODAY) == "Yesterday's schedule"


def test_outdated_note_names_the_day_when_schedule_is_older(qapp: Any) -> None:
    assert outdated_note(date(2026, 11, 24), TODAY) == "Schedule of Tue 24 Nov"


def test_outdated_note_is_empty_when_schedule_is_current(qapp: Any) -> None:
    assert outdated_note(None, TODAY) == ""
