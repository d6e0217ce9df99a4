"""The light and dark looks of the staff desktop: palettes, the style sheet and its colours.

Pure: everything here builds values from its arguments and installs nothing;
:mod:`dashboard_desktop.appearance` decides the scheme and applies it to the application.

- :func:`effective_scheme`: the ``theme`` setting and the system's colour scheme give
  ``"light"`` or ``"dark"`` (an unknown system scheme counts as light).
- :func:`fallback_palette`: the native style is kept whenever its palette already has the
  wanted scheme (Windows 11, macOS and GTK follow dark mode themselves); otherwise Fusion is
  used with :func:`dark_palette` or :func:`light_palette`.
- :func:`style_sheet`: the application style sheet (``resources/theme.qss``, a
  :class:`string.Template`) with the :data:`SCHEME_COLOURS` of a scheme. The few colours it
  sets are chosen for a contrast ratio of at least 4.5 against the scheme's window colours;
  everything else comes from the palette (an application style sheet would otherwise hide the
  palette from the widgets it styles).

The kiosk has its own black theme (:mod:`dashboard_desktop.ui.kiosk_theme`), set on its window,
which wins over all of this.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

__all__ = [
    "DARK",
    "LIGHT",
    "SCHEME_COLOURS",
    "SYSTEM",
    "THEMES",
    "SchemeColours",
    "alert_colour",
    "dark_palette",
    "effective_scheme",
    "fallback_palette",
    "light_palette",
    "palette_scheme",
    "style_sheet",
]

SYSTEM = "system"
LIGHT = "light"
DARK = "dark"
THEMES = (SYSTEM, LIGHT, DARK)
"""The values of the ``theme`` setting."""

_DARK_BELOW = 128  # window lightness (0-255) under which a palette counts as dark


@dataclass(frozen=True, slots=True)
class SchemeColours:
    """The colours the style sheet sets itself, for one scheme (``#rrggbb``).

    Attributes:
        error_background: Background of the error banner.
        error_border: Line under the error banner.
        error_text: Text of the error banner.
        alert_text: Warnings in the status bar (the clock note, stale data), on the window.
    """

    error_background: str
    error_border: str
    error_text: str
    alert_text: str


SCHEME_COLOURS = {
    LIGHT: SchemeColours("#fdecea", "#e0b4b0", "#611a15", "#c0392b"),
    DARK: SchemeColours("#5c1f1b", "#8c3b35", "#ffdad6", "#ff8a80"),
}


@dataclass(frozen=True, slots=True)
class _Tones:
    """The base colours a palette is derived from."""

    window: str
    text: str
    base: str
    alternate_base: str
    button: str
    highlight: str
    link: str
    link_visited: str
    tooltip_base: str
    disabled_text: str
    placeholder: str
    bright_text: str


_LIGHT_TONES = _Tones(  # Fusion's light colours
    window="#efefef",
    text="#000000",
    base="#ffffff",
    alternate_base="#f7f7f7",
    button="#efefef",
    highlight="#308cc6",
    link="#0000ff",
    link_visited="#ff00ff",
    tooltip_base="#ffffdc",
    disabled_text="#8c8c8c",
    placeholder="#6e6e6e",
    bright_text="#ffffff",
)
_DARK_TONES = _Tones(
    window="#2d2d2d",
    text="#f0f0f0",
    base="#1e1e1e",
    alternate_base="#262626",
    button="#353535",
    highlight="#2a6fa8",  # white text on it: contrast 5.3
    link="#6cb4ff",
    link_visited="#c58af9",
    tooltip_base="#3c3c3c",
    disabled_text="#8f8f8f",
    placeholder="#a0a0a0",
    bright_text="#ff8a80",
)


def effective_scheme(theme: str, system: Qt.ColorScheme) -> str:
    """The scheme to show: ``theme`` when forced, else the system's (unknown: light).

    Args:
        theme: The ``theme`` setting: ``"system"``, ``"light"`` or ``"dark"``.
        system: The system's colour scheme (``QStyleHints.colorScheme()``).
    """
    if theme in (LIGHT, DARK):
        return theme
    return DARK if system == Qt.ColorScheme.Dark else LIGHT


def palette_scheme(palette: QPalette) -> str:
    """Whether ``palette`` is light or dark, by the lightness of its window colour."""
    lightness = palette.color(QPalette.ColorRole.Window).lightness()
    return DARK if lightness < _DARK_BELOW else LIGHT


def alert_colour(palette: QPalette) -> str:
    """The colour of a warning shown on the window of ``palette`` (readable on it)."""
    return SCHEME_COLOURS[palette_scheme(palette)].alert_text


def fallback_palette(wanted: str, current: QPalette) -> QPalette | None:
    """The palette to use with Fusion, or None when ``current`` already has the scheme."""
    if palette_scheme(current) == wanted:
        return None
    return dark_palette() if wanted == DARK else light_palette()


def style_sheet(template: str, scheme: str) -> str:
    """The application style sheet: ``template`` with the colours of ``scheme``.

    Raises:
        KeyError: The template names a colour :class:`SchemeColours` does not have.
    """
    return Template(template).substitute(dataclasses.asdict(SCHEME_COLOURS[scheme]))


def light_palette() -> QPalette:
    """A complete light palette (Fusion's colours), for a dark system forced light."""
    return _palette(_LIGHT_TONES)


def dark_palette() -> QPalette:
    """A complete dark palette for the Fusion style."""
    return _palette(_DARK_TONES)


def _palette(tones: _Tones) -> QPalette:
    """Every colour role of every group, derived from ``tones``."""
    palette = QPalette()
    for colour_role, colour in _colours(tones).items():
        palette.setColor(colour_role, colour)
    role, disabled = QPalette.ColorRole, QPalette.ColorGroup.Disabled
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.HighlightedText):
        palette.setColor(disabled, colour_role, QColor(tones.disabled_text))
    palette.setColor(disabled, role.Highlight, QColor(tones.button).darker(120))
    return palette


def _colours(tones: _Tones) -> dict[QPalette.ColorRole, QColor]:
    """The colour of each role in the active and inactive groups."""
    role = QPalette.ColorRole
    text, button = QColor(tones.text), QColor(tones.button)
    return {
        role.Window: QColor(tones.window),
        role.WindowText: text,
        role.Base: QColor(tones.base),
        role.AlternateBase: QColor(tones.alternate_base),
        role.Text: text,
        role.Button: button,
        role.ButtonText: text,
        role.BrightText: QColor(tones.bright_text),
        role.Light: button.lighter(150),
        role.Midlight: button.lighter(125),
        role.Mid: button.darker(130),
        role.Dark: button.darker(150),
        role.Shadow: button.darker(200),
        role.Highlight: QColor(tones.highlight),
        role.HighlightedText: QColor("#ffffff"),
        role.Link: QColor(tones.link),
        role.LinkVisited: QColor(tones.link_visited),
        role.ToolTipBase: QColor(tones.tooltip_base),
        role.ToolTipText: text,
        role.PlaceholderText: QColor(tones.placeholder),
        role.Accent: QColor(tones.highlight),
    }
