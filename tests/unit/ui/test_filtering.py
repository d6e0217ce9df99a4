"""TableFilter: search and sort through a ScheduleView, with the model's signals kept right."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from dashboard_desktop.core.items import Item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.columns import COLUMNS, extra_column, status_text
from dashboard_desktop.ui.filtering import TableFilter, order_key, search_text
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.unit.ui.test_model import COL, ViewMirror, keys, make

DESCENDING = Qt.SortOrder.DescendingOrder


@pytest.fixture
def schedule() -> Schedule:
    schedule = Schedule()
    schedule.replace(
        [
            make("a", 1, title="Dock 3 unload", location="Gate A"),
            make("b", 2, title="Briefing", location="Dock 3"),
            make("c", 0, title="Inspection", assignee="Ann DOCKER"),
            make("d", 3, title="Lunch", status="delayed"),
        ],
        1,
    )
    return schedule


@pytest.fixture
def model(schedule: Schedule, qapp: Any) -> Iterator[ScheduleTableModel]:
    table = ScheduleTableModel(schedule)
    yield table
    table.detach()


@pytest.fixture
def search(schedule: Schedule, model: ScheduleTableModel) -> TableFilter:
    return TableFilter(schedule, model)


def test_only_rows_containing_text_are_shown_when_text_is_typed(
    qtmodeltester: Any, model: ScheduleTableModel, search: TableFilter
) -> None:
    qtmodeltester.check(model, force_py=True)

    search.set_text("DOCK")

    assert keys(model) == ["c", "a", "b"]  # title, location, assignee; in start order
    search.set_text("dock 3")
    assert keys(model) == ["a", "b"]


def test_status_words_shown_are_searched_when_status_is_a_protocol_value(
    model: ScheduleTableModel, search: TableFilter
) -> None:
    search.set_text("delayed")

    assert keys(model) == ["d"]


def test_times_are_not_searched_when_text_looks_like_a_time(
    model: ScheduleTableModel, search: TableFilter
) -> None:
    search.set_text(model.data(model.index(0, COL["start"])))

    assert keys(model) == []


def test_all_rows_return_in_start_order_when_text_is_cleared(
    schedule: Schedule, model: ScheduleTableModel, search: TableFilter
) -> None:
    search.set_text("dock")
    search.set_text("")

    assert keys(model) == ["c", "a", "b", "d"]
    schedule.apply_delta([make("e", -1)], [], 2)  # the model follows the schedule again
    assert keys(model)[0] == "e"


def test_pushed_changes_follow_the_filter_when_a_search_is_active(
    qtmodeltester: Any, schedule: Schedule, model: ScheduleTableModel, search: TableFilter
) -> None:
    search.set_text("dock")
    qtmodeltester.check(model, force_py=True)
    mirror = ViewMirror(model)

    schedule.apply_delta([make("e", 5, title="Dock 9"), make("f", 0.5, title="Other")], [], 2)
    assert keys(model) == ["c", "a", "b", "e"]
    schedule.apply_delta([make("a", 1, title="Unload")], ["b"], 3)  # leaves the filter
    assert keys(model) == ["c", "e"]
    schedule.apply_delta([make("f", 9, title="Docking")], [], 4)  # enters it
    assert keys(model) == ["c", "e", "f"]

    mirror.check()
    assert ("reset",) not in mirror.calls


def test_rows_are_sorted_by_column_text_when_sorted_by_title(
    model: ScheduleTableModel, search: TableFilter
) -> None:
    search.sort(COL["title"])
    assert keys(model) == ["b", "a", "c", "d"]

    search.sort(COL["title"], DESCENDING)
    assert keys(model) == ["d", "c", "a", "b"]

    search.sort(-1)
    assert keys(model) == ["c", "a", "b", "d"]


def test_items_without_end_sort_last_when_sorted_by_end(
    schedule: Schedule, model: ScheduleTableModel, search: TableFilter
) -> None:
    schedule.apply_delta([make("a", 1, end="2025-03-04T20:00:00Z")], [], 2)

    search.sort(COL["end"])

    assert keys(model)[0] == "a"


def test_model_stays_consistent_when_random_updates_arrive_while_filtered_and_sorted(
    qtmodeltester: Any, schedule: Schedule, model: ScheduleTableModel, search: TableFilter
) -> None:
    rng = random.Random(7)
    search.set_text("p")
    search.sort(COL["title"], DESCENDING)
    qtmodeltester.check(model, force_py=True)
    mirror = ViewMirror(model)

    def random_item(key: str) -> Item:
        return make(key, rng.randrange(6), title=rng.choice(["Pa", "Pb", "Q", "Rp"]))

    for version in range(2, 60):
        pool = [f"k{i}" for i in rng.sample(range(12), rng.randrange(12))]
        if rng.random() < 0.3:
            schedule.replace([random_item(key) for key in pool], version)
        else:
            deletes = rng.sample([item.key for item in schedule.items], min(2, len(schedule)))
            schedule.apply_delta([random_item(key) for key in pool[:4]], deletes, version)
        mirror.check()
        expected = sorted(
            (i for i in schedule.items if "p" in search_text(model.columns)(i).casefold()),
            key=lambda i: (i.title.casefold(), i.sort_key),
            reverse=True,
        )
        assert keys(model) == [item.key for item in expected]


def test_search_text_covers_every_text_column_when_extra_columns_are_shown(qapp: Any) -> None:
    columns = (*COLUMNS, extra_column("gate"))
    item = make("a", 1, status="in_progress", location="L", assignee="A", notes="N", gate=7)

    text = search_text(columns)(item)

    # The built-in columns are spelled out for speed: they must equal the declared ones.
    assert text.split("\n") == [c.text(item) for c in columns if c.when is None]
    assert status_text("in_progress") in text


def test_order_key_puts_missing_times_last_when_column_is_a_time(qapp: Any) -> None:
    end = order_key(COLUMNS[COL["end"]])

    assert end(make("a", 1, end="2025-03-04T20:00:00Z")) < end(make("b", 1))


def test_prepared_index_is_dropped_when_released_without_search(
    schedule: Schedule, model: ScheduleTableModel, search: TableFilter
) -> None:
    search.prepare()
    observers_prepared = len(schedule._observers)
    search.release()

    assert observers_prepared == 2
    assert len(schedule._observers) == 1
    search.set_text("lunch")  # still works after a release
    assert keys(model) == ["d"]
