"""DetailsPane: every field of the selected item, unknown ones included, as plain text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from dashboard_desktop.ui.details import DetailsPane
from tests.unit.ui.test_model import make


def labels(pane: DetailsPane) -> list[QLabel]:
    return pane.widget().findChildren(QLabel)


def test_all_fields_are_shown_when_item_has_unknown_fields(qtbot: Any) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)

    pane.show_item(make("a", 1, title="Unload", gate={"no": 7}, zone="B"))

    fields = dict(pane.fields)
    assert fields["Title"] == "Unload"
    assert fields["gate"] == '{"no": 7}'
    assert fields["zone"] == "B"
    assert fields["Id"] == "a"
    shown = [label.text() for label in labels(pane)]
    assert "Unload" in shown and "zone" in shown


def test_markup_is_shown_literally_when_server_text_contains_html(qtbot: Any) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)

    pane.show_item(make("a", 1, title="<img src=x onerror=alert(1)>"))

    label = next(lb for lb in labels(pane) if "onerror" in lb.text())
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_hint_is_shown_when_nothing_is_selected(qtbot: Any) -> None:
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_item(make("a", 1))

    pane.show_item(None)

    assert pane.fields == []
    assert any("Select a row" in label.text() for label in labels(pane))
