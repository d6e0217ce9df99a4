"""Settings of the demo backend."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Final

FORMS: Final = ("delta", "snapshot", "hint", "mixed")


@dataclass
class DemoOptions:
    """Settings of a :class:`~dashboard_desktop.demo.server.DemoServer`.

    Attributes:
        host: Address to bind (only this one).
        port: TCP port; 0 picks a free one.
        items: Number of items of the simulated day.
        rate: Automatic changes per second; 0 for none.
        form: Event form: "delta", "snapshot", "hint" or "mixed" (seeded choice).
        token: Token required from clients; empty for no authentication.
        namespace: The dashboard namespace served.
        socketio_path: Path of the Socket.IO endpoint.
        rest_path: Path of the REST snapshot endpoint.
        event_name: Name of the Socket.IO event carrying changes.
        ping_interval: Engine.IO ping interval in seconds.
        ping_timeout: Engine.IO ping timeout in seconds.
        seed: Seed of the simulation and of the "mixed" form choice.
        socketio_namespace: The Socket.IO namespace (not the dashboard namespace).
        ssl_context: A server TLS context: serve HTTPS and WSS instead of HTTP and WS.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    items: int = 40
    rate: float = 0.5
    form: str = "delta"
    token: str = ""
    namespace: str = "default"
    socketio_path: str = "/socket.io"
    rest_path: str = "/api/dashboard/schedule"
    event_name: str = "dashboard_schedule_updated"
    ping_interval: float = 25.0
    ping_timeout: float = 20.0
    seed: int | None = None
    socketio_namespace: str = "/"
    ssl_context: ssl.SSLContext | None = None
