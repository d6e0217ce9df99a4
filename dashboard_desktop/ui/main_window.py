"""The main window: toolbar with search, the schedule table, details, status bar, banner.

Menus: File (Refresh Now F5, Find Ctrl+F, Settings Ctrl+,, Quit Ctrl+Q), View (Full Screen
F11, Details, Copy Row Ctrl+C, Sort by, Columns), Help (Diagnostics, About); every item has a
mnemonic (``ui.actions``). Tab goes from the search field (Esc clears it) to the table and on
to the details pane; every focusable widget has an accessible name. Every text is translated
(``QCoreApplication.translate("MainWindow", ...)``). The window is dumb: it reports what the
user asked for through signals and shows what it is told to.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dashboard_desktop import __version__
from dashboard_desktop.core.status import ConnectionStatus
from dashboard_desktop.ui.actions import window_actions
from dashboard_desktop.ui.banner import ErrorBanner
from dashboard_desktop.ui.details import DetailsPane
from dashboard_desktop.ui.indicator import ConnectionIndicator, DataSummary, TlsWarning
from dashboard_desktop.ui.model import ScheduleTableModel
from dashboard_desktop.ui.table import ScheduleTable
from dashboard_desktop.ui.timecues import clock_note, outdated_note

__all__ = ["ErrorBanner", "MainWindow"]


def _is_key_press(event: QEvent, key: Qt.Key) -> bool:
    pressed = event.type() == QEvent.Type.KeyPress
    return pressed and isinstance(event, QKeyEvent) and event.key() == key


class MainWindow(QMainWindow):
    """The schedule window.

    Signals:
        refreshRequested(): The user asked for a snapshot now (F5).
        closing(): The user closed the window; the application should quit.
        settingsRequested(): The user asked for the settings dialog.
        diagnosticsRequested(): The user asked for the Diagnostics window.
        searchChanged(str): The search text changed.
        searchFocused(): The search field got the focus (index the rows' texts now).
        searchLeft(): The search field lost the focus while empty (drop the index).
        sortRequested(int, Qt.SortOrder): Sort by a column (``-1``: schedule order).
    """

    refreshRequested = Signal()
    closing = Signal()
    settingsRequested = Signal()
    diagnosticsRequested = Signal()
    searchChanged = Signal(str)
    searchFocused = Signal()
    searchLeft = Signal()
    sortRequested = Signal(int, object)

    def __init__(self, model: ScheduleTableModel, server_url: str) -> None:
        super().__init__()
        self.server_url = server_url
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Dashboard Desktop"))
        self.resize(1200, 700)
        self.table = ScheduleTable(model, self)
        self.table.sortRequested.connect(self.sortRequested)
        self.banner = ErrorBanner(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        self.setCentralWidget(central)
        self.details = DetailsPane(self)
        self.details_dock = self._make_dock(self.details)
        self.table.itemSelected.connect(self.details.show_item)
        self.indicator = ConnectionIndicator(self)
        self.summary = DataSummary(self)
        self.time_note = QLabel(self)
        self.time_note.setObjectName("timeNote")
        self.time_note.setTextFormat(Qt.TextFormat.PlainText)
        self.time_note.hide()
        self._notes = {"outdated": "", "clock": ""}
        self.tls_warning = TlsWarning(self)  # shown while verify_tls is false
        self.statusBar().addWidget(self.indicator)
        self.statusBar().addPermanentWidget(self.tls_warning)
        self.statusBar().addPermanentWidget(self.time_note)
        self.statusBar().addPermanentWidget(self.summary)
        self.search = self._make_search()
        self._make_menus()
        self._make_toolbar()
        self._set_tab_order()

    # -- construction -------------------------------------------------------------------------

    def _make_dock(self, pane: DetailsPane) -> QDockWidget:
        dock = QDockWidget(QCoreApplication.translate("MainWindow", "Details"), self)
        dock.setObjectName("detailsDock")  # saveState() needs object names
        dock.setWidget(pane)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _make_search(self) -> QLineEdit:
        search = QLineEdit(self)
        search.setObjectName("search")
        search.setPlaceholderText(QCoreApplication.translate("MainWindow", "Search (Ctrl+F)"))
        search.setAccessibleName(QCoreApplication.translate("MainWindow", "Search the schedule"))
        search.setClearButtonEnabled(True)
        search.setMaximumWidth(320)
        search.textChanged.connect(self.searchChanged)
        search.installEventFilter(self)
        return search

    def _make_menus(self) -> None:
        actions = self.window_actions = window_actions(self)
        self.refresh_action = actions.refresh
        self.settings_action = actions.settings
        self.full_screen_action = actions.full_screen
        actions.refresh.triggered.connect(self.refreshRequested)
        actions.find.triggered.connect(self.focus_search)
        actions.settings.triggered.connect(self.settingsRequested)
        actions.diagnostics.triggered.connect(self.diagnosticsRequested)
        actions.quit.triggered.connect(self.close)
        actions.full_screen.toggled.connect(self.set_full_screen)
        actions.about.triggered.connect(self.show_about)
        self.addActions([actions.find, actions.settings, actions.quit])  # also without a menu bar
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(QCoreApplication.translate("MainWindow", "&File"))
        file_menu.addActions([actions.refresh, actions.find])
        file_menu.addSeparator()
        file_menu.addAction(actions.settings)
        file_menu.addSeparator()
        file_menu.addAction(actions.quit)
        details = self.details_dock.toggleViewAction()
        details.setText(QCoreApplication.translate("MainWindow", "&Details"))
        view = menu_bar.addMenu(QCoreApplication.translate("MainWindow", "&View"))
        view.addActions([actions.full_screen, details, self.table.copy_action])
        sort = view.addMenu(QCoreApplication.translate("MainWindow", "&Sort by"))
        sort.setObjectName("sortMenu")
        sort.addActions(self.table.sort_actions)
        columns = view.addMenu(QCoreApplication.translate("MainWindow", "C&olumns"))
        columns.setObjectName("columnsMenu")
        columns.addActions(self.table.column_actions)
        help_menu = menu_bar.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
        help_menu.addActions([actions.diagnostics, actions.about])

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(QCoreApplication.translate("MainWindow", "Main"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.refresh_action)
        toolbar.addAction(self.full_screen_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

    def _set_tab_order(self) -> None:
        """Tab goes search field, error banner's Dismiss (when shown), table, details pane."""
        chain = [self.search, self.banner.dismiss_button, self.table, self.details]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- behaviour ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tell when the search field gets or leaves the focus; Esc in it clears it."""
        if watched is not self.search:
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self.searchFocused.emit()
        elif kind == QEvent.Type.FocusOut and not self.search.text():
            self.searchLeft.emit()
        elif _is_key_press(event, Qt.Key.Key_Escape):
            self.search.clear()
            self.table.setFocus()
            return True
        return False

    def focus_search(self) -> None:
        """Put the keyboard focus in the search field, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_full_screen(self, on: bool) -> None:
        """Full screen on or off (F11)."""
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window quits the application (see ``app.py``)."""
        self.teardown()
        self.closing.emit()
        super().closeEvent(event)

    def teardown(self) -> None:
        """Stop watching the search field, before the window is destroyed.

        WORKAROUND: a widget that has the focus gets a FocusOut while it is destroyed; this
        window's Python event filter would then run on a half-destroyed window, and an error
        raised there crashes shiboken (PepException_GetArgs) at exit.
        """
        self.search.removeEventFilter(self)

    def show_status(self, status: ConnectionStatus) -> None:
        """Show the connection state and the data summary."""
        self.indicator.set_state(status)
        self.summary.set_status(status)

    def show_tls_warning(self, verification_off: bool) -> None:
        """Say permanently, in the status bar, that the server's certificate is not checked."""
        self.tls_warning.set_verification_off(verification_off)

    def show_clock_skew(self, skew: timedelta | None) -> None:
        """Say when "now" is the server's time: the local clock is off by over a minute."""
        self._notes["clock"] = clock_note(skew)
        self._show_time_note()

    def show_outdated(self, day: date | None, today: date) -> None:
        """Say when the schedule is not today's ("Yesterday's schedule")."""
        self._notes["outdated"] = outdated_note(day, today)
        self._show_time_note()

    def _show_time_note(self) -> None:
        text = " \u00b7 ".join(note for note in self._notes.values() if note)
        self.time_note.setText(text)
        self.time_note.setVisible(bool(text))

    def show_error(self, message: str) -> None:
        """Show an unexpected error without blocking anything."""
        self.banner.show_message(message)

    def show_about(self) -> None:
        """Show the About box (non-modal)."""
        box = QMessageBox(self)
        box.setWindowTitle(QCoreApplication.translate("MainWindow", "About Dashboard Desktop"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            QCoreApplication.translate(
                "MainWindow",
                "Dashboard Desktop {v}\nServer: {s}\nProtocol: dashboard backend protocol v1",
            ).format(v=__version__, s=self.server_url)
        )
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

    # -- remembered layout ----------------------------------------------------------------------

    def _first_geometry(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        size = area.size() * 0.85
        self.resize(size.expandedTo(self.minimumSizeHint()))
        self.move(area.center() - self.rect().center())

    def save_layout(self, settings: QSettings) -> None:
        """Remember geometry, docks, column order, widths, visibility and sort."""
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("table/header", self.table.horizontalHeader().saveState())

    def restore_layout(self, settings: QSettings) -> None:
        """Restore what :meth:`save_layout` remembered (ignoring anything unreadable).

        Without a remembered geometry (the first start) the window takes most of the screen.
        """
        geometry = settings.value("window/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self._first_geometry()
        for key, restore in (
            ("window/state", self.restoreState),
            ("table/header", self.table.horizontalHeader().restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        self.table.sync_column_actions()
        header = self.table.horizontalHeader()
        if header.isSortIndicatorShown() and 0 <= header.sortIndicatorSection() < header.count():
            self.table.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
