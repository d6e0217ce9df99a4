"""Unit tests of the Qt-free core (items, protocol, schedule, sync, back-off, status)."""
