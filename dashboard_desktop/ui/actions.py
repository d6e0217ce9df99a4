"""The main window's actions, with the shortcuts the README documents.

Each action has a mnemonic (``&``) and, where the README names one, that shortcut on every
platform (``F5``, ``F11``, ``Ctrl+F``, ``Ctrl+,``, ``Ctrl+Q``), followed by the platform's
own standard keys for it (e.g. ``Ctrl+R`` for Refresh on macOS), so neither is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

StandardKey = QKeySequence.StandardKey


def make_action(
    parent: QObject, text: str, keys: str = "", standard: StandardKey | None = None
) -> QAction:
    """An action: the documented shortcut ``keys`` first, then the ``standard`` ones."""
    action = QAction(text, parent)
    shortcuts = [QKeySequence(keys)] if keys else []
    if standard is not None:
        shortcuts += [s for s in QKeySequence.keyBindings(standard) if s not in shortcuts]
    action.setShortcuts(shortcuts)
    if shortcuts:  # the tooltip of a toolbar button says which key does the same
        plain = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        native = shortcuts[0].toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(
            QCoreApplication.translate("MainWindow", "{action} ({keys})").format(
                action=plain, keys=native
            )
        )
    return action


@dataclass(frozen=True)
class WindowActions:
    """The actions of the File, View and Help menus (the table brings Copy Row and Columns)."""

    refresh: QAction
    find: QAction
    settings: QAction
    quit: QAction
    full_screen: QAction
    diagnostics: QAction
    about: QAction


def window_actions(parent: QObject) -> WindowActions:
    """Create the window's actions (unconnected), texts translated."""
    refresh = make_action(
        parent, QCoreApplication.translate("MainWindow", "&Refresh Now"), "F5", StandardKey.Refresh
    )
    refresh.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    full_screen = make_action(
        parent,
        QCoreApplication.translate("MainWindow", "&Full Screen"),
        "F11",
        StandardKey.FullScreen,
    )
    full_screen.setCheckable(True)
    diagnostics = make_action(
        parent, QCoreApplication.translate("MainWindow", "&Diagnostics"), "Ctrl+Shift+D"
    )
    diagnostics.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    return WindowActions(
        refresh=refresh,
        find=make_action(
            parent, QCoreApplication.translate("MainWindow", "&Find"), "Ctrl+F", StandardKey.Find
        ),
        settings=make_action(
            parent,
            QCoreApplication.translate("MainWindow", "&Settings..."),
            "Ctrl+,",
            StandardKey.Preferences,
        ),
        quit=make_action(
            parent, QCoreApplication.translate("MainWindow", "&Quit"), "Ctrl+Q", StandardKey.Quit
        ),
        full_screen=full_screen,
        diagnostics=diagnostics,
        about=make_action(parent, QCoreApplication.translate("MainWindow", "&About")),
    )
