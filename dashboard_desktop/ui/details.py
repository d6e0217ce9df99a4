"""The details pane: every field of the selected item, unknown ones included, as plain text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QWidget

from dashboard_desktop.core.items import Item
from dashboard_desktop.ui.columns import extra_text, format_time, status_text


def item_fields(item: Item) -> list[tuple[str, str]]:
    """The item's fields as (label, plain text) pairs: known fields first, then unknown ones."""
    known = [
        (QCoreApplication.translate("DetailsPane", "Title"), item.title),
        (QCoreApplication.translate("DetailsPane", "Start"), format_time(item.start)),
        (QCoreApplication.translate("DetailsPane", "End"), format_time(item.end)),
        (QCoreApplication.translate("DetailsPane", "Status"), status_text(item.status)),
        (QCoreApplication.translate("DetailsPane", "Location"), item.location or ""),
        (QCoreApplication.translate("DetailsPane", "Assignee"), item.assignee or ""),
        (QCoreApplication.translate("DetailsPane", "Notes"), item.notes or ""),
        (QCoreApplication.translate("DetailsPane", "Updated"), format_time(item.updated_at)),
        (QCoreApplication.translate("DetailsPane", "Id"), str(item.raw_id)),
    ]
    extra = [(name, extra_text(item.extra[name])) for name in sorted(item.extra)]
    return known + extra


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # server text is never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailsPane(QScrollArea):
    """Shows one item's fields; dumb: the window tells it which item (or none) to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPane")
        self.setAccessibleName(
            QCoreApplication.translate("DetailsPane", "Details of the selected item")
        )
        self.setWidgetResizable(True)
        self.fields: list[tuple[str, str]] = []
        self.show_item(None)

    def show_item(self, item: Item | None) -> None:
        """Show ``item``'s fields, or a hint when nothing is selected."""
        content = QWidget(self)
        form = QFormLayout(content)
        self.fields = [] if item is None else item_fields(item)
        if item is None:
            form.addRow(
                _plain_label(
                    QCoreApplication.translate(
                        "DetailsPane", "Select a row to see all its fields."
                    ),
                    content,
                )
            )
        for name, value in self.fields:
            form.addRow(_plain_label(name, content), _plain_label(value, content))
        self.setWidget(content)  # the previous content widget is deleted
