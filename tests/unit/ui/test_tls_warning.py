"""The permanent "TLS verification off" warning: staff status bar, kiosk notice banner, wiring."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from dashboard_desktop.config import LoadedSettings, Settings
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.errors import ErrorChannel
from dashboard_desktop.session import Session
from dashboard_desktop.shutdown import QuitSignal
from dashboard_desktop.ui.kiosk_window import KioskWindow
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel
from tests.conftest import run

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")

WARNING = "TLS verification off"


@pytest.fixture
def model(qapp: Any) -> Iterator[ScheduleTableModel]:
    table_model = ScheduleTableModel(Schedule())
    yield table_model
    table_model.detach()


def test_status_bar_shows_permanent_warning_when_verification_is_off(
    qtbot: Any, model: ScheduleTableModel
) -> None:
    window = MainWindow(model, "https://127.0.0.1:9")
    qtbot.addWidget(window)
    window.show()
    assert window.tls_warning.isHidden()

    window.show_tls_warning(True)
    window.statusBar().showMessage("a temporary message")  # hides normal widgets, not this

    assert window.tls_warning.isVisible()
    assert window.tls_warning.text() == WARNING
    assert window.tls_warning.textFormat() == Qt.TextFormat.PlainText
    assert window.tls_warning.toolTip()  # says what it means
    window.show_tls_warning(False)
    assert window.tls_warning.isHidden()


def test_kiosk_notice_says_so_when_verification_is_off(
    qtbot: Any, model: ScheduleTableModel
) -> None:
    window = KioskWindow(model, "Gate 3")
    qtbot.addWidget(window)

    window.show_tls_warning(True)
    window.show_clock_skew(None)  # another note does not replace it

    assert not window.notice.isHidden()
    assert window.notice.text().startswith(WARNING)
    window.show_tls_warning(False)
    assert window.notice.isHidden()


@pytest.fixture
def make_session(loop: Any, qtbot: Any) -> Iterator[Any]:
    sessions: list[Session] = []

    def make(**overrides: Any) -> Session:
        settings = Settings(server_url="https://127.0.0.1:9", offline_cache=False, **overrides)
        session = Session(LoadedSettings(settings, {}, None), ErrorChannel(), QuitSignal())
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        run(qtbot, session.stop())
        session.window.deleteLater()


@pytest.mark.parametrize("kiosk", [False, True], ids=["staff", "kiosk"])
def test_warning_follows_settings_when_connection_is_replaced(
    qtbot: Any, make_session: Any, kiosk: bool
) -> None:
    session = make_session(verify_tls=False, kiosk=kiosk)
    window = session.window

    def warned() -> bool:
        if isinstance(window, MainWindow):
            return not window.tls_warning.isHidden()
        return WARNING in window.notice.text()

    assert warned()
    verified = session.connection.service.settings.with_overrides(verify_tls=True)
    run(qtbot, session.connection.replace(verified))
    assert not warned()
    run(qtbot, session.connection.replace(verified.with_overrides(verify_tls=False)))
    assert warned()
