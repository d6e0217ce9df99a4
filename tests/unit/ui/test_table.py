"""ScheduleTable: header sort cycle, column visibility, copying rows, the selected item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.table import ScheduleTable
from tests.unit.ui.test_model import COL, make

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


@pytest.fixture
def table(qtbot: Any) -> Iterator[ScheduleTable]:
    schedule = Schedule()
    schedule.replace([make("a", 1, title="Alpha", location="<b>L</b>"), make("b", 2)], 1)
    model = ScheduleTableModel(schedule)
    view = ScheduleTable(model)
    qtbot.addWidget(view)
    yield view
    model.detach()


def select_row(table: ScheduleTable, row: int) -> None:
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(table.model().index(row, 0), flags)


def test_header_clicks_cycle_ascending_descending_schedule_order_when_same_column_clicked(
    qtbot: Any, table: ScheduleTable
) -> None:
    requests: list[tuple[int, Any]] = []
    table.sortRequested.connect(lambda column, order: requests.append((column, order)))
    header = table.horizontalHeader()

    for _ in range(3):
        header.sectionClicked.emit(COL["title"])

    assert requests == [(COL["title"], ASC), (COL["title"], DESC), (-1, ASC)]
    assert not header.isSortIndicatorShown()


def test_sort_starts_ascending_when_another_column_is_clicked(table: ScheduleTable) -> None:
    requests: list[tuple[int, Any]] = []
    table.sortRequested.connect(lambda column, order: requests.append((column, order)))
    table.horizontalHeader().sectionClicked.emit(COL["title"])
    table.horizontalHeader().sectionClicked.emit(COL["status"])

    assert requests[-1] == (COL["status"], ASC)
    assert table.horizontalHeader().sortIndicatorSection() == COL["status"]


def test_column_is_hidden_and_shown_when_its_action_is_toggled(table: ScheduleTable) -> None:
    table.column_actions[COL["notes"]].setChecked(False)
    assert table.isColumnHidden(COL["notes"])

    table.column_actions[COL["notes"]].setChecked(True)
    assert not table.isColumnHidden(COL["notes"])


def test_last_visible_column_stays_when_user_hides_every_column(table: ScheduleTable) -> None:
    for action in table.column_actions:
        action.setChecked(False)

    visible = [s for s in range(len(table.column_actions)) if not table.isColumnHidden(s)]
    assert len(visible) == 1
    assert table.column_actions[visible[0]].isChecked()


def test_copy_puts_visible_cells_as_tab_separated_text_when_row_selected(
    table: ScheduleTable,
) -> None:
    table.column_actions[COL["notes"]].setChecked(False)
    select_row(table, 0)

    table.copy_action.trigger()

    copied = QApplication.clipboard().text().split("\t")
    assert copied[COL["title"]] == "Alpha"
    assert copied[COL["location"]] == "<b>L</b>"  # server text copied literally
    assert len(copied) == len(table.column_actions) - 1


def test_selected_item_is_announced_when_current_row_changes(
    qtbot: Any, table: ScheduleTable
) -> None:
    with qtbot.waitSignal(table.itemSelected) as selected:
        select_row(table, 1)

    assert selected.args[0].key == "b"


def test_status_column_fits_the_next_mark_in_bold_when_first_shown(table: ScheduleTable) -> None:
    bold = QFont(table.font())
    bold.setBold(True)
    widest = QFontMetrics(bold).horizontalAdvance("Next \u00b7 In progress")

    assert table.columnWidth(COL["status"]) >= widest + table.iconSize().width()
