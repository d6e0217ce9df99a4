"""Time cues: how the timeline's states show in the table, and its notes for the status line.

Rows (:func:`look`):

- Current rows: a highlighted background and bold text.
- The next row(s): a tinted background and "Next" before the status.
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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dashboard_desktop.core.timeline import Phase, RowState

_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
STYLE_ROLES = frozenset({_FONT, _FOREGROUND, _BACKGROUND})
"""The roles a :class:`Look` answers (``Look.styles``)."""

# Translucent tints over the row's own background: the text keeps the palette's colour and
# stays readable in light and dark themes, and no foreground is needed (each role a row
# answers costs Qt a little on every cell it paints).
CURRENT_BACKGROUND = QColor(255, 196, 0, 80)
NEXT_BACKGROUND = QColor(66, 133, 244, 50)
PAST_TEXT = QColor("#8a8a8a")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScheduleTableModel", text)


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


@functools.lru_cache(maxsize=32)
def look(state: RowState, confirmed: datetime | None) -> Look:
    """The look of rows in ``state``, the data last confirmed at ``confirmed``."""
    phase = state.phase
    styles: dict[int, object] = {}
    font = _font(bold=phase is Phase.CURRENT, italic=state.flagged)
    if font is not None:
        styles[_FONT] = font
    if phase in (Phase.CURRENT, Phase.NEXT):
        tint = CURRENT_BACKGROUND if phase is Phase.CURRENT else NEXT_BACKGROUND
        styles[_BACKGROUND] = QBrush(tint)
    elif phase in (Phase.PAST, Phase.DROPPED):
        styles[_FOREGROUND] = QBrush(PAST_TEXT)
    mark = _tr("Next") if phase is Phase.NEXT else ""
    note = ""
    if state.flagged and confirmed is not None:
        note = _tr("May have changed since {t}").format(t=confirmed.astimezone().strftime("%H:%M"))
    return Look(styles, mark, note) if styles or mark or note else PLAIN


def marked(text: str, mark: str) -> str:
    """The status text ``text`` with the state's ``mark`` before it."""
    if not mark:
        return text
    return f"{mark} \u00b7 {text}" if text else mark


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
        return _tr("Local clock {n} min behind the server; showing server time").format(n=minutes)
    return _tr("Local clock {n} min ahead of the server; showing server time").format(n=minutes)


def outdated_note(day: date | None, today: date) -> str:
    """Status-line words for a schedule whose rows all ended before ``today``."""
    if day is None:
        return ""
    if day == today - timedelta(days=1):
        return _tr("Yesterday's schedule")
    return _tr("Schedule of {d}").format(d=day.strftime("%a %d %b"))
