"""The kiosk's schedule table: large rows, no interaction, paged by the kiosk service.

The table shows the model's own cues (its font and colour roles) and no tooltips; times elide
on the left, so another day's "Sat 28 Nov 00:05" still shows its time. Rows have one fixed
height and scroll per item, so a page starts exactly at a row.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from dashboard_desktop.ui.kiosk_theme import KIOSK_CUES, KioskMetrics, column_widths
from dashboard_desktop.ui.model import ScheduleTableModel

HIDDEN_COLUMNS = ("notes",)
"""Columns the kiosk does not show (long free text)."""
_TIME_COLUMNS = ("start", "end")


class _QuietDelegate(QStyledItemDelegate):
    """Shows no tooltips: nobody reads them on a wall, and they would cover rows."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Swallow the tooltip request."""
        return True


class _TimeDelegate(_QuietDelegate):
    """Elides a time on the left: another day's "Sat 28 Nov 00:05" still shows "...00:05"."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """The default option, eliding on the left."""
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class KioskTable(QTableView):
    """The kiosk's schedule table: no focus, selection, editing, scroll bars, wheel or tooltips.

    Rows have one fixed height and scroll per item, so a page starts exactly at a row.
    """

    def __init__(self, model: ScheduleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("kioskTable")
        self.setAccessibleName(QCoreApplication.translate("KioskTable", "Schedule"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.column_names = [column.name for column in model.columns]
        self._quiet_delegate = _QuietDelegate(self)
        self._time_delegate = _TimeDelegate(self)
        self.setItemDelegate(self._quiet_delegate)
        self._placeholder = ""
        self._setup_columns()

    def _setup_columns(self) -> None:
        header = self.horizontalHeader()
        header.setSectionsClickable(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        fixed, stretch = QHeaderView.ResizeMode.Fixed, QHeaderView.ResizeMode.Stretch
        for section, name in enumerate(self.column_names):
            if name in _TIME_COLUMNS:
                self.setItemDelegateForColumn(section, self._time_delegate)
            self.setColumnHidden(section, name in HIDDEN_COLUMNS)
            header.setSectionResizeMode(section, stretch if name == "title" else fixed)

    def set_placeholder(self, text: str) -> None:
        """Words shown in the middle of the table while it has no rows ("": none)."""
        if text != self._placeholder:
            self._placeholder = text
            self.viewport().update()

    def placeholder(self) -> str:
        """The words shown while the table has no rows."""
        return self._placeholder

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the rows, or the placeholder when there are none."""
        super().paintEvent(event)
        if not self._placeholder or self.model().rowCount():
            return
        painter = QPainter(self.viewport())
        painter.setFont(self.font())
        painter.setPen(QColor(*KIOSK_CUES.past_text))
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect(), int(flags), self._placeholder)
        painter.end()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ignore the wheel: the kiosk pages by itself."""
        event.ignore()

    def apply_metrics(self, metrics: KioskMetrics) -> None:
        """Row height, header height and column widths for ``metrics`` (the fonts come from
        the window's style sheet)."""
        self.verticalHeader().setDefaultSectionSize(metrics.row_height)
        self.horizontalHeader().setFixedHeight(round(metrics.small_px * 1.8))
        square = round(metrics.text_px * 0.6)  # the status colour, as large as a capital
        self.setIconSize(QSize(square, square))
        widths = column_widths(metrics)
        for section, name in enumerate(self.column_names):
            if name != "title":
                self.setColumnWidth(section, widths.get(name, round(metrics.width * 0.12)))

    def whole_rows_height(self, height: int) -> int:
        """The height at most ``height`` that shows the header and only whole rows."""
        header = self.horizontalHeader().height()
        row = self.verticalHeader().defaultSectionSize()
        return min(height, header + max(1, (height - header) // row) * row)

    def rows_per_page(self) -> int:
        """How many whole rows the table shows at once (at least one)."""
        return max(1, self.viewport().height() // self.verticalHeader().defaultSectionSize())

    def first_row(self) -> int:
        """The first row of the page shown (the scroll bar's value: scrolling is per item).

        On the last page Qt aligns the last row with the bottom, so the row above the page may
        show in part at the top.
        """
        return self.verticalScrollBar().value()

    def show_row_at_top(self, row: int) -> None:
        """Scroll so that ``row`` is the first row shown (or the last whole page near the end).

        Scrolling is per item: the scroll bar's value is the top row, its range ends where the
        last row is the last whole row shown.
        """
        self.executeDelayedItemsLayout()  # the range must know the rows added meanwhile
        self.verticalScrollBar().setValue(max(0, row))


class WholeRows(QWidget):
    """Holds the table at the top, as tall as whole rows fit: no row is ever cut at the bottom
    (the rest of the space stays empty, in the window's background)."""

    def __init__(self, table: KioskTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        table.setParent(self)

    def fit(self) -> None:
        """Size the table for the space there is (after a resize or new metrics)."""
        self.table.setGeometry(0, 0, self.width(), self.table.whole_rows_height(self.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the table into the new size."""
        super().resizeEvent(event)
        self.fit()
