"""HTTP helpers of the demo backend's REST API: auth, ETags and simulated faults."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiohttp import web

REST_FAULTS: Final = (
    "500",
    "502_html",
    "invalid_json",
    "wrong_shape",
    "timeout",
    "401",
    "redirect",
    "oversize",
)
HANG_SECONDS: Final = 60.0
MOVED_PATH: Final = "/moved/schedule"
SOCKET_REDIRECT_PATH: Final = "/redirect/socket.io/"  # a client's socketio_path "/redirect/..."
OVERSIZE_PADDING: Final = 1024 * 1024
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


class MovedTarget:
    """Where the "redirect" fault points: counts the requests that followed the redirect.

    Attributes:
        hits: Requests received.
        with_token: Those that carried an ``Authorization`` header.
    """

    def __init__(self) -> None:
        self.hits = 0
        self.with_token = 0

    async def handle(self, request: web.Request) -> web.Response:
        """Answers 404: nothing is served there."""
        self.hits += 1
        if "Authorization" in request.headers:
            self.with_token += 1
        return web.json_response({"error": "not found"}, status=404)


def redirect(request: web.Request, path: str = MOVED_PATH) -> web.Response:
    """Returns a 302 to ``path`` under another host name (127.0.0.1 and localhost swap), i.e.
    to another origin of the same server, the query kept."""
    host = "127.0.0.1" if request.url.host == "localhost" else "localhost"
    location = request.url.with_host(host).with_path(path).with_query(request.query)
    return web.Response(status=302, headers={"Location": str(location)})


def socket_redirector(socketio_path: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Returns the handler of :data:`SOCKET_REDIRECT_PATH`: it redirects a Socket.IO handshake
    to the real endpoint at another origin, where a client that follows it would connect."""

    async def handle(request: web.Request) -> web.Response:
        return redirect(request, socketio_path.rstrip("/") + "/")

    return handle


def oversize(snapshot: dict[str, Any]) -> web.Response:
    """Returns ``snapshot`` padded by :data:`OVERSIZE_PADDING` bytes: valid, but too big."""
    return web.json_response(dict(snapshot, padding="x" * OVERSIZE_PADDING))


def fault_response(
    kind: str, request: web.Request, snapshot: Callable[[], dict[str, Any]]
) -> web.Response:
    """Returns the immediate response of a REST fault (all kinds but "timeout").

    Args:
        kind: "500", "502_html", "invalid_json", "wrong_shape", "401", "redirect" (a 302
            to another origin, see :func:`redirect`) or "oversize" (see :func:`oversize`).
        request: The request answered.
        snapshot: Returns the current snapshot.
    """
    if kind == "401":
        return unauthorized()
    if kind == "redirect":
        return redirect(request)
    if kind == "oversize":
        return oversize(snapshot())
    if kind == "502_html":
        return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
    if kind == "invalid_json":
        text = '{"version": 7, "items": [{"id": "job-0001", "title": '
        return web.Response(text=text, content_type="application/json")
    if kind == "wrong_shape":
        return web.json_response({"version": "seven", "items": {"id": "job-0001"}})
    return web.json_response({"error": "internal server error"}, status=500)
