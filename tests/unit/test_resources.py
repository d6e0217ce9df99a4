"""The packaged resources are found and usable."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QIcon

from dashboard_desktop.resources import icon_path, theme_path


def test_icon_renders_when_loaded(qapp: Any) -> None:
    icon = QIcon(str(icon_path()))
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).isNull()


def test_theme_styles_error_banner_when_loaded() -> None:
    assert "#errorBanner" in theme_path().read_text(encoding="utf-8")
