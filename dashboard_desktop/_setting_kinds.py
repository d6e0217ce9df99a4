"""Value kinds of the settings declared in :mod:`dashboard_desktop.config`.

A *kind* turns one setting's raw input (text from the environment or the command line, or a
typed TOML value) into a checked, normalised Python value, and describes valid values for
error messages and ``--help``.
"""

from __future__ import annotations

import math
import re
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ENV_PREFIX = "DASHBOARD_"


class SettingsError(Exception):
    """A setting has an invalid value, or the settings could not be read.

    Attributes:
        setting: Name of the offending setting (``None`` when no single setting is at fault).
        source: Where the value came from, e.g. ``"environment DASHBOARD_POLL_INTERVAL"``.
        message: What is wrong, on one line, without the setting and the source.
    """

    def __init__(self, setting: str | None, source: str, message: str) -> None:
        super().__init__(setting, source, message)
        self.setting = setting
        self.source = source
        self.message = " ".join(message.split())

    def __str__(self) -> str:
        if self.setting is None:
            return f"{self.source}: {self.message}"
        return f"setting {self.setting} ({self.source}): {self.message}"


class InvalidValueError(ValueError):
    """Raised by a kind; ``str()`` completes the phrase "must be ...".

    Attributes:
        problem: If set, says what is wrong instead, e.g. ``"not a PEM CA bundle"``; the
            message is then ``"<problem>: <value> (<detail>)"``.
        detail: Optional cause, shown after the value (only with ``problem``).
    """

    def __init__(self, expect: str, problem: str | None = None, detail: str | None = None) -> None:
        super().__init__(expect)
        self.problem = problem
        self.detail = detail

    def describe(self, shown: object) -> str:
        """Return the one-line message for the (already redacted) value ``shown``."""
        if self.problem is None:
            return f"must be {self}, got {shown!r}"
        return f"{self.problem}: {shown!r}" + (f" ({self.detail})" if self.detail else "")


class Kind:
    """How one setting's values are parsed from text, checked and displayed.

    Attributes:
        expect: What a valid value is, completing the phrase "must be ...".
        metavar: Placeholder for the value in ``--help``.
    """

    def __init__(self, expect: str, metavar: str) -> None:
        self.expect = expect
        self.metavar = metavar

    def parse(self, text: str) -> object:
        """Convert text from the environment or the command line (checked afterwards)."""
        return text

    def check(self, value: object) -> object:
        """Return the normalised value, or raise :class:`InvalidValueError`."""
        raise NotImplementedError

    def render(self, value: object) -> str:
        """Show a value in ``--help`` and in the settings table."""
        return '""' if value == "" else str(value)

    def _reject(self) -> InvalidValueError:
        return InvalidValueError(self.expect)


class Text(Kind):
    """A string that matches ``pattern`` entirely."""

    def __init__(self, expect: str, pattern: str, metavar: str = "TEXT") -> None:
        super().__init__(expect, metavar)
        self.pattern = re.compile(pattern, re.DOTALL)

    def check(self, value: object) -> object:
        if not isinstance(value, str) or not self.pattern.fullmatch(value):
            raise self._reject()
        return value


class Url(Kind):
    """An http(s) URL with a host and nothing after it; a trailing slash is dropped."""

    def __init__(self) -> None:
        super().__init__("an http or https URL with a host and no path, query or fragment", "URL")

    def check(self, value: object) -> object:
        if not isinstance(value, str):
            raise self._reject()
        url = value.strip().rstrip("/")
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises ValueError on a bad port
        except ValueError:
            raise self._reject() from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise self._reject()
        if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
            raise self._reject()
        return parts._replace(scheme=parts.scheme.lower()).geturl()


class Choice(Kind):
    """One of ``choices``, case-insensitive, stored as spelled in ``choices``."""

    def __init__(self, *choices: str) -> None:
        super().__init__("one of " + ", ".join(choices), "{" + ",".join(choices) + "}")
        self.choices = choices

    def check(self, value: object) -> object:
        if isinstance(value, str):
            for choice in self.choices:
                if value.strip().casefold() == choice.casefold():
                    return choice
        raise self._reject()


def _number_text(value: float) -> str:
    """Show a bound without exponent notation: ``86400``, ``1073741824``, ``0.1``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class Number(Kind):
    """A finite float, or an int if ``integer``, within bounds.

    ``hint`` (e.g. ``"one day"``) follows the bounds in messages: "a number > 0 and <= 86400
    (one day)".
    """

    def __init__(
        self,
        minimum: float,
        maximum: float | None = None,
        *,
        exclusive: bool = False,
        integer: bool = False,
        metavar: str = "SECONDS",
        hint: str = "",
    ) -> None:
        noun = "an integer" if integer else "a number"
        low, high = _number_text(minimum), _number_text(maximum) if maximum is not None else ""
        if maximum is None:
            bound = f"{'>' if exclusive else '>='} {low}"
        elif exclusive:
            bound = f"> {low} and <= {high}"
        else:
            bound = f"between {low} and {high}"
        super().__init__(f"{noun} {bound}" + (f" ({hint})" if hint else ""), metavar)
        self.minimum = minimum
        self.maximum = maximum
        self.exclusive = exclusive
        self.integer = integer

    def parse(self, text: str) -> object:
        try:
            return int(text) if self.integer else float(text)
        except ValueError:
            raise self._reject() from None

    def check(self, value: object) -> object:
        allowed = (int,) if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed):
            raise self._reject()
        try:
            number = value if self.integer else float(value)
        except OverflowError:  # an int too large for a float
            raise self._reject() from None
        finite = self.integer or math.isfinite(number)  # isfinite() overflows on a huge int
        too_low = number <= self.minimum if self.exclusive else number < self.minimum
        too_high = self.maximum is not None and number > self.maximum
        if not finite or too_low or too_high:
            raise self._reject()
        return number


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class Flag(Kind):
    """A boolean; as text: true/false, yes/no, on/off or 1/0."""

    def __init__(self) -> None:
        super().__init__("a boolean (true/false, yes/no, on/off, 1/0)", "BOOL")

    def parse(self, text: str) -> object:
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise self._reject()
        return word in _TRUE

    def check(self, value: object) -> object:
        if not isinstance(value, bool):
            raise self._reject()
        return value

    def render(self, value: object) -> str:
        return "true" if value else "false"


class Names(Kind):
    """A non-empty list drawn from ``choices`` (comma-separated as text); duplicates dropped."""

    def __init__(self, *choices: str) -> None:
        super().__init__("a non-empty list of " + ", ".join(choices), "LIST")
        self.choices = choices

    def parse(self, text: str) -> object:
        return [part.strip() for part in text.split(",") if part.strip()]

    def check(self, value: object) -> object:
        if not isinstance(value, list | tuple) or not value:
            raise self._reject()
        if any(item not in self.choices for item in value):
            raise self._reject()
        return tuple(dict.fromkeys(value))

    def render(self, value: object) -> str:
        return ",".join(value) if isinstance(value, tuple) else str(value)


class FieldNames(Kind):
    """A possibly empty list of item field names (comma-separated as text); duplicates dropped."""

    def __init__(self, reserved: frozenset[str]) -> None:
        super().__init__("a list of field names, none of them a standard item field", "LIST")
        self.reserved = reserved

    def parse(self, text: str) -> object:
        return [part.strip() for part in text.split(",") if part.strip()]

    def check(self, value: object) -> object:
        if not isinstance(value, list | tuple):
            raise self._reject()
        if any(not isinstance(name, str) or not name or name in self.reserved for name in value):
            raise self._reject()
        return tuple(dict.fromkeys(value))

    def render(self, value: object) -> str:
        return ",".join(value) if isinstance(value, tuple) and value else "none"


class FilePath(Kind):
    """An optional filesystem path, ``~`` expanded; empty text means none."""

    def __init__(self, *, must_exist: bool = False) -> None:
        super().__init__("an existing file" if must_exist else "a path", "PATH")
        self.must_exist = must_exist

    def parse(self, text: str) -> object:
        return text if text.strip() else None

    def check(self, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, str | Path) or not str(value):
            raise self._reject()
        path = Path(value).expanduser()
        if self.must_exist and not path.is_file():
            raise self._reject()
        return path

    def render(self, value: object) -> str:
        return "none" if value is None else str(value)


class EventName(Text):
    """A non-blank Socket.IO event name that is not one of ``reserved``.

    Handlers of the reserved names belong to the client itself (``connect``, ...), so a
    setting naming one would replace them.
    """

    def __init__(self, reserved: Iterable[str]) -> None:
        self.reserved = tuple(reserved)
        expect = "a non-blank event name other than " + ", ".join(self.reserved)
        super().__init__(expect, r".*\S.*")

    def check(self, value: object) -> object:
        if value in self.reserved:
            raise InvalidValueError(self.expect, "reserved Socket.IO event name")
        return super().check(value)


class CaBundle(FilePath):
    """An optional existing file that :mod:`ssl` loads as a PEM bundle of CA certificates."""

    def __init__(self) -> None:
        super().__init__(must_exist=True)
        self.expect = "an existing PEM CA bundle file"

    def check(self, value: object) -> object:
        path = super().check(value)
        if path is not None:
            try:
                ssl.create_default_context(cafile=str(path))
            except OSError as exc:  # ssl.SSLError is an OSError
                reason = _ssl_reason(exc)
                raise InvalidValueError(self.expect, "not a PEM CA bundle", reason) from None
        return path


def _ssl_reason(exc: OSError) -> str:
    """``[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found (_ssl.c:4154)``
    becomes ``no certificate or crl found``; other errors give their ``strerror``."""
    text = exc.strerror or str(exc)
    return re.sub(r"^\[[^\]]*\]\s*|\s*\(_ssl\.c:\d+\)$", "", text) or str(exc)


@dataclass(frozen=True)
class SettingSpec:
    """Everything known about one setting, derived from its declaration."""

    name: str
    doc: str
    kind: Kind
    default: object
    secret: bool = False

    @property
    def env(self) -> str:
        """Name of the environment variable, e.g. ``DASHBOARD_POLL_INTERVAL``."""
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        """Command-line flag, e.g. ``--poll-interval``."""
        return "--" + self.name.replace("_", "-")

    def convert(self, raw: object, source: str, *, from_text: bool) -> object:
        """Parse (if ``from_text``) and check ``raw``.

        Raises:
            SettingsError: The value is invalid; the message never shows a secret.
        """
        try:
            value = self.kind.parse(raw) if from_text and isinstance(raw, str) else raw
            return self.kind.check(value)
        except InvalidValueError as exc:
            shown = "***" if self.secret else str(raw) if isinstance(raw, Path) else raw
            raise SettingsError(self.name, source, exc.describe(shown)) from None
