"""HTTP helpers of the demo backend's REST API: auth, ETags and simulated faults."""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

from aiohttp import web

REST_FAULTS: Final = ("500", "502_html", "invalid_json", "wrong_shape", "timeout", "401")
HANG_SECONDS: Final = 60.0
_BAD_GATEWAY_HTML: Final = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


def token_matches(given: object, expected: str) -> bool:
    """Tells, in constant time, whether ``given`` is the expected token."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def bearer_matches(request: web.Request, token: str) -> bool:
    """Tells whether the request carries ``Authorization: Bearer <token>``."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and token_matches(credentials.strip(), token)


def make_etag(instance: str, namespace: str, version: int) -> str:
    """Returns a strong ETag for a version of a namespace of one server instance.

    The instance id keeps a restarted backend that counts from 1 again from matching
    the ETags of the previous run.
    """
    key = f"{instance}:{namespace}:{version}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Applies the weak comparison of ``If-None-Match`` (RFC 9110 §13.1.2)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


def unauthorized() -> web.Response:
    """Returns the 401 response: JSON ``{"error": "unauthorized"}``."""
    response = web.json_response({"error": "unauthorized"}, status=401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="dashboard"'
    return response


def fault_response(kind: str) -> web.Response:
    """Returns the immediate response of a REST fault (all kinds but "timeout").

    Args:
        kind: "500", "502_html", "invalid_json", "wrong_shape" or "401".
    """
    if kind == "401":
        return unauthorized()
    if kind == "502_html":
        return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
    if kind == "invalid_json":
        text = '{"version": 7, "items": [{"id": "job-0001", "title": '
        return web.Response(text=text, content_type="application/json")
    if kind == "wrong_shape":
        return web.json_response({"version": "seven", "items": {"id": "job-0001"}})
    return web.json_response({"error": "internal server error"}, status=500)
