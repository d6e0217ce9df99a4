"""The token in the keyring (dashboard_desktop.secrets) and where it sits among the settings.

Every test runs on an in-memory keyring backend (or a failing one): the real keyring of the
machine is never touched, so nothing waits for D-Bus or prompts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from dashboard_desktop import config, secrets
from dashboard_desktop.config import SettingsError, load_settings, load_settings_with_sources
from dashboard_desktop.log import JsonFormatter

SERVER = "https://dash.example.org"
TOKEN = "s3cret-T0ken"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring in a dict, set explicitly by the tests (never chosen by keyring itself)."""

    @keyring.backend.properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - a keyring class property
        raise RuntimeError("test backend: only set explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


class BrokenKeyring(MemoryKeyring):
    """A keyring whose every call fails, with the password in its message (as some do)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError(f"cannot store {password!r}")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


@pytest.fixture(autouse=True)
def no_real_keyring() -> None:
    """keyring's fail backend unless a test installs another: the machine's is never asked."""
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    """The in-memory keyring, installed for one test; afterwards keyring's fail backend."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(keyring.backends.fail.Keyring())  # never the machine's real keyring


@pytest.fixture
def broken() -> Iterator[BrokenKeyring]:
    backend = BrokenKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's own backend for a machine without any keyring: every call raises."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the user's own config file."""
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "absent.toml")


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [
        dict(record.fields)  # type: ignore[attr-defined]
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


def logged_json(caplog: pytest.LogCaptureFixture) -> str:
    """Every captured record as the log file would hold it."""
    return "\n".join(JsonFormatter().format(record) for record in caplog.records)


# -- storage ----------------------------------------------------------------------------------


def test_token_is_loaded_when_saved_for_same_server_and_namespace(memory: MemoryKeyring) -> None:
    assert secrets.save_token(SERVER, "site-a", TOKEN)

    assert secrets.load_token(SERVER, "site-a") == TOKEN


def test_entry_is_keyed_by_service_server_and_namespace_when_saved(memory: MemoryKeyring) -> None:
    secrets.save_token(SERVER, "site-a", TOKEN)

    assert memory.entries == {("dashboard-desktop", f"{SERVER}#site-a"): TOKEN}


def test_nothing_is_loaded_when_token_was_saved_for_other_namespace_or_server(
    memory: MemoryKeyring,
) -> None:
    secrets.save_token(SERVER, "site-a", TOKEN)

    assert secrets.load_token(SERVER, "site-b") is None
    assert secrets.load_token("https://other.example.org", "site-a") is None


def test_saving_empty_token_deletes_entry_when_one_is_stored(memory: MemoryKeyring) -> None:
    secrets.save_token(SERVER, "site-a", TOKEN)

    assert secrets.save_token(SERVER, "site-a", "")

    assert memory.entries == {}
    assert secrets.load_token(SERVER, "site-a") is None


def test_delete_succeeds_when_nothing_is_stored(memory: MemoryKeyring) -> None:
    assert secrets.delete_token(SERVER, "site-a")


def test_token_is_never_logged_when_saved(
    memory: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    secrets.save_token(SERVER, "site-a", TOKEN)

    assert events(caplog, "token_saved") == [{"server_url": SERVER, "namespace": "site-a"}]
    assert TOKEN not in logged_json(caplog)


# -- failures: logged without the token, the caller carries on ---------------------------------


def test_load_logs_keyring_unavailable_and_returns_none_when_machine_has_no_keyring(
    no_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    assert secrets.load_token(SERVER, "site-a") is None

    (event,) = events(caplog, "keyring_unavailable")
    assert event["action"] == "load"
    assert event["error"].startswith("NoKeyringError: ")


def test_save_logs_keyring_unavailable_and_returns_false_when_machine_has_no_keyring(
    no_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    assert not secrets.save_token(SERVER, "site-a", TOKEN)

    assert [event["action"] for event in events(caplog, "keyring_unavailable")] == ["save"]
    assert TOKEN not in logged_json(caplog)


def test_save_logs_keyring_failed_without_token_when_backend_error_contains_it(
    broken: BrokenKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    assert not secrets.save_token(SERVER, "site-a", TOKEN)

    (event,) = events(caplog, "keyring_failed")
    assert event["action"] == "save"
    assert event["error"] == "OSError: cannot store '***'"
    assert TOKEN not in logged_json(caplog)


def test_load_and_delete_log_keyring_failed_when_keyring_stays_locked(
    broken: BrokenKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    assert secrets.load_token(SERVER, "site-a") is None
    assert not secrets.delete_token(SERVER, "site-a")

    assert [event["action"] for event in events(caplog, "keyring_failed")] == ["load", "delete"]


# -- where the keyring's token sits among the settings -----------------------------------------


def test_settings_use_keyring_token_when_no_other_source_gives_one(memory: MemoryKeyring) -> None:
    secrets.save_token(SERVER, "site-a", TOKEN)
    argv = ["--server-url", SERVER, "--namespace", "site-a"]

    loaded = load_settings_with_sources(argv, {}, token_lookup=secrets.load_token)

    assert loaded.settings.token == TOKEN
    assert loaded.sources["token"] == "keyring"
    assert not loaded.transient("token")


def test_keyring_is_asked_for_final_server_and_namespace_when_sources_override_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('server_url = "https://from-file.example.org"\nnamespace = "a"\n')
    asked: list[tuple[str, str]] = []

    def lookup(server_url: str, namespace: str) -> str | None:
        asked.append((server_url, namespace))
        return None

    env = {"DASHBOARD_NAMESPACE": "b"}
    settings = load_settings(
        ["--config", str(path), "--server-url", SERVER], env, token_lookup=lookup
    )

    assert asked == [(SERVER, "b")]
    assert settings.token == ""


@pytest.mark.parametrize(
    ("argv", "env", "source"),
    [
        ([], {"DASHBOARD_TOKEN": "from-env"}, "environment DASHBOARD_TOKEN"),
        (["--token", "from-env"], {}, "command line --token"),
    ],
)
def test_token_from_environment_or_flag_wins_and_is_transient_when_keyring_has_one(
    memory: MemoryKeyring, argv: list[str], env: dict[str, str], source: str
) -> None:
    secrets.save_token(SERVER, "default", TOKEN)

    loaded = load_settings_with_sources(
        ["--server-url", SERVER, *argv], env, token_lookup=secrets.load_token
    )

    assert loaded.settings.token == "from-env"
    assert loaded.sources["token"] == source
    assert loaded.transient("token")


def test_config_file_token_is_used_with_warning_when_file_holds_one(
    memory: MemoryKeyring, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    secrets.save_token(SERVER, "default", TOKEN)
    path = tmp_path / "config.toml"
    path.write_text(f'server_url = "{SERVER}"\ntoken = "from-file"\n')

    loaded = load_settings_with_sources(
        ["--config", str(path)], {}, token_lookup=secrets.load_token
    )

    assert loaded.settings.token == "from-file"
    assert loaded.config_path == path
    (warning,) = events(caplog, "token_in_config_file")
    assert warning["source"] == f"config file {path}"
    assert "keyring" in warning["hint"]
    assert "from-file" not in logged_json(caplog)


def test_keyring_is_not_asked_when_demo_runs(memory: MemoryKeyring) -> None:
    secrets.save_token("http://127.0.0.1:8765", "default", TOKEN)

    assert load_settings(["--demo"], {}, token_lookup=secrets.load_token).token == ""


def test_settings_load_without_token_when_machine_has_no_keyring(
    no_keyring: None, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(["--server-url", SERVER], {}, token_lookup=secrets.load_token)

    assert settings.token == ""
    assert [event["action"] for event in events(caplog, "keyring_unavailable")] == ["load"]


def test_invalid_keyring_token_is_reported_without_showing_it_when_loaded(
    memory: MemoryKeyring,
) -> None:
    memory.set_password("dashboard-desktop", f"{SERVER}#default", "has space")

    with pytest.raises(SettingsError) as info:
        load_settings(["--server-url", SERVER], {}, token_lookup=secrets.load_token)

    assert info.value.setting == "token"
    assert info.value.source == "keyring"
    assert "has space" not in str(info.value)


def test_no_keyring_is_asked_when_no_lookup_is_given(memory: MemoryKeyring) -> None:
    secrets.save_token("http://127.0.0.1:8765", "default", TOKEN)

    loaded = load_settings_with_sources([], {})

    assert loaded.settings.token == ""
    assert loaded.sources["token"] == "default"
    assert loaded.config_path is None
