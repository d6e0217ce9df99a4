"""Fixtures for the network unit tests: the in-process demo server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard_desktop.demo import DemoOptions, DemoServerThread


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    """An in-process demo server on 127.0.0.1 (own thread and loop), no automatic changes."""
    server = DemoServerThread(DemoOptions(host="127.0.0.1", port=0, rate=0, items=12, seed=7))
    server.start()
    yield server
    server.stop()
