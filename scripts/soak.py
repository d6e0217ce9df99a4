"""Soak: run the app against the demo backend under chaos; its schedule must keep up.

Usage (from the repository root, the package installed; ``scripts/soak`` wraps this)::

    python scripts/soak.py [--minutes 10] [--seed 1] [--max-growth-mib 30]

The demo backend runs in this process (real Socket.IO and HTTP on 127.0.0.1, a change every
0.5 s, short engine.io pings); the app runs as a subprocess, offscreen, with its health endpoint
on. A chaos driver then, until the time is up, picks one fault after another: kill the backend
and start it again on the same port (the same instance, or a new one that counts from version
1), drop every connection, a burst of 20-100 changes, a gap (changes not pushed, then one
that is), malformed events (then one real change). Right after each fault the backend's own
changes pause, and the app must be live again with the backend's schedule (state, version
and content hash, from ``GET /healthz``) within 60 s; the time from the fault is a recovery.
Then the backend changes freely for 1-5 s. At the end the app is stopped with SIGTERM and
must exit 0.

It prints one line of counts and exits 1 on any mismatch, crash (the app exited, an
``unhandled_exception`` was logged, or a non-zero exit) or memory growth over
``--max-growth-mib`` from the end of a warm-up (two minutes or a fifth of the run) to the end.
Growth is judged on private memory (USS): PSS is printed too, but it moves whenever other
processes start or stop sharing the same libraries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from dashboard_desktop.core.consistency import item_digest, schedule_digest
from dashboard_desktop.core.protocol import parse_snapshot
from dashboard_desktop.demo import DemoOptions, DemoServerThread

TOKEN = "soak-token"
RECOVERY_TIMEOUT = 60.0
WARM_UP = 120.0  # seconds before the PSS baseline (at most a fifth of the run)
FAULTS = ("restart", "new_instance", "drop", "burst", "gap", "malformed")
MALFORMED: tuple[Any, ...] = (
    None,
    "not json",
    42,
    [1, 2, 3],
    {"type": "delta"},
    {"type": "delta", "version": "x", "upserts": "nope"},
    {"type": "snapshot", "version": 10**12, "items": [{"id": None}]},
    {"type": "delta", "version": -1, "upserts": [{"id": 1, "title": "<b>x</b>"}]},
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Backend:
    """The demo backend, killed and started again on one port."""

    def __init__(self, seed: int) -> None:
        self.port = _free_port()
        self.seed = seed
        self.thread = self._start(seed)

    def _start(self, seed: int) -> DemoServerThread:
        options = DemoOptions(
            port=self.port, items=120, rate=2.0, form="mixed", token=TOKEN, seed=seed,
            ping_interval=1.0, ping_timeout=1.0,
        )  # fmt: skip
        thread = DemoServerThread(options)
        thread.start()
        return thread

    @property
    def url(self) -> str:
        return self.thread.url

    def call(self, fn: Any, *args: Any) -> Any:
        return self.thread.call(fn, *args)

    def restart(self, new_instance: bool) -> None:
        """Kill the backend and start it again: the same schedule, or a new one from version 1."""
        server = self.thread.server
        self.thread.stop()
        if new_instance:
            self.seed += 1
            self.thread = self._start(self.seed)
        else:
            self.thread = DemoServerThread(server.options)
            self.thread.server = server  # the same instance: schedule and version kept
            self.thread.start()

    def truth(self) -> tuple[int | None, str]:
        """The backend's version and content hash now."""
        snapshot = parse_snapshot(self.call(self.thread.server.snapshot))
        return snapshot.version, schedule_digest(item_digest(i) for i in snapshot.items)


class App:
    """The app as a subprocess, its JSON log read in a thread."""

    def __init__(self, url: str, home: Path) -> None:
        self.health_port = _free_port()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DASHBOARD_TOKEN=TOKEN)
        env.update(XDG_CONFIG_HOME=str(home / "c"), XDG_CACHE_HOME=str(home / "k"))
        env.update(
            XDG_RUNTIME_DIR=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring"
        )
        cmd = [sys.executable, "-m", "dashboard_desktop", "--server-url", url]
        cmd += ["--health-port", str(self.health_port), "--log-format", "json"]
        cmd += ["--poll-interval", "2", "--reconnection-delay", "0.5"]
        cmd += ["--reconnection-delay-max", "2", "--log-dir", str(home / "logs")]
        self.process = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
        self.events: Counter[str] = Counter()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            try:
                self.events[json.loads(line).get("event", "")] += 1
            except ValueError:
                continue

    def health(self) -> dict[str, Any] | None:
        url = f"http://127.0.0.1:{self.health_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return dict(json.load(response))
        except urllib.error.HTTPError as error:  # 503: stale, still a body
            return dict(json.load(error))
        except (OSError, ValueError):
            return None

    def memory_kib(self) -> tuple[int, int]:
        """PSS and private memory (USS) in KiB; only USS is free of the sharing with others."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
        return fields["Pss"], fields["Private_Clean"] + fields["Private_Dirty"]

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -9


def recover(backend: Backend, app: App, since: float) -> float | None:
    """Pause the backend; seconds from ``since`` until the app is live again and shows the
    backend's schedule (None: not within :data:`RECOVERY_TIMEOUT`)."""
    backend.call(backend.thread.server.pause)
    try:
        while time.monotonic() - since < RECOVERY_TIMEOUT:
            if app.process.poll() is not None:
                return None
            if _shows(app.health(), *backend.truth()):
                return time.monotonic() - since
            time.sleep(0.05)
        return None
    finally:
        backend.call(backend.thread.server.resume)


def _shows(health: dict[str, Any] | None, version: int | None, digest: str) -> bool:
    """Whether the app's health says: live, fresh, and the schedule ``version``/``digest``."""
    if not health or health.get("state") != "live" or health.get("stale"):
        return False
    return health.get("version") == version and health.get("content_hash") == digest


def inject(fault: str, backend: Backend, rng: random.Random) -> int:
    """Apply ``fault``; return how many changes the backend made for it."""
    server = backend.thread.server
    if fault in ("restart", "new_instance"):
        backend.restart(new_instance=fault == "new_instance")
        return 0
    if fault == "drop":
        backend.call(server.disconnect_clients)
        return 0
    if fault == "malformed":
        for _ in range(rng.randint(1, 5)):
            backend.call(server.emit_payload, rng.choice(MALFORMED))
        backend.call(server.make_change, True)  # traffic goes on after the junk
        return 1
    count = rng.randint(20, 100) if fault == "burst" else rng.randint(1, 3)
    for _ in range(count):
        backend.call(server.make_change, fault == "burst")  # a gap: made, not pushed
    if fault == "gap":
        backend.call(server.make_change, True)  # the next push shows the gap
        count += 1
    return count


def soak(minutes: float, seed: int, max_growth_mib: float) -> int:
    """Run the soak; print its line; return the exit status."""
    rng = random.Random(seed)
    backend = Backend(seed)
    app = App(backend.url, Path(tempfile.mkdtemp(prefix="soak-")))
    faults: Counter[str] = Counter()
    recoveries: list[float] = []
    mismatches, changes = 0, 0
    first = recover(backend, app, time.monotonic())
    mismatches += first is None
    started = time.monotonic()
    deadline, warm = started + minutes * 60, started + min(WARM_UP, minutes * 60 * 0.2)
    start_kib: tuple[int, int] | None = None
    while time.monotonic() < deadline and app.process.poll() is None:
        if start_kib is None and time.monotonic() >= warm:
            start_kib = app.memory_kib()  # after the warm-up: caches and arenas have grown
        fault = rng.choice(FAULTS)
        faults[fault] += 1
        injected = time.monotonic()
        changes += inject(fault, backend, rng)
        took = recover(backend, app, injected)
        if took is None:
            mismatches += 1
            print(f"soak: no recovery after {fault}: app {app.health()}", file=sys.stderr)
        else:
            recoveries.append(took)
        if os.environ.get("SOAK_VERBOSE"):
            print(f"soak: {fault} recovered in {took}s, PSS/USS {app.memory_kib()} KiB",
                  file=sys.stderr)  # fmt: skip
        time.sleep(rng.uniform(1.0, 5.0))  # the backend changes, the app follows, meanwhile
    pss, uss = 0.0, 0.0
    if app.process.poll() is None and start_kib is not None:
        end_kib = app.memory_kib()
        pss, uss = ((end - start) / 1024 for end, start in zip(end_kib, start_kib, strict=True))
    health = app.health() or {}
    status = app.stop()
    backend.thread.stop()
    crashes = int(status != 0) + app.events["unhandled_exception"]
    print(
        f"soak: minutes={minutes:g} restarts={faults['restart'] + faults['new_instance']} "
        f"drops={faults['drop']} bursts={faults['burst']} gaps={faults['gap']} "
        f"malformed={faults['malformed']} changes={changes} "
        f"events={health.get('counters', {}).get('events_received', 0)} "
        f"recoveries={len(recoveries)} worst_recovery={max(recoveries, default=0):.2f}s "
        f"mismatches={mismatches} crashes={crashes} exit={status} "
        f"pss_growth={pss:+.1f}MiB uss_growth={uss:+.1f}MiB"
    )
    return 1 if mismatches or crashes or uss > max_growth_mib else 0


def main() -> int:
    """Parse the arguments and run the soak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the chaos (default 1)")
    parser.add_argument("--max-growth-mib", type=float, default=30.0, help="USS growth allowed")
    args = parser.parse_args()
    return soak(args.minutes, args.seed, args.max_growth_mib)


if __name__ == "__main__":
    sys.exit(main())
