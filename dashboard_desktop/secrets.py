"""The access token in the operating system's keyring, through the :mod:`keyring` package.

One entry per server and namespace: service ``"dashboard-desktop"``, user
``"<server_url>#<namespace>"`` (a validated server URL never contains ``#``). The keyring is
a convenience, never a requirement: whenever it fails (no keyring on the machine, a locked or
broken one, a prompt the user dismissed), the error is logged as ``keyring_unavailable`` or
``keyring_failed``, without the token, and the caller carries on without it.

Calls may block while the desktop's keyring asks the user to unlock it: at start-up that is
the point; from the running GUI, call :func:`save_token` and :func:`delete_token` in a worker
thread (``loop.run_in_executor``).
"""

from __future__ import annotations

import logging
from typing import Literal

from dashboard_desktop.log import log_event

# keyring is imported on first use: its import takes about 0.1 s, which a start-up that needs no
# keyring (a --demo run, a token from the environment) should not pay.

__all__ = ["SERVICE", "delete_token", "keyring_user", "load_token", "save_token"]

SERVICE = "dashboard-desktop"
_log = logging.getLogger(__name__)

_Action = Literal["load", "save", "delete"]


def keyring_user(server_url: str, namespace: str) -> str:
    """Return the keyring user name of the token for ``server_url`` and ``namespace``."""
    return f"{server_url}#{namespace}"


def load_token(server_url: str, namespace: str) -> str | None:
    """Return the token stored for this server and namespace.

    Returns:
        The token, or None when none is stored or the keyring failed (logged).
    """
    import keyring  # noqa: PLC0415 - on first use (see above)

    try:
        token = keyring.get_password(SERVICE, keyring_user(server_url, namespace))
    except Exception as exc:  # any backend may raise anything: the app carries on
        _report(exc, "load", server_url, namespace, "")
        return None
    return token or None


def save_token(server_url: str, namespace: str, token: str) -> bool:
    """Store ``token`` for this server and namespace; an empty token deletes the entry.

    Returns:
        True when the keyring now holds exactly this token (or no entry, for an empty one);
        False when the keyring failed (logged, without the token).
    """
    if not token:
        return delete_token(server_url, namespace)
    import keyring  # noqa: PLC0415 - on first use (see above)

    try:
        keyring.set_password(SERVICE, keyring_user(server_url, namespace), token)
    except Exception as exc:  # any backend may raise anything: the app carries on
        _report(exc, "save", server_url, namespace, token)
        return False
    log_event(_log, "token_saved", server_url=server_url, namespace=namespace)
    return True


def delete_token(server_url: str, namespace: str) -> bool:
    """Remove the token stored for this server and namespace; none stored is no error.

    Returns:
        True when no entry is left; False when the keyring failed (logged).
    """
    import keyring.errors  # noqa: PLC0415 - on first use (see above)

    try:
        keyring.delete_password(SERVICE, keyring_user(server_url, namespace))
    except keyring.errors.PasswordDeleteError:  # what backends raise when nothing is stored
        return True
    except Exception as exc:  # any backend may raise anything: the app carries on
        _report(exc, "delete", server_url, namespace, "")
        return False
    log_event(_log, "token_deleted", server_url=server_url, namespace=namespace)
    return True


def _report(exc: Exception, action: _Action, server_url: str, namespace: str, token: str) -> None:
    """Log a keyring failure: ``keyring_unavailable`` when there is no usable keyring at all."""
    import keyring.errors  # noqa: PLC0415 - imported already by the failed call

    unavailable = isinstance(exc, keyring.errors.NoKeyringError | keyring.errors.InitError)
    message = str(exc).replace(token, "***") if token else str(exc)
    log_event(
        _log,
        "keyring_unavailable" if unavailable else "keyring_failed",
        level=logging.WARNING,
        action=action,
        server_url=server_url,
        namespace=namespace,
        error=f"{type(exc).__name__}: {' '.join(message.split())}"[:300],
    )
