"""A dismissible, non-modal strip for unexpected errors."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class ErrorBanner(QFrame):
    """A dismissible, non-modal strip that shows the latest unexpected error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")  # styled by resources/theme.qss
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(QCoreApplication.translate("ErrorBanner", "Error"))
        close = self.dismiss_button = QToolButton(self)
        close.setText(QCoreApplication.translate("ErrorBanner", "Dismiss"))
        close.setAccessibleName(
            QCoreApplication.translate("ErrorBanner", "Dismiss the error message")
        )
        close.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable with Tab
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.count = 0
        self.hide()

    def show_message(self, message: str) -> None:
        """Show ``message`` (plain text), counting messages since the last dismissal."""
        self.count += 1
        suffix = (
            QCoreApplication.translate("ErrorBanner", " ({n} errors)").format(n=self.count)
            if self.count > 1
            else ""
        )
        self.label.setText(message.splitlines()[0][:300] + suffix if message else suffix)
        self.show()

    def dismiss(self) -> None:
        """Hide the banner and reset the count."""
        self.count = 0
        self.hide()
