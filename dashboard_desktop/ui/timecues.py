"""Time cues: how the timeline's states show in the table, and its notes for the status line.

Rows (:func:`look`):

- Current rows: a highlighted background and bold text.
- The next row(s): a tinted background and "Next" before the status.

The colours come from a :class:`Cues`: :data:`DESKTOP_CUES` (translucent tints for any theme)
or the kiosk's own, solid ones (``ui.kiosk_theme.KIOSK_CUES``).
- Past rows (dropped ones too; a kiosk may hide those): dimmed text.
- Flagged rows (a start or end passed since the data were last confirmed): italic text and,
  in every cell's tooltip, "May have changed since hh:mm".

Each look is built once and shared (its font and brushes too), so the model hands out the same
objects for every cell of every row in that state.

Status line: :func:`clock_note` (the clock check) and :func:`outdated_note` ("yesterday's
schedule").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dashboard_desktop.core.timeline import Phase, RowState
from dashboard_desktop.ui.columns import status_text

_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
STYLE_ROLES = frozenset({_FONT, _FOREGROUND, _BACKGROUND})
"""The roles a :class:`Look` answers (``Look.styles``)."""

Rgba = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Cues:
    """The colours of the rows that matter, as ``(red, green, blue, alpha)``.

    Attributes:
        current_background: Behind current rows.
        next_background: Behind the next row(s).
        past_text: The text of past rows.
        current_text: The text of current rows (``None``: the palette's).
        next_text: The text of the next row(s) (``None``: the palette's).
        bold_next: Whether the next row(s) are bold too.
    """

    current_background: Rgba
    next_background: Rgba
    past_text: Rgba
    current_text: Rgba | None = None
    next_text: Rgba | None = None
    bold_next: bool = False


DESKTOP_CUES = Cues(
    current_background=(255, 196, 0, 80),
    next_background=(66, 133, 244, 50),
    past_text=(138, 138, 138, 255),
)
"""Translucent tints over the row's own background: the text keeps the palette's colour and
stays readable in light and dark themes, and no foreground is needed for current and next rows
(each role a row answers costs Qt a little on every cell it paints)."""


@dataclass(frozen=True, slots=True)
class Look:
    """How the rows in one state are shown.

    Attributes:
        styles: Font, foreground and background by role (a role absent: the default).
        mark: Shown before the status ("" for none).
        note: Added to every cell's tooltip ("" for none).
    """

    styles: dict[int, object]
    mark: str = ""
    note: str = ""


PLAIN = Look({})
"""The look of a row in no particular state (and of every row without a timeline)."""


def _font(*, bold: bool, italic: bool) -> QFont | None:
    if not (bold or italic):
        return None
    font = QFont()
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _brush(rgba: Rgba) -> QBrush:
    return QBrush(QColor(*rgba))


@functools.lru_cache(maxsize=64)
def look(state: RowState, confirmed: datetime | None, cues: Cues = DESKTOP_CUES) -> Look:
    """The look of rows in ``state``, the data last confirmed at ``confirmed``, in ``cues``."""
    phase = state.phase
    styles: dict[int, object] = {}
    bold = phase is Phase.CURRENT or (phase is Phase.NEXT and cues.bold_next)
    font = _font(bold=bold, italic=state.flagged)
    if font is not None:
        styles[_FONT] = font
    if phase in (Phase.CURRENT, Phase.NEXT):
        current = phase is Phase.CURRENT
        styles[_BACKGROUND] = _brush(cues.current_background if current else cues.next_background)
        text = cues.current_text if current else cues.next_text
        if text is not None:
            styles[_FOREGROUND] = _brush(text)
    elif phase in (Phase.PAST, Phase.DROPPED):
        styles[_FOREGROUND] = _brush(cues.past_text)
    mark = QCoreApplication.translate("ScheduleTableModel", "Next") if phase is Phase.NEXT else ""
    note = ""
    if state.flagged and confirmed is not None:
        note = QCoreApplication.translate(
            "ScheduleTableModel", "May have changed since {t}"
        ).format(t=confirmed.astimezone().strftime("%H:%M"))
    return Look(styles, mark, note) if styles or mark or note else PLAIN


def marked(text: str, mark: str) -> str:
    """The status text ``text`` with the state's ``mark`` before it."""
    if not mark:
        return text
    return f"{mark} \u00b7 {text}" if text else mark


_STATUSES = ("scheduled", "in_progress", "delayed", "completed", "cancelled")


def widest_status(measure: Callable[[str], int]) -> int:
    """The width, by ``measure``, of the widest status text with the "Next" mark before it."""
    mark = QCoreApplication.translate("ScheduleTableModel", "Next")
    return max(measure(marked(status_text(name), mark)) for name in _STATUSES)


def noted(text: str, note: str) -> str:
    """A cell's tooltip text ``text`` with the state's ``note`` after it."""
    if not note:
        return text
    return f"{text}\n{note}" if text else note


def clock_note(skew: timedelta | None) -> str:
    """Status-line words for the clock check: "" when the local clock is fine."""
    if skew is None:
        return ""
    minutes = max(1, round(abs(skew.total_seconds()) / 60))
    if skew > timedelta(0):  # the server's clock is ahead
        return QCoreApplication.translate(
            "ScheduleTableModel", "Local clock {n} min behind the server; showing server time"
        ).format(n=minutes)
    return QCoreApplication.translate(
        "ScheduleTableModel", "Local clock {n} min ahead of the server; showing server time"
    ).format(n=minutes)


def outdated_note(day: date | None, today: date) -> str:
    """Status-line words for a schedule whose rows all ended before ``today``."""
    if day is None:
        return ""
    if day == today - timedelta(days=1):
        return QCoreApplication.translate("ScheduleTableModel", "Yesterday's schedule")
    return QCoreApplication.translate("ScheduleTableModel", "Schedule of {d}").format(
        d=day.strftime("%a %d %b")
    )
