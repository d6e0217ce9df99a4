"""``ScheduleTableModel``: a Qt table model that adapts a :class:`core.Schedule`.

The model owns no data. It observes the schedule and forwards each row edit as the matching
Qt model signal, so views keep selection and scroll position across updates. Columns are
declared once in :data:`COLUMNS`. Server text is returned as plain text; tooltips, which Qt
would interpret as rich text, are escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.text import plain_tooltip

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role that returns the item's identity key (for tests and selection tracking)."""

_Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    "scheduled": QColor("#5b7db1"),
    "in_progress": QColor("#2e9d4f"),
    "delayed": QColor("#d98a00"),
    "completed": QColor("#8a8a8a"),
    "cancelled": QColor("#c0392b"),
}
_OTHER_STATUS_COLOUR = QColor("#7d5ba6")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScheduleTableModel", text)


def format_time(value: datetime | None, today: datetime | None = None) -> str:
    """A time in the local time zone: ``HH:MM`` today, with the date on other days."""
    if value is None:
        return ""
    try:
        local = value.astimezone()
    except (OverflowError, ValueError):  # e.g. 9999-12-31T23:59Z east of UTC
        return f"{value.date().isoformat()} {value.strftime('%H:%M %z')}"
    reference = (today or datetime.now().astimezone()).date()
    if local.date() == reference:
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def status_text(status: str | None) -> str:
    """Human words for a protocol status; other values are shown as they are."""
    names = {
        "scheduled": _tr("Scheduled"),
        "in_progress": _tr("In progress"),
        "delayed": _tr("Delayed"),
        "completed": _tr("Completed"),
        "cancelled": _tr("Cancelled"),
    }
    return names.get(status or "", status or "")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its stable name, its header and how an item is shown in it."""

    name: str
    header: str
    text: Callable[[Item], str]


COLUMNS: tuple[Column, ...] = (
    Column("start", "Start", lambda item: format_time(item.start)),
    Column("end", "End", lambda item: format_time(item.end)),
    Column("title", "Title", lambda item: item.title),
    Column("status", "Status", lambda item: status_text(item.status)),
    Column("location", "Location", lambda item: item.location or ""),
    Column("assignee", "Assignee", lambda item: item.assignee or ""),
    Column("notes", "Notes", lambda item: item.notes or ""),
)
_STATUS_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.name == "status")
_TIME_COLUMNS = [i for i, column in enumerate(COLUMNS) if column.name in ("start", "end")]


def extra_text(value: object) -> str:
    """An unknown field's value as plain text (JSON for anything but a string)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def extra_column(name: str) -> Column:
    """A column that shows the unknown field ``name`` (protocol.md section 4)."""
    return Column(name, name, lambda item: extra_text(item.extra.get(name)))


class ScheduleTableModel(QAbstractTableModel):
    """Presents a :class:`Schedule` as a table, one row per item in start order.

    Args:
        schedule: The schedule to present; the model observes it from now on.
        parent: The Qt parent.
        extra_columns: Unknown item fields to show as extra columns, after :data:`COLUMNS`.
    """

    def __init__(
        self,
        schedule: Schedule,
        parent: QObject | None = None,
        extra_columns: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self._schedule = schedule
        self.columns = COLUMNS + tuple(extra_column(name) for name in extra_columns)
        schedule.add_observer(self)

    def detach(self) -> None:
        """Stop observing the schedule."""
        self._schedule.remove_observer(self)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Rows: one per item (none under an item)."""
        return 0 if parent.isValid() else len(self._schedule)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Columns: those of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Plain text, colour cue, tooltip or key of one cell."""
        if not index.isValid() or index.row() >= len(self._schedule):
            return None
        item = self._schedule.row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[column].text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.columns[column].text(item))
        if role == Qt.ItemDataRole.DecorationRole and column == _STATUS_COLUMN and item.status:
            return STATUS_COLOURS.get(item.status, _OTHER_STATUS_COLOUR)
        if role == KEY_ROLE:
            return item.key
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headers (translated)."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            column = self.columns[section]
            return _tr(column.header) if section < len(COLUMNS) else column.header
        return None

    def item_at(self, row: int) -> Item:
        """The item shown in ``row``."""
        return self._schedule.row(row)

    # -- ScheduleObserver -------------------------------------------------------------------

    def begin_insert(self, first: int, last: int) -> None:
        """Forward to ``beginInsertRows``."""
        self.beginInsertRows(QModelIndex(), first, last)

    def end_insert(self) -> None:
        """Forward to ``endInsertRows``."""
        self.endInsertRows()

    def begin_remove(self, first: int, last: int) -> None:
        """Forward to ``beginRemoveRows``."""
        self.beginRemoveRows(QModelIndex(), first, last)

    def end_remove(self) -> None:
        """Forward to ``endRemoveRows``."""
        self.endRemoveRows()

    def begin_move(self, source: int, destination: int) -> None:
        """Forward to ``beginMoveRows``."""
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)

    def end_move(self) -> None:
        """Forward to ``endMoveRows``."""
        self.endMoveRows()

    def changed(self, first: int, last: int) -> None:
        """Emit ``dataChanged`` for whole rows."""
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def refresh_times(self) -> None:
        """Repaint the time columns (after midnight "today" is another day)."""
        if self.rowCount():
            last = self.rowCount() - 1
            for column in _TIME_COLUMNS:
                self.dataChanged.emit(self.index(0, column), self.index(last, column))
