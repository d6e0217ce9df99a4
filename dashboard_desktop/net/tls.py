"""One TLS policy for both channels, from ``verify_tls`` and ``ca_bundle``.

REST (``requests``) and Socket.IO (aiohttp) must agree: verification is on by default, the CA
bundle (if set) is used by both, and ``verify_tls = false`` turns verification off for both.

Without a ``ca_bundle`` both trust the same CAs: certifi's Mozilla bundle, the one ``requests``
uses by default. (aiohttp's default would be OpenSSL's default paths, which differ by platform
and are empty for some Python builds, and ``requests`` would also follow
``REQUESTS_CA_BUNDLE``: the two channels could disagree about the same server.)

Turning verification off is logged as ``tls_verification_off`` (WARNING) when the socket
supervisor starts and on each connection; the window shows it permanently.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator

import certifi

from dashboard_desktop.config import Settings
from dashboard_desktop.log import log_event

_CHAIN_LIMIT = 20  # exception causes followed at most (a cycle must not loop)


def ca_file(settings: Settings) -> str:
    """The PEM file of the CAs both channels trust: ``ca_bundle``, else certifi's bundle."""
    return str(settings.ca_bundle) if settings.ca_bundle else certifi.where()


def requests_verify(settings: Settings) -> bool | str:
    """The ``verify`` argument for ``requests``: ``False``, or the CA file (never ``True``,
    which would let ``REQUESTS_CA_BUNDLE`` pick other CAs than the socket's)."""
    return ca_file(settings) if settings.verify_tls else False


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context for aiohttp, or ``None`` when the server URL is plain http."""
    if not settings.server_url.startswith("https:"):
        return None
    if not settings.verify_tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=ca_file(settings))


def log_verification_off(settings: Settings, logger: logging.Logger, phase: str) -> None:
    """Log ``tls_verification_off`` (WARNING) if ``verify_tls`` is off; else nothing.

    Args:
        settings: The connection's settings.
        logger: The logger to log to.
        phase: ``"start"`` or ``"connect"``.
    """
    if not settings.verify_tls:
        log_event(
            logger,
            "tls_verification_off",
            level=logging.WARNING,
            phase=phase,
            server_url=settings.server_url,
        )


def describe_tls_failure(exc: BaseException) -> str | None:
    """Words for a TLS failure somewhere in ``exc``'s causes, or ``None`` if there is none.

    E.g. "TLS error: certificate verify failed: self-signed certificate" (the certificate
    could not be verified) or "TLS error: wrong version number" (another TLS failure).
    """
    # The innermost first: the ssl module's own error. (aiohttp's ClientConnector...Error
    # subclasses the ssl errors without their attributes: getattr, never the attribute.)
    causes = [cause for cause in _causes(exc) if isinstance(cause, ssl.SSLError)][::-1]
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = getattr(cause, "verify_message", None) or "unknown reason"
            return f"TLS error: certificate verify failed: {detail}"
    for cause in causes:
        reason = getattr(cause, "reason", None)
        if isinstance(reason, str) and reason:
            return f"TLS error: {reason.lower().replace('_', ' ')}"
    return "TLS error" if causes else None


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    for _ in range(_CHAIN_LIMIT):
        if seen is None:
            return
        yield seen
        seen = seen.__cause__ or seen.__context__
