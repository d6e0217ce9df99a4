"""Every user-visible string is translatable: extracted by lupdate, translated at run time.

The pseudo-translation tests install a catalogue that wraps every extracted string in
``⟦...⟧`` (see ``translation_helpers``) and look at what the windows show: a bare text went
around ``QCoreApplication.translate``, or used a context or text lupdate cannot read.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from dashboard_desktop.config import Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.core.timeline import Phase, RowState
from dashboard_desktop.errors import ErrorChannel
from dashboard_desktop.translations import CATALOGUE, install_translators, translations_dir
from dashboard_desktop.ui import columns, timecues
from dashboard_desktop.ui.indicator import DataSummary, ago, describe
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.settings_dialog import SettingsDialog
from tests.unit.translation_helpers import (
    REPO,
    is_marked,
    pseudo_catalogue,
    unmarked,
    update_script,
)

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

PACKAGE = REPO / "dashboard_desktop"
# Known lookups of a text chosen at run time (each one marked with QT_TRANSLATE_NOOP where it
# is declared): (module, function).
DYNAMIC_LOOKUPS = {("ui/model.py", "headerData"), ("ui/columns.py", "_translated_status")}


@pytest.fixture(scope="session")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pseudo_catalogue(tmp_path_factory.mktemp("pseudo"))


def _clear_text_caches() -> None:
    # Texts translated once and memoised (per status word, per row look).
    for cached in (columns.__dict__.get("_translated_status"), timecues.look):
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


@pytest.fixture
def pseudo(qapp: QApplication, pseudo_qm: Path) -> Iterator[QTranslator]:
    """The pseudo catalogue installed for one test."""
    translator = QTranslator()
    assert translator.load(str(pseudo_qm))
    _clear_text_caches()
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)
    _clear_text_caches()


def status(state: ConnectionState, **fields: Any) -> ConnectionStatus:
    values: dict[str, Any] = {
        "state": state,
        "now": datetime(2026, 11, 27, 15, 0, tzinfo=UTC),
        "confirmed_at": datetime(2026, 11, 27, 14, 0, tzinfo=UTC),
        "version": 7,
        "item_count": 3,
        "stale": True,
        "attempt": 2,
        "max_attempts": 60,
        "poll_interval": 30.0,
        "reason": "test",
        "last_poll_at": datetime(2026, 11, 27, 14, 59, tzinfo=UTC),
    }
    values.update(fields)
    return ConnectionStatus(**values)


@pytest.fixture
def window(qtbot: Any, qapp: QApplication, pseudo: QTranslator) -> Iterator[MainWindow]:
    qapp.setQuitOnLastWindowClosed(False)
    model = ScheduleTableModel(Schedule())
    main = MainWindow(model, "http://127.0.0.1:1")
    qtbot.addWidget(main)
    main.show()
    yield main
    for box in main.findChildren(QMessageBox):
        box.close()
    model.detach()


# -- the catalogue -----------------------------------------------------------------------------


def test_committed_catalogue_has_every_string_when_compared_with_the_code() -> None:
    script = update_script()

    assert script.messages(script.TEMPLATE) == script.fresh_messages(), (
        "resources/translations/dashboard_desktop.ts is out of date: run "
        "python scripts/update_translations.py"
    )


def _translate_calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                if is_call and node.func.attr in ("translate", "tr"):  # type: ignore[union-attr]
                    yield function.name, node  # type: ignore[misc]


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _problems(relative: str) -> list[str]:
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    problems = []
    for function, call in _translate_calls(tree):
        args = call.args
        if isinstance(call.func, ast.Attribute) and call.func.attr == "tr":
            problems.append(f"{function}: tr() (use QCoreApplication.translate)")
        elif len(args) < 2 or not _literal(args[0]):
            problems.append(f"{function}: the context is not a literal")
        elif not _literal(args[1]) and (relative, function) not in DYNAMIC_LOOKUPS:
            problems.append(f"{function}: the text is not a literal ({ast.unparse(args[1])})")
    return problems


@pytest.mark.parametrize(
    "relative",
    sorted(str(f.relative_to(PACKAGE)) for f in PACKAGE.rglob("*.py")),
)
def test_translate_calls_use_literal_context_and_text_when_module_is_read(relative: str) -> None:
    # str.translate(table) has one argument and no literal context: none in this package.
    assert _problems(relative) == []


# -- loading -----------------------------------------------------------------------------------


def test_catalogue_for_the_language_is_installed_when_one_exists(
    qapp: QApplication, pseudo_qm: Path, tmp_path: Path
) -> None:
    (tmp_path / f"{CATALOGUE}_de.qm").write_bytes(pseudo_qm.read_bytes())

    installed = install_translators(qapp, QLocale("de_AT"), tmp_path)
    try:
        files = [Path(t.filePath()).name for t in installed]
        text = QCoreApplication.translate("MainWindow", "&Find")
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)

    assert f"{CATALOGUE}_de.qm" in files
    assert text == "\u27e6&Find\u27e7"


def test_nothing_of_ours_is_installed_when_language_has_no_catalogue(
    qapp: QApplication, tmp_path: Path
) -> None:
    installed = install_translators(qapp, QLocale("fr_FR"), tmp_path)
    for translator in installed:
        qapp.removeTranslator(translator)

    assert [t for t in installed if CATALOGUE in t.filePath()] == []


def test_system_language_is_followed_when_lang_is_set(pseudo_qm: Path, tmp_path: Path) -> None:
    (tmp_path / f"{CATALOGUE}_de.qm").write_bytes(pseudo_qm.read_bytes())
    code = (
        "import sys; from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication as Q\n"
        "from dashboard_desktop.translations import install_translators\n"
        "app = Q(sys.argv); install_translators(app, folder=Path(sys.argv[1]))\n"
        "print(Q.translate('MainWindow', '&Find'))\n"
    )
    env = {**os.environ, "LANG": "de_DE.UTF-8", "LANGUAGE": "de", "LC_ALL": "", "LC_MESSAGES": ""}

    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == "\u27e6&Find\u27e7"


def test_translations_folder_is_packaged_when_installed() -> None:
    assert translations_dir().name == "translations"
    assert (translations_dir() / f"{CATALOGUE}.ts").is_file()


# -- what the staff desktop shows --------------------------------------------------------------


def test_main_window_texts_are_translated_when_a_translator_is_installed(
    window: MainWindow,
) -> None:
    window.show_status(status(ConnectionState.POLLING))
    window.show_error("boom")
    window.show_error("boom again")
    # Data, tested in test_column_texts_...: column names in the Columns and Sort by menus.
    columns_actions = tuple(window.table.column_actions + window.table.sort_actions[1:])

    problems = unmarked(window, skip=(window.banner.label,), skip_actions=columns_actions)

    assert problems == []


def test_about_box_texts_are_translated_when_a_translator_is_installed(
    window: MainWindow,
) -> None:
    window.show_about()
    (box,) = window.findChildren(QMessageBox)

    assert is_marked(box.windowTitle())
    assert is_marked(box.text())


def test_settings_dialog_texts_are_translated_when_a_translator_is_installed(
    qtbot: Any, pseudo: QTranslator
) -> None:
    dialog = SettingsDialog(Settings(), fixed={"token": "DASHBOARD_TOKEN"})
    dialog.show()

    problems = unmarked(dialog)
    dialog.close()
    dialog.deleteLater()  # now: other tests count the top-level dialogs
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert problems == []


def test_diagnostics_window_texts_are_translated_when_a_translator_is_installed(
    qtbot: Any, pseudo: QTranslator
) -> None:
    from dashboard_desktop.ui.diagnostics import DiagnosticsWindow

    window = DiagnosticsWindow()
    qtbot.addWidget(window)
    window.show_states("live", {"live": 60.0, "polling": 5.0})
    window.show()

    problems = unmarked(window, skip=(window.counters.viewport(),))
    window.close()

    assert problems == []
    assert is_marked(window.latency.summary())


def test_status_words_are_translated_when_a_translator_is_installed(
    qtbot: Any, pseudo: QTranslator
) -> None:
    words = [describe(status(state)) for state in ConnectionState]
    ages = [ago(None), *(ago(timedelta(seconds=s)) for s in (5, 300, 7200, 86400, 200000))]
    summaries = []
    for fields in ({"cached": True}, {"state": ConnectionState.LIVE, "stale": False}, {}):
        summary = DataSummary()
        qtbot.addWidget(summary)
        summary.set_status(status(fields.pop("state", ConnectionState.OFFLINE), **fields))
        summaries.append(summary.text())

    assert [text for text in words + ages + summaries if not is_marked(text)] == []


def test_error_messages_are_translated_when_a_translator_is_installed(
    qtbot: Any, pseudo: QTranslator
) -> None:
    channel = ErrorChannel()

    with qtbot.waitSignal(channel.errorReported, timeout=2000) as reported:
        channel._sys_hook(ValueError, ValueError("x"), None)

    assert reported.args[0].startswith("\u27e6Unexpected error\u27e7: ValueError")


def test_column_texts_and_time_cues_are_translated_when_a_translator_is_installed(
    window: MainWindow,
) -> None:
    model = window.table.model()
    horizontal = Qt.Orientation.Horizontal
    headers = [str(model.headerData(s, horizontal)) for s in range(model.columnCount())]
    statuses = [columns.status_text(s) for s in ("scheduled", "in_progress", "delayed")]
    confirmed = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    cues = [
        timecues.look(RowState(Phase.NEXT, flagged=True), confirmed).mark,
        timecues.look(RowState(Phase.NEXT, flagged=True), confirmed).note,
        timecues.clock_note(timedelta(minutes=5)),
        timecues.clock_note(timedelta(minutes=-5)),
        timecues.outdated_note(date(2026, 11, 26), date(2026, 11, 27)),
        timecues.outdated_note(date(2026, 11, 20), date(2026, 11, 27)),
    ]
    menus = unmarked(window)  # the Columns and Sort by menus too

    assert [t for t in headers + statuses + cues if not is_marked(t)] == []
    assert menus == []


def test_kiosk_window_texts_are_translated_when_a_translator_is_installed(
    qtbot: Any, pseudo: QTranslator
) -> None:
    from dashboard_desktop.ui.kiosk_window import KioskWindow, stale_text

    model = ScheduleTableModel(Schedule())
    kiosk = KioskWindow(model, "")
    qtbot.addWidget(kiosk)
    kiosk.show_status(status(ConnectionState.OFFLINE))
    kiosk.show_error("")  # "Unexpected error", checked below
    error_text = kiosk.error.text()
    data = tuple(getattr(kiosk, name) for name in ("title", "clock", "date", "error"))
    stale = [stale_text(status(s)) for s in ConnectionState]

    problems = unmarked(kiosk, skip=data)
    model.detach()

    assert [text for text in [*stale, error_text] if not is_marked(text)] == []
    assert problems == []
