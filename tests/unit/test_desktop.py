"""Desktop: the staff window wired to search and sort, its layout kept across launches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.desktop import Desktop
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.unit.ui.test_model import COL, keys, make

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


def launch(qtbot: Any, store: Path) -> tuple[Desktop, ScheduleTableModel]:
    schedule = Schedule()
    schedule.replace([make("a", 1, title="Dock"), make("b", 2, title="Brief")], 1)
    model = ScheduleTableModel(schedule)
    desktop = Desktop(
        schedule, model, "http://127.0.0.1:1", QSettings(str(store), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(desktop.window)
    desktop.window.show()
    return desktop, model


def test_search_field_filters_rows_when_text_typed(qtbot: Any, tmp_path: Path) -> None:
    desktop, model = launch(qtbot, tmp_path / "layout.ini")

    qtbot.keyClicks(desktop.window.search, "brief")

    assert keys(model) == ["b"]
    desktop.close()
    model.detach()


def test_layout_and_sort_come_back_when_app_is_launched_again(qtbot: Any, tmp_path: Path) -> None:
    store = tmp_path / "layout.ini"
    first, model = launch(qtbot, store)
    first.window.table.column_actions[COL["notes"]].setChecked(False)
    first.window.table.horizontalHeader().sectionClicked.emit(COL["title"])
    first.close()
    model.detach()

    second, model = launch(qtbot, store)

    assert second.window.table.isColumnHidden(COL["notes"])
    assert keys(model) == ["b", "a"]  # sorted by title again
    second.close()
    model.detach()


def test_window_takes_most_of_the_screen_when_started_first_time(
    qtbot: Any, tmp_path: Path
) -> None:
    desktop, model = launch(qtbot, tmp_path / "none-yet.ini")

    area = desktop.window.screen().availableGeometry()
    size = desktop.window.size()
    assert size.width() >= min(int(area.width() * 0.8), desktop.window.minimumSizeHint().width())
    assert size.width() <= area.width() and size.height() <= area.height()
    desktop.close()
    model.detach()
