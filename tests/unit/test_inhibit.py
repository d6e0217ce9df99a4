"""Screen-blanking inhibitor: the backend per platform, Windows' execution state, and the
freedesktop ScreenSaver over a private ``dbus-daemon`` (skipped where there is none)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtWidgets import QApplication

from dashboard_desktop.inhibit import (
    APP_NAME,
    ES_CONTINUOUS,
    ES_DISPLAY_REQUIRED,
    ES_SYSTEM_REQUIRED,
    PATH,
    REASON,
    SERVICE,
    DBusInhibitor,
    Unavailable,
    WindowsInhibitor,
    screen_blanking_inhibitor,
    session_bus_address,
)

COOKIE = 4242
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.getMessage() == name]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, "dashboard_desktop")
    return caplog


# -- choosing the backend -----------------------------------------------------------------------


def test_chooses_windows_backend_when_platform_is_windows() -> None:
    assert isinstance(screen_blanking_inhibitor("win32", {}), WindowsInhibitor)


def test_chooses_dbus_when_session_bus_is_announced() -> None:
    inhibitor = screen_blanking_inhibitor("linux", {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"})

    assert isinstance(inhibitor, DBusInhibitor)
    assert inhibitor.address == "unix:path=/x"


def test_uses_runtime_dir_bus_when_address_is_not_set(tmp_path: Path) -> None:
    (tmp_path / "bus").touch()

    address = session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)})

    assert address == f"unix:path={tmp_path / 'bus'}"


@pytest.mark.parametrize(
    ("platform", "environ", "reason"),
    [
        ("linux", {}, "no D-Bus session bus"),
        ("linux", {"XDG_RUNTIME_DIR": "/nonexistent-runtime-dir"}, "no D-Bus session bus"),
        ("darwin", {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, "not implemented on macOS"),
    ],
)
def test_logs_unavailable_without_raising_when_no_backend_fits(
    logs: pytest.LogCaptureFixture, platform: str, environ: dict[str, str], reason: str
) -> None:
    inhibitor = screen_blanking_inhibitor(platform, environ)

    inhibitor.inhibit()
    inhibitor.release()

    assert isinstance(inhibitor, Unavailable)
    (record,) = events(logs, "inhibit_unavailable")
    assert record.fields["reason"].startswith(reason)  # type: ignore[attr-defined]


def test_logs_unavailable_when_pyside_has_no_qtdbus(
    monkeypatch: pytest.MonkeyPatch, logs: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtDBus", None)  # import raises ImportError

    inhibitor = screen_blanking_inhibitor("linux", {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"})
    inhibitor.inhibit()

    assert isinstance(inhibitor, Unavailable)
    assert inhibitor.reason == "PySide6 has no QtDBus module"


# -- Windows ------------------------------------------------------------------------------------


def test_windows_keeps_display_on_and_resets_when_inhibited_and_released(
    logs: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []

    def set_state(flags: int) -> int:
        calls.append(flags)
        return ES_CONTINUOUS

    inhibitor = WindowsInhibitor(set_state)
    inhibitor.inhibit()
    inhibitor.release()
    inhibitor.release()

    assert calls == [ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED, ES_CONTINUOUS]
    assert events(logs, "screen_blanking_inhibited")[0].fields["backend"] == "windows"  # type: ignore[attr-defined]
    assert len(events(logs, "screen_blanking_released")) == 1


def test_windows_logs_unavailable_when_call_fails(logs: pytest.LogCaptureFixture) -> None:
    inhibitor = WindowsInhibitor(lambda flags: 0)

    inhibitor.inhibit()
    inhibitor.release()

    assert not inhibitor.active
    assert events(logs, "inhibit_unavailable")
    assert not events(logs, "screen_blanking_released")


@pytest.mark.skipif(sys.platform == "win32", reason="kernel32 exists on Windows")
def test_windows_logs_unavailable_without_raising_when_not_on_windows(
    logs: pytest.LogCaptureFixture,
) -> None:
    inhibitor = WindowsInhibitor()

    inhibitor.inhibit()
    inhibitor.release()

    (record,) = events(logs, "inhibit_unavailable")
    assert "Windows only" in record.fields["reason"]  # type: ignore[attr-defined]


# -- D-Bus --------------------------------------------------------------------------------------


def test_dbus_logs_unavailable_without_raising_when_bus_is_unreachable(
    qtbot: Any, qapp: QApplication, logs: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    inhibitor = DBusInhibitor(f"unix:path={tmp_path / 'no-bus'}")

    with qtbot.waitSignal(inhibitor.answered, timeout=5000) as answer:
        inhibitor.inhibit()
    inhibitor.release()

    assert answer.args == [False]
    (record,) = events(logs, "inhibit_unavailable")
    assert record.fields["reason"].startswith("no D-Bus session bus")  # type: ignore[attr-defined]


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    """The address of a private session bus (a ``dbus-daemon`` of its own)."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    config = tmp_path / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=tmp_path / "bus"), encoding="utf-8")
    process = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()  # printed once it listens
    try:
        yield address
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class FakeScreenSaver(QObject):
    """The part of org.freedesktop.ScreenSaver the inhibitor uses."""

    def __init__(self) -> None:
        super().__init__()
        self.inhibits: list[tuple[str, str]] = []

    @Slot(str, str, result="uint")
    def Inhibit(self, application: str, reason: str) -> int:
        self.inhibits.append((application, reason))
        return COOKIE


@pytest.fixture
def screensaver(qapp: QApplication, bus: str) -> Iterator[tuple[FakeScreenSaver, Any]]:
    """A fake screen saver on the private bus, and its connection."""
    from PySide6.QtDBus import QDBusConnection

    name = f"fake-screensaver-{uuid.uuid4().hex}"
    connection = QDBusConnection.connectToBus(bus, name)
    assert connection.isConnected()
    service = FakeScreenSaver()
    assert connection.registerService(SERVICE)
    assert connection.registerObject(PATH, service, QDBusConnection.RegisterOption.ExportAllSlots)
    yield service, connection
    connection.unregisterObject(PATH)
    del connection
    QDBusConnection.disconnectFromBus(name)


def test_dbus_inhibits_then_releases_with_its_connection_when_screensaver_runs(
    qtbot: Any, logs: pytest.LogCaptureFixture, screensaver: tuple[FakeScreenSaver, Any], bus: str
) -> None:
    service, connection = screensaver
    inhibitor = DBusInhibitor(bus)

    with qtbot.waitSignal(inhibitor.answered, timeout=5000) as answer:
        inhibitor.inhibit()
    client = inhibitor.unique_name

    assert answer.args == [True]
    assert service.inhibits == [(APP_NAME, REASON)]
    assert inhibitor.cookie == COOKIE
    assert connection.interface().isServiceRegistered(client).value()
    inhibitor.release()
    # The screen saver drops an inhibition when its client's connection goes away.
    qtbot.waitUntil(
        lambda: not connection.interface().isServiceRegistered(client).value(), timeout=5000
    )
    assert events(logs, "screen_blanking_inhibited")[0].fields["cookie"] == COOKIE  # type: ignore[attr-defined]
    assert len(events(logs, "screen_blanking_released")) == 1


def test_dbus_logs_unavailable_when_no_screensaver_runs(
    qtbot: Any, qapp: QApplication, logs: pytest.LogCaptureFixture, bus: str
) -> None:
    inhibitor = DBusInhibitor(bus)

    with qtbot.waitSignal(inhibitor.answered, timeout=5000) as answer:
        inhibitor.inhibit()
    inhibitor.release()

    assert answer.args == [False]
    (record,) = events(logs, "inhibit_unavailable")
    assert "ServiceUnknown" in record.fields["reason"]  # type: ignore[attr-defined]
    assert not events(logs, "screen_blanking_released")
