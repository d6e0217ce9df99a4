"""Tests of dashboard_desktop.config: sources, precedence, validation, CLI, redaction."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import certifi
import pytest

from dashboard_desktop import __version__, config
from dashboard_desktop.config import Settings, SettingsError, load_settings, setting_specs

REPO = Path(__file__).resolve().parents[2]
TABLE_START = "<!-- settings-table:start -->"
TABLE_END = "<!-- settings-table:end -->"


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the default config file into tmp_path (absent unless a test writes it)."""
    path = tmp_path / "user-config" / "config.toml"
    monkeypatch.setattr(config, "default_config_path", lambda: path)
    return path


def write_toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(argv: list[str] | None = None, env: dict[str, str] | None = None) -> SettingsError:
    with pytest.raises(SettingsError) as info:
        load_settings(argv or [], env or {})
    return info.value


def write_ca_bundle(path: Path) -> Path:
    """Copy a real PEM CA bundle (certifi's, always installed with requests) to ``path``."""
    shutil.copyfile(certifi.where(), path)
    return path


def write_self_signed_certificate(path: Path) -> Path:
    """Write a fresh self-signed CA certificate as PEM to ``path``; skip if nothing can."""
    try:
        _write_certificate_with_cryptography(path)
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("making a certificate needs the cryptography package or openssl")
        command = [openssl, "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=test CA"]
        command += ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        command += ["-keyout", str(path.with_suffix(".key")), "-out", str(path)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    return path


def _write_certificate_with_cryptography(path: Path) -> None:
    """Raises ImportError when the cryptography package is not installed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def test_defaults_are_used_when_no_source_sets_a_value() -> None:
    assert load_settings([], {}) == Settings()
    settings = Settings()
    assert settings.server_url == "http://127.0.0.1:8765"
    assert settings.transports == ("websocket",)
    assert settings.max_payload_bytes == 33554432
    assert settings.ca_bundle is None and settings.log_dir is None


# (setting, TOML literal, env text, CLI args, value from TOML, from env, from CLI)
PRECEDENCE = [
    ("poll_interval", "5", "6.5", ["--poll-interval", "7"], 5.0, 6.5, 7.0),
    ("reconnection_attempts", "3", "4", ["--reconnection-attempts", "5"], 3, 4, 5),
    ("verify_tls", "false", "true", ["--no-verify-tls"], False, True, False),
    ("demo", "true", "0", ["--demo"], True, False, True),
    (
        "transports",
        '["polling"]',
        "polling, websocket",
        ["--transports", "websocket"],
        ("polling",),
        ("polling", "websocket"),
        ("websocket",),
    ),
    ("namespace", '"file"', "env", ["--namespace", "cli"], "file", "env", "cli"),
    ("log_level", '"debug"', "Warning", ["--log-level", "error"], "DEBUG", "WARNING", "ERROR"),
    (
        "log_dir",
        '"/f/logs"',
        "/e/logs",
        ["--log-dir", "/c/logs"],
        *map(Path, ["/f/logs", "/e/logs", "/c/logs"]),
    ),
]


@pytest.mark.parametrize(
    ("name", "toml", "env_text", "argv", "from_toml", "from_env", "from_cli"), PRECEDENCE
)
def test_higher_source_wins_when_several_sources_set_a_setting(
    *,
    tmp_path: Path,
    name: str,
    toml: str,
    env_text: str,
    argv: list[str],
    from_toml: object,
    from_env: object,
    from_cli: object,
) -> None:
    path = write_toml(tmp_path, f"{name} = {toml}\n")
    env = {"DASHBOARD_CONFIG": str(path)}
    assert getattr(load_settings([], env), name) == from_toml
    env[f"DASHBOARD_{name.upper()}"] = env_text
    assert getattr(load_settings([], env), name) == from_env
    assert getattr(load_settings(argv, env), name) == from_cli


def test_config_flag_wins_when_env_also_names_a_config_file(tmp_path: Path) -> None:
    by_env = write_toml(tmp_path, 'namespace = "env-file"\n')
    by_flag = tmp_path / "flag.toml"
    by_flag.write_text('namespace = "flag-file"\n', encoding="utf-8")
    env = {"DASHBOARD_CONFIG": str(by_env)}
    assert load_settings(["--config", str(by_flag)], env).namespace == "flag-file"


def test_default_config_file_is_read_when_it_exists(no_user_config: Path) -> None:
    no_user_config.parent.mkdir()
    no_user_config.write_text("poll_interval = 12.5\n", encoding="utf-8")
    assert load_settings([], {}).poll_interval == 12.5


def test_relative_path_is_resolved_against_config_dir_when_set_in_toml(tmp_path: Path) -> None:
    write_ca_bundle(tmp_path / "ca.pem")
    path = write_toml(tmp_path, 'ca_bundle = "ca.pem"\nlog_dir = "logs"\n')
    settings = load_settings(["--config", str(path)], {})
    assert (settings.ca_bundle, settings.log_dir) == (tmp_path / "ca.pem", tmp_path / "logs")


def test_values_are_normalised_when_loaded(tmp_path: Path) -> None:
    bundle = write_ca_bundle(tmp_path / "ca.pem")
    env = {"DASHBOARD_SERVER_URL": "HTTPS://dash.example.org/", "DASHBOARD_CA_BUNDLE": str(bundle)}
    settings = load_settings(["--transports", "websocket,polling,websocket"], env)
    assert settings.server_url == "https://dash.example.org"
    assert settings.transports == ("websocket", "polling")
    assert settings.ca_bundle == bundle


# (argv, env, TOML text, setting, source; "{file}" stands for the TOML file's path)
INVALID = [
    (
        [],
        {"DASHBOARD_SERVER_URL": "ftp://dash.example.org"},
        "",
        "server_url",
        "environment DASHBOARD_SERVER_URL",
    ),
    (["--server-url", "http://"], {}, "", "server_url", "command line --server-url"),
    (["--server-url", "http://h/api?x=1"], {}, "", "server_url", "command line --server-url"),
    (["--poll-interval", "-1"], {}, "", "poll_interval", "command line --poll-interval"),
    ([], {}, "request_timeout = -5\n", "request_timeout", "config file {file}"),
    ([], {}, "reconnection_delay = 0\n", "reconnection_delay", "config file {file}"),
    ([], {"DASHBOARD_LOG_LEVEL": "trace"}, "", "log_level", "environment DASHBOARD_LOG_LEVEL"),
    ([], {}, 'log_format = "xml"\n', "log_format", "config file {file}"),
    (["--transports", "ws"], {}, "", "transports", "command line --transports"),
    ([], {}, "transports = []\n", "transports", "config file {file}"),
    (
        ["--reconnection-delay-max", "0.5"],
        {},
        "",
        "reconnection_delay_max",
        "command line --reconnection-delay-max",
    ),
    ([], {}, "reconnection_delay = 9.0\n", "reconnection_delay_max", "default"),
    (["--ca-bundle", "/no/such/ca.pem"], {}, "", "ca_bundle", "command line --ca-bundle"),
    ([], {}, "pol_interval = 3\n", "pol_interval", "config file {file}"),
    ([], {}, 'poll_interval = "30"\n', "poll_interval", "config file {file}"),
    ([], {}, "reconnection_attempts = 1.5\n", "reconnection_attempts", "config file {file}"),
    ([], {}, 'verify_tls = "yes"\n', "verify_tls", "config file {file}"),
    ([], {}, 'transports = "websocket"\n', "transports", "config file {file}"),
    ([], {"DASHBOARD_VERIFY_TLS": "maybe"}, "", "verify_tls", "environment DASHBOARD_VERIFY_TLS"),
    (
        [],
        {"DASHBOARD_RANDOMIZATION_FACTOR": "1.5"},
        "",
        "randomization_factor",
        "environment DASHBOARD_RANDOMIZATION_FACTOR",
    ),
    (
        [],
        {"DASHBOARD_MAX_PAYLOAD_BYTES": "100"},
        "",
        "max_payload_bytes",
        "environment DASHBOARD_MAX_PAYLOAD_BYTES",
    ),
    ([], {"DASHBOARD_NAMESPACE": " "}, "", "namespace", "environment DASHBOARD_NAMESPACE"),
    (["--rest-path", "api/schedule"], {}, "", "rest_path", "command line --rest-path"),
    (["--connect-timeout", "nan"], {}, "", "connect_timeout", "command line --connect-timeout"),
    (["--ca-bundle", "."], {}, "", "ca_bundle", "command line --ca-bundle"),
    (["--socketio-path", "socket.io"], {}, "", "socketio_path", "command line --socketio-path"),
    ([], {}, 'socketio_path = ""\n', "socketio_path", "config file {file}"),
    ([], {"DASHBOARD_REST_PATH": ""}, "", "rest_path", "environment DASHBOARD_REST_PATH"),
    (["--event-name", ""], {}, "", "event_name", "command line --event-name"),
    ([], {}, 'event_name = "connect"\n', "event_name", "config file {file}"),
    ([], {}, "poll_interval = 1e400\n", "poll_interval", "config file {file}"),
    (
        [],
        {},
        "reconnection_attempts = 9223372036854775807\n",
        "reconnection_attempts",
        "config file {file}",
    ),
]


@pytest.mark.parametrize(("argv", "env", "toml", "setting", "source"), INVALID)
def test_settings_error_names_setting_and_source_when_value_is_invalid(
    *, tmp_path: Path, argv: list[str], env: dict[str, str], toml: str, setting: str, source: str
) -> None:
    env = dict(env)
    if toml:
        env["DASHBOARD_CONFIG"] = str(write_toml(tmp_path, toml))
        source = source.format(file=tmp_path / "settings.toml")
    error = load_error(argv, env)
    assert (error.setting, error.source) == (setting, source)
    assert str(error).startswith(f"setting {setting} ({source}): ")
    assert "\n" not in str(error)


def test_error_message_is_one_documented_line_when_env_value_is_not_a_number() -> None:
    error = load_error([], {"DASHBOARD_POLL_INTERVAL": "abc"})
    assert str(error) == (
        "setting poll_interval (environment DASHBOARD_POLL_INTERVAL): "
        "must be a number between 0.1 and 86400 (one day), got 'abc'"
    )


def test_relation_error_names_both_sources_when_delay_max_below_delay() -> None:
    error = load_error(["--reconnection-delay-max", "2"], {"DASHBOARD_RECONNECTION_DELAY": "3"})
    assert str(error) == (
        "setting reconnection_delay_max (command line --reconnection-delay-max): must be >= "
        "reconnection_delay (3, environment DASHBOARD_RECONNECTION_DELAY), got 2"
    )


def test_unknown_toml_key_suggests_closest_setting_when_misspelt(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "pol_interval = 3\n")
    assert "did you mean poll_interval?" in str(load_error(["--config", str(path)]))


def test_settings_error_is_raised_when_toml_is_malformed(tmp_path: Path) -> None:
    path = write_toml(tmp_path, "poll_interval = = 3\n")
    error = load_error(["--config", str(path)])
    assert (error.setting, error.source) == (None, f"config file {path}")
    assert "invalid TOML" in str(error)


@pytest.mark.parametrize(
    ("argv", "env", "source"),
    [
        (["--config", "/no/such.toml"], {}, "command line --config"),
        ([], {"DASHBOARD_CONFIG": "/no/such.toml"}, "environment DASHBOARD_CONFIG"),
    ],
)
def test_settings_error_is_raised_when_explicit_config_file_is_missing(
    argv: list[str], env: dict[str, str], source: str
) -> None:
    error = load_error(argv, env)
    assert (error.setting, error.source) == ("config", source)


def test_settings_error_is_raised_when_flag_is_unknown() -> None:
    error = load_error(["--no-such-flag"])
    assert str(error) == "command line: unrecognized arguments: --no-such-flag"


def test_settings_error_names_setting_when_flag_lacks_its_value() -> None:
    error = load_error(["--poll-interval"])
    assert (error.setting, error.source) == ("poll_interval", "command line --poll-interval")
    assert "\n" not in str(error)


def test_help_lists_every_setting_when_help_is_requested(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        load_settings(["--help"], {})
    assert info.value.code == 0
    squeezed = "".join(capsys.readouterr().out.split())
    for spec in setting_specs():
        for text in (spec.flag, spec.env, spec.doc, spec.kind.render(spec.default)):
            assert "".join(text.split()) in squeezed, (spec.name, text)
    assert "--no-verify-tls" in squeezed and "--config" in squeezed


def test_version_is_printed_when_version_is_requested(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        load_settings(["--version"], {})
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dashboard-desktop {__version__}"


def test_token_is_hidden_when_settings_are_shown() -> None:
    settings = load_settings(["--token", "s3cr3t-token"], {})
    assert settings.token == "s3cr3t-token"
    assert "s3cr3t-token" not in repr(settings) and "s3cr3t-token" not in str(settings)
    assert settings.redacted()["token"] == "***"
    assert "s3cr3t-token" not in str(settings.redacted())
    assert Settings().redacted()["token"] == ""


def test_token_is_hidden_when_token_value_is_invalid() -> None:
    error = load_error([], {"DASHBOARD_TOKEN": "secret with spaces"})
    assert error.setting == "token" and "secret" not in str(error)


@pytest.mark.parametrize(
    "token",
    [
        "s3cr3t-tök€n",  # not ASCII: requests cannot send it in a header
        "s3cr3t-caf\xe9",  # Latin-1 but not ASCII
        "s3cr3t with spaces",
        "s3cr3t\tinside",
        "s3cr3t\nbreak",
        "s3cr3t\x7fdel",
        "s3cr3t\x00nul",
    ],
)
def test_token_is_rejected_without_echo_when_it_has_a_character_outside_visible_ascii(
    token: str,
) -> None:
    for error in (load_error(["--token", token]), load_error([], {"DASHBOARD_TOKEN": token})):
        assert error.setting == "token"
        assert str(error).endswith(
            "visible ASCII characters (0x21 to 0x7E), without spaces, got '***'"
        )
        assert "s3cr3t" not in str(error)
    with pytest.raises(SettingsError) as info:
        Settings().with_overrides(token=token)
    assert info.value.source == "override" and "s3cr3t" not in str(info.value)


def test_token_is_hidden_when_invalid_token_comes_from_toml(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'token = "bad token"\n')
    error = load_error(["--config", str(path)])
    assert (error.setting, error.source) == ("token", f"config file {path}")
    assert "bad" not in str(error) and "'***'" in str(error)


def test_token_is_accepted_when_it_uses_every_visible_ascii_character() -> None:
    token = "".join(map(chr, range(0x21, 0x7F)))
    assert load_settings([], {"DASHBOARD_TOKEN": token}).token == token
    assert Settings(token="").token == ""


def test_redacted_is_plain_data_when_settings_hold_paths_and_tuples(tmp_path: Path) -> None:
    shown = Settings(log_dir=tmp_path).redacted()
    assert shown["log_dir"] == str(tmp_path)
    assert shown["transports"] == ["websocket"]
    assert list(shown) == [spec.name for spec in setting_specs()]


def test_with_overrides_returns_validated_copy_when_values_are_valid() -> None:
    base = Settings()
    copy = base.with_overrides(poll_interval=2, transports=["polling"], server_url="http://h/")
    assert (copy.poll_interval, copy.transports, copy.server_url) == (
        2.0,
        ("polling",),
        "http://h",
    )
    assert base.poll_interval == 30.0


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        ({"poll_interval": -1}, "poll_interval"),
        ({"no_such_setting": 1}, "no_such_setting"),
        ({"reconnection_delay": 10.0}, "reconnection_delay_max"),
        ({"verify_tls": "yes"}, "verify_tls"),
    ],
)
def test_with_overrides_raises_when_override_is_invalid(
    overrides: dict[str, object], setting: str
) -> None:
    with pytest.raises(SettingsError) as info:
        Settings().with_overrides(**overrides)
    assert info.value.setting == setting


def test_constructor_validates_when_settings_are_built_directly() -> None:
    with pytest.raises(SettingsError) as info:
        Settings(log_level="verbose")
    assert (info.value.setting, info.value.source) == ("log_level", "argument")
    assert Settings(log_level="debug").log_level == "DEBUG"


def test_settings_are_immutable_when_assigned() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().poll_interval = 1.0  # type: ignore[misc]


def test_markdown_table_has_one_row_per_setting_when_rendered() -> None:
    lines = config.settings_markdown_table().splitlines()
    assert lines[0] == "| setting | env var | flag | default | description |"
    assert len(lines) == 2 + len(setting_specs())
    for line, spec in zip(lines[2:], setting_specs(), strict=True):
        assert line.startswith(f"| `{spec.name}` | `{spec.env}` | `{spec.flag}`")


def test_readme_table_matches_declaration_when_readme_has_markers() -> None:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if TABLE_START not in text or TABLE_END not in text:
        pytest.skip("README.md has no settings table markers")
    embedded = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    assert embedded.strip() == config.settings_markdown_table().strip(), (
        "README settings table is stale: run python scripts/settings_table.py --update README.md"
    )


def test_script_prints_markdown_table_when_run() -> None:
    script = REPO / "scripts" / "settings_table.py"
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == config.settings_markdown_table()


# --- ca_bundle ------------------------------------------------------------------------------

NOT_PEM = {
    "text": b"pem",
    "empty": b"",
    "bad base64": b"-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n",
    "DER bytes": bytes.fromhex("3082010a0282010100c3"),
}


@pytest.mark.parametrize("content", NOT_PEM.values(), ids=NOT_PEM.keys())
def test_ca_bundle_is_rejected_at_load_when_file_is_not_a_pem_ca_bundle(
    tmp_path: Path, content: bytes
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(content)
    error = load_error(["--ca-bundle", str(bundle)])
    assert (error.setting, error.source) == ("ca_bundle", "command line --ca-bundle")
    assert str(error).startswith(
        f"setting ca_bundle (command line --ca-bundle): not a PEM CA bundle: {str(bundle)!r} ("
    )
    assert "\n" not in str(error) and "_ssl.c" not in str(error)


def test_ca_bundle_is_rejected_when_toml_names_a_non_pem_file(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate", encoding="utf-8")
    path = write_toml(tmp_path, 'ca_bundle = "ca.pem"\n')
    error = load_error([], {"DASHBOARD_CONFIG": str(path)})
    assert (error.setting, error.source) == ("ca_bundle", f"config file {path}")
    assert f"not a PEM CA bundle: {str(tmp_path / 'ca.pem')!r}" in str(error)


def test_ca_bundle_is_rejected_when_settings_are_built_with_a_non_pem_file(
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        Settings(ca_bundle=bundle)
    assert (info.value.setting, info.value.source) == ("ca_bundle", "argument")
    with pytest.raises(SettingsError) as info:
        Settings().with_overrides(ca_bundle=str(bundle))
    assert (info.value.setting, info.value.source) == ("ca_bundle", "override")


def test_ca_bundle_is_accepted_when_file_is_a_self_signed_certificate(tmp_path: Path) -> None:
    certificate = write_self_signed_certificate(tmp_path / "self-signed.pem")
    settings = load_settings([], {"DASHBOARD_CA_BUNDLE": str(certificate)})
    assert settings.ca_bundle == certificate


def test_ca_bundle_is_accepted_when_file_is_a_multi_certificate_bundle(tmp_path: Path) -> None:
    bundle = write_ca_bundle(tmp_path / "bundle.pem")
    assert load_settings(["--ca-bundle", str(bundle)], {}).ca_bundle == bundle


# --- upper bounds -----------------------------------------------------------------------------

SECONDS_SETTINGS = [
    "reconnection_delay",
    "reconnection_delay_max",
    "reconnect_series_pause",
    "connect_timeout",
    "poll_interval",
    "request_timeout",
]


@pytest.mark.parametrize("name", SECONDS_SETTINGS)
def test_seconds_setting_is_rejected_when_above_one_day(name: str) -> None:
    flag = "--" + name.replace("_", "-")
    for text in ("86400.5", "3000000", "1e12"):
        error = load_error([flag, text])
        assert (error.setting, error.source) == (name, f"command line {flag}")
        assert "86400 (one day)" in str(error) and f"got {text!r}" in str(error)


@pytest.mark.parametrize("name", SECONDS_SETTINGS)
def test_seconds_setting_is_accepted_when_exactly_one_day(name: str) -> None:
    env = {"DASHBOARD_RECONNECTION_DELAY_MAX": "86400", f"DASHBOARD_{name.upper()}": "86400"}
    assert getattr(load_settings([], env), name) == 86400.0


def test_poll_interval_error_is_one_readable_line_when_value_overflows_qt_timers() -> None:
    error = load_error(["--poll-interval", "3000000"])
    assert str(error) == (
        "setting poll_interval (command line --poll-interval): "
        "must be a number between 0.1 and 86400 (one day), got '3000000'"
    )


@pytest.mark.parametrize(
    ("name", "largest", "expect"),
    [
        ("reconnection_attempts", 1_000_000, "an integer between 1 and 1000000"),
        (
            "max_payload_bytes",
            1024**3,
            "an integer between 1024 and 1073741824 (1 KiB to 1 GiB)",
        ),
    ],
)
def test_count_setting_is_rejected_when_above_its_limit(
    name: str, largest: int, expect: str
) -> None:
    env = f"DASHBOARD_{name.upper()}"
    assert getattr(load_settings([], {env: str(largest)}), name) == largest
    error = load_error([], {env: str(largest + 1)})
    assert str(error) == (
        f"setting {name} (environment {env}): must be {expect}, got '{largest + 1}'"
    )


@pytest.mark.parametrize("name", [*SECONDS_SETTINGS, "reconnection_attempts"])
def test_settings_error_is_raised_when_override_is_an_int_too_large_for_a_float(
    name: str,
) -> None:
    with pytest.raises(SettingsError) as info:
        Settings().with_overrides(**{name: 10**400})
    assert (info.value.setting, info.value.source) == (name, "override")


def test_limits_are_shown_in_help_when_help_is_requested(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        load_settings(["--help"], {})
    squeezed = " ".join(capsys.readouterr().out.split())
    assert squeezed.count("in seconds, up to 86400 (one day)") == 4
    assert "from reconnection_delay up to 86400 (one day)" in squeezed
    assert "from 0.1 up to 86400 (one day)" in squeezed
    assert "(1 to 1000000)" in squeezed and "(1 KiB to 1 GiB)" in squeezed
    assert "e+" not in squeezed


# --- event_name -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["connect", "disconnect", "connect_error", "message", "*", "__disconnect_final"]
)
def test_event_name_is_rejected_when_socketio_reserves_it(name: str) -> None:
    error = load_error(["--event-name", name])
    assert str(error) == (
        f"setting event_name (command line --event-name): reserved Socket.IO event name: {name!r}"
    )
    with pytest.raises(SettingsError) as info:
        Settings(event_name=name)
    assert info.value.setting == "event_name"


@pytest.mark.parametrize("name", ["", " ", "\t"])
def test_event_name_is_rejected_when_blank(name: str) -> None:
    error = load_error([], {"DASHBOARD_EVENT_NAME": name})
    assert (error.setting, error.source) == ("event_name", "environment DASHBOARD_EVENT_NAME")
    assert "must be a non-blank event name other than connect," in str(error)


@pytest.mark.parametrize("name", ["schedule", "connected", "my message", "Connect"])
def test_event_name_is_accepted_when_not_reserved(name: str) -> None:
    assert load_settings(["--event-name", name], {}).event_name == name


@pytest.mark.parametrize(
    ("name", "flag"), [("socketio_path", "--socketio-path"), ("rest_path", "--rest-path")]
)
@pytest.mark.parametrize("path", ["", "socket.io", " /x", "api/dashboard/schedule"])
def test_path_setting_is_rejected_when_it_does_not_start_with_a_slash(
    name: str, flag: str, path: str
) -> None:
    error = load_error([flag, path])
    assert (error.setting, error.source) == (name, f"command line {flag}")
    assert "must be a path starting with /" in str(error)


def test_extra_columns_come_from_toml_list_and_env_text_when_set(tmp_path: Path) -> None:
    config = write_toml(tmp_path, 'extra_columns = ["priority", "tags", "priority"]\n')

    assert load_settings(["--config", str(config)], {}).extra_columns == ("priority", "tags")
    env = {"DASHBOARD_EXTRA_COLUMNS": "room, crew"}
    assert load_settings([], env).extra_columns == ("room", "crew")
    assert load_settings([], {}).extra_columns == ()


def test_extra_columns_rejected_when_naming_a_standard_field() -> None:
    error = load_error(["--extra-columns", "priority,title"])

    assert error.setting == "extra_columns"
    assert "standard item field" in str(error)


def test_theme_follows_the_system_when_not_set() -> None:
    assert load_settings([], {}).theme == "system"


@pytest.mark.parametrize(
    ("argv", "env", "toml", "expected"),
    [
        (["--theme", "DARK"], {}, "", "dark"),
        ([], {"DASHBOARD_THEME": " Light "}, "", "light"),
        ([], {}, 'theme = "dark"\n', "dark"),
    ],
)
def test_theme_is_read_and_normalised_when_set_in_any_source(
    tmp_path: Path, argv: list[str], env: dict[str, str], toml: str, expected: str
) -> None:
    if toml:
        argv = [*argv, "--config", str(write_toml(tmp_path, toml))]
    assert load_settings(argv, env).theme == expected


@pytest.mark.parametrize(
    ("argv", "env", "source"),
    [
        (["--theme", "blue"], {}, "command line --theme"),
        ([], {"DASHBOARD_THEME": "auto"}, "environment DASHBOARD_THEME"),
    ],
)
def test_theme_error_names_the_setting_when_value_is_not_a_choice(
    argv: list[str], env: dict[str, str], source: str
) -> None:
    error = load_error(argv, env)

    assert (error.setting, error.source) == ("theme", source)
    assert "must be one of system, light, dark" in str(error)


def test_app_exits_with_status_2_when_theme_is_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    from dashboard_desktop import app

    assert app.main(["--theme", "blue"]) == 2
    assert capsys.readouterr().err.startswith("dashboard-desktop: error: setting theme (")
