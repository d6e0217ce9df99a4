"""The main window: the schedule table, the status bar and a non-modal error banner."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dashboard_desktop import __version__
from dashboard_desktop.core.status import ConnectionStatus
from dashboard_desktop.ui.columns import COLUMNS
from dashboard_desktop.ui.indicator import ConnectionIndicator, DataSummary
from dashboard_desktop.ui.model import ScheduleTableModel

_COLUMN_WIDTHS = {
    "start": 120,
    "end": 120,
    "title": 280,
    "status": 130,
    "location": 150,
    "assignee": 150,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class ErrorBanner(QFrame):
    """A dismissible, non-modal strip that shows the latest unexpected error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")  # styled by resources/theme.qss
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        close = QToolButton(self)
        close.setText(_tr("Dismiss"))
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.count = 0
        self.hide()

    def show_message(self, message: str) -> None:
        """Show ``message`` (plain text), counting messages since the last dismissal."""
        self.count += 1
        suffix = _tr(" ({n} errors)").format(n=self.count) if self.count > 1 else ""
        self.label.setText(message.splitlines()[0][:300] + suffix if message else suffix)
        self.show()

    def dismiss(self) -> None:
        """Hide the banner and reset the count."""
        self.count = 0
        self.hide()


class MainWindow(QMainWindow):
    """The schedule window.

    Signals:
        refreshRequested(): The user asked for a snapshot now (F5).
        closing(): The user closed the window; the application should quit.
    """

    refreshRequested = Signal()
    closing = Signal()

    def __init__(self, model: ScheduleTableModel, server_url: str) -> None:
        super().__init__()
        self.server_url = server_url
        self.setWindowTitle(_tr("Dashboard Desktop"))
        self.resize(1200, 700)
        self.table = self._make_table(model)
        self.banner = ErrorBanner(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        self.setCentralWidget(central)
        self.indicator = ConnectionIndicator(self)
        self.summary = DataSummary(self)
        self.statusBar().addWidget(self.indicator)
        self.statusBar().addPermanentWidget(self.summary)
        self.refresh_action = self._make_actions()

    def _make_table(self, model: ScheduleTableModel) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.setAccessibleName(_tr("Schedule"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for section, column in enumerate(COLUMNS):
            if column.name in _COLUMN_WIDTHS:
                table.setColumnWidth(section, _COLUMN_WIDTHS[column.name])
        return table

    def _make_actions(self) -> QAction:
        refresh = QAction(_tr("&Refresh Now"), self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        refresh.triggered.connect(self.refreshRequested)
        quit_action = QAction(_tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        about = QAction(_tr("&About"), self)
        about.triggered.connect(self.show_about)
        file_menu = self.menuBar().addMenu(_tr("&File"))
        file_menu.addAction(refresh)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.menuBar().addMenu(_tr("&Help")).addAction(about)
        return refresh

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window quits the application (see ``app.py``)."""
        self.closing.emit()
        super().closeEvent(event)

    def show_status(self, status: ConnectionStatus) -> None:
        """Show the connection state and the data summary."""
        self.indicator.set_state(status)
        self.summary.set_status(status)

    def show_error(self, message: str) -> None:
        """Show an unexpected error without blocking anything."""
        self.banner.show_message(message)

    def show_about(self) -> None:
        """Show the About box (non-modal)."""
        box = QMessageBox(self)
        box.setWindowTitle(_tr("About Dashboard Desktop"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            _tr(
                "Dashboard Desktop {v}\nServer: {s}\nProtocol: dashboard backend protocol v1"
            ).format(v=__version__, s=self.server_url)
        )
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
