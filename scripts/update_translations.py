"""Refresh the translation catalogues from the code and compile the translated ones.

Usage:
    python scripts/update_translations.py           # update the .ts files, build the .qm files
    python scripts/update_translations.py --check   # exit 1 if the catalogue is out of date

``resources/translations/dashboard_desktop.ts`` holds every source string (no language; the
template). A language is ``dashboard_desktop_<lang>.ts`` beside it (start with a copy of the
template, set ``<TS language="de">`` and translate it in Qt Linguist); this script merges new
strings into each one (``pyside6-lupdate``, dropping strings the code no longer has) and
compiles it into ``dashboard_desktop_<lang>.qm`` (``pyside6-lrelease``), which the package
installs and ``dashboard_desktop.translations`` loads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6

REPO = Path(__file__).resolve().parents[1]
SOURCES = "dashboard_desktop"
FOLDER = REPO / "resources" / "translations"
TEMPLATE = FOLDER / "dashboard_desktop.ts"

Message = tuple[str, str, str]
"""A catalogue entry: context, source text, disambiguation comment."""


def tool(name: str) -> str:
    """The path of Qt's ``lupdate`` or ``lrelease`` as shipped in PySide6-Essentials."""
    suffix = ".exe" if os.name == "nt" else ""
    shipped = Path(PySide6.__file__).resolve().parent / f"{name}{suffix}"
    found = str(shipped) if shipped.exists() else shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials")
    return found


def lupdate(ts_file: Path) -> None:
    """Merge the code's strings into ``ts_file`` (created if missing), dropping vanished ones."""
    command = [tool("lupdate"), "-silent", "-extensions", "py", "-no-obsolete"]
    command += ["-locations", "absolute", SOURCES, "-ts", str(ts_file)]
    subprocess.run(command, cwd=REPO, check=True)


def lrelease(ts_file: Path, qm_file: Path) -> None:
    """Compile ``ts_file`` into ``qm_file``."""
    command = [tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)]
    subprocess.run(command, cwd=REPO, check=True)


def messages(ts_file: Path) -> list[Message]:
    """The entries of ``ts_file``, sorted, without their source locations."""
    found: list[Message] = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append(
                (name, message.findtext("source") or "", message.findtext("comment") or "")
            )
    return sorted(found)


def fresh_messages() -> list[Message]:
    """The entries the code has now (a new template, made in a temporary folder)."""
    with tempfile.TemporaryDirectory() as folder:
        ts_file = Path(folder) / "dashboard_desktop.ts"
        lupdate(ts_file)
        return messages(ts_file)


def languages() -> list[Path]:
    """The translated catalogues (``dashboard_desktop_<lang>.ts``)."""
    return sorted(FOLDER.glob("dashboard_desktop_*.ts"))


def main() -> None:
    """Update the template and every language, then compile the languages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the template")
    if parser.parse_args().check:
        if not TEMPLATE.exists() or messages(TEMPLATE) != fresh_messages():
            sys.exit(f"{TEMPLATE} is out of date: run python scripts/update_translations.py")
        return
    FOLDER.mkdir(parents=True, exist_ok=True)
    for ts_file in [TEMPLATE, *languages()]:
        lupdate(ts_file)
    for ts_file in languages():
        lrelease(ts_file, ts_file.with_suffix(".qm"))


if __name__ == "__main__":
    main()
