"""Fixtures for the UI unit tests: a fixed local time zone."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pytest


@pytest.fixture
def local_tz() -> Iterator[Callable[[str], None]]:
    """Switch the process's local time zone (``TZ`` + ``tzset``); restored afterwards."""
    saved = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()
