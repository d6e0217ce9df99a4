"""Server text is plain text on every surface that shows it, never markup.

Each hostile string is put in every text field of an item (title, location, assignee, notes,
status, an unknown field's name and value), in a server's error reason and in an error
message, and each surface must show it literally: a label's text format is ``PlainText`` and
its text is the raw string; a model returns the raw string as display text; a tooltip (which
Qt renders as rich text when it looks like markup) renders back to the raw string, which
proves it was escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionStatus, StatusTracker
from dashboard_desktop.ui.details import DetailsPane
from dashboard_desktop.ui.indicator import ConnectionIndicator
from dashboard_desktop.ui.kiosk_window import KioskWindow
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<b>x</b>",
    "<a href='https://evil.example'>click</a> &amp; <i>it</i>",
    "<qt><h1>big</h1><script>alert(2)</script></qt>",
    "1 < 2 && 3 > 2 &lt;b&gt;",
]
TEXT_COLUMNS = ("title", "location", "assignee", "notes", "status", "extra")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def hostile_item(text: str) -> Item:
    """An item whose every text field, and an unknown field's name and value, is ``text``."""
    return parse_item(
        {
            "id": "a",
            "title": text,
            "start": NOW.isoformat(),
            "status": text,
            "location": text,
            "assignee": text,
            "notes": text,
            "extra": text,
            text: "value",
        }
    )


def rendered(rich_text: str) -> str:
    """What Qt shows for ``rich_text`` rendered as rich text (as it renders tooltips)."""
    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText()


def status_with_reason(reason: str) -> ConnectionStatus:
    """A status whose reason (shown in the indicator's tooltip) is ``reason``."""
    tracker = StatusTracker(30, 60, lambda: NOW)
    tracker.attempt_failed(reason)
    return tracker.status()


def assert_plain(label: QLabel, text: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == text


@pytest.fixture
def model(qapp: Any) -> Iterator[ScheduleTableModel]:
    """A model of one empty schedule, with the ``extra`` field as a column."""
    table_model = ScheduleTableModel(Schedule(), extra_columns=("extra",))
    yield table_model
    table_model.detach()


def fill(model: ScheduleTableModel, text: str) -> None:
    schedule = Schedule()
    schedule.replace([hostile_item(text)], 1)
    model.set_rows(schedule)


@pytest.mark.parametrize("text", HOSTILE)
def test_table_cells_show_raw_text_when_server_text_has_markup(
    model: ScheduleTableModel, text: str
) -> None:
    fill(model, text)
    names = [column.name for column in model.columns]

    for name in TEXT_COLUMNS:
        index = model.index(0, names.index(name))
        assert model.data(index, Qt.ItemDataRole.DisplayRole) == text, name


@pytest.mark.parametrize("text", HOSTILE)
def test_table_tooltips_render_raw_text_when_server_text_has_markup(
    model: ScheduleTableModel, text: str
) -> None:
    fill(model, text)
    names = [column.name for column in model.columns]

    for name in TEXT_COLUMNS:
        tooltip = model.data(model.index(0, names.index(name)), Qt.ItemDataRole.ToolTipRole)
        assert rendered(tooltip) == text, name
        assert "&lt;" in tooltip  # escaped, since every hostile string has a "<"


@pytest.mark.parametrize("text", HOSTILE)
def test_details_pane_shows_raw_text_when_server_text_has_markup(qtbot: Any, text: str) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)

    pane.show_item(hostile_item(text))

    labels = pane.widget().findChildren(QLabel)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    shown = [label.text() for label in labels]
    assert shown.count(text) == len(TEXT_COLUMNS) + 1  # the fields, and the unknown one's name


@pytest.mark.parametrize("text", HOSTILE)
def test_indicator_tooltip_renders_raw_reason_when_server_reason_has_markup(
    qtbot: Any, text: str
) -> None:
    indicator = ConnectionIndicator()
    qtbot.addWidget(indicator)

    indicator.set_state(status_with_reason(f"HTTP 500 {text}"))

    assert rendered(indicator.toolTip()) == f"Last event: HTTP 500 {text}"
    assert indicator.label.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("text", HOSTILE)
def test_main_window_shows_raw_text_when_error_and_status_have_markup(
    qtbot: Any, model: ScheduleTableModel, text: str
) -> None:
    window = MainWindow(model, "http://127.0.0.1:9")
    qtbot.addWidget(window)

    window.show_error(text)
    window.show_status(status_with_reason(text))

    assert_plain(window.banner.label, text)
    assert rendered(window.indicator.toolTip()) == f"Last event: {text}"
    for label in (window.indicator.label, window.summary, window.time_note, window.tls_warning):
        assert label.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("text", HOSTILE)
def test_kiosk_shows_raw_text_when_title_error_and_rows_have_markup(
    qtbot: Any, model: ScheduleTableModel, text: str
) -> None:
    fill(model, text)
    window = KioskWindow(model, text)
    qtbot.addWidget(window)

    window.show_error(text)
    window.show_status(status_with_reason(text))
    window.show_tls_warning(True)

    assert_plain(window.title, text)
    assert window.windowTitle() == text  # a window title is never rich text
    assert_plain(window.error, text)
    assert rendered(window.indicator.toolTip()) == f"Last event: {text}"
    for label in (window.stale, window.notice, window.clock, window.date):
        assert label.textFormat() == Qt.TextFormat.PlainText
    table_model = window.table.model()
    title = [column.name for column in model.columns].index("title")
    assert table_model.data(table_model.index(0, title)) == text
