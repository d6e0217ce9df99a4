"""The offline cache file: the last good snapshot, saved atomically, checked when loaded.

:class:`SnapshotCache` keeps one JSON file per server and namespace::

    {"format": 1, "server_url": "...", "namespace": "...", "saved_at": "<ISO time>",
     "version": 42, "snapshot": {<the REST snapshot body>}}

The body is kept as served (or rebuilt from the schedule by :func:`snapshot_body` after pushed
deltas), so loading parses it with :func:`~dashboard_desktop.core.protocol.parse_snapshot`
exactly like a REST snapshot. A save writes a temporary file beside the cache (created
``0600``), flushes and fsyncs it, then renames it over the old one: a crash or a full disk
leaves the previous file intact. Neither :meth:`SnapshotCache.save` nor
:meth:`SnapshotCache.load` ever raises; a failure is logged (``cache_save_failed``,
``cache_ignored``) and the caller carries on without the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from dashboard_desktop.config import APP_NAME, Settings
from dashboard_desktop.core.items import Item, ItemError, parse_datetime
from dashboard_desktop.core.protocol import PayloadError, Snapshot, parse_snapshot
from dashboard_desktop.log import log_event

__all__ = ["FORMAT", "CachedSnapshot", "SnapshotCache", "cache_path", "snapshot_body"]

FORMAT = 1
_BATCH = 256  # items encoded per json.dumps round: the GIL is free between rounds
_LEFTOVER_AGE_S = 3600.0  # a temporary file this old belongs to a writer that died
_log = logging.getLogger(__name__)


class _UnusableError(Exception):
    """The cache file cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class CachedSnapshot:
    """A snapshot loaded from the cache and when it was saved (aware)."""

    snapshot: Snapshot
    saved_at: datetime


def cache_path(settings: Settings) -> Path:
    """The cache file of the settings' server and namespace.

    The name carries a short hash of both, so two servers never share a file; the directory is
    ``cache_dir`` or else the platform's user cache directory.
    """
    key = f"{settings.server_url}\n{settings.namespace}".encode()
    name = f"snapshot-{hashlib.sha256(key).hexdigest()[:16]}.json"
    return (settings.cache_dir or Path(platformdirs.user_cache_dir(APP_NAME))) / name


def _item_json(item: Item) -> dict[str, Any]:
    """The protocol form of ``item`` (the inverse of ``parse_item``; times as ISO text)."""
    data: dict[str, Any] = {"id": item.raw_id, "title": item.title}
    data["start"] = item.start.isoformat()
    for name in ("end", "updated_at"):
        value = getattr(item, name)
        if value is not None:
            data[name] = value.isoformat()
    for name in ("status", "location", "assignee", "notes"):
        value = getattr(item, name)
        if value is not None:
            data[name] = value
    data.update(item.extra)
    return data


def snapshot_body(items: Iterable[Item], version: int | None) -> dict[str, Any]:
    """A snapshot body equal to ``items`` at ``version``, as a REST server would send it."""
    return {"version": version, "items": [_item_json(item) for item in items]}


def _chunks(head: Mapping[str, Any], body: object) -> Iterator[str]:
    """``head`` with ``"snapshot": body``, as JSON text in pieces of a few hundred items.

    One ``json.dumps`` of a 12 MB body would hold the GIL (and so the GUI thread) for its
    whole run; item batches let other threads in between.
    """
    # ASCII escapes: a lone surrogate in a server's text must not make the write fail.
    opening = json.dumps(head)[:-1]
    items = body.get("items") if isinstance(body, Mapping) else None
    if not isinstance(body, Mapping) or not isinstance(items, list):
        yield f'{opening}, "snapshot": {json.dumps(body)}}}'
        return
    fields = [
        f"{json.dumps(key)}: {json.dumps(value)}, "
        for key, value in body.items()
        if key != "items"
    ]
    yield f'{opening}, "snapshot": {{{"".join(fields)}"items": ['
    for start in range(0, len(items), _BATCH):
        batch = ", ".join(json.dumps(item) for item in items[start : start + _BATCH])
        yield batch if start == 0 else ", " + batch
    yield "]}}"


class SnapshotCache:
    """The cache file of one server and namespace.

    Args:
        path: The cache file.
        server_url: The server the data belong to (checked on load).
        namespace: The dashboard namespace the data belong to (checked on load).
        max_bytes: Largest file accepted on load.
        max_items: Most items accepted on load (``max_items``); None for no cap.
    """

    def __init__(
        self,
        path: Path,
        server_url: str,
        namespace: str,
        max_bytes: int,
        max_items: int | None = None,
    ) -> None:
        self.path = path
        self._server_url = server_url
        self._namespace = namespace
        self._max_bytes = max_bytes
        self._max_items = max_items

    @classmethod
    def for_settings(cls, settings: Settings) -> SnapshotCache:
        """The cache of the settings' server and namespace (see :func:`cache_path`)."""
        return cls(
            cache_path(settings),
            settings.server_url,
            settings.namespace,
            settings.max_payload_bytes,
            settings.max_items,
        )

    # -- saving -----------------------------------------------------------------------------

    def save(self, body: object, version: int | None, saved_at: datetime) -> bool:
        """Replace the file by ``body`` (a snapshot body) atomically; never raises.

        Blocking (encoding, write, fsync): call it off the GUI thread.

        Returns:
            True if the file now holds ``body``; a failure is logged as ``cache_save_failed``.
        """
        started = time.monotonic()
        head = {
            "format": FORMAT,
            "server_url": self._server_url,
            "namespace": self._namespace,
            "saved_at": saved_at.isoformat(),
            "version": version,
        }
        try:
            size = self._write_atomically(_chunks(head, body))
        except Exception as exc:  # a cache must never take the application down
            log_event(
                _log,
                "cache_save_failed",
                level=logging.WARNING,
                path=str(self.path),
                error=f"{type(exc).__name__}: {exc}",
            )
            return False
        items = body.get("items") if isinstance(body, Mapping) else None
        log_event(
            _log, "cache_saved", path=str(self.path), version=version,
            items=len(items) if isinstance(items, list) else None, bytes=size,
            ms=round((time.monotonic() - started) * 1000),
        )  # fmt: skip
        return True

    def _write_atomically(self, chunks: Iterable[str]) -> int:
        """Write ``chunks`` to a temporary file, fsync it, rename it over the cache file."""
        directory = self.path.parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=self.path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                for chunk in chunks:
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
                size = os.fstat(file.fileno()).st_size
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _sync_directory(directory)
        return size

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> CachedSnapshot | None:
        """The cached snapshot, or None (logged as ``cache_ignored``, with the reason).

        None when the file is missing, unreadable, not valid JSON, over ``max_bytes``, of
        another format, saved for another server or namespace, or its snapshot is refused
        (also logged as ``payload_rejected``, e.g. over ``max_items``).
        """
        self._remove_leftovers()
        try:
            return self._read()
        except FileNotFoundError:
            log_event(_log, "cache_ignored", path=str(self.path), reason="no cache file yet")
        except (OSError, _UnusableError, ValueError, RecursionError) as exc:
            # ValueError covers invalid JSON, bad UTF-8 and PayloadError.
            reason = str(exc) if isinstance(exc, _UnusableError | PayloadError) else _describe(exc)
            if isinstance(exc, PayloadError):
                log_event(
                    _log, "payload_rejected", level=logging.WARNING, source="cache", reason=reason
                )
            log_event(
                _log, "cache_ignored", level=logging.WARNING, path=str(self.path), reason=reason
            )
        return None

    def _read(self) -> CachedSnapshot:
        with self.path.open("rb") as file:
            data = file.read(self._max_bytes + 1)
        if len(data) > self._max_bytes:
            raise _UnusableError(f"file over {self._max_bytes} bytes (max_payload_bytes)")
        document = json.loads(data)
        if not isinstance(document, dict):
            raise _UnusableError("not a JSON object")
        if document.get("format") != FORMAT:
            raise _UnusableError(f"unknown format {str(document.get('format'))[:20]!r}")
        if document.get("server_url") != self._server_url:
            raise _UnusableError("saved for another server")
        if document.get("namespace") != self._namespace:
            raise _UnusableError("saved for another namespace")
        try:
            saved_at = parse_datetime(document.get("saved_at"), "saved_at")
        except ItemError as exc:
            raise _UnusableError(str(exc)) from None
        return CachedSnapshot(parse_snapshot(document.get("snapshot"), self._max_items), saved_at)

    def _remove_leftovers(self) -> None:
        """Delete old temporary files of writers that died mid-write (never a live one's)."""
        cutoff = time.time() - _LEFTOVER_AGE_S
        with contextlib.suppress(OSError):
            for leftover in self.path.parent.glob(self.path.name + ".*.tmp"):
                with contextlib.suppress(OSError):
                    if leftover.stat().st_mtime < cutoff:
                        leftover.unlink()


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); where directories cannot be opened, skip it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return "invalid JSON: not UTF-8"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"unreadable: {type(exc).__name__}: {exc}"
