"""TLS against the real demo server serving HTTPS and WSS on 127.0.0.1 with a test CA.

The certificate authority and the server's certificate (for the IP address 127.0.0.1) are made
by ``trustme`` for each test: the server is "self-signed" as far as the client knows, unless
the test CA is given as ``ca_bundle``.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from dashboard_desktop.config import Settings
from dashboard_desktop.connection import Connection
from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.core.status import ConnectionState, ConnectionStatus
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.net.sync import SyncService
from tests.conftest import run
from tests.integration.conftest import Client, events, wait_state

ITEMS = 12
VERIFY_FAILED = "certificate verify failed"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A throw-away certificate authority."""
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    """The test CA's certificate as a PEM file (a ``ca_bundle``)."""
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def tls_demo(ca: trustme.CA) -> Iterator[DemoServerThread]:
    """The demo server on HTTPS/WSS only, its certificate issued by the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = DemoServerThread(
        DemoOptions(port=0, rate=0, items=ITEMS, seed=7, ssl_context=context)
    )
    server.start()
    assert server.url.startswith("https://127.0.0.1:")
    yield server
    server.stop()


def offline_after_a_poll(client: Client) -> bool:
    """True once a connection attempt and a REST poll have both failed."""
    return client.state is ConnectionState.OFFLINE


def test_nothing_connects_when_certificate_is_not_trusted_by_default(
    qtbot: Any,
    client_factory: Callable[..., Client],
    tls_demo: DemoServerThread,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = client_factory(tls_demo.url)  # verify_tls = true, no ca_bundle: the defaults
    assert client.service.settings.verify_tls and client.service.settings.ca_bundle is None

    qtbot.waitUntil(lambda: offline_after_a_poll(client), timeout=10000)

    assert VERIFY_FAILED in client.service.tracker.status().reason
    failed = events(caplog, "connect_failed")
    polls = events(caplog, "poll")
    assert failed and all(VERIFY_FAILED in record["reason"] for record in failed)
    assert polls and all(VERIFY_FAILED in record["error"] for record in polls)
    assert ConnectionState.LIVE not in client.states
    assert len(client.schedule) == 0 and client.schedule.version is None
    assert tls_demo.server.rest_requests == {}  # no request got through the handshake
    assert tls_demo.server.connected_clients == 0
    assert not events(caplog, "tls_verification_off")


def test_live_over_wss_and_https_when_ca_bundle_is_the_test_ca(
    qtbot: Any,
    client_factory: Callable[..., Client],
    tls_demo: DemoServerThread,
    ca_file: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = client_factory(tls_demo.url, ca_bundle=str(ca_file))

    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: len(client.schedule) == ITEMS, timeout=10000)

    assert tls_demo.server.connected_clients == 1  # the websocket, over TLS only
    assert tls_demo.server.rest_requests.get(200, 0) >= 1  # the snapshot, over TLS only
    assert not events(caplog, "tls_verification_off")
    pushed = tls_demo.call(tls_demo.server.make_change)  # and a push over wss
    qtbot.waitUntil(lambda: client.schedule.version == pushed, timeout=10000)


def test_live_and_warned_when_verification_is_turned_off(
    qtbot: Any,
    client_factory: Callable[..., Client],
    tls_demo: DemoServerThread,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = client_factory(tls_demo.url, verify_tls=False)

    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(lambda: len(client.schedule) == ITEMS, timeout=10000)

    warnings = [
        record
        for record in caplog.records
        if getattr(record, "event", None) == "tls_verification_off"
    ]
    assert [record.levelno for record in warnings] == [logging.WARNING] * 2
    assert [record.fields["phase"] for record in warnings] == ["start", "connect"]  # type: ignore[attr-defined]


@pytest.fixture
def connection(
    loop: Any, qtbot: Any, test_settings: Settings, tls_demo: DemoServerThread
) -> Iterator[tuple[Connection, Schedule, list[ConnectionStatus]]]:
    """A replaceable connection (as the settings dialog uses it), verification off, no
    offline cache (so every row shown came over the network)."""
    settings = test_settings.with_overrides(
        server_url=tls_demo.url, verify_tls=False, offline_cache=False
    )
    schedule = Schedule()
    statuses: list[ConnectionStatus] = []

    def wire(service: SyncService) -> None:
        service.statusChanged.connect(statuses.append)

    conn = Connection(settings, schedule, wire)
    conn.service.start()
    yield conn, schedule, statuses
    run(qtbot, conn.stop())


def test_new_policy_is_used_when_settings_turn_verification_back_on(
    qtbot: Any,
    connection: tuple[Connection, Schedule, list[ConnectionStatus]],
    ca_file: Path,
) -> None:
    conn, schedule, statuses = connection
    qtbot.waitUntil(lambda: live(statuses) and len(schedule) == ITEMS, timeout=10000)
    schedule.replace([], None)  # so that the trusted service must fetch it again

    strict = conn.service.settings.with_overrides(verify_tls=True)
    run(qtbot, conn.replace(strict))
    qtbot.waitUntil(lambda: statuses[-1].state is ConnectionState.OFFLINE, timeout=10000)
    assert VERIFY_FAILED in statuses[-1].reason
    assert len(schedule) == 0  # nothing came through the untrusted channels

    trusted = strict.with_overrides(ca_bundle=str(ca_file))
    run(qtbot, conn.replace(trusted))
    qtbot.waitUntil(lambda: live(statuses) and len(schedule) == ITEMS, timeout=10000)


def live(statuses: list[ConnectionStatus]) -> bool:
    return bool(statuses) and statuses[-1].state is ConnectionState.LIVE
