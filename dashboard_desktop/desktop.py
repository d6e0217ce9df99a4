"""The staff desktop: the main window wired to search, sort and a remembered layout.

:class:`Desktop` composes what ``app.py`` needs for a staff user's window: the
:class:`~dashboard_desktop.ui.main_window.MainWindow`, a
:class:`~dashboard_desktop.ui.filtering.TableFilter` behind its search field and header, and
the window geometry, dock and column layout and sort kept in ``QSettings`` (the platform's
per-user settings store, e.g. ``~/.config/dashboard-desktop/dashboard-desktop.conf``; never the
token). When the first rows arrive the table scrolls to "now": the first row that has not
ended at the top, the past ones above it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings

from dashboard_desktop.core.schedule import Schedule
from dashboard_desktop.log import log_event
from dashboard_desktop.ui.filtering import TableFilter
from dashboard_desktop.ui.main_window import MainWindow
from dashboard_desktop.ui.model import ScheduleTableModel

_log = logging.getLogger(__name__)


class Desktop:
    """The staff window and its helpers.

    Args:
        schedule: The schedule on screen.
        model: The table model over it.
        server_url: Shown in the About box.
        store: Where the layout is remembered; the application's ``QSettings`` by default.
    """

    def __init__(
        self,
        schedule: Schedule,
        model: ScheduleTableModel,
        server_url: str,
        store: QSettings | None = None,
    ) -> None:
        self.window = MainWindow(model, server_url)
        self._model = model
        self._shown_now = False
        self.filter = TableFilter(schedule, model)
        self._store = store if store is not None else QSettings()
        window = self.window
        window.searchChanged.connect(self.filter.set_text)
        window.searchFocused.connect(self.filter.prepare)
        window.searchLeft.connect(self.filter.release)
        window.sortRequested.connect(self.filter.sort)
        window.restore_layout(self._store)  # after the connections: it re-applies the sort

    def show(self) -> None:
        """Show the window and log where (``window_shown``: screenshots and support)."""
        self.window.show()
        rect = self.window.frameGeometry()
        log_event(_log, "window_shown", geometry=[rect.x(), rect.y(), rect.width(), rect.height()])

    def show_now(self) -> None:
        """Once, when the first rows arrive: scroll so the first row that has not ended is at
        the top (past rows stay above it), unless the user already scrolled or picked a row."""
        table = self.window.table
        model = table.model()
        if self._shown_now or model.rowCount() == 0:
            return
        self._shown_now = True
        if table.verticalScrollBar().value() or table.currentIndex().isValid():
            return
        row = self._model.first_row_from_now()
        if row:
            table.show_row_at_top(row)

    def close(self) -> None:
        """Remember the layout and hide the window."""
        self.window.save_layout(self._store)
        self._store.sync()
        self.window.teardown()
        self.window.hide()
