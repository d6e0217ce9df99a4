"""Status-bar widgets: the words of each state, the indicator's colour and the data summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextDocument

from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.ui.indicator import ConnectionIndicator, DataSummary, ago, describe
from dashboard_desktop.ui.themes import DARK, SCHEME_COLOURS, dark_palette

NOW = datetime(2026, 11, 27, 15, 4, 5, tzinfo=UTC)  # 16:04:05 in Berlin
DOT = " \u00b7 "

EXPECTED_COLOURS = {
    ConnectionState.CONNECTING: "#d98a00",
    ConnectionState.LIVE: "#2e9d4f",
    ConnectionState.RECONNECTING: "#d98a00",
    ConnectionState.POLLING: "#2f6fb5",
    ConnectionState.OFFLINE: "#c0392b",
    ConnectionState.UNAUTHORIZED: "#8e2c8e",
}


def status(state: ConnectionState, **fields: Any) -> ConnectionStatus:
    values: dict[str, Any] = {
        "state": state,
        "now": NOW,
        "attempt": 0,
        "max_attempts": 60,
        "poll_interval": 30.0,
        "last_poll_at": None,
        "confirmed_at": None,
        "version": None,
        "item_count": 0,
        "stale": False,
        "reason": "starting",
    }
    values.update(fields)
    return ConnectionStatus(**values)


@pytest.fixture
def berlin(local_tz: Callable[[str], None]) -> None:
    local_tz("Europe/Berlin")


def rendered(rich_text: str) -> str:
    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText()


# -- describe() ---------------------------------------------------------------------------------


def test_describe_says_connecting_when_starting() -> None:
    assert describe(status(ConnectionState.CONNECTING)) == "Connecting"


def test_describe_says_live_when_connected() -> None:
    assert describe(status(ConnectionState.LIVE)) == "Live"


@pytest.mark.parametrize(("attempt", "limit"), [(1, 60), (7, 60), (60, 60), (3, 5)])
def test_describe_counts_attempts_when_reconnecting(attempt: int, limit: int) -> None:
    text = describe(status(ConnectionState.RECONNECTING, attempt=attempt, max_attempts=limit))

    assert text == f"Reconnecting (attempt {attempt} of {limit})"


@pytest.mark.usefixtures("berlin")
def test_describe_gives_interval_and_local_last_poll_time_when_polling() -> None:
    text = describe(status(ConnectionState.POLLING, last_poll_at=NOW))

    assert text == "Polling (REST every 30 s; last poll 16:04:05)"


@pytest.mark.parametrize(("interval", "words"), [(0.5, "0.5"), (45.0, "45"), (120.0, "120")])
def test_describe_shows_interval_compactly_when_polling_interval_is_configured(
    interval: float, words: str
) -> None:
    text = describe(status(ConnectionState.POLLING, poll_interval=interval))

    assert text == f"Polling (REST every {words} s; last poll -)"


@pytest.mark.usefixtures("berlin")
def test_describe_gives_local_time_of_data_when_offline() -> None:
    text = describe(status(ConnectionState.OFFLINE, confirmed_at=NOW - timedelta(hours=2)))

    assert text == "Offline (nothing reachable; data from 14:04)"


def test_describe_uses_dash_for_data_time_when_offline_without_data() -> None:
    text = describe(status(ConnectionState.OFFLINE))

    assert text == "Offline (nothing reachable; data from -)"


def test_describe_says_not_authorised_when_token_refused() -> None:
    assert describe(status(ConnectionState.UNAUTHORIZED)) == "Not authorised"


# -- ConnectionIndicator ------------------------------------------------------------------------


@pytest.fixture
def indicator(qtbot: Any) -> ConnectionIndicator:
    widget = ConnectionIndicator()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("state", list(ConnectionState))
def test_indicator_shows_state_colour_and_words_when_state_is_set(
    indicator: ConnectionIndicator, state: ConnectionState
) -> None:
    shown = status(state, attempt=2)

    indicator.set_state(shown)
    indicator.dot.ensurePolished()

    assert indicator.state is state
    assert (
        indicator.dot.palette().color(QPalette.ColorRole.WindowText).name()
        == (EXPECTED_COLOURS[state])
    )
    assert indicator.label.text() == describe(shown)
    assert indicator.accessibleDescription() == describe(shown)


def test_indicator_colours_tell_live_polling_offline_and_unauthorised_apart() -> None:
    distinct = [
        EXPECTED_COLOURS[s]
        for s in (
            ConnectionState.LIVE,
            ConnectionState.POLLING,
            ConnectionState.OFFLINE,
            ConnectionState.UNAUTHORIZED,
            ConnectionState.RECONNECTING,
        )
    ]
    assert len(set(distinct)) == len(distinct)


def test_indicator_label_is_plain_text_when_created(indicator: ConnectionIndicator) -> None:
    assert indicator.label.textFormat() == Qt.TextFormat.PlainText
    assert indicator.dot.textFormat() == Qt.TextFormat.PlainText
    assert indicator.accessibleName() == "Connection state"


@pytest.mark.parametrize(
    "reason", ["refused: <b>unauthorized</b>", "<img src=x onerror=alert(1)>", "a & b"]
)
def test_indicator_tooltip_shows_reason_literally_when_reason_contains_markup(
    indicator: ConnectionIndicator, reason: str
) -> None:
    indicator.set_state(status(ConnectionState.UNAUTHORIZED, reason=reason))

    tooltip = indicator.toolTip()

    assert "<b>" not in tooltip and "<img" not in tooltip
    assert rendered(tooltip) == f"Last event: {reason}"
    assert indicator.label.text() == "Not authorised"


def test_indicator_follows_latest_state_when_state_changes(
    indicator: ConnectionIndicator,
) -> None:
    indicator.set_state(status(ConnectionState.LIVE))
    indicator.set_state(status(ConnectionState.RECONNECTING, attempt=1, reason="transport close"))
    indicator.dot.ensurePolished()

    assert indicator.label.text() == "Reconnecting (attempt 1 of 60)"
    assert indicator.dot.palette().color(QPalette.ColorRole.WindowText).name() == "#d98a00"
    assert rendered(indicator.toolTip()) == "Last event: transport close"


# -- DataSummary --------------------------------------------------------------------------------


@pytest.fixture
def summary(qtbot: Any) -> DataSummary:
    widget = DataSummary()
    qtbot.addWidget(widget)
    return widget


def test_summary_says_confirmed_live_when_live(summary: DataSummary) -> None:
    summary.set_status(status(ConnectionState.LIVE, version=42, item_count=12, confirmed_at=NOW))

    assert summary.text() == DOT.join(["Version 42", "12 items", "confirmed live"])
    assert summary.styleSheet() == ""


@pytest.mark.usefixtures("berlin")
def test_summary_gives_confirmation_time_and_age_when_polling(summary: DataSummary) -> None:
    summary.set_status(
        status(
            ConnectionState.POLLING,
            version=7,
            item_count=3,
            confirmed_at=NOW - timedelta(minutes=5),
        )
    )

    assert summary.text() == DOT.join(["Version 7", "3 items", "confirmed 15:59 (5 min ago)"])
    assert "STALE" not in summary.text()


@pytest.mark.usefixtures("berlin")
def test_summary_says_stale_in_red_when_data_are_stale(summary: DataSummary) -> None:
    summary.set_status(
        status(
            ConnectionState.OFFLINE,
            version=7,
            item_count=3,
            confirmed_at=NOW - timedelta(hours=3),
            stale=True,
        )
    )
    summary.ensurePolished()

    assert summary.text() == DOT.join(
        ["Version 7", "3 items", "confirmed 13:04 (3 h ago)", "STALE"]
    )
    assert summary.palette().color(QPalette.ColorRole.WindowText).name() == "#c0392b"


def test_summary_drops_stale_mark_when_data_are_fresh_again(summary: DataSummary) -> None:
    stale = status(ConnectionState.OFFLINE, version=1, confirmed_at=NOW, stale=True)
    summary.set_status(stale)

    summary.set_status(replace(stale, state=ConnectionState.POLLING, stale=False))

    assert not summary.text().endswith("STALE")
    assert summary.styleSheet() == ""


def test_summary_shows_dashes_and_never_when_no_data_yet(summary: DataSummary) -> None:
    summary.set_status(status(ConnectionState.CONNECTING, stale=True))

    assert summary.text() == DOT.join(["Version -", "0 items", "confirmed - (never)", "STALE"])


@pytest.mark.usefixtures("berlin")
@pytest.mark.parametrize("state", [ConnectionState.CONNECTING, ConnectionState.LIVE])
def test_summary_says_cached_with_saved_time_and_age_when_data_come_from_the_cache(
    summary: DataSummary, state: ConnectionState
) -> None:
    summary.set_status(
        status(
            state,
            version=7,
            item_count=3,
            confirmed_at=NOW - timedelta(minutes=42),
            stale=True,
            cached=True,
        )
    )
    summary.ensurePolished()

    assert summary.text() == DOT.join(
        ["Version 7", "3 items", "cached 15:22 (42 min ago)", "STALE"]
    )
    assert summary.palette().color(QPalette.ColorRole.WindowText).name() == "#c0392b"


@pytest.mark.usefixtures("berlin")
def test_summary_says_confirmed_again_when_fresh_data_replace_the_cache(
    summary: DataSummary,
) -> None:
    cached = status(ConnectionState.POLLING, version=7, confirmed_at=NOW, stale=True, cached=True)
    summary.set_status(cached)

    summary.set_status(replace(cached, stale=False, cached=False))

    assert summary.text() == DOT.join(["Version 7", "0 items", "confirmed 16:04 (just now)"])


def test_summary_is_plain_text_when_created(summary: DataSummary) -> None:
    assert summary.textFormat() == Qt.TextFormat.PlainText
    assert summary.accessibleName() == "Data summary"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (-30, "just now"),
        (0, "just now"),
        (59, "just now"),
        (60, "1 min ago"),
        (3599, "59 min ago"),
        (3600, "1 h ago"),
        (86399, "23 h ago"),
        (86400, "1 day ago"),
        (3 * 86400 + 5, "3 days ago"),
    ],
)
def test_age_is_short_words_when_data_have_an_age(seconds: int, words: str) -> None:
    assert ago(timedelta(seconds=seconds)) == words


def test_age_says_never_when_data_were_never_confirmed() -> None:
    assert ago(None) == "never"


def test_summary_says_stale_in_a_readable_colour_when_window_is_dark(
    summary: DataSummary,
) -> None:
    summary.setPalette(dark_palette())

    summary.set_status(status(ConnectionState.OFFLINE, version=7, stale=True))
    summary.ensurePolished()

    colour = summary.palette().color(QPalette.ColorRole.WindowText)
    assert colour.name() == SCHEME_COLOURS[DARK].alert_text
