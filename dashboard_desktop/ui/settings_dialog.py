"""The Settings dialog: edit the connection, TLS and kiosk settings while the app runs.

The form is built from the setting declarations (:func:`dashboard_desktop.config.setting_specs`):
the connection and TLS settings of :data:`CONNECTION_SETTINGS`, then the kiosk settings of
:data:`KIOSK_SETTINGS` and any other named ``kiosk_*`` or ``page_*`` (a new one appears without
a change here), each only if declared. Labels, editors and validation follow the kinds. A
boolean is a check box, a choice a combo box, anything else a line edit read as the
environment variable would be; every value is validated by its declared kind and a problem is
shown, as plain text, under its field while the dialog stays open.

The dialog is non-modal and does no I/O: on OK it emits the new, validated :class:`Settings`
and the application saves and applies them.

The token field echoes as a password field and is filled with the current token (so that it
can be kept, changed or cleared). A setting given by the environment or the command line
(``fixed``) is shown disabled with where it comes from, and is kept as it is: its source wins
at every start anyway. Such a token is not shown at all, not even masked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dashboard_desktop._setting_kinds import Choice, Flag, SettingSpec
from dashboard_desktop.config import Settings, SettingsError, setting_specs
from dashboard_desktop.ui.settings_texts import help_text, label_text
from dashboard_desktop.ui.text import plain_tooltip

__all__ = ["CONNECTION_SETTINGS", "KIOSK_SETTINGS", "SOURCE", "SettingsDialog", "dialog_settings"]

CONNECTION_SETTINGS = (
    "server_url",
    "namespace",
    "token",
    "poll_interval",
    "verify_tls",
    "ca_bundle",
)
KIOSK_SETTINGS = (
    "kiosk",
    "kiosk_screen",
    "kiosk_exit_keys",
    "page_interval",
    "burn_in_shift",
    "title",
)
SOURCE = "Settings dialog"
_KIOSK_PREFIXES = ("kiosk_", "page_")


def dialog_settings() -> tuple[tuple[SettingSpec, ...], tuple[SettingSpec, ...]]:
    """Return the declared settings the dialog edits: connection and TLS, and kiosk."""
    specs = {spec.name: spec for spec in setting_specs()}
    connection = tuple(specs[name] for name in CONNECTION_SETTINGS if name in specs)
    more = [name for name in specs if name.startswith(_KIOSK_PREFIXES)]
    kiosk = dict.fromkeys([*(name for name in KIOSK_SETTINGS if name in specs), *more])
    return connection, tuple(specs[name] for name in kiosk)


def _as_text(value: object) -> str:
    """Show a setting's value as its environment variable would spell it."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plain_label(text: str, parent: QWidget, name: str) -> QLabel:
    """A word-wrapped plain-text label named ``name``."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class _Field:
    """One setting of the form: the editor, how to read it, and its error line below it."""

    def __init__(self, spec: SettingSpec, value: object, parent: QWidget) -> None:
        self.spec = spec
        self.editor, self._read, self._from_text = _editor(spec, value, parent)
        self.editor.setObjectName(spec.name)
        self.editor.setToolTip(plain_tooltip(help_text(spec)))
        self.error = _plain_label("", parent, spec.name + "Error")
        self.error.setProperty("alert", True)  # coloured by the theme (resources/theme.qss)
        self.error.hide()
        self.note: QLabel | None = None

    def value(self) -> object:
        """Return the validated value, or raise :class:`SettingsError`."""
        return self.spec.convert(self._read(), SOURCE, from_text=self._from_text)

    def show_error(self, message: str) -> None:
        """Show ``message`` (plain text) under the editor."""
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        """Hide the error line."""
        self.error.clear()
        self.error.hide()

    def fix(self, source: str) -> None:
        """Disable the editor: ``source`` (the environment or a flag) sets this value."""
        self.editor.setEnabled(False)
        if self.spec.secret and isinstance(self.editor, QLineEdit):
            self.editor.clear()  # not even a masked token
        text = QCoreApplication.translate(
            "SettingsDialog", "Set by {source}: used, not saved."
        ).format(source=source)
        self.note = _plain_label(
            text, self.error.parentWidget() or self.editor, self.spec.name + "Source"
        )


def _editor(
    spec: SettingSpec, value: object, parent: QWidget
) -> tuple[QWidget, Callable[[], object], bool]:
    """Return the editor widget for ``spec``, its reader, and whether it reads text."""
    if isinstance(spec.kind, Flag):
        box = QCheckBox(parent)
        box.setChecked(bool(value))
        return box, box.isChecked, False
    if isinstance(spec.kind, Choice):
        combo = QComboBox(parent)
        combo.addItems(list(spec.kind.choices))
        combo.setCurrentText(str(value))
        return combo, combo.currentText, True
    line = QLineEdit(parent)
    line.setText(_as_text(value))
    if spec.secret:
        line.setEchoMode(QLineEdit.EchoMode.Password)  # no copy, no drag, nothing shown
    elif isinstance(value, Path) or value is None:
        line.setPlaceholderText(QCoreApplication.translate("SettingsDialog", "none"))
    return line, line.text, True


class SettingsDialog(QDialog):
    """Non-modal dialog for the connection, TLS and kiosk settings.

    Signals:
        settingsAccepted(Settings): OK was pressed and every value is valid: the current
            settings with the dialog's values, validated. Emitted on every OK, changed or not.
    """

    settingsAccepted = Signal(object)

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        fixed: Mapping[str, str] | None = None,
    ) -> None:
        """Create the dialog, its fields filled from ``settings``.

        Args:
            settings: The settings in use; the dialog's values replace some of them.
            parent: Parent widget (the main window).
            fixed: Settings given by the environment or the command line, with where from
                (``LoadedSettings.sources``): shown disabled and kept as they are.
        """
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("SettingsDialog", "Settings"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._settings = settings
        self._fields: dict[str, _Field] = {}
        self._fixed = dict(fixed or {})
        self.problem = _plain_label("", self, "settingsProblem")
        self.problem.setProperty("alert", True)
        self.problem.hide()
        self._build()

    def _build(self) -> None:
        self._layout = layout = QVBoxLayout(self)
        connection, kiosk = dialog_settings()
        layout.addWidget(
            self._group(QCoreApplication.translate("SettingsDialog", "Connection"), connection)
        )
        if kiosk:
            layout.addWidget(
                self._group(
                    QCoreApplication.translate("SettingsDialog", "Kiosk wall display"), kiosk
                )
            )
        text = QCoreApplication.translate(
            "SettingsDialog",
            "Changes apply at once; the connection restarts if needed. The token is kept in "
            "the system keyring, never in the config file.",
        )
        note = _plain_label(text, self, "settingsNote")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _group(self, title: str, specs: tuple[SettingSpec, ...]) -> QGroupBox:
        """A titled form: per setting a label and its editor, under it the error and note."""
        group = QGroupBox(title, self)
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        for spec in specs:
            field = _Field(spec, getattr(self._settings, spec.name), group)
            text = label_text(spec)
            label = QLabel(text, group)
            label.setBuddy(field.editor)
            field.editor.setAccessibleName(text.replace("&", ""))
            if spec.name in self._fixed:
                field.fix(self._fixed[spec.name])
            row = grid.rowCount()
            grid.addWidget(label, row, 0)
            grid.addWidget(field.editor, row, 1)
            grid.addWidget(field.error, row + 1, 1)
            if field.note is not None:
                grid.addWidget(field.note, row + 2, 1)
            self._fields[spec.name] = field
        return group

    def editor(self, name: str) -> QWidget:
        """Return the editor of setting ``name`` (a line edit, check box or combo box)."""
        return self._fields[name].editor

    def error_text(self, name: str) -> str:
        """Return the problem shown under setting ``name``'s field ("" when none)."""
        field = self._fields[name]
        return field.error.text() if not field.error.isHidden() else ""

    def accept(self) -> None:
        """Validate; if every value is valid, emit ``settingsAccepted`` and close."""
        settings = self.validated()
        if settings is None:
            return
        self.settingsAccepted.emit(settings)
        super().accept()

    def validated(self) -> Settings | None:
        """Return the validated settings, or None after showing every problem."""
        self.problem.hide()
        values: dict[str, object] = {}
        for name, field in self._fields.items():
            field.clear_error()
            if name in self._fixed:
                continue
            try:
                values[name] = field.value()
            except SettingsError as exc:
                field.show_error(exc.message)
        try:
            if any(not field.error.isHidden() for field in self._fields.values()):
                return None
            return self._settings.with_overrides(**values)
        except SettingsError as exc:  # a relation between settings, e.g. delay <= delay max
            self._show_problem(exc)
            return None
        finally:
            self._after_check()

    def _show_problem(self, exc: SettingsError) -> None:
        if exc.setting in self._fields:
            self._fields[exc.setting].show_error(exc.message)
        else:
            self.problem.setText(str(exc))
            self.problem.show()

    def _after_check(self) -> None:
        """Focus the first field with a problem; grow to fit the wrapped messages."""
        for field in self._fields.values():
            if not field.error.isHidden():
                field.editor.setFocus(Qt.FocusReason.OtherFocusReason)
                break
        layout = self._layout
        layout.activate()  # a window does not grow by itself for height-for-width labels
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)
