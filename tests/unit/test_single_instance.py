"""SingleInstance: the first launch of a key listens, a later one asks it to come to the front."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile, Qt
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QWidget

from dashboard_desktop.single_instance import (
    ACTIVATE,
    SingleInstance,
    bring_to_front,
    instance_key,
)

MakeInstance = Callable[..., SingleInstance]
WAIT_MS = 2000

_CRASHING_INSTANCE = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QCoreApplication
    from dashboard_desktop.single_instance import SingleInstance
    app = QCoreApplication([])
    instance = SingleInstance(sys.argv[1])
    if not (instance.claim() and instance.listening):
        sys.exit(3)
    os._exit(0)  # a crash: neither the lock nor the socket is cleaned up
    """
)


@pytest.fixture
def key() -> str:
    """A key no real instance (nor another test) uses."""
    return instance_key("http://127.0.0.1:9", f"test-{uuid.uuid4().hex}")


@pytest.fixture
def make_instance(qtbot: Any) -> Iterator[MakeInstance]:
    """Factory ``(key, directory=None)`` of SingleInstance objects, released at teardown."""
    made: list[SingleInstance] = []

    def make(name: str, directory: str | None = None) -> SingleInstance:
        made.append(SingleInstance(name, directory))
        return made[-1]

    yield make
    for instance in made:
        instance.release()


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    """The fields of every ``name`` event logged so far."""
    return [
        dict(getattr(record, "fields", {}))
        for record in caplog.records
        if getattr(record, "event", None) == name
    ]


# -- the key ---------------------------------------------------------------------------------


def test_key_is_short_and_file_name_safe_when_computed() -> None:
    key = instance_key("https://dash.example.org", "site a/ü", user="anna")

    assert re.fullmatch(r"dashboard-desktop-[0-9a-f]{20}", key), key
    assert key == instance_key("https://dash.example.org", "site a/ü", user="anna")


@pytest.mark.parametrize(
    ("url", "namespace", "user"),
    [
        pytest.param("https://other.example.org", "site-a", "anna", id="server"),
        pytest.param("https://dash.example.org:8443", "site-a", "anna", id="port"),
        pytest.param("http://dash.example.org", "site-a", "anna", id="scheme"),
        pytest.param("https://dash.example.org", "site-b", "anna", id="namespace"),
        pytest.param("https://dash.example.org", "site-a", "bert", id="user"),
    ],
)
def test_key_differs_when_server_namespace_or_user_differs(
    url: str, namespace: str, user: str
) -> None:
    assert instance_key(url, namespace, user) != instance_key(
        "https://dash.example.org", "site-a", "anna"
    )


def test_key_is_the_same_when_url_differs_only_in_case_or_default_port() -> None:
    assert instance_key("HTTPS://Dash.Example.org:443", "ns", "anna") == instance_key(
        "https://dash.example.org", "ns", "anna"
    )


def test_key_depends_on_the_user_when_user_is_not_given() -> None:
    assert instance_key("http://127.0.0.1:1", "ns") != instance_key(
        "http://127.0.0.1:1", "ns", user="somebody-else"
    )


# -- claiming --------------------------------------------------------------------------------


def test_second_defers_and_first_is_activated_when_same_key(
    qtbot: Any, caplog: pytest.LogCaptureFixture, make_instance: MakeInstance, key: str
) -> None:
    caplog.set_level(logging.INFO)
    first, second = make_instance(key), make_instance(key)
    assert first.claim()
    assert first.listening

    with qtbot.waitSignal(first.activationRequested, timeout=WAIT_MS):
        assert not second.claim()

    assert not second.listening
    [exists] = events(caplog, "instance_exists")
    assert exists["notified"] is True
    assert len(events(caplog, "instance_activated")) == 1


def test_each_is_activated_when_launched_again_repeatedly(
    qtbot: Any, make_instance: MakeInstance, key: str
) -> None:
    first = make_instance(key)
    assert first.claim()

    for _ in range(3):
        with qtbot.waitSignal(first.activationRequested, timeout=WAIT_MS):
            assert not make_instance(key).claim()


def test_both_claim_when_servers_or_namespaces_differ(make_instance: MakeInstance) -> None:
    namespace = f"test-{uuid.uuid4().hex}"
    keys = [
        instance_key("http://127.0.0.1:9", namespace),
        instance_key("http://127.0.0.1:10", namespace),
        instance_key("http://127.0.0.1:9", namespace + "-other"),
    ]

    claimed = [make_instance(name).claim() for name in keys]

    assert claimed == [True, True, True]


def test_next_claims_when_first_released(make_instance: MakeInstance, key: str) -> None:
    first = make_instance(key)
    assert first.claim()

    first.release()
    first.release()  # idempotent

    assert not first.listening
    assert make_instance(key).claim()


@pytest.mark.skipif(sys.platform == "win32", reason="no lock or socket file survives on Windows")
def test_claims_when_crashed_instance_left_lock_and_socket(
    qtbot: Any, make_instance: MakeInstance, key: str
) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", _CRASHING_INSTANCE, key],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert crashed.returncode == 0, crashed.stderr
    probe = SingleInstance(key)
    assert os.path.exists(probe.lock_path)
    assert os.path.exists(probe.server_name)  # the socket file, refusing connections now

    started = time.monotonic()
    first = make_instance(key)

    assert first.claim()
    assert time.monotonic() - started < 1.0
    assert first.listening
    with qtbot.waitSignal(first.activationRequested, timeout=WAIT_MS):
        assert not make_instance(key).claim()


def test_gives_up_in_time_when_lock_holder_never_listens(
    caplog: pytest.LogCaptureFixture, make_instance: MakeInstance, key: str
) -> None:
    caplog.set_level(logging.INFO)
    holder = QLockFile(make_instance(key).lock_path)
    assert holder.tryLock(0)
    try:
        started = time.monotonic()
        assert not make_instance(key).claim(timeout=0.2)
        elapsed = time.monotonic() - started
    finally:
        holder.unlock()

    assert 0.15 < elapsed < 1.0
    [exists] = events(caplog, "instance_exists")
    assert exists["notified"] is False


def test_ignores_a_message_when_it_is_not_activate(
    qtbot: Any, caplog: pytest.LogCaptureFixture, make_instance: MakeInstance, key: str
) -> None:
    first = make_instance(key)
    assert first.claim()
    activations: list[bool] = []
    first.activationRequested.connect(lambda: activations.append(True))
    client = QLocalSocket()
    client.connectToServer(first.server_name)
    assert client.waitForConnected(WAIT_MS)

    client.write(b"shutdown\n")
    client.flush()
    qtbot.waitUntil(lambda: bool(events(caplog, "instance_message_ignored")), timeout=WAIT_MS)

    assert activations == []
    assert events(caplog, "instance_message_ignored")[0]["message"] == "shutdown"
    # A proper request on a new connection still works afterwards.
    with qtbot.waitSignal(first.activationRequested, timeout=WAIT_MS):
        client2 = QLocalSocket()
        client2.connectToServer(first.server_name)
        assert client2.waitForConnected(WAIT_MS)
        client2.write(ACTIVATE + b"\n")
        client2.flush()
    client.abort()
    client2.abort()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe on Windows")
def test_lock_and_socket_go_to_runtime_dir_when_xdg_runtime_dir_is_set(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    runtime = tempfile.mkdtemp(prefix="dd-run-")
    try:
        monkeypatch.setenv("XDG_RUNTIME_DIR", runtime)
        instance = SingleInstance(key)
        assert instance.lock_path == os.path.join(runtime, key + ".lock")
        assert instance.server_name == os.path.join(runtime, key)
    finally:
        os.rmdir(runtime)


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe on Windows")
def test_works_with_bare_socket_name_when_directory_path_is_too_long(
    qtbot: Any, tmp_path: Path, make_instance: MakeInstance, key: str
) -> None:
    deep = tmp_path / ("d" * 110)
    deep.mkdir()
    first = make_instance(key, str(deep))

    assert first.claim()

    assert first.server_name == key  # Qt puts it into its temporary directory
    assert first.lock_path == str(deep / (key + ".lock"))
    with qtbot.waitSignal(first.activationRequested, timeout=WAIT_MS):
        assert not make_instance(key, str(deep)).claim()


# -- bringing the window to the front --------------------------------------------------------


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform
def test_restores_minimised_window_keeping_full_screen_when_brought_to_front(
    qtbot: Any,
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showFullScreen()
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMinimized)
    assert window.isMinimized()

    bring_to_front(window)

    assert not window.isMinimized()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.isVisible()
