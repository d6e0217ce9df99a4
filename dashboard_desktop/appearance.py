"""``Appearance``: the staff desktop's light or dark look, following the system when asked.

The ``theme`` setting is ``system`` (the default), ``light`` or ``dark``. The scheme shown is
the forced one, or the system's (``QStyleHints.colorScheme()``, followed through
``colorSchemeChanged`` while the theme is ``system``; an unknown scheme counts as light).

Applying a scheme (:meth:`Appearance.apply`):

1. Back to the native style and its own palette (the platform's, which follows dark mode on
   Windows 11, macOS and GTK).
2. A forced scheme is also requested from the platform (``QStyleHints.setColorScheme``, Qt
   6.8+; a platform that cannot switch ignores it); ``system`` withdraws such a request.
3. If the palette still has the other scheme (by its window colour), Fusion is used with a
   palette of the wanted scheme (:mod:`dashboard_desktop.ui.themes`).
4. The application style sheet (``resources/theme.qss``) is set with that scheme's colours,
   and ``theme_applied`` is logged.

The kiosk window sets its own black style sheet on itself, which wins over all of this.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from dashboard_desktop.log import log_event
from dashboard_desktop.resources import theme_path
from dashboard_desktop.ui.themes import (
    DARK,
    LIGHT,
    SYSTEM,
    effective_scheme,
    fallback_palette,
    style_sheet,
)

__all__ = ["Appearance"]

_log = logging.getLogger(__name__)
_FUSION = "fusion"
_SCHEMES = {LIGHT: Qt.ColorScheme.Light, DARK: Qt.ColorScheme.Dark}


class Appearance(QObject):
    """Applies the light or dark look to ``app`` and keeps it in step with the system.

    Construction only starts listening to the system; call :meth:`apply` to show the look.

    Args:
        app: The application; its style at construction counts as the native one.
        theme: The ``theme`` setting: ``"system"``, ``"light"`` or ``"dark"``.
        template: The style sheet template; by default ``resources/theme.qss``.

    Attributes:
        scheme: The scheme applied last, ``"light"`` or ``"dark"``.
    """

    def __init__(self, app: QApplication, theme: str, template: str | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._theme = theme
        self._template = template or theme_path().read_text(encoding="utf-8")
        # Empty under an application style sheet (its style has no name): then none is restored.
        self._native_style = app.style().name()
        self._fusion = False  # switched to Fusion, from another native style
        self._hints = QGuiApplication.styleHints()
        self._system = self._hints.colorScheme()
        self._requested = False  # a scheme was requested from the platform
        self._applying = False
        self.scheme = LIGHT
        self._hints.colorSchemeChanged.connect(self._on_color_scheme_changed)
        self._following = True

    @property
    def theme(self) -> str:
        """The ``theme`` setting followed."""
        return self._theme

    def set_theme(self, theme: str) -> None:
        """Follow ``theme`` from now on, and apply it."""
        self._theme = theme
        self.apply()

    def apply(self) -> None:
        """Apply the scheme the setting and the system call for (see the module docstring)."""
        self._applying = True  # a request below may report a scheme change at once
        try:
            self._restore_native()
            self._request()
            wanted = effective_scheme(self._theme, self._system)
            palette = fallback_palette(wanted, self._app.palette())
            if palette is not None:
                self._use_fusion(palette)
            self._app.setStyleSheet(style_sheet(self._template, wanted))
        finally:
            self._applying = False
        self.scheme = wanted
        log_event(
            _log,
            "theme_applied",
            scheme=wanted,
            theme=self._theme,
            system=self._system.name.lower(),
            style=_FUSION if self._fusion else self._native_style,
            palette="native" if palette is None else "fallback",
        )

    def stop(self) -> None:
        """Stop following the system and withdraw a scheme requested from the platform.

        The application keeps the look applied last.
        """
        if self._following:
            self._hints.colorSchemeChanged.disconnect(self._on_color_scheme_changed)
            self._following = False
        if self._requested:
            self._hints.unsetColorScheme()
            self._requested = False

    def _on_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        """The system's scheme changed (or a forced one took effect: nothing to do)."""
        if self._applying or self._theme != SYSTEM:
            return
        self._system = scheme
        self.apply()

    def _restore_native(self) -> None:
        """Use the native style and the platform's palette again."""
        if self._fusion:
            self._app.setStyle(self._native_style)
            self._fusion = False
        self._app.setPalette(QPalette())  # no role set: the platform's palette, followed again

    def _request(self) -> None:
        """Ask the platform for a forced scheme; withdraw the request under ``system``."""
        if self._theme != SYSTEM:
            self._hints.setColorScheme(_SCHEMES.get(self._theme, Qt.ColorScheme.Unknown))
            self._requested = True
        elif self._requested:
            self._hints.unsetColorScheme()
            self._requested = False
            self._system = self._hints.colorScheme()

    def _use_fusion(self, palette: QPalette) -> None:
        """Switch to Fusion with ``palette``: the native style cannot show the scheme."""
        if self._native_style not in (_FUSION, ""):
            self._app.setStyle(_FUSION)
            self._fusion = True
        self._app.setPalette(palette)
