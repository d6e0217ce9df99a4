"""The kiosk's large, high-contrast theme, sized from the screen.

Everything is in logical pixels (Qt scales them on high-DPI screens), computed by
:func:`kiosk_metrics` from the size of the screen the kiosk is on:

- a table row is about 1/20 of the screen height (less on a screen narrower than 16:9, so a
  portrait screen still fits the columns), its text about 60 % of the row;
- the title and the clock are larger than the rows, the date and the column headers smaller.

Colours: white text on black, the banners in strong colours. The rows' own cues come from the
model's font and colour roles, in the kiosk's solid colours (:data:`KIOSK_CUES`): current rows
black on amber, the next one(s) bold white on blue, past ones grey.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from PySide6.QtGui import QColor, QFont, QFontMetrics

from dashboard_desktop.ui.timecues import Cues, widest_status

BACKGROUND = QColor("#000000")
TEXT = QColor("#ffffff")
ALTERNATE_ROW = QColor("#161616")
HEADER_BACKGROUND = QColor("#202020")
STALE_BACKGROUND = QColor("#b3261e")
NOTICE_BACKGROUND = QColor("#b36b00")
ERROR_BACKGROUND = QColor("#5c1a8a")

KIOSK_CUES = Cues(
    current_background=(255, 196, 0, 255),
    current_text=(0, 0, 0, 255),
    next_background=(30, 64, 175, 255),
    next_text=(255, 255, 255, 255),
    bold_next=True,
    past_text=(158, 158, 158, 255),
)
"""Solid colours for the rows that matter, seen from across a room: current rows black on
amber, the next one(s) bold white on blue, past ones grey (contrast with black: 7.6:1)."""

MIN_ROW_HEIGHT = 24  # a tiny (test) screen still gets readable rows
MAX_SHIFT = 4
"""The largest burn-in shift, in logical pixels, in either direction."""


@dataclass(frozen=True, slots=True)
class KioskMetrics:
    """Sizes of the kiosk's parts, in logical pixels.

    Attributes:
        width: Width of the screen the sizes are for.
        height: Height of the screen the sizes are for.
        row_height: Height of one table row.
        text_px: Pixel size of the rows' text and of the banners.
        title_px: Pixel size of the dashboard's title and of the clock.
        small_px: Pixel size of the date, the connection state and the column headers.
        padding: Space around the header and inside the banners.
    """

    width: int
    height: int
    row_height: int
    text_px: int
    title_px: int
    small_px: int
    padding: int


def kiosk_metrics(width: int, height: int) -> KioskMetrics:
    """The kiosk's sizes on a screen of ``width`` x ``height`` logical pixels."""
    row = max(MIN_ROW_HEIGHT, round(min(height / 20, width / 28)))
    text = max(12, round(row * 0.6))
    return KioskMetrics(
        width=width,
        height=height,
        row_height=row,
        text_px=text,
        title_px=round(text * 1.35),
        small_px=max(10, round(text * 0.75)),
        padding=max(4, round(text * 0.35)),
    )


def pixel_font(pixels: int, *, bold: bool = False) -> QFont:
    """The application's font at ``pixels`` logical pixels (for measuring text)."""
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def column_widths(metrics: KioskMetrics) -> dict[str, int]:
    """Widths of the fixed columns: times, the longest status with its "Next" mark, and the
    location and assignee; the title takes the rest."""
    measure = QFontMetrics(pixel_font(metrics.text_px, bold=True)).horizontalAdvance
    pad = 2 * metrics.padding
    status = widest_status(measure)
    named = round(metrics.width * 0.14)
    return {
        "start": measure("\u202600:00") + pad,  # "...00:05" for another day's time
        "end": measure("\u202600:00") + pad,
        "status": status + metrics.text_px + pad,  # and the colour square before it
        "location": named,
        "assignee": named,
    }


_STYLE = """
#kioskWindow, #kioskHeader { background: $black; }
#kioskWindow QLabel { color: $white; }
#kioskTitle, #kioskClock { font-size: ${title}px; font-weight: bold; }
#kioskDate, #kioskState QLabel { font-size: ${small}px; }
#kioskStale, #kioskNotice, #kioskError {
    color: $white; padding: ${half}px ${pad}px; font-size: ${text}px; font-weight: bold;
}
#kioskStale { background: $stale; }
#kioskNotice { background: $notice; }
#kioskError { background: $error; font-weight: normal; }
#kioskTable {
    background: $black; alternate-background-color: $alternate; color: $white;
    border: none; font-size: ${text}px;
}
#kioskTable QHeaderView::section {
    background: $header; color: $white; border: none; padding: 0 ${half}px;
    font-size: ${small}px; font-weight: bold;
}
"""


def kiosk_style_sheet(metrics: KioskMetrics) -> str:
    """The window's style sheet: colours and font sizes for ``metrics``.

    A style sheet rather than palettes and ``setFont``: the application's own style sheet
    (``resources/theme.qss``) makes Qt ignore widget palettes. The table's rows keep the
    model's font and colour roles.
    """
    return Template(_STYLE).substitute(
        black=BACKGROUND.name(),
        white=TEXT.name(),
        alternate=ALTERNATE_ROW.name(),
        header=HEADER_BACKGROUND.name(),
        stale=STALE_BACKGROUND.name(),
        notice=NOTICE_BACKGROUND.name(),
        error=ERROR_BACKGROUND.name(),
        title=metrics.title_px,
        text=metrics.text_px,
        small=metrics.small_px,
        pad=metrics.padding,
        half=metrics.padding // 2,
    )
