"""One instance per user and server: a second launch brings the first to the front.

The key of an instance is a hash of the OS user, the server URL and the dashboard namespace
(:func:`instance_key`). The first launch with a key takes a lock file (``QLockFile``) and listens
on a local socket of the same name (``QLocalServer``, accessible to this user only). A later
launch finds the lock taken, connects to the socket, sends ``activate`` and exits; the first
instance then emits :attr:`SingleInstance.activationRequested`.

The lock, held for the life of the process, is what decides who runs; the socket only rings the
bell. So two launches racing cannot both win (with the socket alone, both could fail to
connect, both remove the "stale" socket and both listen), and a socket or lock left behind by a
crashed instance never blocks a start: ``QLockFile`` takes over a lock whose process is gone
(it can remove a lock file only once its holder has closed it), and the lock's new holder
removes any socket file left at the name before it listens.

Both files live in ``$XDG_RUNTIME_DIR`` when it is set (a per-user directory that temp-file
cleaners leave alone), otherwise in Qt's temporary directory; on Windows the socket is a named
pipe restricted to the user.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
import time
from urllib.parse import urlsplit

from PySide6.QtCore import QDir, QLockFile, QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from dashboard_desktop.log import log_event

__all__ = ["ACTIVATE", "SingleInstance", "bring_to_front", "instance_key"]

ACTIVATE = b"activate"
"""The one message a later launch sends: come to the front."""

_PREFIX = "dashboard-desktop-"
_DIGEST_CHARS = 20  # 80 bits of SHA-256: no accidental collision between keys
_MAX_SOCKET_PATH = 100  # bytes; sockaddr_un holds 104 (macOS) or 108 (Linux) with the NUL
_MAX_MESSAGE = 64
_RETRY_S = 0.02
_DEFAULT_PORTS = {"http": 80, "https": 443}

_log = logging.getLogger(__name__)


def instance_key(server_url: str, namespace: str, user: str | None = None) -> str:
    """Return the name of the instance of ``user`` for ``server_url`` and ``namespace``.

    Args:
        server_url: The backend's base URL; scheme and host are compared case-insensitively
            and a default port counts as given.
        namespace: The dashboard namespace.
        user: The OS user; default: the user running this process (its uid on POSIX).

    Returns:
        ``dashboard-desktop-`` and 20 hex digits: short, and safe as a file or pipe name.
    """
    parts = urlsplit(server_url)
    scheme = parts.scheme.lower()
    origin = [scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)]
    who = _current_user() if user is None else user
    text = json.dumps([who, origin, namespace], ensure_ascii=False)
    return _PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


def _current_user() -> str:
    if hasattr(os, "getuid"):  # POSIX: the uid, which no environment variable can change
        return f"uid:{os.getuid()}"
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (getpass raises OSError or KeyError)
        return ""


def _default_directory() -> str:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform != "win32" and runtime and os.path.isdir(runtime):
        return runtime
    return QDir.tempPath()


def bring_to_front(window: QWidget) -> None:
    """Un-minimise ``window`` (keeping it maximised or full screen), raise and activate it.

    Unlike ``showNormal()``, a kiosk window that was full screen comes back full screen.
    """
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    window.raise_()
    window.activateWindow()


class SingleInstance(QObject):
    """Claims the instance of a key, or asks the instance that has it to come to the front.

    Signals:
        activationRequested(): A later launch with the same key asked this instance to come to
            the front (logged as ``instance_activated``).

    Args:
        key: The instance's name, from :func:`instance_key`.
        directory: Where the lock file and (on POSIX) the socket go; default:
            ``$XDG_RUNTIME_DIR``, else Qt's temporary directory.
        parent: The Qt parent.
    """

    activationRequested = Signal()

    def __init__(
        self, key: str, directory: str | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        folder = directory if directory is not None else _default_directory()
        self.lock_path = os.path.join(folder, key + ".lock")
        self.server_name = _server_name(folder, key)
        self._lock = QLockFile(self.lock_path)
        self._server: QLocalServer | None = None

    @property
    def listening(self) -> bool:
        """True while this instance takes activation requests."""
        return self._server is not None and self._server.isListening()

    def claim(self, timeout: float = 1.0) -> bool:
        """Become the instance of the key, or notify the one that is.

        Runs before the event loop and returns within about ``timeout`` seconds (that long
        only when the instance holding the lock does not answer).

        Args:
            timeout: Seconds to keep trying to reach the running instance.

        Returns:
            True if this process is now the instance (it listens for later launches); False
            if another one runs (it was asked to come to the front; ``instance_exists`` logged).
        """
        if self._lock.tryLock(0):
            self._listen()
            return True
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            log_event(
                _log,
                "instance_check_unavailable",
                level=logging.WARNING,
                lock=self.lock_path,
                error=self._lock.error().name,
            )
            return True
        notified = self._notify(time.monotonic() + timeout)
        log_event(_log, "instance_exists", name=self.server_name, notified=notified)
        return False

    def release(self) -> None:
        """Stop listening and give up the lock (idempotent)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        self._lock.unlock()

    def _listen(self) -> None:
        # We hold the lock, so a socket file at the name was left by a crashed instance.
        QLocalServer.removeServer(self.server_name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_new_connection)
        if not server.listen(self.server_name):
            log_event(
                _log,
                "instance_listen_failed",
                level=logging.WARNING,
                name=self.server_name,
                error=server.errorString(),
            )
            server.deleteLater()
            return
        self._server = server

    def _notify(self, deadline: float) -> bool:
        """Send ``activate`` to the running instance, retrying until ``deadline``."""
        while True:
            if _send(self.server_name, ACTIVATE + b"\n", deadline):
                return True
            if time.monotonic() + _RETRY_S >= deadline:
                return False
            # The lock's holder is between taking the lock and listening (or cannot listen).
            time.sleep(_RETRY_S)

    def _on_new_connection(self) -> None:
        server = self._server
        while server is not None and (connection := server.nextPendingConnection()) is not None:
            connection.readyRead.connect(self._on_ready_read)
            connection.disconnected.connect(connection.deleteLater)
            self._read(connection)

    def _on_ready_read(self) -> None:
        connection = self.sender()
        if isinstance(connection, QLocalSocket):
            self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        """Handle one line from a later launch; then hang up."""
        if not connection.canReadLine():
            if connection.bytesAvailable() > _MAX_MESSAGE:
                connection.abort()
            return
        message = bytes(connection.readLine(_MAX_MESSAGE + 1).data()).strip()
        connection.disconnectFromServer()
        if message == ACTIVATE:
            log_event(_log, "instance_activated", name=self.server_name)
            self.activationRequested.emit()
        else:
            shown = message[:_MAX_MESSAGE].decode("ascii", "replace")
            log_event(_log, "instance_message_ignored", level=logging.WARNING, message=shown)


def _server_name(folder: str, key: str) -> str:
    """The socket's path on POSIX (a bare name, put in the temp dir by Qt, if too long)."""
    if sys.platform == "win32":
        return key  # a named pipe, \\.\pipe\<key>
    path = os.path.join(folder, key)
    return path if len(os.fsencode(path)) <= _MAX_SOCKET_PATH else key


def _send(name: str, message: bytes, deadline: float) -> bool:
    """Connect to ``name``, write ``message`` and hang up, blocking until ``deadline`` at most."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_remaining_ms(deadline)):
        return False
    socket.write(message)
    while socket.bytesToWrite() and socket.waitForBytesWritten(_remaining_ms(deadline)):
        pass
    sent = not socket.bytesToWrite()
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(_remaining_ms(deadline))
    return sent


def _remaining_ms(deadline: float) -> int:
    return max(0, round((deadline - time.monotonic()) * 1000))
