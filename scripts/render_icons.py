"""Render the application icon into the hicolor icon theme layout of packaging/linux/icons/.

Usage:
    python scripts/render_icons.py           # write the PNGs and the scalable SVG
    python scripts/render_icons.py --check   # exit 1 if a committed icon is missing or differs

``resources/icon.svg`` is the one source. It is copied to
``packaging/linux/icons/hicolor/scalable/apps/<APP_ID>.svg`` and rendered with QtSvg's
``QSvgRenderer`` into ``hicolor/<N>x<N>/apps/<APP_ID>.png`` for every size in ``SIZES``
(transparent background, the aspect ratio kept). Runs without a screen (Qt's offscreen
platform). ``tests/unit/test_desktop_files.py`` checks that the committed files are current.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO = Path(__file__).resolve().parents[1]
APP_ID = "io.github.dashboard_desktop.DashboardDesktop"
SOURCE = REPO / "resources" / "icon.svg"
THEME = REPO / "packaging" / "linux" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MAX_CHANNEL_DIFFERENCE = 8
"""How far a committed pixel may be from a fresh rendering (another Qt may antialias anew)."""


def icon_files() -> dict[str, int | None]:
    """The icon files below the hicolor folder, relative, with their pixel size (None: SVG)."""
    files: dict[str, int | None] = {f"scalable/apps/{APP_ID}.svg": None}
    files.update({f"{n}x{n}/apps/{APP_ID}.png": n for n in SIZES})
    return files


def render(size: int) -> QImage:
    """The icon as a ``size`` x ``size`` image with a transparent background."""
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write_icons(theme: Path) -> None:
    """Write the SVG and every PNG size into the hicolor folder ``theme``."""
    for relative, size in icon_files().items():
        target = theme / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if size is None:
            target.write_bytes(SOURCE.read_bytes())
        elif not render(size).save(str(target)):  # PNG, by the suffix
            raise SystemExit(f"could not write {target}")


def differences(committed: Path, fresh: Path) -> list[str]:
    """What differs between two hicolor folders (missing files, sizes, pixels beyond noise)."""
    found = []
    for relative, size in icon_files().items():
        old, new = committed / relative, fresh / relative
        if not old.is_file():
            found.append(f"{relative}: missing")
        elif size is None:
            if old.read_bytes() != new.read_bytes():
                found.append(f"{relative}: differs from {SOURCE.name}")
        elif not _similar(QImage(str(old)), QImage(str(new)), size):
            found.append(f"{relative}: not the current rendering of {SOURCE.name}")
    return found


def _similar(old: QImage, new: QImage, size: int) -> bool:
    """Whether ``old`` is ``size`` pixels square and each channel near ``new``'s."""
    if old.width() != size or old.height() != size:
        return False
    old_bytes = _argb_bytes(old)
    new_bytes = _argb_bytes(new)
    if old_bytes == new_bytes:
        return True
    pairs = zip(old_bytes, new_bytes, strict=True)
    return all(abs(p - q) <= MAX_CHANNEL_DIFFERENCE for p, q in pairs)


def _argb_bytes(image: QImage) -> bytes:
    converted = image.convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(converted.constBits())[: converted.sizeInBytes()]


def main() -> None:
    """Write the icons, or with ``--check`` compare the committed ones with a fresh rendering."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed icons")
    check = parser.parse_args().check
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if not check:
        write_icons(THEME)
        return
    with tempfile.TemporaryDirectory() as folder:
        write_icons(Path(folder))
        found = differences(THEME, Path(folder))
    del app
    if found:
        sys.exit("\n".join(found) + "\nrun: python scripts/render_icons.py")


if __name__ == "__main__":
    main()
