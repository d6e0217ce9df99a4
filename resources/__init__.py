"""Application resources (icon, theme), installed as ``dashboard_desktop.resources``."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def icon_path() -> Path:
    """The application icon (SVG)."""
    return _HERE / "icon.svg"


def theme_path() -> Path:
    """The application style sheet."""
    return _HERE / "theme.qss"
