"""Flask-SocketIO 5.x test server speaking the server side of protocol v1.

Used only by the interop tests (``tests/interop``); never shipped.

    python tests/interop/flask_server.py --port 0 [--token T]

Binds 127.0.0.1 only and prints exactly ``listening on http://127.0.0.1:<port>`` to stdout
once the listening socket accepts connections. Logs go to stderr.

Endpoints:
- Socket.IO (namespace ``/``, path ``/socket.io``, async_mode "threading" with
  simple-websocket): connect auth ``{"namespace": "default", "token": T}``; refused with
  ``ConnectionRefusedError("unauthorized")`` on a missing/wrong token when ``--token`` is set,
  and with ``"unknown namespace"`` for any dashboard namespace other than ``default``.
- ``GET /api/dashboard/schedule?namespace=default``: snapshot ``{version, items, generated_at}``
  with ``ETag`` / ``If-None-Match`` -> 304, ``Authorization: Bearer T`` checked when a token is
  set (401 missing, 403 wrong), 400 without ``namespace``, 404 for an unknown namespace.
- ``POST /_control/change`` (tests only, no auth): changes one item of the 3-item schedule,
  bumps the version, emits ``dashboard_schedule_updated`` as a delta
  ``{version, base_version, upserts, deletes, emitted_at_ms}`` to all clients and returns
  ``{"version": <new>, "delta": {...}}``.
"""

from __future__ import annotations

import argparse
import copy
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, jsonify, request
from flask_socketio import ConnectionRefusedError as RefuseConnection
from flask_socketio import SocketIO
from werkzeug.serving import make_server

NAMESPACE = "default"
EVENT = "dashboard_schedule_updated"
STATUS_CYCLE = ("scheduled", "in_progress", "delayed", "completed")


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _log(message: str) -> None:
    print(f"[flask-server] {message}", file=sys.stderr, flush=True)


class Schedule:
    """The tiny, thread-safe schedule of the ``default`` namespace."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changes = 0
        now = datetime.now(UTC)
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        stamp = _iso(now)
        self.version = 1
        self.items: list[dict[str, Any]] = [
            {
                "id": "item-1",
                "title": "Morning briefing",
                "start": _iso(day + timedelta(hours=9)),
                "end": _iso(day + timedelta(hours=9, minutes=30)),
                "status": "scheduled",
                "location": "Room A",
                "assignee": "Alice",
                "updated_at": stamp,
            },
            {
                "id": 2,
                "title": "Delivery window",
                "start": _iso(day + timedelta(hours=11)),
                "end": _iso(day + timedelta(hours=12)),
                "status": "in_progress",
                "location": "Dock 3",
                "updated_at": stamp,
            },
            {
                "id": "item-3",
                "title": "Maintenance",
                "start": _iso(day + timedelta(hours=14)),
                "status": "delayed",
                "notes": "Waiting for parts",
                "priority": "high",
                "updated_at": stamp,
            },
        ]

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "version": self.version,
                "items": copy.deepcopy(self.items),
                "generated_at": _iso(datetime.now(UTC)),
            }

    def change(self) -> dict[str, Any]:
        """Change one item (round robin over the items, cycling its status); return the delta."""
        with self._lock:
            item = self.items[self._changes % len(self.items)]
            self._changes += 1
            current = item.get("status")
            index = STATUS_CYCLE.index(current) if current in STATUS_CYCLE else -1
            item["status"] = STATUS_CYCLE[(index + 1) % len(STATUS_CYCLE)]
            item["updated_at"] = _iso(datetime.now(UTC))
            base_version = self.version
            self.version += 1
            return {
                "version": self.version,
                "base_version": base_version,
                "upserts": [copy.deepcopy(item)],
                "deletes": [],
                "emitted_at_ms": int(time.time() * 1000),
            }


def _namespace_of(auth: Any) -> Any:
    return auth.get("namespace") if isinstance(auth, dict) else None


def _socket_refusal(auth: Any, token: str) -> str | None:
    """Why a Socket.IO connect with this auth payload is refused, or None to accept it."""
    auth = auth if isinstance(auth, dict) else {}
    if token and auth.get("token") != token:
        return "unauthorized"
    if auth.get("namespace", NAMESPACE) != NAMESPACE:
        return "unknown namespace"
    return None


def _rest_refusal(token: str) -> tuple[Response, int] | None:
    """The error response for the current REST request, or None when it is acceptable."""
    if token:
        header = request.headers.get("Authorization", "")
        if not header:
            resp = jsonify(error="unauthorized")
            resp.headers["WWW-Authenticate"] = "Bearer"
            return resp, 401
        if header != f"Bearer {token}":
            return jsonify(error="forbidden"), 403
    namespace = request.args.get("namespace")
    if not namespace:
        return jsonify(error="missing namespace"), 400
    if namespace != NAMESPACE:
        return jsonify(error="unknown namespace"), 404
    return None


def create_app(token: str = "") -> tuple[Flask, SocketIO]:
    app = Flask(__name__)
    socketio = SocketIO(app, async_mode="threading", logger=False, engineio_logger=False)
    schedule = Schedule()

    @socketio.on("connect")
    def on_connect(auth: Any = None) -> None:
        refusal = _socket_refusal(auth, token)
        if refusal is not None:
            _log(f"socket connect refused: {refusal} (auth namespace {_namespace_of(auth)!r})")
            raise RefuseConnection(refusal)
        _log(f"socket connected: {request.sid}")

    @socketio.on("disconnect")
    def on_disconnect(*_args: Any) -> None:
        _log(f"socket disconnected: {request.sid}")

    @app.get("/api/dashboard/schedule")
    def get_schedule() -> Response | tuple[Response, int]:
        refusal = _rest_refusal(token)
        if refusal is not None:
            return refusal
        snapshot = schedule.snapshot()
        etag = f'"v{snapshot["version"]}"'
        if request.if_none_match.contains_weak(etag.strip('"')):
            resp = Response(status=304)
        else:
            resp = jsonify(snapshot)
        resp.headers["ETag"] = etag
        resp.headers["Cache-Control"] = "no-cache"
        return resp

    @app.post("/_control/change")
    def control_change() -> Response:
        delta = schedule.change()
        socketio.emit(EVENT, delta)
        _log(f"changed: version {delta['base_version']} -> {delta['version']}")
        return jsonify(version=delta["version"], delta=delta)

    return app, socketio


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any)")
    parser.add_argument("--token", default="", help="required token (none: no auth)")
    args = parser.parse_args(argv)

    app, _socketio = create_app(args.token)
    # Flask-SocketIO's run() cannot report the port chosen for --port 0; werkzeug's
    # make_server() binds and listens at once, and server_port is the real port.
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
