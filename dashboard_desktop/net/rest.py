"""The REST snapshot client (protocol.md section 2): ``requests`` in a worker thread.

:meth:`RestClient.fetch` runs the blocking request in the client's own executor, so the event
loop (and with it the GUI thread) never waits on the network. Every failure comes back as a
:class:`FetchResult`, never as an exception.
"""

from __future__ import annotations

import asyncio
import enum
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime

import requests

from dashboard_desktop.config import Settings

_CHUNK = 64 * 1024


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


class BodyTooLarge(Exception):
    """The response body exceeded ``max_payload_bytes``."""


def _server_date(response: requests.Response) -> datetime | None:
    value = response.headers.get("Date")
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


class RestClient:
    """Fetches ``GET {server_url}{rest_path}?namespace=...`` with bearer auth and ETags.

    Args:
        settings: Connection settings (URL, path, token, TLS, timeout, size cap).
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._url = settings.server_url + settings.rest_path
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        if settings.token:
            self._session.headers["Authorization"] = f"Bearer {settings.token}"
        self._session.verify = (
            str(settings.ca_bundle) if settings.ca_bundle else settings.verify_tls
        )
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rest")

    async def fetch(self, etag: str | None = None) -> FetchResult:
        """Fetch the snapshot, sending ``If-None-Match: etag`` when given."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._fetch_blocking, etag)

    def close(self) -> None:
        """Stop the worker without waiting for a request in flight (it times out alone)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._session.close()

    def _fetch_blocking(self, etag: str | None) -> FetchResult:
        headers = {"If-None-Match": etag} if etag else {}
        params = {"namespace": self._settings.namespace}
        timeout = self._settings.request_timeout
        try:
            with self._session.get(
                self._url, params=params, headers=headers, timeout=timeout, stream=True
            ) as response:
                return self._interpret(response)
        except requests.Timeout:
            return FetchResult(Outcome.ERROR, error=f"timed out after {timeout:g} s")
        except requests.RequestException as exc:
            return FetchResult(Outcome.ERROR, error=_describe(exc))

    def _interpret(self, response: requests.Response) -> FetchResult:
        status = response.status_code
        date = _server_date(response)
        etag = response.headers.get("ETag")
        if status == 304:
            return FetchResult(Outcome.NOT_MODIFIED, etag=etag, http_status=304, server_date=date)
        if status in (401, 403):
            error = f"HTTP {status}: not authorised"
            return FetchResult(Outcome.UNAUTHORIZED, http_status=status, error=error)
        if status != 200:
            reason = response.reason or ""
            return FetchResult(Outcome.ERROR, http_status=status, error=f"HTTP {status} {reason}")
        try:
            body = json.loads(self._read_capped(response))
        except BodyTooLarge:
            cap = self._settings.max_payload_bytes
            return FetchResult(Outcome.ERROR, http_status=status, error=f"body over {cap} bytes")
        except ValueError as exc:
            return FetchResult(Outcome.ERROR, http_status=status, error=f"invalid JSON: {exc}")
        return FetchResult(Outcome.OK, body, etag, status, server_date=date)

    def _read_capped(self, response: requests.Response) -> bytes:
        cap = self._settings.max_payload_bytes
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge
            chunks.append(chunk)
        return b"".join(chunks)


def _describe(exc: requests.RequestException) -> str:
    """A short, token-free description of a transport failure."""
    kind = "TLS error" if isinstance(exc, requests.exceptions.SSLError) else "connection failed"
    errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
    return f"{kind}: {errno.group(1)}" if errno else f"{kind}: {type(exc).__name__}"
