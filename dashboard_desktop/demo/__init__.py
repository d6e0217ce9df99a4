"""The bundled demo backend: a standalone Socket.IO + REST server of protocol.md.

It depends only on the standard library, python-socketio and aiohttp (never on Qt or
the rest of the application). Run it with ``python -m dashboard_desktop.demo``.
"""

from dashboard_desktop.demo.options import DemoOptions
from dashboard_desktop.demo.server import DemoServer
from dashboard_desktop.demo.simulation import Change, DaySimulation
from dashboard_desktop.demo.thread import DemoServerThread

__all__ = ["Change", "DaySimulation", "DemoOptions", "DemoServer", "DemoServerThread"]
