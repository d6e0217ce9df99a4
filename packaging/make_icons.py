"""Render ``resources/icon.svg`` into the program icons of the Windows and macOS bundles.

Usage::

    python packaging/make_icons.py [OUT_DIR]   # default build/icons (git-ignored)

writes ``dashboard-desktop.ico`` (Windows: the .exe and the installer) and
``dashboard-desktop.icns`` (macOS: the .app), 256x256 pixels each, with Qt's own image plugins
(QtSvg renders, the ico and icns writers of PySide6's image formats save), offscreen.
``scripts/build_bundle`` runs it before PyInstaller; ``packaging/dashboard-desktop.spec`` uses
the files when they exist. The icon is never committed twice: the SVG is the one source.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icon.svg"
SIZE = 256
NAMES = ("dashboard-desktop.ico", "dashboard-desktop.icns")  # Qt writes by the suffix


def render(size: int) -> QImage:
    """The icon on a transparent square of ``size`` pixels."""
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def main(argv: list[str]) -> int:
    """Write the icons into ``argv[0]`` (default build/icons); return the exit status."""
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication([])
    image = render(SIZE)
    for name in NAMES:
        if not image.save(str(out / name)):
            print(f"make_icons: Qt could not write {out / name}", file=sys.stderr)
            return 1
    print(f"make_icons: wrote {', '.join(NAMES)} into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
