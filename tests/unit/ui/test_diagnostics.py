"""DiagnosticsWindow: states, counters and plots shown as told; never rich text; non-modal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from dashboard_desktop.ui.diagnostics import DiagnosticsWindow, duration_words

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture
def window(qtbot: Any) -> Iterator[DiagnosticsWindow]:
    shown = DiagnosticsWindow()
    qtbot.addWidget(shown)
    yield shown


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0, "0 s"), (42.4, "42 s"), (420, "7 min"), (3 * 3600 + 300, "3 h 05 min")],
)
def test_durations_are_short_words_when_shown(seconds: float, words: str) -> None:
    assert duration_words(seconds) == words


def test_state_and_time_per_state_are_shown_longest_first_when_given(
    window: DiagnosticsWindow,
) -> None:
    window.show_states("polling", {"live": 3600.0, "polling": 90.0})

    assert window.state.text() == "Now: Polling"
    assert window.times.text() == "Live 1 h 00 min \u00b7 Polling 1 min"
    legend = [window.legend.itemAt(i).widget() for i in range(window.legend.count())]
    assert [w.text() for w in legend if isinstance(w, QLabel)] == ["Live", "Polling"]


def test_counters_are_listed_as_plain_text_when_given(window: DiagnosticsWindow) -> None:
    rows = [
        ("Events received", "", 12.0),
        ("Events ignored", "reason: <b>stale</b>", 3.0),
        ("Latency sum", "", 1.5),
    ]

    window.show_counters(rows)
    window.show_counters(rows)  # again: nothing duplicated

    table = window.counters
    assert table.rowCount() == 3
    cells = [[table.item(r, c).text() for c in range(3)] for r in range(3)]
    assert cells == [
        ["Events received", "", "12"],
        ["Events ignored", "reason: <b>stale</b>", "3"],
        ["Latency sum", "", "1.5"],
    ]


def test_visibility_is_announced_when_shown_and_closed(
    qtbot: Any, window: DiagnosticsWindow
) -> None:
    with qtbot.waitSignal(window.visibilityChanged) as shown:
        window.show()
    assert shown.args == [True]

    with qtbot.waitSignal(window.visibilityChanged) as hidden:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert hidden.args == [False]
    assert not window.isVisible()


def test_window_is_not_modal_when_shown(qtbot: Any, window: DiagnosticsWindow) -> None:
    window.show()
    qtbot.waitExposed(window)

    assert not window.isModal()
    assert window.windowModality() == Qt.WindowModality.NonModal
