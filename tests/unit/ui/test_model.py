"""ScheduleTableModel: Qt model rules, minimal row signals, cell text, tooltips and colours."""

from __future__ import annotations

import html
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtTest import QSignalSpy

from dashboard_desktop.core.items import Item, parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.timeline import Timeline
from dashboard_desktop.ui.model import KEY_ROLE, ScheduleTableModel
from dashboard_desktop.ui.text import plain_tooltip

BASE = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
HEADERS = ["Start", "End", "Title", "Status", "Location", "Assignee", "Notes"]
COL = {name.lower(): i for i, name in enumerate(HEADERS)}
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
DECORATION = Qt.ItemDataRole.DecorationRole
HOSTILE = ["<b>x</b>", "<img src=x onerror=alert(1)>", "a & b <i>", "<script>alert(1)</script>"]


def make(key: str | int, hour: float, title: str | None = None, **fields: Any) -> Item:
    """An item starting ``hour`` hours after BASE (a day that is never today)."""
    data: dict[str, Any] = {
        "id": key,
        "title": f"T{key}" if title is None else title,
        "start": (BASE + timedelta(hours=hour)).isoformat(),
    }
    data.update(fields)
    return parse_item(data)


class ViewMirror:
    """Replays the model's signals as a view would, recording each one.

    Rows are read from the model only on insertion and on ``dataChanged``; removals and moves
    are replayed on the mirror. If every signal is correct, the mirror equals the model after
    each update.
    """

    def __init__(self, model: ScheduleTableModel) -> None:
        self.model = model
        self.rows: list[list[Any]] = [self._read(r) for r in range(model.rowCount())]
        self.calls: list[tuple[Any, ...]] = []
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)
        model.rowsMoved.connect(self._moved)
        model.dataChanged.connect(self._changed)
        model.modelReset.connect(lambda: self.calls.append(("reset",)))
        model.layoutChanged.connect(lambda *_: self.calls.append(("layout",)))
        model.headerDataChanged.connect(lambda *_: self.calls.append(("header",)))
        model.columnsInserted.connect(lambda *_: self.calls.append(("columns",)))
        model.columnsRemoved.connect(lambda *_: self.calls.append(("columns",)))

    def _read(self, row: int) -> list[Any]:
        model = self.model
        key = model.data(model.index(row, 0), KEY_ROLE)
        return [key] + [model.data(model.index(row, c)) for c in range(model.columnCount())]

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        assert not parent.isValid()
        self.calls.append(("inserted", first, last))
        self.rows[first:first] = [self._read(r) for r in range(first, last + 1)]

    def _removed(self, parent: QModelIndex, first: int, last: int) -> None:
        assert not parent.isValid()
        self.calls.append(("removed", first, last))
        del self.rows[first : last + 1]

    def _moved(
        self, parent: QModelIndex, first: int, last: int, dest: QModelIndex, row: int
    ) -> None:
        assert not parent.isValid() and not dest.isValid()
        self.calls.append(("moved", first, last, row))
        block = self.rows[first : last + 1]
        del self.rows[first : last + 1]
        target = row if row < first else row - len(block)
        self.rows[target:target] = block

    def _changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any) -> None:
        self.calls.append(
            (
                "changed",
                top_left.row(),
                top_left.column(),
                bottom_right.row(),
                bottom_right.column(),
            )
        )
        for row in range(top_left.row(), bottom_right.row() + 1):
            self.rows[row] = self._read(row)

    def take(self) -> list[tuple[Any, ...]]:
        calls, self.calls = self.calls, []
        return calls

    def check(self) -> None:
        fresh = [self._read(r) for r in range(self.model.rowCount())]
        assert self.rows == fresh


@pytest.fixture
def schedule() -> Schedule:
    return Schedule()


@pytest.fixture
def model(schedule: Schedule, qapp: Any) -> Iterator[ScheduleTableModel]:
    table = ScheduleTableModel(schedule)
    yield table
    table.detach()


@pytest.fixture
def mirror(model: ScheduleTableModel) -> ViewMirror:
    return ViewMirror(model)


def keys(model: ScheduleTableModel) -> list[str]:
    return [model.data(model.index(r, 0), KEY_ROLE) for r in range(model.rowCount())]


def cell(model: ScheduleTableModel, row: int, column: str, role: int = DISPLAY) -> Any:
    return model.data(model.index(row, COL[column]), role)


def rendered(rich_text: str) -> str:
    """What Qt shows for ``rich_text`` when it renders it as HTML (as tooltips are)."""
    document = QTextDocument()
    document.setHtml(rich_text)
    return document.toPlainText()


# -- Qt's model rules ---------------------------------------------------------------------------

# Qt's C++ QAbstractItemModelTester reports through qWarning, which fails the test
# (qt_log_level_fail = WARNING); the Python tester asserts. Both stay attached to the model
# and re-check it on every later signal.
TESTERS = pytest.mark.parametrize("force_py", [False, True], ids=["qt_tester", "py_tester"])


@TESTERS
def test_model_passes_model_tester_when_empty(
    qtmodeltester: Any, model: ScheduleTableModel, force_py: bool
) -> None:
    qtmodeltester.check(model, force_py=force_py)

    assert model.rowCount() == 0
    assert model.columnCount() == len(HEADERS)


@TESTERS
def test_model_passes_model_tester_when_filled(
    qtmodeltester: Any, schedule: Schedule, model: ScheduleTableModel, force_py: bool
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abcdef", [3, 1, 2, 5, 4, 0], strict=True)], 1)

    qtmodeltester.check(model, force_py=force_py)

    assert keys(model) == list("fbcaed")


@TESTERS
def test_model_passes_model_tester_when_snapshots_and_deltas_insert_remove_and_move(
    qtmodeltester: Any,
    schedule: Schedule,
    model: ScheduleTableModel,
    mirror: ViewMirror,
    force_py: bool,
) -> None:
    qtmodeltester.check(model, force_py=force_py)

    schedule.replace([make(k, h) for k, h in zip("abcdef", range(6), strict=True)], 1)
    schedule.replace(
        [make("a", 0), make("c", 9), make("d", 3, status="delayed"), make("x", 1.5)], 2
    )
    schedule.apply_delta([make("d", -1), make("y", 4), make("a", 8, title="moved")], ["x"], 3)
    schedule.replace([make(k, -h) for k, h in zip("acdy", range(4), strict=True)], 4)
    schedule.apply_delta([], ["a", "c", "d", "y"], 5)

    mirror.check()
    assert model.rowCount() == 0
    assert ("reset",) not in mirror.calls


def test_model_passes_model_tester_when_many_random_updates_are_applied(
    qtmodeltester: Any, schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    qtmodeltester.check(model, force_py=True)
    rng = random.Random(1234)
    statuses = [None, "scheduled", "delayed", "odd"]

    def random_item(key: str) -> Item:
        return make(key, rng.randrange(6), title=rng.choice("PQ"), status=rng.choice(statuses))

    for version in range(60):
        pool = [f"k{i}" for i in rng.sample(range(12), rng.randrange(12))]
        if rng.random() < 0.5:
            schedule.replace([random_item(key) for key in pool], version)
        else:
            deletes = rng.sample([item.key for item in schedule.items], min(2, len(schedule)))
            schedule.apply_delta([random_item(key) for key in pool[:4]], deletes, version)
        mirror.check()
        assert keys(model) == [item.key for item in schedule.items]

    assert not {("reset",), ("layout",), ("header",), ("columns",)} & set(mirror.calls)


# -- minimal, correct row signals ---------------------------------------------------------------


def test_initial_fill_emits_one_rows_inserted_range_when_schedule_is_empty(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    about = QSignalSpy(model.rowsAboutToBeInserted)

    schedule.replace([make(k, h) for k, h in zip("dcba", range(4), strict=True)], 1)

    assert mirror.take() == [("inserted", 0, 3)]
    assert about.count() == 1
    mirror.check()


def test_unchanged_snapshot_emits_nothing_when_items_are_equal(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    items = [make("a", 1, status="delayed", notes="n"), make("b", 2), make(3, 0, extra=[1])]
    schedule.replace(items, 1)
    spies = [
        QSignalSpy(signal)
        for signal in (
            model.rowsAboutToBeInserted,
            model.rowsInserted,
            model.rowsAboutToBeRemoved,
            model.rowsRemoved,
            model.rowsAboutToBeMoved,
            model.rowsMoved,
            model.dataChanged,
            model.modelAboutToBeReset,
            model.modelReset,
            model.layoutAboutToBeChanged,
            model.layoutChanged,
        )
    ]

    schedule.replace(list(reversed(items)), 2)

    assert [spy.count() for spy in spies] == [0] * len(spies)


def test_start_change_emits_rows_moved_and_data_changed_when_row_order_changes(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abcd", range(4), strict=True)], 1)
    mirror.take()
    reset = QSignalSpy(model.modelReset)
    layout = QSignalSpy(model.layoutChanged)

    schedule.replace([make("a", 5), make("b", 1), make("c", 2), make("d", 3)], 2)

    last_column = len(HEADERS) - 1
    assert mirror.take() == [("moved", 0, 0, 4), ("changed", 3, 0, 3, last_column)]
    assert keys(model) == list("bcda")
    assert reset.count() == 0 and layout.count() == 0
    mirror.check()


def test_start_change_emits_rows_moved_and_data_changed_when_row_moves_up(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abcd", range(4), strict=True)], 1)
    mirror.take()

    schedule.apply_delta([make("d", -1)], [], 2)

    assert mirror.take() == [("moved", 3, 3, 0), ("changed", 0, 0, 0, len(HEADERS) - 1)]
    assert keys(model) == list("dabc")
    mirror.check()


def test_start_change_emits_only_data_changed_when_row_order_is_kept(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abc", range(3), strict=True)], 1)
    mirror.take()

    schedule.apply_delta([make("b", 1.5)], [], 2)

    assert mirror.take() == [("changed", 1, 0, 1, len(HEADERS) - 1)]
    mirror.check()
    assert cell(model, 1, "start") == model.data(model.index(1, 0))


def test_field_change_emits_one_data_changed_per_run_when_adjacent_rows_change(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abcde", range(5), strict=True)], 1)
    mirror.take()

    schedule.apply_delta(
        [make("b", 1, status="delayed"), make("c", 2, notes="x"), make("e", 4, location="L")],
        [],
        2,
    )

    last = len(HEADERS) - 1
    assert mirror.take() == [("changed", 1, 0, 2, last), ("changed", 4, 0, 4, last)]
    mirror.check()


def test_delete_emits_rows_removed_per_contiguous_range_when_ids_are_deleted(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abcdef", range(6), strict=True)], 1)
    mirror.take()

    schedule.apply_delta([], ["b", "c", "e", "unknown"], 2)

    assert mirror.take() == [("removed", 4, 4), ("removed", 1, 2)]
    assert keys(model) == list("adf")
    mirror.check()


def test_inserts_emit_one_rows_inserted_range_per_gap_when_items_are_added_in_two_places(
    schedule: Schedule, model: ScheduleTableModel, mirror: ViewMirror
) -> None:
    schedule.replace([make("a", 0), make("b", 2), make("c", 4)], 1)
    mirror.take()

    schedule.replace(
        [make("a", 0), make("x", 1), make("y", 1.5), make("b", 2), make("c", 4), make("z", 5)], 2
    )

    assert mirror.take() == [("inserted", 1, 2), ("inserted", 5, 5)]
    mirror.check()


def test_persistent_index_follows_item_when_its_row_moves(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make(k, h) for k, h in zip("abcd", range(4), strict=True)], 1)
    selected = QPersistentModelIndex(model.index(1, COL["title"]))

    schedule.apply_delta([make("b", 9)], ["a"], 2)

    assert selected.isValid()
    assert (selected.row(), selected.column()) == (2, COL["title"])
    assert model.data(selected, KEY_ROLE) == "b"


def test_model_emits_nothing_when_detached(schedule: Schedule, model: ScheduleTableModel) -> None:
    inserted = QSignalSpy(model.rowsInserted)
    model.detach()

    schedule.replace([make("a", 1)], 1)

    assert inserted.count() == 0
    schedule.add_observer(model)  # the fixture detaches again


# -- display text -------------------------------------------------------------------------------


def test_start_and_end_show_local_hh_mm_when_on_today(
    local_tz: Callable[[str], None], schedule: Schedule, model: ScheduleTableModel
) -> None:
    local_tz("America/New_York")
    today = datetime.now().astimezone().replace(hour=21, minute=5, second=0, microsecond=0)
    start = today.astimezone(UTC)  # 21:05 local is the next UTC day (UTC-4/-5)
    end = start + timedelta(minutes=50)
    schedule.replace(
        [parse_item({"id": 1, "title": "t", "start": start.isoformat(), "end": end.isoformat()})],
        1,
    )

    assert cell(model, 0, "start") == "21:05"
    assert cell(model, 0, "end") == "21:55"


def test_start_shows_date_and_local_time_when_not_today(
    local_tz: Callable[[str], None], schedule: Schedule, model: ScheduleTableModel
) -> None:
    local_tz("Europe/Berlin")
    schedule.replace([make("a", 0, end="2025-03-05T23:30:00Z")], 1)

    assert cell(model, 0, "start") == "Tue 04 Mar 09:00"
    assert cell(model, 0, "end") == "Thu 06 Mar 00:30"


def test_time_columns_follow_local_zone_when_offset_is_given_in_another_zone(
    local_tz: Callable[[str], None], schedule: Schedule, model: ScheduleTableModel
) -> None:
    local_tz("Asia/Tokyo")
    schedule.replace(
        [parse_item({"id": 1, "title": "t", "start": "2025-03-04T09:00:00-05:00"})], 1
    )

    assert cell(model, 0, "start") == "Tue 04 Mar 23:00"


def test_end_is_blank_when_item_has_no_end(schedule: Schedule, model: ScheduleTableModel) -> None:
    schedule.replace([make("a", 0)], 1)

    assert cell(model, 0, "end") == ""


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("scheduled", "Scheduled"),
        ("in_progress", "In progress"),
        ("delayed", "Delayed"),
        ("completed", "Completed"),
        ("cancelled", "Cancelled"),
    ],
)
def test_status_column_shows_words_when_status_is_known(
    schedule: Schedule, model: ScheduleTableModel, status: str, words: str
) -> None:
    schedule.replace([make("a", 0, status=status)], 1)

    assert cell(model, 0, "status") == words


@pytest.mark.parametrize("status", ["on_hold", "Delayed", "IN_PROGRESS", "  ", "überfällig"])
def test_status_column_shows_value_as_is_when_status_is_unknown(
    schedule: Schedule, model: ScheduleTableModel, status: str
) -> None:
    schedule.replace([make("a", 0, status=status)], 1)

    assert cell(model, 0, "status") == status


def test_text_columns_show_fields_when_present(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace(
        [make("a", 0, title="Boiler check", location="Hall 2", assignee="Ann", notes="bring key")],
        1,
    )

    assert [cell(model, 0, c) for c in ("title", "location", "assignee", "notes")] == [
        "Boiler check",
        "Hall 2",
        "Ann",
        "bring key",
    ]


def test_optional_columns_are_blank_when_fields_are_missing(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0)], 1)

    assert [cell(model, 0, c) for c in ("end", "status", "location", "assignee", "notes")] == [
        ""
    ] * 5


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("column", ["title", "status", "location", "assignee", "notes"])
def test_display_role_returns_server_text_literally_when_it_contains_markup(
    schedule: Schedule, model: ScheduleTableModel, column: str, text: str
) -> None:
    schedule.replace([make("a", 0, **{column: text})], 1)

    assert cell(model, 0, column) == text


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("column", ["title", "status", "location", "assignee", "notes"])
def test_tooltip_escapes_server_text_when_it_contains_markup(
    schedule: Schedule, model: ScheduleTableModel, column: str, text: str
) -> None:
    schedule.replace([make("a", 0, **{column: text})], 1)

    tooltip = cell(model, 0, column, TOOLTIP)

    assert html.escape(text) in tooltip
    assert "<b>" not in tooltip and "<img" not in tooltip and "<script" not in tooltip
    assert rendered(tooltip) == text


def test_tooltip_shows_multi_line_notes_literally_when_rendered(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0, notes="line 1\n  <i>line 2</i>")], 1)

    assert rendered(cell(model, 0, "notes", TOOLTIP)) == "line 1\n  <i>line 2</i>"


def test_tooltip_is_empty_when_cell_is_empty(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0)], 1)

    assert cell(model, 0, "notes", TOOLTIP) == ""


# -- colour cue, key, headers, invalid indexes --------------------------------------------------

KNOWN_COLOURS = {
    "scheduled": "#5b7db1",
    "in_progress": "#2e9d4f",
    "delayed": "#d98a00",
    "completed": "#8a8a8a",
    "cancelled": "#c0392b",
}


@pytest.mark.parametrize(("status", "colour"), sorted(KNOWN_COLOURS.items()))
def test_status_cell_has_status_colour_when_status_is_known(
    schedule: Schedule, model: ScheduleTableModel, status: str, colour: str
) -> None:
    schedule.replace([make("a", 0, status=status)], 1)

    decoration = cell(model, 0, "status", DECORATION)

    assert isinstance(decoration, QColor)
    assert decoration.name() == colour


def test_status_cell_has_distinct_other_colour_when_status_is_unknown(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0, status="on_hold"), make("b", 1, status="paused")], 1)

    colours = {cell(model, row, "status", DECORATION).name() for row in (0, 1)}

    assert len(colours) == 1
    assert colours.isdisjoint(KNOWN_COLOURS.values())


def test_status_cell_has_no_colour_when_item_has_no_status(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0)], 1)

    assert cell(model, 0, "status", DECORATION) is None


def test_only_status_column_has_decoration_when_item_has_status(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0, status="delayed", location="x")], 1)

    decorated = [
        name for name in COL if model.data(model.index(0, COL[name]), DECORATION) is not None
    ]

    assert decorated == ["status"]


def test_key_role_returns_item_id_as_string_when_id_is_integer(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make(7, 0)], 1)

    assert model.data(model.index(0, COL["notes"]), KEY_ROLE) == "7"
    assert model.item_at(0).raw_id == 7


def test_data_returns_none_when_index_is_invalid_or_role_unused(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0)], 1)

    assert model.data(QModelIndex()) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.EditRole) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0


def test_headers_name_each_column_when_horizontal(model: ScheduleTableModel) -> None:
    horizontal = Qt.Orientation.Horizontal

    assert [model.headerData(s, horizontal) for s in range(model.columnCount())] == HEADERS
    assert model.headerData(len(HEADERS), horizontal) is None
    assert model.headerData(-1, horizontal) is None
    assert model.headerData(0, horizontal, TOOLTIP) is None


def test_headers_are_empty_when_vertical(schedule: Schedule, model: ScheduleTableModel) -> None:
    schedule.replace([make("a", 0)], 1)

    assert model.headerData(0, Qt.Orientation.Vertical) is None


# -- long-running behaviour -----------------------------------------------------------------------

_MANY_UPDATES = """
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from dashboard_desktop.core.items import parse_item
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.model import ScheduleTableModel
schedule = Schedule()
model = ScheduleTableModel(schedule)
for version in range(20000):
    item = {"id": 1, "title": "t", "start": "2025-03-04T08:00:00Z", "notes": str(version)}
    schedule.apply_delta([parse_item(item)], [], version)
print("survived", model.rowCount())
"""


# PySide6 6.12.0 dropped a reference to True on every Signal.emit(); on Python 3.11 a process
# that emitted a few thousand times aborted ("Fatal Python error: bool_dealloc"). The model
# emits dataChanged on every changed row range, so this runs many changes in a fresh process.
def test_model_survives_many_row_changes_when_app_runs_for_hours() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _MANY_UPDATES],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )

    assert result.returncode == 0, result.stderr[-400:]
    assert result.stdout.strip() == "survived 1"


@pytest.mark.parametrize(
    ("zone", "end"),
    [("Asia/Tokyo", "9999-12-31T23:59:59Z"), ("America/New_York", "0001-01-01T00:00:00Z")],
)
def test_extreme_time_shown_in_its_own_offset_when_local_zone_cannot_hold_it(
    schedule: Schedule,
    model: ScheduleTableModel,
    local_tz: Callable[[str], None],
    zone: str,
    end: str,
) -> None:
    local_tz(zone)
    item = parse_item({"id": "x", "title": "Open-ended", "start": BASE.isoformat(), "end": end})
    schedule.replace([item], 1)

    assert cell(model, 0, "end") == f"{end[:10]} {end[11:16]} +0000"


def test_extra_fields_shown_as_plain_text_when_chosen_as_columns(schedule: Schedule) -> None:
    model = ScheduleTableModel(schedule, extra_columns=("priority", "tags", "<b>x</b>"))
    item = parse_item(
        {
            "id": 1,
            "title": "T",
            "start": BASE.isoformat(),
            "priority": "<i>high</i>",
            "tags": ["a", 2],
        }
    )
    schedule.replace([item], 1)
    names = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]

    assert names[-3:] == ["priority", "tags", "<b>x</b>"]
    assert [model.index(0, c).data() for c in (7, 8, 9)] == ["<i>high</i>", '["a", 2]', ""]
    model.detach()


def test_time_columns_repaint_when_day_changes(
    schedule: Schedule, model: ScheduleTableModel
) -> None:
    schedule.replace([make("a", 0), make("b", 1)], 1)
    spy = QSignalSpy(model.dataChanged)

    model.refresh_times()

    ranges = [(spy.at(i)[0].column(), spy.at(i)[1].row()) for i in range(spy.count())]
    assert sorted(ranges) == [(0, 1), (1, 1)]


# -- the timeline: current, next, past and flagged rows ------------------------------------------

FONT = Qt.ItemDataRole.FontRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
NOW = BASE + timedelta(hours=0.5)


@pytest.fixture
def timeline(schedule: Schedule) -> Iterator[Timeline]:
    """A timeline at NOW; after schedule edits, ``advance`` (as the Timekeeper does)."""
    line = Timeline(schedule, NOW, grace=timedelta(minutes=15))
    yield line
    line.detach()


def day(schedule: Schedule) -> None:
    """Rows at NOW: dropped, past, current, next (in that order), next has a status."""
    schedule.replace(
        [
            make("dropped", -2, end=(BASE - timedelta(hours=1.5)).isoformat()),
            make("past", -0.5, end=(BASE + timedelta(minutes=20)).isoformat()),
            make("current", 0, end=(BASE + timedelta(hours=1)).isoformat()),
            make("next", 2, status="scheduled"),
        ],
        1,
    )


def colour(value: Any) -> str | None:
    return None if value is None else value.color().name()


def row_styles(model: ScheduleTableModel, row: int) -> set[tuple[Any, ...]]:
    """The distinct (font bold, italic, foreground, background) over the row's cells."""
    styles = set()
    for column in range(model.columnCount()):
        index = model.index(row, column)
        font = model.data(index, FONT)
        styles.add(
            (
                None if font is None else (font.bold(), font.italic()),
                colour(model.data(index, FOREGROUND)),
                colour(model.data(index, BACKGROUND)),
            )
        )
    return styles


def test_rows_show_their_phase_when_model_has_a_timeline(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline
) -> None:
    day(schedule)
    timeline.advance(NOW)
    model.set_timeline(timeline)

    assert keys(model) == ["dropped", "past", "current", "next"]
    assert row_styles(model, 0) == {(None, "#8a8a8a", None)}  # dropped: dimmed like past
    assert row_styles(model, 1) == {(None, "#8a8a8a", None)}
    assert row_styles(model, 2) == {((True, False), None, "#ffc400")}
    assert row_styles(model, 3) == {(None, None, "#4285f4")}
    assert cell(model, 3, "status") == "Next \u00b7 Scheduled"
    assert cell(model, 3, "title") == "Tnext"
    assert cell(model, 2, "status") == ""


def test_next_mark_stands_alone_when_next_item_has_no_status(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline
) -> None:
    schedule.replace([make("a", 1)], 1)
    timeline.advance(NOW)
    model.set_timeline(timeline)

    assert cell(model, 0, "status") == "Next"


def test_rows_are_plain_when_model_has_no_timeline(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline
) -> None:
    day(schedule)
    timeline.advance(NOW)
    model.set_timeline(timeline)
    model.set_timeline(None)

    assert all(row_styles(model, row) == {(None, None, None)} for row in range(4))
    assert cell(model, 3, "status") == "Scheduled"


def test_flagged_row_is_italic_with_a_note_when_it_passed_a_boundary_unconfirmed(
    local_tz: Callable[[str], None],
    schedule: Schedule,
    model: ScheduleTableModel,
    timeline: Timeline,
) -> None:
    local_tz("Europe/Berlin")
    day(schedule)
    timeline.advance(NOW, confirmed=BASE + timedelta(minutes=6))  # 09:06 in Berlin
    model.set_timeline(timeline)

    assert row_styles(model, 1) == {((False, True), "#8a8a8a", None)}  # ended 08:20 UTC
    assert row_styles(model, 2) == {((True, False), None, "#ffc400")}  # started at 08:00
    assert rendered(cell(model, 1, "title", TOOLTIP)) == "Tpast\nMay have changed since 09:06"
    assert rendered(cell(model, 1, "notes", TOOLTIP)) == "May have changed since 09:06"
    assert cell(model, 2, "title", TOOLTIP) == plain_tooltip("Tcurrent")


def test_flag_note_escapes_cell_text_when_it_contains_markup(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline
) -> None:
    schedule.replace([make("a", 0.25, title="<b>x</b>")], 1)
    timeline.advance(NOW, confirmed=BASE)
    model.set_timeline(timeline)

    tooltip = cell(model, 0, "title", TOOLTIP)

    assert "<b>" not in tooltip
    assert rendered(tooltip).startswith("<b>x</b>\nMay have changed since ")


def test_timeline_changed_emits_data_changed_only_for_given_rows_when_states_change(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline, mirror: ViewMirror
) -> None:
    day(schedule)
    model.set_timeline(timeline)
    mirror.take()

    model.timeline_changed(["next", "dropped", "unknown"])
    model.timeline_changed(["past", "current"])

    last = len(HEADERS) - 1
    assert mirror.take() == [
        ("changed", 0, 0, 0, last),
        ("changed", 3, 0, 3, last),
        ("changed", 1, 0, 2, last),  # adjacent rows: one signal
    ]
    mirror.check()


def test_cells_follow_the_timeline_when_it_advances(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline
) -> None:
    day(schedule)
    model.set_timeline(timeline)
    assert row_styles(model, 2) == {((True, False), None, "#ffc400")}  # cached now

    changed = timeline.advance(BASE + timedelta(hours=2))
    model.timeline_changed(changed)

    assert changed == {"current", "next", "past"}
    assert row_styles(model, 2) == {(None, "#8a8a8a", None)}
    assert row_styles(model, 3) == {((True, False), None, "#ffc400")}
    assert cell(model, 3, "status") == "Scheduled"


def test_set_timeline_repaints_every_row_when_rows_are_shown(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline, mirror: ViewMirror
) -> None:
    day(schedule)
    mirror.take()

    model.set_timeline(timeline)

    assert mirror.take() == [("changed", 0, 0, 3, len(HEADERS) - 1)]
    mirror.check()


def test_unused_roles_stay_none_when_model_has_a_timeline(
    schedule: Schedule, model: ScheduleTableModel, timeline: Timeline
) -> None:
    day(schedule)
    model.set_timeline(timeline)

    for role in (Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.CheckStateRole):
        assert model.data(model.index(2, 0), role) is None
    assert model.data(model.index(9, 0), FONT) is None


@TESTERS
def test_model_passes_model_tester_when_timeline_changes_rows(
    qtmodeltester: Any,
    schedule: Schedule,
    model: ScheduleTableModel,
    timeline: Timeline,
    force_py: bool,
) -> None:
    day(schedule)
    model.set_timeline(timeline)
    qtmodeltester.check(model, force_py=force_py)

    model.timeline_changed(timeline.advance(BASE + timedelta(hours=3)))
    schedule.apply_delta([make("new", 3.5)], ["past"], 2)
    model.timeline_changed(timeline.advance(BASE + timedelta(hours=3)))

    assert cell(model, model.rowCount() - 1, "status") == "Next"
