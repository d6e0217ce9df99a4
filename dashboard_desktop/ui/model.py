"""``ScheduleTableModel``: a Qt table model that adapts a :class:`core.Schedule`.

The model owns no data. It observes the schedule (or a filtered, re-ordered
:class:`~dashboard_desktop.core.view.ScheduleView` of it) and forwards each row edit as the
matching Qt model signal, so views keep selection and scroll position across updates. Columns
are declared once in :data:`COLUMNS`. Server text is returned as plain text; tooltips, which Qt
would interpret as rich text, are escaped.

Given a :class:`~dashboard_desktop.core.timeline.Timeline`, rows show their state at the time
(current, next, past, flagged; see :mod:`dashboard_desktop.ui.timecues`), and
:meth:`ScheduleTableModel.timeline_changed` repaints the rows whose state changed.

Painting asks :meth:`ScheduleTableModel.data` for seven roles per cell; the model answers the
roles it does not use before touching any row, and keeps the display strings and the look of
the rows shown (per item version and timeline generation, so an updated item or a moved "now"
is computed again) in a small bounded cache.
"""

from __future__ import annotations

from collections.abc import Iterable
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
from dashboard_desktop.core.timeline import Phase, Timeline
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
from dashboard_desktop.ui.timecues import (
    DESKTOP_CUES,
    PLAIN,
    STYLE_ROLES,
    Cues,
    Look,
    look,
    marked,
    noted,
)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role that returns the item's identity key (for tests and selection tracking)."""

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_KEY = int(KEY_ROLE)
_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _KEY}) | STYLE_ROLES
_CACHE_LIMIT = 4096  # rows whose display strings are kept: a few screens' worth

# A cached row: the item, the timeline generation, its display strings and its look.
_Entry = tuple[Item, int, tuple[str, ...], Look]
_NO_MEMO: tuple[int, int, _Entry | None] = (-1, -1, None)

__all__ = ["COLUMNS", "KEY_ROLE", "RowSource", "ScheduleTableModel"]


class RowSource(Protocol):
    """What the model adapts: a :class:`Schedule` or a ``ScheduleView`` of one."""

    def __len__(self) -> int: ...

    def row(self, index: int) -> Item:
        """The item shown in row ``index``."""

    def row_of(self, key: str) -> int | None:
        """The row of the item with ``key``, if shown."""

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
        self._texts: dict[str, _Entry] = {}
        self._timeline: Timeline | None = None
        self._cues = DESKTOP_CUES
        # The last row answered (row, generation, entry): a paint asks 35 times in a row.
        # Forgotten on every row edit, so it never outlives the row it describes.
        self._memo = _NO_MEMO
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
        self._forget()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Rows: one per item (none under an item)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Columns: those of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        """Plain text, colour cue, font, colours, tooltip or key of one cell."""
        if role not in _ROLES:  # two of the seven roles a paint asks for, per cell
            return None
        row = index.row()
        timeline = self._timeline
        generation = -1 if timeline is None else timeline.generation
        memo_row, memo_generation, entry = self._memo
        if entry is None or memo_row != row or memo_generation != generation:
            if not 0 <= row < len(self._rows):
                return None
            entry = self._entry(row, generation)
            self._memo = (row, generation, entry)
        item, _, texts, row_look = entry
        column = index.column()
        if role == _DISPLAY:
            return texts[column]
        if role in STYLE_ROLES:
            return row_look.styles.get(role)
        if role == _DECORATION:
            if column == STATUS_COLUMN and item.status:
                return STATUS_COLOURS.get(item.status, OTHER_STATUS_COLOUR)
            return None
        if role == _TOOLTIP:
            return plain_tooltip(noted(texts[column], row_look.note))
        return item.key

    def _entry(self, row: int, generation: int) -> _Entry:
        """The item of ``row``, its display strings and its look (cached, see the module)."""
        item = self._rows.row(row)
        timeline = self._timeline
        cached = self._texts.get(item.key)
        if cached is not None and cached[0] is item and cached[1] == generation:
            return cached
        if len(self._texts) >= _CACHE_LIMIT:
            self._texts.clear()
        row_look = PLAIN
        if timeline is not None:
            row_look = look(timeline.state(item), timeline.moment.confirmed, self._cues)
        if cached is not None and cached[0] is item and cached[3].mark == row_look.mark:
            texts = cached[2]  # only the look changed
        else:
            texts = self._format(item, row_look.mark)
        entry = self._texts[item.key] = (item, generation, texts, row_look)
        return entry

    def _format(self, item: Item, mark: str) -> tuple[str, ...]:
        """The display strings of ``item``, the status after the state's ``mark``."""
        times = self._times
        texts = [c.text(item) if c.when is None else times(c.when(item)) for c in self.columns]
        if mark:
            texts[STATUS_COLUMN] = marked(texts[STATUS_COLUMN], mark)
        return tuple(texts)

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
            return (
                QCoreApplication.translate("ScheduleTableModel", column.header)
                if section < len(COLUMNS)
                else column.header
            )
        return None

    def item_at(self, row: int) -> Item:
        """The item shown in ``row``."""
        return self._rows.row(row)

    # -- timeline ---------------------------------------------------------------------------

    def first_row_from_now(self) -> int | None:
        """The first row (in the order shown) that has not ended: current, next or later."""
        timeline = self._timeline
        if timeline is None:
            return 0 if len(self._rows) else None
        rows, over = self._rows, (Phase.PAST, Phase.DROPPED)
        shown = (r for r in range(len(rows)) if timeline.state(rows.row(r)).phase not in over)
        return next(shown, None)

    def set_timeline(self, timeline: Timeline | None, cues: Cues = DESKTOP_CUES) -> None:
        """Show each row's state in ``timeline`` (``None``: no states) in the colours of
        ``cues``, and repaint all rows."""
        self._timeline, self._cues = timeline, cues
        self._forget()
        if self.rowCount():
            self.changed(0, self.rowCount() - 1)

    def timeline_changed(self, keys: Iterable[str]) -> None:
        """Repaint the rows of ``keys``, whose state changed (``Timekeeper.timelineChanged``)."""
        rows = sorted({row for key in keys if (row := self._rows.row_of(key)) is not None})
        start = 0
        for index, row in enumerate(rows):  # one signal per run of adjacent rows
            if index + 1 == len(rows) or rows[index + 1] != row + 1:
                self.changed(rows[start], row)
                start = index + 1

    # -- ScheduleObserver -------------------------------------------------------------------

    def begin_insert(self, first: int, last: int) -> None:
        """Forward to ``beginInsertRows``."""
        self._memo = _NO_MEMO
        self.beginInsertRows(QModelIndex(), first, last)

    def end_insert(self) -> None:
        """Forward to ``endInsertRows``."""
        self._memo = _NO_MEMO
        self.endInsertRows()

    def begin_remove(self, first: int, last: int) -> None:
        """Forward to ``beginRemoveRows``."""
        self._memo = _NO_MEMO
        self.beginRemoveRows(QModelIndex(), first, last)

    def end_remove(self) -> None:
        """Forward to ``endRemoveRows``."""
        self._memo = _NO_MEMO
        self.endRemoveRows()

    def begin_move(self, source: int, destination: int) -> None:
        """Forward to ``beginMoveRows``."""
        self._memo = _NO_MEMO
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)

    def end_move(self) -> None:
        """Forward to ``endMoveRows``."""
        self._memo = _NO_MEMO
        self.endMoveRows()

    def changed(self, first: int, last: int) -> None:
        """Emit ``dataChanged`` for whole rows."""
        self._memo = _NO_MEMO
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def begin_reset(self) -> None:
        """Forward to ``beginResetModel`` (a filter or order change of a view)."""
        self._memo = _NO_MEMO
        self.beginResetModel()

    def end_reset(self) -> None:
        """Forward to ``endResetModel``."""
        self._forget()
        self.endResetModel()

    def _forget(self) -> None:
        """Drop every cached row."""
        self._texts.clear()
        self._memo = _NO_MEMO

    def refresh_times(self) -> None:
        """Repaint the time columns (after midnight "today" is another day)."""
        self._times.clear()
        self._forget()
        if self.rowCount():
            last = self.rowCount() - 1
            for column in TIME_COLUMNS:
                self.dataChanged.emit(self.index(0, column), self.index(last, column))
