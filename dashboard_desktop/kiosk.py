"""The kiosk service: keeps the kiosk window full screen on its screen, ticking and paging.

:class:`Kiosk` owns everything the dumb :class:`~dashboard_desktop.ui.kiosk_window.KioskWindow`
must not: the timers (the clock each second, the page turn every ``page_interval`` seconds,
the burn-in shift every two minutes, the error banner's hold), the choice of screen, the
hidden cursor, the exit shortcut and the screen-blanking inhibitor.

Screens: ``kiosk_screen`` names a screen (``QScreen.name()``, e.g. ``HDMI-1``, compared
without case) or gives its 0-based index in ``QGuiApplication.screens()``; empty means the
primary screen, which is also used, with a ``kiosk_screen_missing`` log line, when the screen
asked for is not there. Whenever a screen is added or removed, or the primary one changes, the
window is placed again (so a screen unplugged and plugged back gets the kiosk back), and a
change of the screen's geometry (a new resolution) resizes the window and its fonts.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeySequence, QScreen, QShortcut

from dashboard_desktop.config import DEFAULT_KIOSK_EXIT_KEYS, Settings
from dashboard_desktop.core.pruned import PrunedRows
from dashboard_desktop.core.status import Clock, ConnectionStatus, utc_now
from dashboard_desktop.inhibit import Inhibitor, screen_blanking_inhibitor
from dashboard_desktop.log import log_event
from dashboard_desktop.ui.kiosk_theme import kiosk_metrics
from dashboard_desktop.ui.kiosk_window import KioskWindow, placeholder_text

_log = logging.getLogger(__name__)

CLOCK_TICK_MS = 1000
BURN_IN_INTERVAL_MS = 120_000
ERROR_HOLD_MS = 600_000
BURN_IN_OFFSETS = ((0, 0), (3, 1), (1, 3), (-2, 2), (-3, -1), (-1, -3), (2, -2))
"""The burn-in shifts, in turn: a small loop around the home position (logical pixels)."""


class NamedScreen(Protocol):
    """What :func:`choose_screen` needs of a screen."""

    def name(self) -> str:
        """The screen's name, e.g. ``HDMI-1``."""


S = TypeVar("S", bound=NamedScreen)


def choose_screen(wanted: str, screens: Sequence[S], primary: S) -> tuple[S, bool]:
    """The screen ``wanted`` (a name or a 0-based index; empty: ``primary``).

    Returns:
        The screen, and whether it is the one asked for (False: ``primary`` instead).
    """
    wanted = wanted.strip()
    if not wanted:
        return primary, True
    if wanted.isdecimal():
        index = int(wanted)
        return (screens[index], True) if index < len(screens) else (primary, False)
    for screen in screens:
        if screen.name().casefold() == wanted.casefold():
            return screen, True
    return primary, False


def _geometry(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


class Kiosk(QObject):
    """Runs a :class:`KioskWindow` as a wall display (see the module docstring).

    Signals:
        exitRequested(): The exit key sequence was pressed; the application should quit.

    Args:
        window: The kiosk window.
        settings: ``kiosk_screen``, ``kiosk_exit_keys``, ``page_interval`` and
            ``burn_in_shift`` are used.
        clock: "Now" for the header clock (e.g. ``ServerClock.now``).
        inhibitor: Keeps the screen on (default: :func:`screen_blanking_inhibitor`).
        rows: The rows the model shows, when they leave out the dropped ones (to say so
            when none is left).
        parent: The Qt parent.
    """

    exitRequested = Signal()

    def __init__(
        self,
        window: KioskWindow,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        inhibitor: Inhibitor | None = None,
        rows: PrunedRows | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.wanted_screen = settings.kiosk_screen
        self.burn_in = settings.burn_in_shift
        self.clock = clock
        self.inhibitor = inhibitor if inhibitor is not None else screen_blanking_inhibitor()
        self.screen: QScreen | None = None
        self.page_start = 0
        self.running = False
        self._offsets = itertools.cycle(BURN_IN_OFFSETS[1:] + BURN_IN_OFFSETS[:1])
        self.clock_timer = self._timer(CLOCK_TICK_MS, self.tick)
        self.page_timer = self._timer(round(settings.page_interval * 1000), self.page_step)
        self.burn_in_timer = self._timer(BURN_IN_INTERVAL_MS, self.burn_in_step)
        self.error_timer = self._timer(ERROR_HOLD_MS, window.clear_error, single_shot=True)
        self.place_timer = self._timer(0, self.place, single_shot=True)  # coalesces changes
        self.exit_shortcut = self._exit_shortcut(settings.kiosk_exit_keys)
        self.rows = rows
        self.has_data = False
        model = window.table.model()
        model.modelReset.connect(self.keep_page)
        model.rowsRemoved.connect(self.keep_page)
        for signal in (model.modelReset, model.rowsRemoved, model.rowsInserted):
            signal.connect(self.update_placeholder)
        self.update_placeholder()

    def _timer(self, interval_ms: int, slot: object, *, single_shot: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.setSingleShot(single_shot)
        timer.timeout.connect(slot)
        return timer

    def _exit_shortcut(self, keys: str) -> QShortcut:
        sequence = QKeySequence.fromString(keys, QKeySequence.SequenceFormat.PortableText)
        if sequence.isEmpty() or not sequence.toString():
            log_event(_log, "kiosk_exit_keys_invalid", level=logging.WARNING, keys=keys)
            sequence = QKeySequence.fromString(DEFAULT_KIOSK_EXIT_KEYS)
        shortcut = QShortcut(sequence, self.window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(self._exit_pressed)
        return shortcut

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Show the window full screen on its screen, hide the cursor, start the timers and
        keep the screen on; logs ``kiosk_started``."""
        if self.running:
            return
        self.running = True
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self.place_later)
        app.screenRemoved.connect(self.place_later)
        app.primaryScreenChanged.connect(self.place_later)
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        self.place()
        self.window.activateWindow()
        self.tick()
        self.clock_timer.start()
        self.page_timer.start()
        if self.burn_in:
            self.burn_in_timer.start()
        self.inhibitor.inhibit()
        keys = self.exit_shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)
        self._log_placement("kiosk_started", exit_keys=keys)

    def stop(self) -> None:
        """Stop the timers, show the cursor again and let the screen blank (idempotent)."""
        if not self.running:
            return
        self.running = False
        for timer in (
            self.clock_timer,
            self.page_timer,
            self.burn_in_timer,
            self.error_timer,
            self.place_timer,
        ):
            timer.stop()
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        for signal in (app.screenAdded, app.screenRemoved, app.primaryScreenChanged):
            signal.disconnect(self.place_later)
        self._follow(None)
        QGuiApplication.restoreOverrideCursor()
        self.inhibitor.release()
        log_event(_log, "kiosk_stopped")

    def _exit_pressed(self) -> None:
        log_event(_log, "kiosk_exit_requested")
        self.exitRequested.emit()

    # -- screens ----------------------------------------------------------------------------

    def place_later(self, *_screen: object) -> None:
        """Place the window again once the screen change at hand is complete."""
        if self.running:
            self.place_timer.start()

    def place(self) -> None:
        """Put the window full screen on the chosen screen (or the primary one)."""
        primary = QGuiApplication.primaryScreen()
        if primary is None:  # no screen at all for now: wait for screenAdded
            return
        screen, found = choose_screen(self.wanted_screen, QGuiApplication.screens(), primary)
        if not found:
            log_event(
                _log,
                "kiosk_screen_missing",
                level=logging.WARNING,
                wanted=self.wanted_screen,
                screens=[s.name() for s in QGuiApplication.screens()],
                using=screen.name(),
            )
        previous = self.screen
        moved = screen is not previous
        if moved:
            self._follow(screen)
            if self.window.isFullScreen():
                self.window.showNormal()  # full screen again below, on the new screen
            self.window.setScreen(screen)
        self.on_geometry_changed(screen.geometry())
        if moved and previous is not None:
            self._log_placement("kiosk_screen_changed")

    def _follow(self, screen: QScreen | None) -> None:
        """Watch ``screen``'s geometry instead of the previous screen's."""
        old = self.screen
        if old is not None and shiboken6.isValid(old):
            old.geometryChanged.disconnect(self.on_geometry_changed)
        self.screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self.on_geometry_changed)

    def on_geometry_changed(self, geometry: QRect) -> None:
        """Cover ``geometry`` (the screen's) full screen, fonts sized for it."""
        metrics = kiosk_metrics(geometry.width(), geometry.height())
        if metrics != self.window.metrics:
            self.window.apply_metrics(metrics)
        self.window.setGeometry(geometry)
        self.window.showFullScreen()

    def _log_placement(self, event: str, **extra: Any) -> None:
        window = self.window
        fields: dict[str, Any] = {
            "screen": self.screen.name() if self.screen is not None else "",
            "geometry": _geometry(window.geometry()),
            "full_screen": window.isFullScreen(),
            "frameless": bool(window.windowFlags() & Qt.WindowType.FramelessWindowHint),
            "row_height": window.metrics.row_height,
        }
        log_event(_log, event, **fields, **extra)

    # -- timers ---------------------------------------------------------------------------------

    def tick(self) -> None:
        """Show the time (the clock label only)."""
        self.window.show_time(self.clock())

    def page_step(self) -> None:
        """Show the next page of the schedule, after the last one the first again."""
        rows = self.window.table.model().rowCount()
        per_page = self.window.rows_per_page()
        start = self.page_start + per_page
        if rows <= per_page or start >= rows:
            start = 0
        if start != self.page_start or start != self.window.first_row():
            self.page_start = start
            self.window.show_page(start)

    def keep_page(self) -> None:
        """After rows were removed or reset, stay on the current page (if it still exists)."""
        if self.page_start >= self.window.table.model().rowCount():
            self.page_start = 0
        self.window.show_page(self.page_start)

    def follow_status(self, status: ConnectionStatus) -> None:
        """Note whether any data have been confirmed yet (for the placeholder's words)."""
        has_data = status.confirmed_at is not None
        if has_data != self.has_data:
            self.has_data = has_data
            self.update_placeholder()

    def update_placeholder(self) -> None:
        """Say why no row is shown, while none is."""
        if self.window.table.model().rowCount():
            self.window.show_placeholder("")
            return
        hidden = self.rows.hidden_count if self.rows is not None else 0
        self.window.show_placeholder(placeholder_text(hidden, self.has_data))

    def burn_in_step(self) -> None:
        """Shift the content to the next place of its small loop."""
        self.window.shift_content(*next(self._offsets))

    def show_error(self, message: str) -> None:
        """Show an unexpected error for a while (``ErrorChannel.errorReported``)."""
        self.window.show_error(message)
        self.error_timer.start()
