"""One TLS policy for both channels, from ``verify_tls`` and ``ca_bundle``.

REST (``requests``) and Socket.IO (aiohttp) must agree: verification is on by default, the CA
bundle (if set) is used by both, and ``verify_tls = false`` turns verification off for both.
"""

from __future__ import annotations

import ssl

from dashboard_desktop.config import Settings


def requests_verify(settings: Settings) -> bool | str:
    """The ``verify`` argument for ``requests``."""
    if not settings.verify_tls:
        return False
    return str(settings.ca_bundle) if settings.ca_bundle else True


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context for aiohttp, or ``None`` when the server URL is plain http."""
    if not settings.server_url.startswith("https:"):
        return None
    if not settings.verify_tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    cafile = str(settings.ca_bundle) if settings.ca_bundle else None
    return ssl.create_default_context(cafile=cafile)
