"""The user's language: install the application's and Qt's own translations at start-up.

The language follows the system (``QLocale.system()``: on Linux ``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES`` or ``LANG``). Catalogues are looked up by :meth:`QTranslator.load` for each of
the locale's UI languages in turn (``de_AT`` falls back to ``de``):

- ``dashboard_desktop_<lang>.qm`` in the package's ``resources/translations`` folder (built by
  ``scripts/update_translations.py`` from ``dashboard_desktop_<lang>.ts``);
- ``qtbase_<lang>.qm`` in Qt's translations folder (``QLibraryInfo.TranslationsPath``), for
  the texts Qt draws itself (OK, Cancel, the line edit's context menu ...), when present.

A language without a catalogue is simply English. Every user-visible string is written as
``QCoreApplication.translate("<Context>", "<literal text>")`` (see ``docs/architecture.md``,
Translations), so the translators must be installed before the first window is built.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dashboard_desktop import resources
from dashboard_desktop.log import log_event

__all__ = ["CATALOGUE", "QT_TRANSLATE_NOOP", "install_translators", "translations_dir"]

CATALOGUE = "dashboard_desktop"
"""The base name of the application's catalogues (``dashboard_desktop_de.qm`` ...)."""

_log = logging.getLogger(__name__)


def translations_dir() -> Path:
    """The folder of the application's ``.ts`` and ``.qm`` files."""
    return Path(resources.__file__).resolve().parent / "translations"


def install_translators(
    app: QCoreApplication, locale: QLocale | None = None, folder: Path | None = None
) -> list[QTranslator]:
    """Install Qt's and the application's translations for ``locale``.

    Args:
        app: The application; it owns the translators.
        locale: The language to load; the system's by default.
        folder: Where the application's ``.qm`` files are; :func:`translations_dir` by default.

    Returns:
        The translators installed (none for English or a language without catalogues).
    """
    locale = locale if locale is not None else QLocale.system()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    app_folder = str(folder if folder is not None else translations_dir())
    installed = []
    for name, where in (("qtbase", qt_folder), (CATALOGUE, app_folder)):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", where) and app.installTranslator(translator):
            installed.append(translator)
        else:
            translator.deleteLater()
    log_event(
        _log,
        "translations_loaded",
        languages=locale.uiLanguages(),
        files=[translator.filePath() for translator in installed],
    )
    return installed


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for ``pyside6-lupdate`` in ``context``; translate it later, where shown.

    For texts declared before a translator exists (module-level tables such as the column
    headers): ``QCoreApplication.translate(context, value)`` at the point of use. Typed, unlike
    PySide6's own (which returns ``object``); lupdate recognises the call by its name.
    """
    return text
