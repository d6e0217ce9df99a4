"""``ScheduleTableModel``: a Qt table model that adapts a :class:`core.Schedule`.

The model owns no data. It observes the schedule (or a filtered, re-ordered
:class:`~dashboard_desktop.core.view.ScheduleView` of it) and forwards each row edit as the
matching Qt model signal, so views keep selection and scroll position across updates. Columns
are declared once in :data:`COLUMNS`. Server text is returned as plain text; tooltips, which Qt
would interpret as rich text, are escaped.

Painting asks :meth:`ScheduleTableModel.data` for seven roles per cell; the model answers the
roles it does not use before touching any row, and keeps the display strings of the rows shown
(per item version, so an updated item is formatted again) in a small bounded cache.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.columns import (
    COLUMNS,
    OTHER_STATUS_COLOUR,
    STATUS_COLOURS,
    STATUS_COLUMN,
    TIME_COLUMNS,
    TimeTexts,
    extra_column,
)
from dashboard_desktop.ui.text import plain_tooltip

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role that returns the item's identity key (for tests and selection tracking)."""

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_KEY = int(KEY_ROLE)
_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _KEY})
_CACHE_LIMIT = 4096  # rows whose display strings are kept: a few screens' worth

__all__ = ["COLUMNS", "KEY_ROLE", "RowSource", "ScheduleTableModel"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScheduleTableModel", text)


class RowSource(Protocol):
    """What the model adapts: a :class:`Schedule` or a ``ScheduleView`` of one."""

    def __len__(self) -> int: ...

    def row(self, index: int) -> Item:
        """The item shown in row ``index``."""

    def add_observer(self, observer: Any) -> None:
        """Tell ``observer`` about every later row edit."""

    def remove_observer(self, observer: Any) -> None:
        """Stop telling ``observer`` about row edits."""


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
        self._rows: RowSource = schedule
        self.columns = COLUMNS + tuple(extra_column(name) for name in extra_columns)
        self._times = TimeTexts()
        self._texts: dict[str, tuple[Item, tuple[str, ...]]] = {}
        schedule.add_observer(self)

    def detach(self) -> None:
        """Stop observing the rows."""
        self._rows.remove_observer(self)

    def set_rows(self, rows: RowSource) -> None:
        """Present ``rows`` instead (e.g. a filtered view of the schedule): a model reset."""
        self.beginResetModel()
        self._rows.remove_observer(self)
        self._rows = rows
        rows.add_observer(self)
        self._texts.clear()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Rows: one per item (none under an item)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Columns: those of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        """Plain text, colour cue, tooltip or key of one cell."""
        if role not in _ROLES:  # five of the seven roles a paint asks for, per cell
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        item, texts = self._cell_texts(row)
        column = index.column()
        if role == _DISPLAY:
            return texts[column]
        if role == _DECORATION:
            if column == STATUS_COLUMN and item.status:
                return STATUS_COLOURS.get(item.status, OTHER_STATUS_COLOUR)
            return None
        if role == _TOOLTIP:
            return plain_tooltip(texts[column])
        return item.key

    def _cell_texts(self, row: int) -> tuple[Item, tuple[str, ...]]:
        """The item of ``row`` and its display strings, formatted once per item version."""
        item = self._rows.row(row)
        cached = self._texts.get(item.key)
        if cached is not None and cached[0] is item:
            return cached
        if len(self._texts) >= _CACHE_LIMIT:
            self._texts.clear()
        times = self._times
        texts = tuple(
            c.text(item) if c.when is None else times(c.when(item)) for c in self.columns
        )
        self._texts[item.key] = (item, texts)
        return item, texts

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
        return self._rows.row(row)

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

    def begin_reset(self) -> None:
        """Forward to ``beginResetModel`` (a filter or order change of a view)."""
        self.beginResetModel()

    def end_reset(self) -> None:
        """Forward to ``endResetModel``."""
        self._texts.clear()
        self.endResetModel()

    def refresh_times(self) -> None:
        """Repaint the time columns (after midnight "today" is another day)."""
        self._times.clear()
        self._texts.clear()
        if self.rowCount():
            last = self.rowCount() - 1
            for column in TIME_COLUMNS:
                self.dataChanged.emit(self.index(0, column), self.index(last, column))
