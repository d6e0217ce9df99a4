"""The kiosk's exit key sequence as a setting kind, checked without Qt (docs/kiosk.md)."""

from __future__ import annotations

import re

from dashboard_desktop._setting_kinds import Kind

DEFAULT_KIOSK_EXIT_KEYS = "Ctrl+Shift+Q"
_KEY_MODIFIERS = ("Meta", "Ctrl", "Alt", "Shift")  # in the order Qt writes them
_KEY_NAMES = {
    **{name.casefold(): name for name in ("Esc", "Tab", "Backspace", "Return", "Enter")},
    **{name.casefold(): name for name in ("Ins", "Del", "Pause", "Print", "Home", "End")},
    **{name.casefold(): name for name in ("Left", "Up", "Right", "Down", "PgUp", "PgDown")},
    "space": "Space",
    "escape": "Esc",
    "insert": "Ins",
    "delete": "Del",
}
_F_KEY = re.compile(r"f([1-9]|[12][0-9]|3[0-5])", re.IGNORECASE)
_MAX_CHORDS = 4  # QKeySequence's limit


def _key_chord(text: str) -> str | None:
    """One chord ("ctrl+shift+q") as Qt writes it ("Ctrl+Shift+Q"), or None if invalid."""
    *modifiers, key = (part.strip() for part in text.split("+"))
    by_name = {name.casefold(): name for name in _KEY_MODIFIERS}
    chosen = {by_name.get(name.casefold(), "?") for name in modifiers}
    if "?" in chosen or len(chosen) != len(modifiers) or not chosen - {"Shift"}:
        return None  # unknown or repeated modifier, or none but Shift
    if (len(key) == 1 and key.isascii() and key.isalnum()) or _F_KEY.fullmatch(key):
        key = key.upper()
    elif key.casefold() in _KEY_NAMES:
        key = _KEY_NAMES[key.casefold()]
    else:
        return None
    return "+".join([*(name for name in _KEY_MODIFIERS if name in chosen), key])


class KeySequence(Kind):
    """A key sequence in Qt's portable text, normalised as ``QKeySequence.toString()`` writes
    it: chords of modifiers (at least one of Ctrl, Alt, Meta) and a letter, digit, F1-F35 or
    named key (Esc, Del, PgUp, ...), up to four separated by commas. No Qt needed."""

    def __init__(self) -> None:
        super().__init__(
            "a key sequence such as Ctrl+Shift+Q: Ctrl, Alt or Meta (and optionally Shift) "
            "with a letter, digit, F1-F35 or named key; up to 4 such chords separated by commas",
            "KEYS",
        )

    def check(self, value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            raise self._reject()
        chords = [_key_chord(part) for part in value.split(",")]
        if len(chords) > _MAX_CHORDS or None in chords:
            raise self._reject()
        return ", ".join(chord for chord in chords if chord)
