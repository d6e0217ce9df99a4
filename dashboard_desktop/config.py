"""Reading the settings from every source: defaults < TOML file < environment < command line.

The settings themselves are declared once, in :mod:`dashboard_desktop.settings` (re-exported
here). Sources, lowest precedence first: defaults, the TOML config file (the token: the
keyring), ``DASHBOARD_<NAME>`` environment variables, command-line flags.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from dashboard_desktop import __version__
from dashboard_desktop._setting_kinds import ENV_PREFIX, SettingsError, SettingSpec
from dashboard_desktop._settings_cli import build_parser, markdown_table, read_toml
from dashboard_desktop.settings import (
    DEFAULT_KIOSK_EXIT_KEYS,
    MAX_MINUTES,
    MAX_PAYLOAD_BYTES,
    MAX_RECONNECTION_ATTEMPTS,
    MAX_SECONDS,
    RESERVED_EVENT_NAMES,
    Settings,
    check_relations,
    setting_specs,
)

__all__ = [
    "APP_NAME",
    "DEFAULT_KIOSK_EXIT_KEYS",
    "MAX_MINUTES",
    "MAX_PAYLOAD_BYTES",
    "MAX_RECONNECTION_ATTEMPTS",
    "MAX_SECONDS",
    "RESERVED_EVENT_NAMES",
    "LoadedSettings",
    "Settings",
    "SettingsError",
    "TokenLookup",
    "default_config_path",
    "load_settings",
    "load_settings_with_sources",
    "setting_specs",
    "settings_markdown_table",
]

APP_NAME = "dashboard-desktop"


def default_config_path() -> Path:
    """Return where the config file is looked for when none is given explicitly."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def _config_file(explicit: str | None, env: Mapping[str, str]) -> Path | None:
    """Pick the config file: ``--config``, else ``DASHBOARD_CONFIG``, else the default if any."""
    if explicit is not None:
        path, source = Path(explicit).expanduser(), "command line --config"
    elif env.get(ENV_PREFIX + "CONFIG"):
        path, source = (
            Path(env[ENV_PREFIX + "CONFIG"]).expanduser(),
            f"environment {ENV_PREFIX}CONFIG",
        )
    else:
        default = default_config_path()
        return default if default.is_file() else None
    if not path.is_file():
        raise SettingsError("config", source, f"must be an existing file, got {str(path)!r}")
    return path


# Returns the token stored for a server URL and namespace, or None (secrets.load_token).
TokenLookup = Callable[[str, str], "str | None"]
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedSettings:
    """The settings and where each value came from.

    Attributes:
        settings: The validated settings.
        sources: Per setting: ``"default"``, ``"config file PATH"``, ``"keyring"`` (the token),
            ``"environment NAME"`` or ``"command line FLAG"``.
        config_path: The config file read, or None when there was none.
    """

    settings: Settings
    sources: Mapping[str, str]
    config_path: Path | None

    def transient(self, name: str) -> bool:
        """Whether the environment or the command line gave the setting (used, never saved)."""
        return self.sources[name].startswith(("environment ", "command line "))


def load_settings(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    token_lookup: TokenLookup | None = None,
) -> Settings:
    """Read the settings from defaults, the config file, the environment and the command line.

    Args:
        argv: Command-line arguments without the program name (default: ``sys.argv[1:]``).
        env: Environment variables (default: ``os.environ``).
        token_lookup: Where a token is stored (the keyring); asked when neither the config
            file, the environment nor the command line gives one (never with ``demo``).

    Returns:
        The validated settings.

    Raises:
        SettingsError: A source is unreadable, or a value is unknown or invalid.
        SystemExit: With status 0 after ``--help`` or ``--version`` printed their text.
    """
    return load_settings_with_sources(argv, env, token_lookup=token_lookup).settings


def load_settings_with_sources(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    token_lookup: TokenLookup | None = None,
) -> LoadedSettings:
    """Like :func:`load_settings`, and tell where each value came from."""
    environ = os.environ if env is None else env
    specs = {spec.name: spec for spec in setting_specs()}
    parser = build_parser(tuple(specs.values()), __version__, default_config_path())
    given = vars(parser.parse_args(sys.argv[1:] if argv is None else list(argv)))
    path = _config_file(given.pop("config", None), environ)
    chosen: dict[str, tuple[Any, str]] = {n: (s.default, "default") for n, s in specs.items()}
    for spec, raw, source, from_text in _raw_values(specs, path, environ, given):
        chosen[spec.name] = (spec.convert(raw, source, from_text=from_text), source)
    _resolve_token(chosen, specs["token"], token_lookup)
    check_relations({name: value for name, (value, _) in chosen.items()}, lambda n: chosen[n][1])
    settings = Settings(**{name: value for name, (value, _) in chosen.items()})
    return LoadedSettings(settings, {name: src for name, (_, src) in chosen.items()}, path)


def _resolve_token(
    chosen: dict[str, tuple[Any, str]], spec: SettingSpec, lookup: TokenLookup | None
) -> None:
    """Put the stored token where the config file's would be; warn of one in the file."""
    source = chosen["token"][1]
    if source.startswith("config file"):
        from dashboard_desktop.log import log_event  # noqa: PLC0415 - log imports this module

        hint = "move the token to the keyring (Settings dialog) or DASHBOARD_TOKEN"
        log_event(_log, "token_in_config_file", level=logging.WARNING, source=source, hint=hint)
    elif source == "default" and lookup is not None and not chosen["demo"][0]:
        stored = lookup(chosen["server_url"][0], chosen["namespace"][0])
        if stored:
            chosen["token"] = (spec.convert(stored, "keyring", from_text=False), "keyring")


def _raw_values(
    specs: Mapping[str, SettingSpec],
    path: Path | None,
    environ: Mapping[str, str],
    given: Mapping[str, object],
) -> Iterator[tuple[SettingSpec, object, str, bool]]:
    """Yield ``(spec, raw value, source, is text)`` from every source, lowest precedence first."""
    if path is not None:
        for name, raw in read_toml(path, tuple(specs.values())).items():
            yield specs[name], raw, f"config file {path}", False
    for spec in specs.values():
        if spec.env in environ:
            yield spec, environ[spec.env], f"environment {spec.env}", True
    for name, raw in given.items():
        yield specs[name], raw, f"command line {specs[name].flag}", True


def settings_markdown_table() -> str:
    """Return a Markdown table of every setting: name, env var, flag, default, description."""
    return markdown_table(setting_specs())
