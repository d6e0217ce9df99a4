"""The settings of the desktop client, each declared once: :class:`Settings`.

Every setting is one field of :class:`Settings` carrying its default, a one-line description
and its validation (a :class:`~dashboard_desktop._setting_kinds.Kind`). The TOML file keys, the
``DASHBOARD_<NAME>`` environment variables, the command-line flags, ``--help`` and the README
table are all generated from these declarations; :mod:`dashboard_desktop.config` reads the
sources.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard_desktop._key_sequence import DEFAULT_KIOSK_EXIT_KEYS, KeySequence
from dashboard_desktop._setting_kinds import (
    CaBundle,
    Choice,
    EventName,
    FieldNames,
    FilePath,
    Flag,
    Kind,
    Names,
    Number,
    SettingsError,
    SettingSpec,
    Text,
    Url,
)
from dashboard_desktop.core.items import KNOWN_FIELDS

__all__ = [
    "DEFAULT_KIOSK_EXIT_KEYS",
    "MAX_ITEMS",
    "MAX_MINUTES",
    "MAX_PAYLOAD_BYTES",
    "MAX_RECONNECTION_ATTEMPTS",
    "MAX_SECONDS",
    "RESERVED_EVENT_NAMES",
    "Settings",
    "SettingsError",
    "check_relations",
    "setting_specs",
]

_SPEC = "setting"
_PATH = r"/\S*"
_PATH_TEXT = "a path starting with /"
_NOT_BLANK = r"(?s).*\S.*"


def _setting(default: object, kind: Kind, doc: str, *, secret: bool = False) -> Any:
    """Declare one setting: a dataclass field whose metadata carries its kind and doc."""
    return field(default=default, repr=not secret, metadata={_SPEC: (doc, kind, secret)})


# Qt and qasync timers take 32-bit milliseconds (about 24.8 days); a day is far below that.
MAX_SECONDS = 86_400
MAX_MINUTES = MAX_SECONDS // 60  # past_grace, default_duration
MAX_RECONNECTION_ATTEMPTS = 1_000_000
MAX_PAYLOAD_BYTES = 1024**3
MAX_ITEMS = 10_000_000
# Event names with a meaning to the Socket.IO client ("*" catches every event,
# "__disconnect_final" is python-socketio's own); the schedule event must not take them.
RESERVED_EVENT_NAMES = (
    "connect",
    "connect_error",
    "disconnect",
    "message",
    "*",
    "__disconnect_final",
)
_UP_TO_A_DAY = f"up to {MAX_SECONDS} (one day)"
_SECONDS = Number(0, MAX_SECONDS, exclusive=True, hint="one day")


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings of the client; construction validates and normalises every value.

    Raises:
        SettingsError: On construction, when a value is invalid.
    """

    server_url: str = _setting(
        "http://127.0.0.1:8765", Url(), "Base URL of the dashboard backend (http or https)."
    )
    namespace: str = _setting(
        "default", Text("a non-empty string", _NOT_BLANK), "Dashboard namespace."
    )
    token: str = _setting(
        "",
        Text("a token of visible ASCII characters (0x21 to 0x7E), without spaces", r"[!-~]*"),
        "Access token for the backend (visible ASCII, no spaces); empty for none. Never shown "
        "or logged.",
        secret=True,
    )
    socketio_path: str = _setting(
        "/socket.io", Text(_PATH_TEXT, _PATH), "Socket.IO endpoint path."
    )
    socketio_namespace: str = _setting(
        "/", Text("a namespace starting with /", _PATH), "Socket.IO namespace."
    )
    transports: tuple[str, ...] = _setting(
        ("websocket",),
        Names("polling", "websocket"),
        "Socket.IO transports to use (a comma-separated list outside TOML).",
    )
    reconnection_delay: float = _setting(
        1.0, _SECONDS, f"Delay before the first reconnection attempt, in seconds, {_UP_TO_A_DAY}."
    )
    reconnection_delay_max: float = _setting(
        5.0,
        _SECONDS,
        f"Cap of the reconnection back-off, in seconds, from reconnection_delay {_UP_TO_A_DAY}.",
    )
    reconnection_attempts: int = _setting(
        60,
        Number(1, MAX_RECONNECTION_ATTEMPTS, integer=True, metavar="N"),
        f"Reconnection attempts in one series (1 to {MAX_RECONNECTION_ATTEMPTS}).",
    )
    randomization_factor: float = _setting(
        0.5, Number(0, 1, metavar="FACTOR"), "Jitter of the reconnection delays (0 to 1)."
    )
    reconnect_series_pause: float = _setting(
        300.0,
        _SECONDS,
        f"Pause before a fresh series once the attempts are used up, in seconds, {_UP_TO_A_DAY}.",
    )
    connect_timeout: float = _setting(
        10.0, _SECONDS, f"Bound on one Socket.IO connection attempt, in seconds, {_UP_TO_A_DAY}."
    )
    poll_interval: float = _setting(
        30.0,
        Number(0.1, MAX_SECONDS, hint="one day"),
        f"REST polling interval while the socket is down, in seconds, from 0.1 {_UP_TO_A_DAY}.",
    )
    request_timeout: float = _setting(
        10.0, _SECONDS, f"Timeout of one REST request, in seconds, {_UP_TO_A_DAY}."
    )
    rest_path: str = _setting(
        "/api/dashboard/schedule", Text(_PATH_TEXT, _PATH), "Path of the REST schedule snapshot."
    )
    event_name: str = _setting(
        "dashboard_schedule_updated",
        EventName(RESERVED_EVENT_NAMES),
        "Socket.IO event that carries schedule updates (not one the client reserves, such as "
        "connect or message).",
    )
    extra_columns: tuple[str, ...] = _setting(
        (),
        FieldNames(KNOWN_FIELDS),
        "Unknown item fields to show as extra table columns, in order (comma-separated outside "
        "TOML); none by default.",
    )
    max_update_rate: float = _setting(
        60.0,
        Number(0, 1000, metavar="PER_SECOND"),
        "Most schedule updates applied per second; events arriving within one update interval "
        "are applied together (0 to 1000; 0 applies every event as it arrives).",
    )
    past_grace: float = _setting(
        15.0,
        Number(0, MAX_MINUTES, metavar="MINUTES", hint="one day"),
        "Minutes an ended item stays shown, dimmed, before it counts as dropped (a kiosk hides "
        f"dropped items), from 0 up to {MAX_MINUTES} (one day).",
    )
    default_duration: float = _setting(
        30.0,
        Number(0, MAX_MINUTES, exclusive=True, metavar="MINUTES", hint="one day"),
        f"Minutes an item without an end counts as current after its start, up to {MAX_MINUTES} "
        "(one day).",
    )
    verify_tls: bool = _setting(True, Flag(), "Verify the server's TLS certificate.")
    ca_bundle: Path | None = _setting(  # noqa: RUF009 - a field() declaration
        None,
        CaBundle(),
        "PEM CA bundle both channels verify the server with; none: certifi's Mozilla bundle.",
    )
    max_payload_bytes: int = _setting(
        32 * 1024 * 1024,
        Number(1024, MAX_PAYLOAD_BYTES, integer=True, metavar="BYTES", hint="1 KiB to 1 GiB"),
        "Largest REST body or socket message accepted, in bytes (1 KiB to 1 GiB).",
    )
    max_items: int = _setting(
        200_000,
        Number(1, MAX_ITEMS, integer=True, metavar="N", hint="up to 10 million"),
        "Most items accepted in one snapshot or delta; a larger one is refused and logged, "
        "and the schedule shown stays (1 to 10 million).",
    )
    consistency_interval: float = _setting(
        10.0,
        Number(0, MAX_MINUTES, metavar="MINUTES", hint="one day"),
        "Minutes between checks, while live, that the pushed schedule equals a REST snapshot "
        f"(repaired if not); 0 for none (also checked after every resync), up to {MAX_MINUTES}.",
    )
    health_port: int = _setting(
        0,
        Number(0, 65_535, integer=True, metavar="PORT"),
        "Port of the local health endpoint (GET /healthz, GET /metrics); 0 for none.",
    )
    health_host: str = _setting(
        "127.0.0.1",
        Text("a host name or IP address", r"[A-Za-z0-9.:\-\[\]]+", metavar="HOST"),
        "Address the health endpoint binds to; anything but loopback exposes it to the network.",
    )
    log_level: str = _setting(
        "INFO", Choice("DEBUG", "INFO", "WARNING", "ERROR"), "Log level (case-insensitive)."
    )
    log_format: str = _setting(
        "text", Choice("text", "json"), "Format of the stderr log; the log file is always JSON."
    )
    log_dir: Path | None = _setting(  # noqa: RUF009 - a field() declaration
        None, FilePath(), "Directory of the log file; none for the platform's user log directory."
    )
    offline_cache: bool = _setting(
        True,
        Flag(),
        "Keep the last good snapshot on disk and show it at start-up, marked as cached, until "
        "fresh data arrive (not with --demo).",
    )
    cache_dir: Path | None = _setting(  # noqa: RUF009 - a field() declaration
        None,
        FilePath(),
        "Directory of the offline cache; none for the platform's user cache directory.",
    )
    demo: bool = _setting(
        False, Flag(), "Start the bundled demo backend on a free loopback port and connect to it."
    )
    theme: str = _setting(
        "system",
        Choice("system", "light", "dark"),
        "Colours of the staff desktop: system follows the system's light or dark mode.",
    )

    # -- kiosk wall display (docs/kiosk.md) --
    kiosk: bool = _setting(
        False,
        Flag(),
        "Run as a kiosk wall display: full screen and frameless, large high-contrast text, no "
        "menus or dialogs; only kiosk_exit_keys quits.",
    )
    kiosk_screen: str = _setting(
        "",
        Text("a screen name or a 0-based screen index", r"[^\n\r]*", metavar="SCREEN"),
        "Screen of the kiosk: its name (e.g. HDMI-1) or 0-based index; empty for the primary "
        "screen, which is also used while the screen named is missing.",
    )
    kiosk_exit_keys: str = _setting(
        DEFAULT_KIOSK_EXIT_KEYS,
        KeySequence(),
        "Key sequence that quits the kiosk (Esc does nothing), e.g. Ctrl+Alt+Q or Ctrl+K, "
        "Ctrl+Q; Ctrl, Alt or Meta required.",
    )
    page_interval: float = _setting(
        10.0,
        Number(1, MAX_SECONDS, hint="one day"),
        f"Seconds each page of a kiosk schedule longer than the screen is shown, from 1 "
        f"{_UP_TO_A_DAY}.",
    )
    burn_in_shift: bool = _setting(
        False, Flag(), "Shift the kiosk's content by a few pixels every two minutes (burn-in)."
    )
    title: str = _setting(
        "Schedule",
        Text("a title of at most 200 characters on one line", r"[^\n\r]{0,200}"),
        "Dashboard title shown in the kiosk's header.",
    )

    def __post_init__(self) -> None:
        for spec in setting_specs():
            value = spec.convert(getattr(self, spec.name), "argument", from_text=False)
            object.__setattr__(self, spec.name, value)
        check_relations(_values(self), lambda name: "argument")

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a validated copy with some settings replaced.

        Raises:
            SettingsError: A name is not a setting, or a value is invalid.
        """
        specs = {spec.name: spec for spec in setting_specs()}
        checked: dict[str, Any] = {}
        for name, raw in overrides.items():
            if name not in specs:
                raise SettingsError(name, "override", "unknown setting")
            checked[name] = specs[name].convert(raw, "override", from_text=False)
        merged = {**_values(self), **checked}
        check_relations(merged, lambda name: "override" if name in checked else "current value")
        return dataclasses.replace(self, **checked)

    def redacted(self) -> dict[str, object]:
        """Return the settings as a JSON-serialisable dict, with a set token shown as ``"***"``.

        Paths become strings and tuples lists; use it to display or log the settings.
        """
        shown: dict[str, object] = {}
        for spec in setting_specs():
            value = getattr(self, spec.name)
            if spec.secret and value:
                value = "***"
            elif isinstance(value, Path):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            shown[spec.name] = value
        return shown


def _values(settings: Settings) -> dict[str, Any]:
    return {spec.name: getattr(settings, spec.name) for spec in setting_specs()}


@functools.cache
def setting_specs() -> tuple[SettingSpec, ...]:
    """Return the specification of every setting, in declaration order."""
    specs = []
    for item in dataclasses.fields(Settings):
        doc, kind, secret = item.metadata[_SPEC]
        specs.append(SettingSpec(item.name, doc, kind, item.default, secret))
    return tuple(specs)


def check_relations(values: Mapping[str, Any], source_of: Callable[[str], str]) -> None:
    """Check the constraints between settings whose values are each valid already."""
    delay, delay_max = values["reconnection_delay"], values["reconnection_delay_max"]
    if delay_max < delay:
        raise SettingsError(
            "reconnection_delay_max",
            source_of("reconnection_delay_max"),
            f"must be >= reconnection_delay ({delay:g}, {source_of('reconnection_delay')}), "
            f"got {delay_max:g}",
        )
