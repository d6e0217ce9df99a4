"""Desktop: the staff window wired to search and sort, its layout kept across launches."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.timeline import Timeline
from dashboard_desktop.desktop import Desktop
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.unit.ui.test_model import BASE, COL, keys, make

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


def _day(qtbot: Any, store: Path, now_hour: float) -> tuple[Desktop, ScheduleTableModel, Any]:
    """A desktop over 100 half-hour items, its timeline at ``now_hour`` after BASE."""
    schedule = Schedule()
    schedule.replace([make(i, i / 2, end=(BASE + timedelta(hours=i / 2 + 0.5)).isoformat())
                      for i in range(100)], 1)  # fmt: skip
    model = ScheduleTableModel(schedule)
    timeline = Timeline(schedule, BASE + timedelta(hours=now_hour), grace=timedelta(0))
    model.set_timeline(timeline)
    desktop = Desktop(
        schedule, model, "http://127.0.0.1:1", QSettings(str(store), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(desktop.window)
    desktop.window.show()
    qtbot.waitExposed(desktop.window)
    return desktop, model, timeline


def test_table_scrolls_to_now_once_when_first_rows_arrive(qtbot: Any, tmp_path: Path) -> None:
    desktop, model, timeline = _day(qtbot, tmp_path / "layout.ini", now_hour=30.25)
    table = desktop.window.table

    desktop.show_now()

    assert model.first_row_from_now() == 60  # items 0..59 ended by 30:00
    assert table.rowAt(0) == 60
    table.scrollToTop()
    desktop.show_now()  # later updates leave the user's scrolling alone
    assert table.rowAt(0) == 0
    desktop.close()
    model.detach()
    timeline.detach()


def test_table_scrolls_to_now_when_rows_arrive_after_the_window_is_shown(
    qtbot: Any, tmp_path: Path
) -> None:
    schedule = Schedule()
    model = ScheduleTableModel(schedule)
    timeline = Timeline(schedule, BASE + timedelta(hours=30.25), grace=timedelta(0))
    model.set_timeline(timeline)
    store = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    desktop = Desktop(schedule, model, "http://127.0.0.1:1", store)
    qtbot.addWidget(desktop.window)
    desktop.window.show()
    qtbot.waitExposed(desktop.window)

    schedule.replace([make(i, i / 2, end=(BASE + timedelta(hours=i / 2 + 0.5)).isoformat())
                      for i in range(100)], 1)  # fmt: skip
    desktop.show_now()  # as scheduleApplied calls it: the rows are in, not yet laid out

    assert desktop.window.table.rowAt(0) == 60
    desktop.close()
    model.detach()
    timeline.detach()


def test_table_stays_when_user_scrolled_before_the_first_rows(qtbot: Any, tmp_path: Path) -> None:
    desktop, model, timeline = _day(qtbot, tmp_path / "layout.ini", now_hour=30.25)
    table = desktop.window.table
    table.verticalScrollBar().setValue(5)
    row = table.rowAt(0)

    desktop.show_now()

    assert table.rowAt(0) == row
    desktop.close()
    model.detach()
    timeline.detach()
