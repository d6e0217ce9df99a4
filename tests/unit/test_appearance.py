"""Appearance: the scheme applied to the application, following the system's colour scheme.

The offscreen platform's native style is Fusion with a light palette, and it cannot switch
schemes itself, so a dark scheme always takes the fallback here; the decision for a native
dark palette is tested in ``tests/unit/ui/test_themes.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar, QWidget

from dashboard_desktop.appearance import Appearance
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.ui.banner import ErrorBanner
from dashboard_desktop.ui.kiosk_theme import BACKGROUND, TEXT
from dashboard_desktop.ui.kiosk_window import KioskWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.themes import DARK, LIGHT, SCHEME_COLOURS, SYSTEM, THEMES
from tests.unit.ui.test_themes import contrast

WINDOW = QPalette.ColorRole.Window
SYSTEM_SCHEMES = (Qt.ColorScheme.Unknown, Qt.ColorScheme.Light, Qt.ColorScheme.Dark)
_SET_PALETTE = Qt.ApplicationAttribute.AA_SetPalette  # the app's palette was set explicitly

MakeAppearance = Callable[[str], Appearance]


@pytest.fixture
def make_appearance(qapp: QApplication) -> Iterator[MakeAppearance]:
    """Build ``Appearance`` services; afterwards stop them and restore the application's look.

    Other tests share the QApplication: its style, palette and style sheet are put back.
    """
    sheet = qapp.styleSheet()
    qapp.setStyleSheet("")  # a style sheet hides the style's name
    style = qapp.style().name()
    palette = QPalette(qapp.palette()) if qapp.testAttribute(_SET_PALETTE) else QPalette()
    made: list[Appearance] = []

    def make(theme: str) -> Appearance:
        appearance = Appearance(qapp, theme)
        made.append(appearance)
        return appearance

    yield make
    for appearance in made:
        appearance.stop()
        appearance.setParent(None)
    qapp.setStyleSheet("")
    if qapp.style().name() != style:
        qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def emit_system_scheme(scheme: Qt.ColorScheme) -> None:
    """Pretend the system switched to ``scheme`` (the offscreen platform never does)."""
    QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)


def window_lightness(qapp: QApplication) -> int:
    return qapp.palette().color(WINDOW).lightness()


@pytest.mark.parametrize("system", SYSTEM_SCHEMES)
@pytest.mark.parametrize("theme", THEMES)
def test_applied_scheme_follows_setting_and_system_when_applied(
    make_appearance: MakeAppearance, qapp: QApplication, theme: str, system: Qt.ColorScheme
) -> None:
    appearance = make_appearance(theme)
    emit_system_scheme(system)  # ignored unless the theme is "system"

    appearance.apply()

    expected = theme if theme != SYSTEM else DARK if system == Qt.ColorScheme.Dark else LIGHT
    assert appearance.scheme == expected
    assert (window_lightness(qapp) < 128) == (expected == DARK)
    assert SCHEME_COLOURS[expected].alert_text in qapp.styleSheet()


def test_light_scheme_keeps_native_style_and_palette_when_they_are_light(
    make_appearance: MakeAppearance, qapp: QApplication
) -> None:
    native = qapp.palette().color(WINDOW)

    make_appearance(LIGHT).apply()

    assert qapp.style().name() in ("", "fusion")  # the style sheet's wrapper hides the name
    assert not qapp.testAttribute(_SET_PALETTE)  # the platform's palette, not ours
    assert qapp.palette().color(WINDOW) == native


def test_system_change_rethemes_app_when_theme_is_system(
    make_appearance: MakeAppearance, qapp: QApplication
) -> None:
    appearance = make_appearance(SYSTEM)
    appearance.apply()
    assert appearance.scheme == LIGHT

    emit_system_scheme(Qt.ColorScheme.Dark)

    assert appearance.scheme == DARK
    assert window_lightness(qapp) < 128
    assert SCHEME_COLOURS[DARK].alert_text in qapp.styleSheet()

    emit_system_scheme(Qt.ColorScheme.Light)

    assert appearance.scheme == LIGHT
    assert window_lightness(qapp) >= 128
    assert not qapp.testAttribute(_SET_PALETTE)


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_system_change_is_ignored_when_theme_is_forced(
    make_appearance: MakeAppearance, qapp: QApplication, theme: str
) -> None:
    appearance = make_appearance(theme)
    appearance.apply()
    lightness = window_lightness(qapp)

    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        emit_system_scheme(scheme)
        assert appearance.scheme == theme
        assert window_lightness(qapp) == lightness


def test_system_change_is_ignored_when_stopped(
    make_appearance: MakeAppearance, qapp: QApplication
) -> None:
    appearance = make_appearance(SYSTEM)
    appearance.apply()
    appearance.stop()

    emit_system_scheme(Qt.ColorScheme.Dark)

    assert appearance.scheme == LIGHT
    assert window_lightness(qapp) >= 128


def test_new_theme_is_applied_when_set(
    make_appearance: MakeAppearance, qapp: QApplication
) -> None:
    appearance = make_appearance(DARK)
    appearance.apply()

    appearance.set_theme(SYSTEM)

    assert appearance.theme == SYSTEM
    assert appearance.scheme == LIGHT  # the offscreen system's scheme is unknown
    assert window_lightness(qapp) >= 128


def test_theme_applied_is_logged_with_scheme_when_applied(
    make_appearance: MakeAppearance, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "dashboard_desktop")

    make_appearance(DARK).apply()

    (record,) = [r for r in caplog.records if r.getMessage() == "theme_applied"]
    fields: Any = getattr(record, "fields", {})
    assert fields["scheme"] == DARK
    assert fields["theme"] == DARK
    assert fields["palette"] == "fallback"


def test_dark_theme_shows_readable_banner_and_status_text_when_applied(
    make_appearance: MakeAppearance, qapp: QApplication, qtbot: Any
) -> None:
    make_appearance(DARK).apply()
    window = QWidget()
    qtbot.addWidget(window)
    banner = ErrorBanner(window)
    status = QStatusBar(window)
    note = QLabel("Clock 5 min off", status)
    note.setObjectName("timeNote")
    status.addWidget(note)
    banner.show_message("boom")
    window.show()
    qtbot.waitExposed(window)

    background = banner.grab().toImage().pixelColor(2, 2)
    assert background == QColor(SCHEME_COLOURS[DARK].error_background)
    text = banner.label.palette().color(QPalette.ColorRole.WindowText)
    assert contrast(text, background) >= 4.5
    note_colour = note.palette().color(QPalette.ColorRole.WindowText)
    assert note_colour == QColor(SCHEME_COLOURS[DARK].alert_text)
    assert contrast(note_colour, status.palette().color(WINDOW)) >= 4.5


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_settings_errors_are_readable_when_either_theme_is_applied(
    make_appearance: MakeAppearance, qtbot: Any, theme: str
) -> None:
    make_appearance(theme).apply()
    window = QWidget()
    qtbot.addWidget(window)
    error = QLabel("Must start with http:// or https://", window)
    error.setProperty("alert", True)  # as the settings dialog marks its messages
    window.show()
    qtbot.waitExposed(window)

    colour = error.palette().color(QPalette.ColorRole.WindowText)
    assert colour == QColor(SCHEME_COLOURS[theme].alert_text)
    assert contrast(colour, window.palette().color(WINDOW)) >= 4.5


@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")
@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_kiosk_stays_black_when_desktop_theme_is_applied(
    make_appearance: MakeAppearance, qtbot: Any, theme: str
) -> None:
    make_appearance(theme).apply()
    model = ScheduleTableModel(Schedule())
    window = KioskWindow(model, "Main Hall")
    qtbot.addWidget(window)
    window.resize(800, 600)
    window.show()
    qtbot.waitExposed(window)

    viewport = window.table.viewport()
    image = viewport.grab().toImage()
    assert image.pixelColor(viewport.width() // 2, viewport.height() // 2) == BACKGROUND
    assert window.title.palette().color(QPalette.ColorRole.WindowText) == TEXT
    model.detach()
