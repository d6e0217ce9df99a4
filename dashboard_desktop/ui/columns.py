"""The table's columns: declared once, and how each shows an item as plain text."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from dashboard_desktop.core.items import Item
from dashboard_desktop.translations import QT_TRANSLATE_NOOP

_CACHE_LIMIT = 4096  # distinct times kept formatted

STATUS_COLOURS = {
    "scheduled": QColor("#5b7db1"),
    "in_progress": QColor("#2e9d4f"),
    "delayed": QColor("#d98a00"),
    "completed": QColor("#8a8a8a"),
    "cancelled": QColor("#c0392b"),
}
OTHER_STATUS_COLOUR = QColor("#7d5ba6")


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


class TimeTexts:
    """:func:`format_time` memoised per value; :meth:`clear` when the date changes.

    A schedule has few distinct times (a five-minute grid gives under 300 a day), and
    ``astimezone`` is slow under PySide6's import hook, so each is formatted once.
    """

    def __init__(self) -> None:
        self._texts: dict[datetime, str] = {}

    def __call__(self, value: datetime | None) -> str:
        if value is None:
            return ""
        text = self._texts.get(value)
        if text is None:
            if len(self._texts) >= _CACHE_LIMIT:
                self._texts.clear()
            text = self._texts[value] = format_time(value)
        return text

    def clear(self) -> None:
        """Forget every formatted time (after midnight "today" is another day)."""
        self._texts.clear()


_STATUS_WORDS = {
    "scheduled": QT_TRANSLATE_NOOP("ScheduleTableModel", "Scheduled"),
    "in_progress": QT_TRANSLATE_NOOP("ScheduleTableModel", "In progress"),
    "delayed": QT_TRANSLATE_NOOP("ScheduleTableModel", "Delayed"),
    "completed": QT_TRANSLATE_NOOP("ScheduleTableModel", "Completed"),
    "cancelled": QT_TRANSLATE_NOOP("ScheduleTableModel", "Cancelled"),
}


def status_text(status: str | None) -> str:
    """Human words for a protocol status; other values are shown as they are."""
    words = _STATUS_WORDS.get(status or "")
    return status or "" if words is None else _translated_status(words)


@functools.lru_cache(maxsize=len(_STATUS_WORDS))
def _translated_status(words: str) -> str:
    # Translated once per status: translate() per cell was a fifth of a 50,000-row search.
    return QCoreApplication.translate("ScheduleTableModel", words)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its stable name, its header and how an item is shown in it.

    A time column also names the time it shows (``when``), so the model can format each
    distinct time once.
    """

    name: str
    header: str
    text: Callable[[Item], str]
    when: Callable[[Item], datetime | None] | None = None


def _time_column(name: str, header: str, when: Callable[[Item], datetime | None]) -> Column:
    return Column(name, header, lambda item: format_time(when(item)), when)


COLUMNS: tuple[Column, ...] = (
    _time_column(
        "start", QT_TRANSLATE_NOOP("ScheduleTableModel", "Start"), lambda item: item.start
    ),
    _time_column("end", QT_TRANSLATE_NOOP("ScheduleTableModel", "End"), lambda item: item.end),
    Column("title", QT_TRANSLATE_NOOP("ScheduleTableModel", "Title"), lambda item: item.title),
    Column(
        "status",
        QT_TRANSLATE_NOOP("ScheduleTableModel", "Status"),
        lambda item: status_text(item.status),
    ),
    Column(
        "location",
        QT_TRANSLATE_NOOP("ScheduleTableModel", "Location"),
        lambda item: item.location or "",
    ),
    Column(
        "assignee",
        QT_TRANSLATE_NOOP("ScheduleTableModel", "Assignee"),
        lambda item: item.assignee or "",
    ),
    Column(
        "notes", QT_TRANSLATE_NOOP("ScheduleTableModel", "Notes"), lambda item: item.notes or ""
    ),
)
STATUS_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.name == "status")
TIME_COLUMNS = [i for i, column in enumerate(COLUMNS) if column.name in ("start", "end")]


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
