"""Application entry point: ``dashboard-desktop`` and ``python -m dashboard_desktop``.

Start-up order:

1. Load the settings (defaults < TOML file < ``DASHBOARD_*`` environment < command line). A bad
   setting prints one line naming it and exits with status 2, before anything else starts.
2. Handle SIGINT / SIGTERM from here on (a signal during start-up still quits cleanly).
   Configure logging (stderr and a rotating JSON file) and ``faulthandler``.
3. Create the ``QApplication``, apply the light or dark look of the ``theme`` setting
   (``Appearance``, which follows the system's colour scheme from then on) and install the
   error channel's ``sys`` and ``threading`` hooks, with crash reports into the log directory.
4. With ``--demo``, start the demo backend on a free loopback port in its own thread and loop,
   and point ``server_url`` at it.
5. Claim the single instance of this user, ``server_url`` and namespace (so ``--demo`` launches,
   each on its own port, never collide). If another instance has it, ask it to come to the
   front, log ``instance_exists`` and exit with status 0: no window, no connection.
6. Run the qasync event loop. Inside it: install the loop's exception handler, move garbage
   collection to the GUI thread, build ``Schedule`` -> ``ScheduleTableModel`` -> the staff
   ``Desktop`` (``MainWindow`` with search and sort, its layout restored from ``QSettings``)
   and the ``SyncService``, connect their signals, show the window, start the service.
   Under systemd (``NOTIFY_SOCKET`` set; ``dashboard_desktop/watchdog.py``) send ``READY=1`` on
   the next turn of the event loop, then ``WATCHDOG=1`` from a GUI-thread timer every half
   ``WATCHDOG_USEC`` and ``STATUS=`` with the connection state in words when it changes.
7. Wait until the window is closed, Quit is chosen or a signal arrives.

Shutdown runs in reverse: tell systemd ``STOPPING=1`` (when it listens), stop the service
(cancel the socket supervisor, which drops the connection; stop the timers; cancel the fetch
in flight without waiting for its thread), save the window's layout and close it, detach the
model, release the single instance (its socket and lock file), stop the demo backend, restore
the hooks, flush the logs.
"""

from __future__ import annotations

import asyncio
import dataclasses
import faulthandler
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from dashboard_desktop import __version__, secrets
from dashboard_desktop.appearance import Appearance
from dashboard_desktop.config import (
    LoadedSettings,
    Settings,
    SettingsError,
    load_settings_with_sources,
)
from dashboard_desktop.crash import CrashReporter
from dashboard_desktop.errors import ErrorChannel
from dashboard_desktop.housekeeping import MainThreadCollector
from dashboard_desktop.log import configure_logging, log_event
from dashboard_desktop.net.executor import DaemonThreadExecutor
from dashboard_desktop.resources import icon_path
from dashboard_desktop.session import Session
from dashboard_desktop.shutdown import QuitSignal
from dashboard_desktop.single_instance import SingleInstance, bring_to_front, instance_key
from dashboard_desktop.translations import install_translators
from dashboard_desktop.ui.kiosk_window import KioskWindow

_log = logging.getLogger("dashboard_desktop")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the application; return the process exit status."""
    try:
        loaded = load_settings_with_sources(
            sys.argv[1:] if argv is None else argv, token_lookup=secrets.load_token
        )
    except SettingsError as exc:
        print(f"dashboard-desktop: error: {exc}", file=sys.stderr)
        return 2
    settings = loaded.settings
    quit_signal = QuitSignal()
    quit_signal.install()
    log_file = configure_logging(settings)
    _enable_faulthandler(log_file)
    log_event(_log, "app_started", version=__version__, log_file=str(log_file or ""))
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dashboard"])
    assert isinstance(app, QApplication)
    _describe_application(app, settings.theme)
    channel = ErrorChannel()
    if log_file is not None:  # crash-*.txt beside the log file, at most MAX_REPORTS a run
        channel.crash_reporter = CrashReporter(log_file.parent, settings)
    channel.install()
    demo = _start_demo(settings) if settings.demo else None
    if demo is not None:
        settings = settings.with_overrides(server_url=demo.url)
        loaded = dataclasses.replace(loaded, settings=settings)
    quit_signal.watch()
    try:
        return _run_single_instance(app, loaded, channel, quit_signal)
    finally:
        if demo is not None:
            demo.stop()
        quit_signal.uninstall()
        channel.uninstall()
        log_event(_log, "app_stopped")
        logging.shutdown()


def _enable_faulthandler(log_file: Path | None) -> None:
    """Dump the Python stacks of a hard crash to stderr, or without a console to crash.log."""
    if sys.stderr is not None:
        faulthandler.enable()
    elif log_file is not None:
        # Kept open for the life of the process; a separate file because the log rotates.
        crash_file = (log_file.parent / "crash.log").open("a", encoding="utf-8")
        faulthandler.enable(file=crash_file)


def _describe_application(app: QApplication, theme: str) -> None:
    QCoreApplication.setApplicationName("dashboard-desktop")
    QCoreApplication.setOrganizationName("dashboard-desktop")
    QCoreApplication.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.dashboard_desktop.DashboardDesktop")  # packaging/linux/
    install_translators(app)  # before any window: texts are translated when built
    app.setApplicationDisplayName(QCoreApplication.translate("Application", "Dashboard Desktop"))
    app.setWindowIcon(QIcon(str(icon_path())))
    Appearance(app, theme).apply()  # owned by app: follows the system's scheme from now on
    app.setQuitOnLastWindowClosed(False)


def _start_demo(settings: Settings):  # type: ignore[no-untyped-def]
    from dashboard_desktop.demo import DemoOptions, DemoServerThread  # noqa: PLC0415

    demo = DemoServerThread(
        DemoOptions(port=0, token=settings.token, namespace=settings.namespace)
    )
    demo.start()
    log_event(_log, "demo_started", url=demo.url)
    return demo


def _run_single_instance(
    app: QApplication, loaded: LoadedSettings, channel: ErrorChannel, quit_signal: QuitSignal
) -> int:
    """Run the event loop as the instance of this user and server, unless one runs already."""
    instance = _claim_instance(loaded.settings)
    if instance is None:
        return 0
    try:
        return _run_loop(app, loaded, channel, quit_signal)
    finally:
        instance.release()


def _claim_instance(settings: Settings) -> SingleInstance | None:
    """Become the instance of this user and server, or bring the running one to the front.

    Returns:
        The claimed instance (it raises the main window when a later launch asks), or None
        when another instance runs: it was asked to come to the front and this one should exit.
    """
    instance = SingleInstance(instance_key(settings.server_url, settings.namespace))
    if not instance.claim():
        return None
    instance.activationRequested.connect(_raise_main_window)
    return instance


def _raise_main_window() -> None:
    """Bring the main window to the front (none yet, or already hidden: nothing to do)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow | KioskWindow) and widget.isVisible():
            bring_to_front(widget)


def _run_loop(
    app: QApplication, loaded: LoadedSettings, channel: ErrorChannel, quit_signal: QuitSignal
) -> int:
    import qasync  # noqa: PLC0415 - imported once Qt is set up (qasync picks the Qt binding)

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(_serve(loaded, channel, quit_signal))


async def _serve(loaded: LoadedSettings, channel: ErrorChannel, quit_signal: QuitSignal) -> int:
    loop = asyncio.get_running_loop()
    channel.install_loop(loop)
    loop.set_default_executor(DaemonThreadExecutor())  # a hung DNS lookup must not delay exit
    collector = MainThreadCollector()
    collector.start()
    session = Session(loaded, channel, quit_signal)
    session.start()
    try:
        await quit_signal.wait()
        log_event(_log, "app_stopping")  # to app_stopped: the shutdown, e.g. with a hung fetch
    finally:
        await session.stop()
        collector.stop()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
