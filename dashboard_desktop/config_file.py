"""Write changed settings back into the user's TOML config file.

:mod:`tomllib` only reads, so the file is edited with :mod:`tomlkit`, which keeps the user's
comments, key order and layout: only the changed keys are touched. The new text replaces the
file atomically (a temporary file in the same directory, flushed to disk, then renamed over
it), so a crash never leaves half a file. A symbolic link is followed: its target is
replaced, the link stays.

Secret settings (the token) are never written: they belong in the keyring
(:mod:`dashboard_desktop.secrets`). :func:`save_accepted` stores what the Settings dialog
accepted in both places.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard_desktop import config, secrets
from dashboard_desktop.config import LoadedSettings, Settings, SettingsError, setting_specs
from dashboard_desktop.log import log_event

if TYPE_CHECKING:  # imported when a file is written: a start-up never needs it
    import tomlkit

__all__ = ["changed_settings", "save_accepted", "write_settings"]

_log = logging.getLogger(__name__)


def save_accepted(loaded: LoadedSettings, new: Settings) -> LoadedSettings:
    """Keep what the Settings dialog accepted for the next start; blocking (keyring, disk).

    The token goes into the keyring under the new server URL and namespace, unless the
    environment or the command line gave it; once it is there, a token the config file holds
    is removed from it. The non-secret settings that changed go into the config file the
    settings were read from (else the default one). Nothing is saved with ``demo``.

    Args:
        loaded: The settings in use and where they came from.
        new: The settings accepted.

    Returns:
        ``loaded`` updated to ``new`` and where its values are now kept.

    Raises:
        OSError, SettingsError: The config file could not be written (the keyring's failures
            are logged and the token is then kept for this session only).
    """
    old, sources = loaded.settings, dict(loaded.sources)
    if new.demo:
        log_event(_log, "settings_not_saved", reason="demo")
        return dataclasses.replace(loaded, settings=new)
    token_in_file = sources["token"].startswith("config file")
    token_stored = False
    if not loaded.transient("token") and _token_moved(old, new, token_in_file):
        token_stored = secrets.save_token(new.server_url, new.namespace, new.token)
        if token_stored:
            sources["token"] = "keyring" if new.token else "default"
    changes = {k: v for k, v in changed_settings(old, new).items() if not loaded.transient(k)}
    if not changes and not (token_stored and token_in_file):
        return LoadedSettings(new, sources, loaded.config_path)
    path = loaded.config_path or config.default_config_path()
    write_settings(path, changes, drop_token=token_stored)
    sources.update(dict.fromkeys(changes, f"config file {path}"))
    log_event(_log, "settings_saved", path=path, settings=sorted(changes))
    return LoadedSettings(new, sources, path)


def _token_moved(old: Settings, new: Settings, in_file: bool) -> bool:
    """Whether the keyring needs the token: changed, for another server, or in the file."""
    where = (new.token, new.server_url, new.namespace)
    return in_file or where != (old.token, old.server_url, old.namespace)


def changed_settings(before: Settings, after: Settings) -> dict[str, object]:
    """Return the non-secret settings whose value differs, with their values in ``after``."""
    return {
        spec.name: getattr(after, spec.name)
        for spec in setting_specs()
        if not spec.secret and getattr(after, spec.name) != getattr(before, spec.name)
    }


def write_settings(path: Path, changes: Mapping[str, object], *, drop_token: bool = False) -> None:
    """Set ``changes`` in the TOML file at ``path``, keeping every other key and comment.

    Args:
        path: The config file; created (with its directory) if missing.
        changes: Setting name to value, as a :class:`Settings` holds it (``None`` removes
            the key: the setting goes back to its default).
        drop_token: Also remove a token the file holds (once it is safe in the keyring).

    Raises:
        ValueError: A name is not a setting, or is a secret: secrets are never written.
        SettingsError: The existing file is not valid TOML; it is left as it is.
        OSError: The file could not be read or replaced.
    """
    specs = {spec.name: spec for spec in setting_specs()}
    for name in changes:
        if name not in specs:
            raise ValueError(f"unknown setting {name!r}")
        if specs[name].secret:
            raise ValueError(f"setting {name} is secret and never written to the config file")
    target = path.resolve()
    document = _read(target)
    for name, value in changes.items():
        if value is None:
            document.pop(name, None)
        else:
            document[name] = _toml_value(value)
    if drop_token:
        for spec in specs.values():
            if spec.secret:
                document.pop(spec.name, None)
    _replace(target, document.as_string())


def _read(path: Path) -> tomlkit.TOMLDocument:
    """Parse the file, or start an empty document when there is none."""
    import tomlkit  # noqa: PLC0415 - see the import above
    import tomlkit.exceptions  # noqa: PLC0415

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        message = f"invalid TOML, not changed: {exc}"
        raise SettingsError(None, f"config file {path}", message) from None


def _toml_value(value: object) -> object:
    """A settings value as TOML takes it: paths as absolute strings, tuples as arrays."""
    if isinstance(value, Path):
        return str(value.absolute())  # a relative path in the file would be file-relative
    if isinstance(value, tuple):
        return list(value)
    return value


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, sync it, rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None  # a new file keeps mkstemp's owner-only mode
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); a directory cannot be opened on Windows."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
