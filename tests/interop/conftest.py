"""Fixtures for the interop tests: third-party Socket.IO servers in subprocesses.

The Node server needs ``node`` on PATH (tests are skipped without it) and its dependencies
installed with ``npm ci --prefix tests/interop/node`` (tests fail with that hint without them).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import (
    NODE_MISSING_REASON,
    ServerProcess,
    StartServer,
    node_executable,
    start_server,
)

# The real client's fixtures (our SyncService on a qasync loop), for test_client_interop.py.
from tests.integration.conftest import client_factory, demo_process  # noqa: F401

SERVER_KINDS = [
    pytest.param("flask", id="flask"),
    pytest.param(
        "node",
        id="node",
        marks=pytest.mark.skipif(node_executable() is None, reason=NODE_MISSING_REASON),
    ),
]


@pytest.fixture
def start_interop_server() -> Iterator[StartServer]:
    """Factory ``(kind, token="") -> ServerProcess``; every server started is stopped after."""
    started: list[ServerProcess] = []

    def start(kind: str, token: str = "") -> ServerProcess:
        server = start_server(kind, token)
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()
        # Shown by pytest only when the test fails.
        print(f"--- {server.kind} server log ({server.url}) ---\n{server.log()}")


@pytest.fixture(params=SERVER_KINDS)
def server_kind(request: pytest.FixtureRequest) -> str:
    """Each third-party server kind: "flask", "node" (skipped only without ``node``)."""
    return str(request.param)
