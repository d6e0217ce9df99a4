"""SettingsDialog: prefilled fields, validation through the declared kinds, non-modal, token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from dashboard_desktop._setting_kinds import Flag, SettingSpec
from dashboard_desktop.config import Settings, SettingsError, setting_specs
from dashboard_desktop.ui import settings_dialog
from dashboard_desktop.ui.settings_dialog import (
    CONNECTION_SETTINGS,
    KIOSK_SETTINGS,
    SettingsDialog,
)

TOKEN = "s3cret-T0ken"

# The offscreen platform plugin warns whenever a shown widget has size constraints; that is a
# limitation of the test platform, not of the dialog. Every other Qt warning still fails.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


@pytest.fixture
def current() -> Settings:
    return Settings(
        server_url="https://dash.example.org",
        namespace="site-a",
        token=TOKEN,
        poll_interval=12.5,
        verify_tls=False,
    )


@pytest.fixture
def make_dialog(qtbot: Any, qapp: QApplication) -> Iterator[Any]:
    qapp.setQuitOnLastWindowClosed(False)

    def make(settings: Any, **kwargs: Any) -> SettingsDialog:
        dialog = SettingsDialog(settings, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    yield make


def line(dialog: SettingsDialog, name: str) -> QLineEdit:
    editor = dialog.editor(name)
    assert isinstance(editor, QLineEdit)
    return editor


def press_ok(dialog: SettingsDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def accepted(qtbot: Any, dialog: SettingsDialog) -> Settings:
    """Press OK and return the settings emitted."""
    with qtbot.waitSignal(dialog.settingsAccepted, timeout=2000) as blocker:
        press_ok(dialog)
    (settings,) = blocker.args
    assert isinstance(settings, Settings)
    return settings


def test_fields_are_prefilled_from_settings_when_dialog_opens(
    make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)

    assert line(dialog, "server_url").text() == "https://dash.example.org"
    assert line(dialog, "namespace").text() == "site-a"
    assert line(dialog, "poll_interval").text() == "12.5"
    assert line(dialog, "ca_bundle").text() == ""
    verify = dialog.editor("verify_tls")
    assert isinstance(verify, QCheckBox)
    assert not verify.isChecked()


def test_token_field_echoes_as_password_when_token_comes_from_keyring_or_file(
    make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    token = line(dialog, "token")

    assert token.echoMode() == QLineEdit.EchoMode.Password
    assert token.isEnabled()
    assert token.text() == TOKEN  # kept on OK unless changed; never displayed


def test_dialog_is_non_modal_when_shown(make_dialog: Any, current: Settings) -> None:
    dialog = make_dialog(current)

    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None


def test_bad_value_shows_message_keeps_dialog_and_emits_nothing_when_ok_is_pressed(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "poll_interval").setText("often")

    with qtbot.assertNotEmitted(dialog.settingsAccepted):
        press_ok(dialog)

    assert dialog.error_text("poll_interval") == (
        "must be a number between 0.1 and 86400 (one day), got 'often'"
    )
    assert dialog.isVisible()
    assert dialog.error_text("server_url") == ""


def test_every_bad_value_is_shown_when_several_are_wrong(
    make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "server_url").setText("ftp://dash.example.org")
    line(dialog, "namespace").setText("   ")
    line(dialog, "ca_bundle").setText("/nonexistent/ca.pem")

    press_ok(dialog)

    assert "http or https URL" in dialog.error_text("server_url")
    assert "non-empty string" in dialog.error_text("namespace")
    assert "existing PEM CA bundle file" in dialog.error_text("ca_bundle")
    assert dialog.focusWidget() is dialog.editor("server_url")


def test_message_is_plain_text_when_value_contains_markup(
    make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "server_url").setText("<b>bold</b>")

    press_ok(dialog)

    error = dialog.findChild(QLabel, "server_urlError")
    assert error is not None
    assert error.textFormat() == Qt.TextFormat.PlainText
    assert "'<b>bold</b>'" in error.text()


def test_invalid_token_is_reported_without_showing_it_when_ok_is_pressed(
    make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "token").setText("has space")

    press_ok(dialog)

    assert dialog.error_text("token").endswith("got '***'")
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "has space" not in labels


def test_validated_settings_are_emitted_and_dialog_closes_when_values_are_good(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "server_url").setText("HTTPS://Dash.example.org:8443/")
    line(dialog, "poll_interval").setText("45")
    line(dialog, "token").setText("n3w")
    verify = dialog.editor("verify_tls")
    assert isinstance(verify, QCheckBox)
    verify.setChecked(True)

    settings = accepted(qtbot, dialog)

    assert settings == current.with_overrides(
        server_url="https://Dash.example.org:8443",
        poll_interval=45.0,
        token="n3w",
        verify_tls=True,
    )
    assert isinstance(settings.poll_interval, float)
    assert not dialog.isVisible()


def test_error_is_cleared_and_settings_emitted_when_value_is_corrected(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "poll_interval").setText("0")
    press_ok(dialog)
    assert dialog.error_text("poll_interval")

    line(dialog, "poll_interval").setText("0.5")
    settings = accepted(qtbot, dialog)

    assert settings.poll_interval == 0.5
    assert dialog.error_text("poll_interval") == ""


def test_nothing_is_emitted_when_dialog_is_cancelled(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    line(dialog, "namespace").setText("site-b")
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None

    with qtbot.assertNotEmitted(dialog.settingsAccepted):
        box.button(QDialogButtonBox.StandardButton.Cancel).click()

    assert not dialog.isVisible()


def test_token_is_hidden_and_kept_when_environment_gives_it(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current, fixed={"token": "environment DASHBOARD_TOKEN"})
    token = line(dialog, "token")

    assert not token.isEnabled()
    assert token.text() == ""
    note = dialog.findChild(QLabel, "tokenSource")
    assert note is not None
    assert "environment DASHBOARD_TOKEN" in note.text()
    assert accepted(qtbot, dialog).token == TOKEN


def test_fixed_setting_is_kept_when_its_editor_was_changed_anyway(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current, fixed={"namespace": "command line --namespace"})
    line(dialog, "namespace").setText("site-b")

    assert accepted(qtbot, dialog).namespace == "site-a"


def test_connection_and_every_declared_kiosk_setting_have_a_field_when_dialog_opens(
    make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current)
    declared = {spec.name for spec in setting_specs()}
    kiosk = [name for name in KIOSK_SETTINGS if name in declared]
    kiosk += [name for name in declared if name.startswith(("kiosk_", "page_"))]

    for name in (*CONNECTION_SETTINGS, *kiosk):
        assert isinstance(dialog.editor(name), QWidget)
        assert dialog.editor(name).accessibleName()
    titles = [group.title() for group in dialog.findChildren(QGroupBox)]
    assert titles == (["Connection", "Kiosk wall display"] if kiosk else ["Connection"])
    with pytest.raises(KeyError):
        dialog.editor("log_level")


class StubSettings:
    """Settings with one extra kiosk setting, as a future declaration would add."""

    def __init__(self, real: Settings, problem: SettingsError | None = None) -> None:
        self.real = real
        self.kiosk_example = False
        self.problem = problem
        self.overrides: dict[str, object] = {}

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    def with_overrides(self, **overrides: object) -> Settings:
        self.overrides = overrides
        if self.problem is not None:
            raise self.problem
        return self.real


@pytest.fixture
def kiosk_example(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = SettingSpec("kiosk_example", "A future kiosk option.", Flag(), False)
    monkeypatch.setattr(settings_dialog, "setting_specs", lambda: (*setting_specs(), spec))


@pytest.mark.usefixtures("kiosk_example")
def test_new_kiosk_setting_gets_a_field_without_dialog_change_when_declared(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    stub = StubSettings(current)
    dialog = make_dialog(stub)
    box = dialog.editor("kiosk_example")
    assert isinstance(box, QCheckBox)
    box.setChecked(True)

    accepted(qtbot, dialog)

    assert stub.overrides["kiosk_example"] is True


@pytest.mark.usefixtures("kiosk_example")
def test_problem_between_settings_is_shown_when_no_field_is_at_fault(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    problem = SettingsError("reconnection_delay_max", "current value", "must be >= 2")
    dialog = make_dialog(StubSettings(current, problem))

    with qtbot.assertNotEmitted(dialog.settingsAccepted):
        press_ok(dialog)

    assert dialog.problem.isVisible()
    assert dialog.problem.text() == str(problem)


def test_ca_bundle_is_accepted_when_file_is_a_pem_bundle(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    import certifi

    dialog = make_dialog(current)
    line(dialog, "ca_bundle").setText(certifi.where())

    assert accepted(qtbot, dialog).ca_bundle == Path(certifi.where())


def test_messages_are_shown_whole_when_they_wrap_over_several_lines(
    qtbot: Any, make_dialog: Any, current: Settings
) -> None:
    dialog = make_dialog(current, fixed={"namespace": "environment DASHBOARD_NAMESPACE"})
    line(dialog, "server_url").setText("ftp://dash.example.org/with/a/long/path")
    line(dialog, "poll_interval").setText("often")

    press_ok(dialog)

    shown = [
        label
        for label in dialog.findChildren(QLabel)
        if label.objectName().endswith(("Error", "Source")) and not label.isHidden()
    ]
    assert len(shown) == 3

    def whole() -> bool:
        return all(label.height() >= label.heightForWidth(label.width()) for label in shown)

    qtbot.waitUntil(whole, timeout=2000)
    assert (
        max(label.heightForWidth(label.width()) for label in shown)
        > 2 * shown[0].fontMetrics().height()
    )
