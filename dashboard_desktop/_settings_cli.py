"""Command line, config file and Markdown table of the settings, generated from their specs.

Everything here is generic over :class:`SettingSpec`; the settings themselves are declared
once, in :class:`dashboard_desktop.config.Settings`.
"""

from __future__ import annotations

import argparse
import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from dashboard_desktop._setting_kinds import ENV_PREFIX, FilePath, Flag, SettingsError, SettingSpec

PROG = "dashboard-desktop"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`SettingsError` instead of printing its usage."""

    flag_names: Mapping[str, str] = {}

    def error(self, message: str) -> NoReturn:
        """Raise the argparse error as a one-line :class:`SettingsError`."""
        match = re.match(r"argument (--[\w-]+)(?:/--[\w-]+)*: ", message)
        if match is None:
            raise SettingsError(None, "command line", message)
        flag = match.group(1)
        message = message.removeprefix(match.group(0))
        raise SettingsError(self.flag_names.get(flag), f"command line {flag}", message)


def build_parser(
    specs: Sequence[SettingSpec], version: str, config_path: Path
) -> argparse.ArgumentParser:
    """Generate the parser: ``--config``, ``--version`` and one flag per setting.

    Options not given are absent from the parsed namespace; values stay unparsed text,
    except booleans (``--flag``/``--no-flag``).
    """
    parser = _Parser(
        prog=PROG,
        description="Desktop and kiosk client for the live dashboard schedule.",
        epilog=(
            "Sources, lowest precedence first: defaults, the TOML config file (keys are the "
            f"setting names), {ENV_PREFIX}<NAME> environment variables, command-line flags."
        ),
        allow_abbrev=False,
        argument_default=argparse.SUPPRESS,
    )
    parser.flag_names = {spec.flag: spec.name for spec in specs}
    env_config = ENV_PREFIX + "CONFIG"
    config_help = f"TOML settings file (default: {config_path} if it exists; env: {env_config})"
    parser.add_argument("--config", metavar="PATH", help=_escape(config_help))
    parser.add_argument("--version", action="version", version=f"{PROG} {version}")
    group = parser.add_argument_group("settings")
    for spec in specs:
        default = spec.kind.render(spec.default)
        text = _escape(f"{spec.doc} (default: {default}; env: {spec.env})")
        if isinstance(spec.kind, Flag):
            action = argparse.BooleanOptionalAction
            group.add_argument(spec.flag, dest=spec.name, action=action, help=text)
        else:
            group.add_argument(spec.flag, dest=spec.name, metavar=spec.kind.metavar, help=text)
    return parser


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def read_toml(path: Path, specs: Sequence[SettingSpec]) -> dict[str, object]:
    """Read a TOML settings file whose top-level keys are setting names.

    Relative paths in the file are taken relative to the file's directory.

    Raises:
        SettingsError: The file cannot be read, is not TOML or has an unknown key.
    """
    source = f"config file {path}"
    try:
        with path.open("rb") as file:
            data: dict[str, object] = tomllib.load(file)
    except OSError as exc:
        raise SettingsError(None, source, f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(None, source, f"invalid TOML: {exc}") from None
    kinds = {spec.name: spec.kind for spec in specs}
    for key, value in data.items():
        if key not in kinds:
            close = difflib.get_close_matches(key, kinds, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise SettingsError(key, source, f"unknown setting{hint}")
        if isinstance(kinds[key], FilePath) and isinstance(value, str) and value.strip():
            data[key] = str(path.parent / Path(value).expanduser())
    return data


def markdown_table(specs: Sequence[SettingSpec]) -> str:
    """Render the settings as a Markdown table: setting, env var, flag, default, description."""
    rows = ["| setting | env var | flag | default | description |", "|---|---|---|---|---|"]
    for spec in specs:
        flag = f"`{spec.flag}`"
        if isinstance(spec.kind, Flag):
            flag += f" / `--no-{spec.flag[2:]}`"
        default = spec.kind.render(spec.default)
        default = default if spec.default is None else f"`{default}`"
        doc = spec.doc.replace("|", "\\|")
        rows.append(f"| `{spec.name}` | `{spec.env}` | {flag} | {default} | {doc} |")
    return "\n".join(rows) + "\n"
