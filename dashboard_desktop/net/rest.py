"""The REST snapshot client (protocol.md section 2): ``requests`` in a worker thread.

:meth:`RestClient.fetch` runs the blocking request in a daemon thread, so the event loop (and
with it the GUI thread) never waits on the network. Every failure comes back as a
:class:`FetchResult`, never as an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import http.client
import json
import logging
import re
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import requests
import urllib3

from dashboard_desktop.config import Settings
from dashboard_desktop.net.tls import describe_tls_failure, requests_verify

_CHUNK = 64 * 1024
_log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    """How a fetch ended."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    UNAUTHORIZED = "unauthorized"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The result of one snapshot fetch.

    Attributes:
        outcome: How it ended.
        body: The decoded JSON body (``OK`` only).
        etag: The response's ``ETag``, if any.
        http_status: The HTTP status, if a response arrived.
        error: A one-line description of the failure (not ``OK``/``NOT_MODIFIED``).
        server_date: The response's ``Date`` header, if any.
    """

    outcome: Outcome
    body: object = None
    etag: str | None = None
    http_status: int | None = None
    error: str | None = None
    server_date: datetime | None = None


class BodyTooLargeError(Exception):
    """The response body exceeded ``max_payload_bytes``."""


def _server_date(response: requests.Response) -> datetime | None:
    value = response.headers.get("Date")
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


class RestClient:
    """Fetches ``GET {server_url}{rest_path}?namespace=...`` with bearer auth and ETags.

    Each fetch runs in a daemon thread with its own ``requests.Session`` and is bounded as a
    whole by ``request_timeout`` (also when a server drips its body byte by byte), so a hung
    server never delays a later fetch or the exit of the application.

    Args:
        settings: Connection settings (URL, path, token, TLS, timeout, size cap).
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._url = settings.server_url + settings.rest_path
        self._headers = {"Accept": "application/json"}
        if settings.token:
            self._headers["Authorization"] = f"Bearer {settings.token}"
        self._verify = requests_verify(settings)
        if not settings.verify_tls:  # said once, in words, by the window and tls_verification_off
            warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)

    async def fetch(self, etag: str | None = None) -> FetchResult:
        """Fetch the snapshot, sending ``If-None-Match: etag`` when given."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[FetchResult] = loop.create_future()

        def work() -> None:
            try:
                result = self._fetch_blocking(etag)
            except Exception as exc:  # an unforeseen library error must still answer
                _log.warning("REST fetch failed unexpectedly", exc_info=True)
                result = FetchResult(Outcome.ERROR, error=f"internal error: {type(exc).__name__}")
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
                loop.call_soon_threadsafe(_resolve, future, result)

        threading.Thread(target=work, name="rest-fetch", daemon=True).start()
        timeout = self._settings.request_timeout
        try:
            # The worker enforces the deadline itself; this bound covers a stalled header read.
            # (asyncio.timeout: wait_for can swallow a cancellation on Python 3.11, see
            # https://github.com/python/cpython/issues/86296)
            async with asyncio.timeout(2 * timeout + 1):
                return await future
        except TimeoutError:
            return FetchResult(Outcome.ERROR, error=f"timed out after {timeout:g} s")

    def close(self) -> None:
        """Nothing to release: workers are daemon threads that end with their request."""

    def _fetch_blocking(self, etag: str | None) -> FetchResult:
        headers = dict(self._headers)
        if etag:
            headers["If-None-Match"] = etag
        timeout = self._settings.request_timeout
        deadline = time.monotonic() + timeout
        try:
            with (
                requests.Session() as session,
                session.get(
                    self._url,
                    params={"namespace": self._settings.namespace},
                    headers=headers,
                    timeout=timeout,
                    stream=True,
                    verify=self._verify,
                    # Never followed: the token would travel with it (see describe_redirect).
                    allow_redirects=False,
                ) as response,
            ):
                return self._interpret(response, deadline)
        except (requests.Timeout, TimeoutError):
            return FetchResult(Outcome.ERROR, error=f"timed out after {timeout:g} s")
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            if _caused_by_timeout(exc):
                return FetchResult(Outcome.ERROR, error=f"timed out after {timeout:g} s")
            return FetchResult(Outcome.ERROR, error=_describe(exc))

    def _interpret(self, response: requests.Response, deadline: float) -> FetchResult:
        status = response.status_code
        date = _server_date(response)
        etag = response.headers.get("ETag")
        if status == 304:
            return FetchResult(Outcome.NOT_MODIFIED, etag=etag, http_status=304, server_date=date)
        if status in (401, 403):
            error = f"HTTP {status}: not authorised"
            return FetchResult(Outcome.UNAUTHORIZED, http_status=status, error=error)
        if response.is_redirect:
            location = response.headers.get("Location", "")
            error = describe_redirect(status, location)
            return FetchResult(Outcome.ERROR, http_status=status, error=error)
        if status != 200:
            reason = response.reason or ""
            return FetchResult(Outcome.ERROR, http_status=status, error=f"HTTP {status} {reason}")
        try:
            body = json.loads(self._read_capped(response, deadline))
        except BodyTooLargeError:
            cap = self._settings.max_payload_bytes
            return FetchResult(Outcome.ERROR, http_status=status, error=f"body over {cap} bytes")
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            return FetchResult(Outcome.ERROR, http_status=status, error=f"invalid JSON: {exc}")
        return FetchResult(Outcome.OK, body, etag, status, server_date=date)

    def _read_capped(self, response: requests.Response, deadline: float) -> bytes:
        """Read the body, at most ``max_payload_bytes`` of it, before ``deadline``."""
        cap = self._settings.max_payload_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError
            # read1 returns what has arrived instead of waiting for a whole chunk, so the
            # deadline is checked however slowly the server sends.
            chunk = response.raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > cap:
                raise BodyTooLargeError
            chunks.append(chunk)


def _resolve(future: asyncio.Future[FetchResult], result: FetchResult) -> None:
    if not future.done():
        future.set_result(result)


def _caused_by_timeout(exc: BaseException) -> bool:
    """True if a timeout is somewhere in the exception's cause chain."""
    seen: BaseException | None = exc
    while seen is not None:
        # Not urllib3's TimeoutError: its NewConnectionError (connection refused) is one.
        if isinstance(seen, TimeoutError | urllib3.exceptions.ReadTimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe_redirect(status: int, location: str) -> str:
    """Why a redirect is not followed, naming its target without query or credentials.

    Redirects are never followed, on REST or Socket.IO: the token travels with the request (the
    ``Authorization`` header, the Socket.IO auth), and a redirect to another origin could hand
    it to a stranger; one to the same origin means ``server_url`` or a path is out of date.
    Either way the user is told where the server points.
    """
    try:
        target = urllib3.util.parse_url(location)
    except ValueError:  # LocationParseError
        return f"HTTP {status}: redirected (not followed)"
    if target.host:
        where = f"{target.scheme or 'http'}://{target.host}"
        where += f":{target.port}" if target.port else ""
        where += target.path or ""
    else:
        where = target.path or "?"
    return f"HTTP {status}: redirected to {where[:120]} (not followed)"


def _broken_connection(exc: BaseException) -> str | None:
    """Words for a connection that broke off (requests only says ``ConnectionError``)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, http.client.RemoteDisconnected):  # a ConnectionResetError too
            return "the server closed the connection without answering"
        if isinstance(seen, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return "connection reset"
        if isinstance(seen, urllib3.exceptions.IncompleteRead | http.client.IncompleteRead):
            return "the response was cut short"
        seen = seen.__cause__ or seen.__context__
    return None


def _describe(exc: Exception) -> str:
    """A short, token-free description of a transport failure."""
    tls = describe_tls_failure(exc)  # e.g. "TLS error: certificate verify failed: ..."
    if tls is not None:
        return tls
    kind = "TLS error" if isinstance(exc, requests.exceptions.SSLError) else "connection failed"
    words = _broken_connection(exc)
    if words is not None:
        return f"{kind}: {words}"
    errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    return f"{kind}: {errno.group(1)}" if errno else f"{kind}: {type(exc).__name__}"
