"""themes: the scheme chosen, the palettes, the style sheet and the contrast of its colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from dashboard_desktop.resources import theme_path
from dashboard_desktop.ui.themes import (
    DARK,
    LIGHT,
    SCHEME_COLOURS,
    SYSTEM,
    THEMES,
    alert_colour,
    dark_palette,
    effective_scheme,
    fallback_palette,
    light_palette,
    palette_scheme,
    style_sheet,
)

WINDOW = QPalette.ColorRole.Window
SYSTEM_SCHEMES = (Qt.ColorScheme.Unknown, Qt.ColorScheme.Light, Qt.ColorScheme.Dark)
# Window colours of common native styles, besides our own palettes: Fusion, Windows, GTK
# (Adwaita), macOS, Windows 11 dark, GNOME dark, KDE Breeze dark.
LIGHT_WINDOWS = ("#ffffff", "#efefef", "#f0f0f0", "#f6f5f4", "#ececec")
DARK_WINDOWS = ("#202020", "#242424", "#2d2d2d", "#353535", "#31363b")


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str | QColor, second: str | QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(QColor(first)), luminance(QColor(second))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palette_with_window(colour: str) -> QPalette:
    palette = QPalette()
    palette.setColor(WINDOW, QColor(colour))
    return palette


@pytest.mark.parametrize("system", SYSTEM_SCHEMES)
@pytest.mark.parametrize("theme", THEMES)
def test_scheme_is_forced_or_the_systems_when_theme_is_set(
    theme: str, system: Qt.ColorScheme
) -> None:
    expected = {LIGHT: LIGHT, DARK: DARK}.get(theme)
    if theme == SYSTEM:
        expected = DARK if system == Qt.ColorScheme.Dark else LIGHT

    assert effective_scheme(theme, system) == expected


@pytest.mark.parametrize("native", [LIGHT, DARK])
@pytest.mark.parametrize("system", SYSTEM_SCHEMES)
@pytest.mark.parametrize("theme", THEMES)
def test_native_palette_is_kept_only_when_it_has_the_scheme_shown(
    theme: str, system: Qt.ColorScheme, native: str
) -> None:
    wanted = effective_scheme(theme, system)
    native_palette = dark_palette() if native == DARK else light_palette()

    fallback = fallback_palette(wanted, native_palette)

    if native == wanted:
        assert fallback is None
    else:
        assert fallback is not None
        assert palette_scheme(fallback) == wanted


@pytest.mark.parametrize(
    ("window", "scheme"), [(c, LIGHT) for c in LIGHT_WINDOWS] + [(c, DARK) for c in DARK_WINDOWS]
)
def test_palette_counts_as_dark_when_its_window_is_dark(window: str, scheme: str) -> None:
    assert palette_scheme(palette_with_window(window)) == scheme


def test_dark_palette_has_readable_text_when_built() -> None:
    palette = dark_palette()
    role = QPalette.ColorRole

    assert palette_scheme(palette) == DARK
    for text, background in [
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.Text, role.AlternateBase),
        (role.ButtonText, role.Button),
        (role.HighlightedText, role.Highlight),
        (role.ToolTipText, role.ToolTipBase),
        (role.PlaceholderText, role.Base),
    ]:
        assert contrast(palette.color(text), palette.color(background)) >= 4.5, text
    assert contrast(palette.color(role.Link), palette.color(role.Base)) >= 4.5


def test_light_palette_is_light_when_built() -> None:
    palette = light_palette()

    assert palette_scheme(palette) == LIGHT
    assert contrast(palette.color(QPalette.ColorRole.Text), palette.color(WINDOW)) >= 4.5


@pytest.mark.parametrize(
    ("scheme", "windows"), [(LIGHT, LIGHT_WINDOWS), (DARK, (*DARK_WINDOWS, "#3c3c3c"))]
)
def test_style_sheet_colours_are_readable_when_shown_in_their_scheme(
    scheme: str, windows: tuple[str, ...]
) -> None:
    colours = SCHEME_COLOURS[scheme]

    assert contrast(colours.error_text, colours.error_background) >= 4.5
    for window in windows:
        assert contrast(colours.alert_text, window) >= 4.5, window


@pytest.mark.parametrize("scheme", [LIGHT, DARK])
def test_style_sheet_has_the_schemes_colours_when_rendered(scheme: str) -> None:
    text = style_sheet(theme_path().read_text(encoding="utf-8"), scheme)
    colours = SCHEME_COLOURS[scheme]

    assert "${" not in text
    assert "#errorBanner" in text
    assert "#timeNote" in text
    for colour in (colours.error_background, colours.error_text, colours.alert_text):
        assert colour in text


def test_style_sheet_raises_when_template_names_an_unknown_colour() -> None:
    with pytest.raises(KeyError):
        style_sheet("QLabel { color: ${nope}; }", LIGHT)


@pytest.mark.parametrize("scheme", [LIGHT, DARK])
def test_alert_colour_suits_the_window_when_palette_is_light_or_dark(scheme: str) -> None:
    palette = dark_palette() if scheme == DARK else light_palette()

    assert alert_colour(palette) == SCHEME_COLOURS[scheme].alert_text
