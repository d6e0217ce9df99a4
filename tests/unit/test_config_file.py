"""Keeping the Settings dialog's changes: config.toml (never the token) and the keyring.

The keyring is an in-memory test backend (or keyring's fail backend), never the machine's.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from dashboard_desktop import config, config_file, secrets
from dashboard_desktop.config import (
    LoadedSettings,
    Settings,
    SettingsError,
    load_settings,
    load_settings_with_sources,
)
from dashboard_desktop.config_file import changed_settings, save_accepted, write_settings
from tests.unit.test_secrets import MemoryKeyring

USER_FILE = """\
# my dashboard
server_url = "https://dash.example.org"  # production
namespace = "site-a"

# tuned for the slow link
request_timeout = 20
"""


@pytest.fixture(autouse=True)
def no_real_keyring() -> None:
    """keyring's fail backend unless a test installs another: the machine's is never asked."""
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never read the user's own config file."""
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "absent.toml")


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text(USER_FILE, encoding="utf-8")
    return path


def read(path: Path) -> dict[str, object]:
    with path.open("rb") as file:
        return tomllib.load(file)


def test_settings_read_back_equal_when_changes_are_written(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    before = Settings()
    after = before.with_overrides(
        server_url="https://dash.example.org",
        poll_interval=12.5,
        reconnection_attempts=7,
        verify_tls=False,
        transports=("polling", "websocket"),
        log_dir=tmp_path / "logs",
    )

    write_settings(path, changed_settings(before, after))

    assert load_settings(["--config", str(path)], {}) == after


def test_other_keys_and_comments_are_kept_when_one_setting_changes(user_file: Path) -> None:
    write_settings(user_file, {"poll_interval": 45.0, "namespace": "site-b"})

    text = user_file.read_text(encoding="utf-8")
    assert text == USER_FILE.replace('"site-a"', '"site-b"') + "poll_interval = 45.0\n"
    assert read(user_file)["request_timeout"] == 20


def test_key_is_removed_when_value_becomes_none(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'log_dir = "{tmp_path}"\nnamespace = "x"\n', encoding="utf-8")

    write_settings(path, {"log_dir": None})

    assert read(path) == {"namespace": "x"}


def test_relative_path_is_written_absolute_when_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "conf" / "config.toml"

    write_settings(path, {"log_dir": Path("logs")})

    assert read(path) == {"log_dir": str(tmp_path / "logs")}


def test_token_is_refused_and_file_untouched_when_asked_to_write_it(user_file: Path) -> None:
    with pytest.raises(ValueError, match="secret"):
        write_settings(user_file, {"poll_interval": 45.0, "token": "s3cret"})

    assert user_file.read_text(encoding="utf-8") == USER_FILE


def test_changed_settings_never_include_token_when_it_changed() -> None:
    before = Settings()
    after = before.with_overrides(token="s3cret", namespace="site-b")

    assert changed_settings(before, after) == {"namespace": "site-b"}


def test_unknown_name_is_refused_when_asked_to_write_it(user_file: Path) -> None:
    with pytest.raises(ValueError, match="unknown setting"):
        write_settings(user_file, {"pol_interval": 45.0})


def test_token_is_removed_from_file_when_drop_token_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('token = "s3cret"\nnamespace = "x"\n', encoding="utf-8")

    write_settings(path, {}, drop_token=True)

    assert "s3cret" not in path.read_text(encoding="utf-8")
    assert read(path) == {"namespace": "x"}


def test_token_in_file_is_left_alone_when_drop_token_is_not_asked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('token = "s3cret"\n', encoding="utf-8")

    write_settings(path, {"namespace": "x"})

    assert read(path) == {"token": "s3cret", "namespace": "x"}


def test_invalid_toml_is_reported_and_left_as_is_when_changes_are_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("namespace = \n", encoding="utf-8")

    with pytest.raises(SettingsError, match="invalid TOML"):
        write_settings(path, {"poll_interval": 45.0})

    assert path.read_text(encoding="utf-8") == "namespace = \n"


def test_original_stays_whole_and_no_temporary_is_left_when_replace_fails(
    user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config_file.os, "replace", fail)

    with pytest.raises(OSError, match="No space left"):
        write_settings(user_file, {"poll_interval": 45.0})

    assert user_file.read_text(encoding="utf-8") == USER_FILE
    assert os.listdir(user_file.parent) == ["config.toml"]


def test_file_is_replaced_by_rename_when_written(user_file: Path) -> None:
    before = user_file.stat().st_ino

    write_settings(user_file, {"poll_interval": 45.0})

    assert user_file.stat().st_ino != before  # a new file renamed over the old one
    assert os.listdir(user_file.parent) == ["config.toml"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and symbolic links")
def test_mode_is_kept_when_file_is_replaced(user_file: Path) -> None:
    user_file.chmod(0o640)

    write_settings(user_file, {"poll_interval": 45.0})

    assert user_file.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and symbolic links")
def test_link_stays_and_target_changes_when_config_is_a_symlink(
    user_file: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(user_file)

    write_settings(link, {"poll_interval": 45.0})

    assert link.is_symlink()
    assert read(user_file)["poll_interval"] == 45.0


# -- save_accepted: what the Settings dialog accepted, kept for the next start ------------------

SERVER = "https://dash.example.org"


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(keyring.backends.fail.Keyring())  # never the machine's real keyring


def load(
    path: Path | None = None, env: dict[str, str] | None = None, *argv: str
) -> LoadedSettings:
    args = [*argv] + (["--config", str(path)] if path is not None else [])
    return load_settings_with_sources(args, env or {}, token_lookup=secrets.load_token)


def test_token_goes_to_keyring_and_other_changes_to_file_when_accepted(
    memory: MemoryKeyring, user_file: Path
) -> None:
    loaded = load(user_file)
    new = loaded.settings.with_overrides(token="n3w", poll_interval=45.0)

    kept = save_accepted(loaded, new)

    assert memory.entries == {("dashboard-desktop", f"{SERVER}#site-a"): "n3w"}
    assert read(user_file)["poll_interval"] == 45.0
    assert "n3w" not in user_file.read_text(encoding="utf-8")
    assert kept.settings == new
    assert kept.sources["token"] == "keyring"
    assert kept.sources["poll_interval"] == f"config file {user_file}"
    assert load(user_file).settings == new


def test_token_is_not_saved_when_environment_gives_it_even_for_new_namespace(
    memory: MemoryKeyring, user_file: Path
) -> None:
    loaded = load(user_file, {"DASHBOARD_TOKEN": "from-env"})

    save_accepted(loaded, loaded.settings.with_overrides(namespace="site-b"))

    assert memory.entries == {}
    assert "from-env" not in user_file.read_text(encoding="utf-8")


def test_flag_given_setting_is_not_written_when_accepted(
    memory: MemoryKeyring, user_file: Path
) -> None:
    loaded = load(user_file, None, "--poll-interval", "5")

    save_accepted(loaded, loaded.settings.with_overrides(poll_interval=45.0))

    assert "poll_interval" not in read(user_file)


def test_token_moves_from_config_file_to_keyring_when_accepted(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'server_url = "{SERVER}"  # prod\ntoken = "in-file"\n', encoding="utf-8")
    loaded = load(path)

    kept = save_accepted(loaded, loaded.settings)

    assert memory.entries == {("dashboard-desktop", f"{SERVER}#default"): "in-file"}
    assert path.read_text(encoding="utf-8") == f'server_url = "{SERVER}"  # prod\n'
    assert kept.sources["token"] == "keyring"
    assert load(path).settings.token == "in-file"


def test_token_stays_in_file_and_changes_are_written_when_keyring_is_unavailable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('token = "in-file"\n', encoding="utf-8")
    loaded = load(path)

    kept = save_accepted(loaded, loaded.settings.with_overrides(token="n3w", namespace="b"))

    assert read(path) == {"token": "in-file", "namespace": "b"}
    assert kept.settings.token == "n3w"  # used for this session


def test_token_is_stored_under_new_server_when_server_changes(
    memory: MemoryKeyring, user_file: Path
) -> None:
    secrets.save_token(SERVER, "site-a", "t0ken")
    loaded = load(user_file)

    save_accepted(loaded, loaded.settings.with_overrides(server_url="https://new.example.org"))

    assert secrets.load_token("https://new.example.org", "site-a") == "t0ken"
    assert load(user_file).settings.token == "t0ken"


def test_cleared_token_is_deleted_from_keyring_when_accepted(
    memory: MemoryKeyring, user_file: Path
) -> None:
    secrets.save_token(SERVER, "site-a", "t0ken")
    loaded = load(user_file)

    kept = save_accepted(loaded, loaded.settings.with_overrides(token=""))

    assert memory.entries == {}
    assert kept.sources["token"] == "default"


def test_changes_go_to_default_config_file_when_none_was_read(
    memory: MemoryKeyring, tmp_path: Path
) -> None:
    loaded = load()

    kept = save_accepted(loaded, loaded.settings.with_overrides(namespace="site-b"))

    assert kept.config_path == tmp_path / "absent.toml"
    assert read(tmp_path / "absent.toml") == {"namespace": "site-b"}


def test_nothing_is_written_when_nothing_changed(memory: MemoryKeyring, tmp_path: Path) -> None:
    loaded = load()

    kept = save_accepted(loaded, loaded.settings)

    assert kept.config_path is None
    assert os.listdir(tmp_path) == []
    assert memory.entries == {}


def test_nothing_is_saved_when_demo_runs(memory: MemoryKeyring, tmp_path: Path) -> None:
    loaded = load(None, None, "--demo")

    save_accepted(loaded, loaded.settings.with_overrides(token="n3w", namespace="site-b"))

    assert os.listdir(tmp_path) == []
    assert memory.entries == {}
