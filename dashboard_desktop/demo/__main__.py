"""Command line of the demo backend: ``python -m dashboard_desktop.demo --help``.

On start it prints exactly one line, ``listening on http://<host>:<port>``, to stdout;
SIGTERM or SIGINT stop it cleanly with exit status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence

from dashboard_desktop.demo.server import FORMS, DemoOptions, DemoServer

_DEFAULTS = DemoOptions()


def _non_negative(kind: type[int] | type[float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must not be negative: {text}")
        return value

    parse.__name__ = kind.__name__  # shown by argparse in "invalid <name> value"
    return parse


def build_parser() -> argparse.ArgumentParser:
    """Returns the argument parser of the demo backend."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard_desktop.demo",
        description="Demo dashboard backend: Socket.IO push and REST snapshots of a "
        "simulated working day (the server side of protocol.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    _add_simulation_arguments(parser)
    _add_protocol_arguments(parser)
    parser.add_argument("--log-level", default="WARNING", help="logging level (DEBUG, ...)")
    return parser


def _add_simulation_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--host", default=_DEFAULTS.host, help="address to bind")
    add("--port", type=_non_negative(int), default=_DEFAULTS.port, help="0 picks a free port")
    add("--items", type=_non_negative(int), default=_DEFAULTS.items, help="items of the day")
    add("--rate", type=_non_negative(float), default=_DEFAULTS.rate, help="changes/s; 0 = none")
    add("--form", choices=FORMS, default=_DEFAULTS.form, help="form of the pushed events")
    add("--seed", type=int, default=None, help="seed for a reproducible simulation")


def _add_protocol_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    seconds = _non_negative(float)
    add("--token", default=_DEFAULTS.token, help="required token; empty = no auth")
    add("--namespace", default=_DEFAULTS.namespace, help="dashboard namespace served")
    add("--ping-interval", type=seconds, default=_DEFAULTS.ping_interval, help="seconds")
    add("--ping-timeout", type=seconds, default=_DEFAULTS.ping_timeout, help="seconds")
    add("--socketio-path", default=_DEFAULTS.socketio_path, help="Socket.IO path")
    add("--rest-path", default=_DEFAULTS.rest_path, help="REST snapshot path")
    add("--event-name", default=_DEFAULTS.event_name, help="Socket.IO event name")


def options_from_args(args: argparse.Namespace) -> DemoOptions:
    """Builds the server options from parsed arguments."""
    return DemoOptions(
        host=args.host,
        port=args.port,
        items=args.items,
        rate=args.rate,
        form=args.form,
        token=args.token,
        namespace=args.namespace,
        seed=args.seed,
        ping_interval=args.ping_interval,
        ping_timeout=args.ping_timeout,
        socketio_path=args.socketio_path,
        rest_path=args.rest_path,
        event_name=args.event_name,
    )


async def serve(options: DemoOptions) -> None:
    """Runs the server until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows: KeyboardInterrupt
            loop.add_signal_handler(signum, stop.set)
    server = DemoServer(options)
    port = await server.start()
    try:
        print(f"listening on http://{options.host}:{port}", flush=True)
        await stop.wait()
    finally:
        await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    try:
        asyncio.run(serve(options_from_args(args)))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
