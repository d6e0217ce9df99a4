"""REST faults while polling: the last good schedule stays on screen and the status says why.

The push channel is blocked (a Socket.IO path the server does not serve), so the app lives on
REST polls. After a good snapshot the demo server's REST fault hook is switched on and the
schedule changes on the server: the next poll fails, the rows shown stay exactly as they were,
the indicator shows the right state with the reason as its tooltip, and once the fault is
cleared the change arrives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoOptions, DemoServerThread
from dashboard_desktop.ui.indicator import ConnectionIndicator
from tests.integration.conftest import Client, events, wait_state

TOKEN = "s3cret-token-value"
CAP = 64 * 1024  # max_payload_bytes: a normal snapshot fits, the "oversize" one does not
TIMEOUT = 0.5  # request_timeout

OFFLINE, UNAUTHORIZED = ConnectionState.OFFLINE, ConnectionState.UNAUTHORIZED
FAULTS: dict[str, tuple[ConnectionState, str, str]] = {
    # fault: (state, the words of that state, the reason shown as the tooltip)
    "500": (OFFLINE, "Offline", r"HTTP 500 Internal Server Error"),
    "502_html": (OFFLINE, "Offline", r"HTTP 502 Bad Gateway"),
    "invalid_json": (OFFLINE, "Offline", r"invalid JSON: "),
    "wrong_shape": (OFFLINE, "Offline", r"invalid snapshot: "),
    "timeout": (OFFLINE, "Offline", rf"timed out after {TIMEOUT:g} s"),
    "401": (UNAUTHORIZED, "Not authorised", r"HTTP 401: not authorised"),
    "redirect": (
        OFFLINE,
        "Offline",
        r"HTTP 302: redirected to http://localhost:\d+/moved/schedule \(not followed\)",
    ),
    "oversize": (OFFLINE, "Offline", rf"body over {CAP} bytes"),
}


@pytest.fixture
def demo() -> Iterator[DemoServerThread]:
    """A demo server that wants a token, so a leaked token would be visible."""
    with DemoServerThread(DemoOptions(port=0, rate=0, items=12, seed=7, token=TOKEN)) as server:
        yield server


@pytest.fixture
def polling(qtbot: Any, demo: DemoServerThread, client_factory: Any) -> Client:
    """A client living on REST polls, showing a good snapshot."""
    client: Client = client_factory(
        demo.url,
        token=TOKEN,
        socketio_path="/blocked",
        request_timeout=TIMEOUT,
        max_payload_bytes=CAP,
    )
    wait_state(qtbot, client, ConnectionState.POLLING)
    assert client.schedule.version == demo.server.version
    assert not client.service.tracker.status().stale
    return client


def _indicator(qtbot: Any, client: Client) -> ConnectionIndicator:
    indicator = ConnectionIndicator()
    qtbot.addWidget(indicator)
    client.service.statusChanged.connect(indicator.set_state)
    return indicator


@pytest.mark.parametrize("fault", list(FAULTS))
def test_last_schedule_kept_and_reason_shown_when_rest_fails(
    qtbot: Any, demo: DemoServerThread, polling: Client, fault: str
) -> None:
    state, words, reason = FAULTS[fault]
    indicator = _indicator(qtbot, polling)
    shown, version = list(polling.schedule.items), polling.schedule.version

    demo.call(demo.server.set_rest_fault, fault)
    newer = demo.call(demo.server.make_change, False)  # a good poll would show it

    qtbot.waitUntil(
        lambda: indicator.state is state and re.search(reason, indicator.toolTip()) is not None,
        timeout=5000,
    )
    assert indicator.label.text().startswith(words)
    status = polling.service.tracker.status()
    assert status.stale and status.version == version
    assert list(polling.schedule.items) == shown and polling.schedule.version == version
    demo.call(demo.server.set_rest_fault, None)
    qtbot.waitUntil(lambda: polling.schedule.version == newer, timeout=5000)
    wait_state(qtbot, polling, ConnectionState.POLLING)
    assert not polling.service.tracker.status().stale


def test_redirect_not_followed_and_token_kept_when_server_redirects(
    qtbot: Any, demo: DemoServerThread, polling: Client, caplog: pytest.LogCaptureFixture
) -> None:
    demo.call(demo.server.set_rest_fault, "redirect")
    redirects = demo.server.rest_requests.get(302, 0)

    qtbot.waitUntil(lambda: demo.server.rest_requests.get(302, 0) >= redirects + 2, timeout=5000)

    assert demo.server.moved.hits == 0  # never followed, so the token never went there
    assert TOKEN not in caplog.text


def test_socket_redirect_not_followed_when_handshake_redirected(
    qtbot: Any, demo: DemoServerThread, client_factory: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The Socket.IO auth carries the token: following the handshake's redirect would hand it
    # to whatever origin the redirect names.
    client: Client = client_factory(demo.url, token=TOKEN, socketio_path="/redirect/socket.io")
    wait_state(qtbot, client, ConnectionState.POLLING)  # REST works, the push channel not

    qtbot.waitUntil(lambda: len(events(caplog, "connect_failed")) >= 2, timeout=5000)

    said = r"HTTP 302: redirected to http://localhost:\d+/socket.io/ \(not followed\)"
    reasons = {e["reason"] for e in events(caplog, "connect_failed")}
    assert all(re.fullmatch(said, reason) for reason in reasons), reasons
    assert demo.server.connected_clients == 0 and ConnectionState.LIVE not in client.states
