"""The schedule table view: sort by header clicks, show, hide and move columns, copy rows.

The view is dumb: a header click asks for a sort through :attr:`ScheduleTable.sortRequested`
(the table filter does the sorting), and the selected item is announced through
:attr:`ScheduleTable.itemSelected`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from dashboard_desktop.ui.actions import make_action
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.timecues import widest_status

_COLUMN_WIDTHS = {
    "start": 120,
    "end": 120,
    "title": 280,
    "status": 130,
    "location": 150,
    "assignee": 150,
}


class ScheduleTable(QTableView):
    """The table of the main window.

    Signals:
        sortRequested(int, Qt.SortOrder): Sort by a column (``-1``: the schedule's own order).
        itemSelected(object): The current row's :class:`~dashboard_desktop.core.items.Item`,
            or ``None`` when no row is current.
    """

    sortRequested = Signal(int, object)
    itemSelected = Signal(object)

    def __init__(self, model: ScheduleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setAccessibleName(QCoreApplication.translate("ScheduleTable", "Schedule"))
        self.setAccessibleDescription(
            QCoreApplication.translate(
                "ScheduleTable",
                "One row per item. Arrow keys move between rows, Ctrl+C copies the selected "
                "rows, View > Sort by sorts, View > Columns shows and hides columns.",
            )
        )
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move in it
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self._setup_header()
        self.copy_action = make_action(
            self,
            QCoreApplication.translate("ScheduleTable", "&Copy Row"),
            "Ctrl+C",
            QKeySequence.StandardKey.Copy,
        )
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.addAction(self.copy_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)  # also Menu key
        self.column_actions = [
            self._column_action(section) for section in range(len(model.columns))
        ]
        self.sort_actions = self._sort_actions()
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelReset.connect(lambda: self.itemSelected.emit(None))

    def _setup_header(self) -> None:
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._header_clicked)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        widths = self._initial_widths()
        for section, column in enumerate(self._model.columns):
            if column.name in widths:
                self.setColumnWidth(section, widths[column.name])

    def _initial_widths(self) -> dict[str, int]:
        """Column widths before the user's own; the status fits "Next · In progress" in bold."""
        widths = dict(_COLUMN_WIDTHS)
        bold = QFont(self.font())
        bold.setBold(True)  # current rows are bold
        status = widest_status(QFontMetrics(bold).horizontalAdvance) + self.iconSize().width()
        widths["status"] = max(widths["status"], status + 24)  # the square's and cell margins
        return widths

    def _column_action(self, section: int) -> QAction:
        header = self._model.headerData(section, Qt.Orientation.Horizontal)
        action = QAction(str(header), self)
        action.setCheckable(True)
        action.setChecked(not self.isColumnHidden(section))
        action.toggled.connect(lambda shown: self.show_column(section, shown))
        return action

    def _sort_actions(self) -> list[QAction]:
        """The keyboard's way to sort: schedule order, then a header click per column."""
        order = QAction(QCoreApplication.translate("ScheduleTable", "&Schedule Order"), self)
        order.triggered.connect(lambda: self.set_sort(-1, Qt.SortOrder.AscendingOrder))
        actions = [order]
        for section in range(len(self._model.columns)):
            header = self._model.headerData(section, Qt.Orientation.Horizontal)
            action = QAction(str(header), self)
            action.triggered.connect(lambda _=False, s=section: self._header_clicked(s))
            actions.append(action)
        return actions

    def show_column(self, section: int, shown: bool) -> None:
        """Show or hide a column; the last visible one stays."""
        visible = [s for s in range(len(self.column_actions)) if not self.isColumnHidden(s)]
        if not shown and visible == [section]:
            self.column_actions[section].setChecked(True)
            return
        self.setColumnHidden(section, not shown)
        self.column_actions[section].setChecked(shown)

    def sync_column_actions(self) -> None:
        """Tick the column actions after the header state was restored."""
        for section, action in enumerate(self.column_actions):
            action.setChecked(not self.isColumnHidden(section))

    def _header_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addActions(self.column_actions)
        menu.popup(self.horizontalHeader().mapToGlobal(position))  # non-modal

    def _header_clicked(self, section: int) -> None:
        """Cycle: ascending, descending, then the schedule's own order."""
        header = self.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        descending = Qt.SortOrder.DescendingOrder
        shown = header.isSortIndicatorShown() and header.sortIndicatorSection() == section
        if not shown:
            self.set_sort(section, ascending)
        elif header.sortIndicatorOrder() == ascending:
            self.set_sort(section, descending)
        else:
            self.set_sort(-1, ascending)

    def set_sort(self, section: int, order: Qt.SortOrder) -> None:
        """Show the sort indicator (none for ``-1``) and ask for that sort."""
        header = self.horizontalHeader()
        header.setSortIndicatorShown(section >= 0)
        header.setSortIndicator(section, order)
        self.sortRequested.emit(section, order)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        valid = current.isValid() and current.row() < self._model.rowCount()
        self.itemSelected.emit(self._model.item_at(current.row()) if valid else None)

    def show_row_at_top(self, row: int) -> None:
        """Scroll so that ``row`` is the first row shown (as far as the scroll range allows)."""
        self.executeDelayedItemsLayout()  # rows inserted just now: the range must know them
        self.scrollTo(self.model().index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def copy_selection(self) -> None:
        """Copy the selected rows as tab-separated text of the visible columns, in view order."""
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        header = self.horizontalHeader()
        sections = [header.logicalIndex(v) for v in range(header.count())]
        sections = [s for s in sections if not self.isColumnHidden(s)]
        lines = [
            "\t".join(str(self._model.data(self._model.index(row, s)) or "") for s in sections)
            for row in rows
        ]
        if lines:
            QGuiApplication.clipboard().setText("\n".join(lines))
