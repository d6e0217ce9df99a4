"""Pseudo-translation: a catalogue of every extracted string, marked, and a widget walker.

``pseudo_catalogue`` runs the project's own extraction (``scripts/update_translations.py``:
``pyside6-lupdate`` over ``dashboard_desktop``), translates every message into ``⟦source⟧`` and
compiles it with ``pyside6-lrelease``. With it installed, a text that went through
``QCoreApplication.translate`` with the context lupdate saw comes out marked; one that
bypassed translation, or whose context or text lupdate could not read, comes out bare.
"""

from __future__ import annotations

import html
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QToolBar,
    QWidget,
)

REPO = Path(__file__).resolve().parents[2]
OPEN, CLOSE = "\u27e6", "\u27e7"
_TAG = re.compile(r"<[^>]+>")


def update_script() -> ModuleType:
    """``scripts/update_translations.py`` as a module."""
    path = REPO / "scripts" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pseudo_catalogue(folder: Path, name: str = "pseudo") -> Path:
    """Build ``folder/<name>.qm``: every string the code has, translated as ``⟦source⟧``."""
    script = update_script()
    ts_file = folder / f"{name}.ts"
    script.lupdate(ts_file)
    tree = ET.parse(ts_file)
    for message in tree.getroot().iter("message"):
        marked = OPEN + (message.findtext("source") or "") + CLOSE
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            for form in translation.iter("numerusform"):
                form.text = marked
        else:
            translation.text = marked
    tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    qm_file = folder / f"{name}.qm"
    script.lrelease(ts_file, qm_file)
    return qm_file


def is_marked(text: str) -> bool:
    """Whether ``text`` is translated: each `` · ``-joined part is ``⟦...⟧``, or no words."""
    plain = html.unescape(_TAG.sub("", text)).replace("&&", "").replace("&", "").strip()
    if not any(char.isalpha() for char in plain):
        return True  # a symbol, a number, a time: nothing to translate
    return all(p.startswith(OPEN) and p.endswith(CLOSE) for p in plain.split(" \u00b7 "))


def _widget_texts(widget: QWidget) -> list[tuple[str, str]]:
    texts = [
        ("accessibleName", widget.accessibleName()),
        ("accessibleDescription", widget.accessibleDescription()),
        ("toolTip", widget.toolTip()),
        ("statusTip", widget.statusTip()),
    ]
    if widget.isWindow() or isinstance(widget, QDockWidget | QToolBar):
        texts.append(("windowTitle", widget.windowTitle()))
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(("text", widget.text()))
    if isinstance(widget, QLineEdit):
        texts.append(("placeholderText", widget.placeholderText()))
    if isinstance(widget, QGroupBox):
        texts.append(("title", widget.title()))
    if isinstance(widget, QMenu):
        texts.append(("title", widget.title()))
    return texts


def _action_texts(action: QAction) -> list[tuple[str, str]]:
    if action.isSeparator():
        return []
    return [
        ("text", action.text()),
        ("toolTip", action.toolTip()),
        ("statusTip", action.statusTip()),
        ("whatsThis", action.whatsThis()),
    ]


def _qt_own(widget: QWidget) -> bool:
    """Qt's own parts (dialog buttons ...): qtbase's catalogue translates those."""
    return isinstance(widget.parentWidget(), QDialogButtonBox) or widget.objectName().startswith(
        "qt_"
    )


def unmarked(
    root: QWidget, skip: tuple[QWidget, ...] = (), skip_actions: tuple[QAction, ...] = ()
) -> list[str]:
    """Every user-visible text under ``root`` not translated, as ``Class(name) kind: text``.

    ``skip``: widgets (and their children) showing data; ``skip_actions``: likewise.
    """
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if _qt_own(widget) or any(s is widget or s.isAncestorOf(widget) for s in skip):
            continue
        texts = _widget_texts(widget)
        for action in widget.actions():
            if not any(action is s for s in skip_actions):
                texts += [(f"action {kind}", text) for kind, text in _action_texts(action)]
        where = f"{type(widget).__name__}({widget.objectName()})"
        found += [f"{where} {kind}: {text!r}" for kind, text in texts if not is_marked(text)]
    return sorted(set(found))
