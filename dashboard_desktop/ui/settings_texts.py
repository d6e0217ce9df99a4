"""The Settings dialog's words for each setting: its label (with a mnemonic) and its tooltip.

The tooltips say what the setting declarations in ``settings.py`` say (``--help`` and the README
show those, in English); they are written out here so that ``pyside6-lupdate`` extracts them.
A setting the dialog shows without an entry here falls back to its name and its English
declaration, and the translation test (``tests/unit/test_translations.py``) fails as a reminder
to add one.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from dashboard_desktop._setting_kinds import SettingSpec

__all__ = ["help_text", "label_text"]


def _labels() -> dict[str, str]:
    return {
        "server_url": QCoreApplication.translate("SettingsDialog", "&Server URL"),
        "namespace": QCoreApplication.translate("SettingsDialog", "&Namespace"),
        "token": QCoreApplication.translate("SettingsDialog", "Access &token"),
        "poll_interval": QCoreApplication.translate("SettingsDialog", "&Poll interval (seconds)"),
        "verify_tls": QCoreApplication.translate("SettingsDialog", "&Verify TLS certificate"),
        "ca_bundle": QCoreApplication.translate("SettingsDialog", "C&A bundle (PEM file)"),
        "kiosk": QCoreApplication.translate("SettingsDialog", "&Kiosk mode"),
        "kiosk_screen": QCoreApplication.translate("SettingsDialog", "Kiosk scr&een"),
        "kiosk_exit_keys": QCoreApplication.translate("SettingsDialog", "Kiosk e&xit keys"),
        "page_interval": QCoreApplication.translate("SettingsDialog", "Page &interval (seconds)"),
        "burn_in_shift": QCoreApplication.translate("SettingsDialog", "&Burn-in shift"),
        "title": QCoreApplication.translate("SettingsDialog", "Kiosk tit&le"),
    }


def _connection_help() -> dict[str, str]:
    return {
        "server_url": QCoreApplication.translate(
            "SettingsDialog", "Base URL of the dashboard backend (http or https)."
        ),
        "namespace": QCoreApplication.translate("SettingsDialog", "Dashboard namespace."),
        "token": QCoreApplication.translate(
            "SettingsDialog",
            "Access token for the backend (visible ASCII, no spaces); empty for none. "
            "Never shown or logged.",
        ),
        "poll_interval": QCoreApplication.translate(
            "SettingsDialog",
            "REST polling interval while the socket is down, in seconds, from 0.1 up to "
            "86400 (one day).",
        ),
        "verify_tls": QCoreApplication.translate(
            "SettingsDialog", "Verify the server's TLS certificate."
        ),
        "ca_bundle": QCoreApplication.translate(
            "SettingsDialog",
            "PEM CA bundle both channels verify the server with; none: certifi's Mozilla bundle.",
        ),
    }


def _kiosk_help() -> dict[str, str]:
    return {
        "kiosk": QCoreApplication.translate(
            "SettingsDialog",
            "Run as a kiosk wall display: full screen and frameless, large high-contrast "
            "text, no menus or dialogs; only the kiosk exit keys quit.",
        ),
        "kiosk_screen": QCoreApplication.translate(
            "SettingsDialog",
            "Screen of the kiosk: its name (e.g. HDMI-1) or 0-based index; empty for the "
            "primary screen, which is also used while the screen named is missing.",
        ),
        "kiosk_exit_keys": QCoreApplication.translate(
            "SettingsDialog",
            "Key sequence that quits the kiosk (Esc does nothing), e.g. Ctrl+Alt+Q or "
            "Ctrl+K, Ctrl+Q; Ctrl, Alt or Meta required.",
        ),
        "page_interval": QCoreApplication.translate(
            "SettingsDialog",
            "Seconds each page of a kiosk schedule longer than the screen is shown, from 1 "
            "up to 86400 (one day).",
        ),
        "burn_in_shift": QCoreApplication.translate(
            "SettingsDialog",
            "Shift the kiosk's content by a few pixels every two minutes (burn-in).",
        ),
        "title": QCoreApplication.translate(
            "SettingsDialog", "Dashboard title shown in the kiosk's header."
        ),
    }


def label_text(spec: SettingSpec) -> str:
    """The label of ``spec``'s field, translated, with a mnemonic (``&``)."""
    return _labels().get(spec.name) or spec.name.replace("_", " ").capitalize()


def help_text(spec: SettingSpec) -> str:
    """The tooltip of ``spec``'s field, translated (plain text)."""
    return {**_connection_help(), **_kiosk_help()}.get(spec.name) or spec.doc
