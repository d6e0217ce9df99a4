"""The Diagnostics plots: state segments, percentiles and what is painted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtGui import QColor

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.ui.indicator import STATE_COLOURS
from dashboard_desktop.ui.plots import LatencyChart, StateTimeline, percentile, state_segments

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_segments_start_with_the_state_before_the_window_when_it_began_earlier() -> None:
    transitions = [
        (NOW - 3 * HOUR, "live"),
        (NOW - HOUR / 2, "polling"),
        (NOW - HOUR / 4, "live"),
    ]

    segments = state_segments(transitions, NOW, HOUR)

    assert segments == [(0.0, 0.5, "live"), (0.5, 0.75, "polling"), (0.75, 1.0, "live")]


def test_nothing_is_drawn_before_the_first_transition_when_the_app_started_recently() -> None:
    segments = state_segments([(NOW - HOUR / 4, "connecting")], NOW, HOUR)

    assert segments == [(0.75, 1.0, "connecting")]


def test_transitions_are_ordered_by_time_when_given_out_of_order() -> None:
    transitions = [(NOW - HOUR / 2, "live"), (NOW - HOUR, "connecting")]

    assert state_segments(transitions, NOW, HOUR) == [(0.0, 0.5, "connecting"), (0.5, 1.0, "live")]


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.99, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        ([*range(1, 101)], 0.99, 99),
    ],
)
def test_percentile_is_the_nearest_rank_when_values_are_given(
    values: list[float], fraction: float, expected: float | None
) -> None:
    assert percentile(values, fraction) == expected


def test_timeline_paints_each_state_in_its_colour_when_history_is_set(qtbot: Any) -> None:
    timeline = StateTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(400, 80)
    timeline.set_history([(NOW - HOUR, "offline"), (NOW - HOUR / 2, "live")], NOW, HOUR)

    image = timeline.grab().toImage()
    area = timeline._area()
    y = round(area.center().y())
    left = image.pixelColor(round(area.left() + area.width() * 0.25), y)
    right = image.pixelColor(round(area.left() + area.width() * 0.75), y)

    assert left == QColor(STATE_COLOURS[ConnectionState.OFFLINE])
    assert right == QColor(STATE_COLOURS[ConnectionState.LIVE])


def test_latency_chart_says_median_and_p99_when_samples_are_set(qtbot: Any) -> None:
    chart = LatencyChart()
    qtbot.addWidget(chart)
    samples = [(NOW - timedelta(minutes=i), float(i)) for i in range(1, 51)]
    samples.append((NOW - 2 * HOUR, 9999.0))  # older than the span: left out

    chart.set_samples(samples, NOW, HOUR)

    assert chart.summary() == "median 25 ms \u00b7 p99 50 ms \u00b7 50 events"
    assert len(chart.points) == 50
    assert chart.top_ms >= 50


def test_latency_chart_says_so_when_there_are_no_samples(qtbot: Any) -> None:
    chart = LatencyChart()
    qtbot.addWidget(chart)

    chart.set_samples([], NOW, HOUR)

    assert chart.summary() == "No event latencies yet"
    chart.grab()  # paints without data
