"""The client against the real demo server: initial load, pushes, version rules, bad payloads."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView

from dashboard_desktop.core.status import ConnectionState
from dashboard_desktop.demo import DemoServerThread
from dashboard_desktop.ui.model import KEY_ROLE
from tests.integration.conftest import Client, events, wait_state


def _server_keys(demo: DemoServerThread) -> list[str]:
    return sorted(str(item["id"]) for item in demo.call(demo.server.snapshot)["items"])


def _table_keys(client: Client) -> list[str]:
    model = client.model
    return sorted(model.index(row, 0).data(KEY_ROLE) for row in range(model.rowCount()))


def _live_and_synced(qtbot: Any, demo: DemoServerThread, client: Client) -> None:
    """Live, showing the server's version, and no resync in flight that could race a test."""
    wait_state(qtbot, client, ConnectionState.LIVE)
    qtbot.waitUntil(
        lambda: client.schedule.version == demo.server.version and not client.service.fetching,
        timeout=5000,
    )


def test_table_shows_server_schedule_when_started(qtbot: Any, demo: Any, client_factory: Any):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    assert client.model.rowCount() == 12
    assert _table_keys(client) == _server_keys(demo)


def test_pushed_delta_reaches_table_when_live(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    for _ in range(5):
        version = demo.call(demo.server.make_change)
        qtbot.waitUntil(lambda v=version: client.schedule.version == v, timeout=5000)
    pushed = [e for e in events(caplog, "schedule_applied") if e["source"] == "socket"]
    assert [e["form"] for e in pushed] == ["delta"] * 5
    assert all(e["latency_ms"] >= 0 for e in pushed)
    assert _table_keys(client) == _server_keys(demo)
    assert not [e for e in events(caplog, "resync") if e["reason"] not in ("connect",)]


def test_snapshot_is_fetched_when_version_gap(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    demo.call(demo.server.make_change, False)  # a lost event
    version = demo.call(demo.server.make_change)
    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=5000)
    assert "gap" in [e["reason"] for e in events(caplog, "resync")]
    assert _table_keys(client) == _server_keys(demo)


def test_snapshot_is_fetched_when_hint_arrives(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    version = demo.call(demo.server.make_change, False)
    demo.call(demo.server.emit_payload, {"version": version})
    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=5000)
    applied = events(caplog, "schedule_applied")[-1]
    assert (applied["source"], applied["form"]) == ("rest", "hint")


@pytest.mark.parametrize("age", [0, 3], ids=["duplicate", "old"])
def test_table_unchanged_when_version_not_newer(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture, age: int
):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    before = list(client.schedule.items)
    shown = client.schedule.version
    impostor = {"id": "x-1", "title": "Not real", "start": "2026-11-27T09:00:00Z"}
    demo.call(demo.server.emit_payload, {"version": shown - age, "items": [impostor]})
    qtbot.waitUntil(lambda: len(events(caplog, "event_ignored")) == 1, timeout=5000)
    assert events(caplog, "event_ignored")[0]["reason"] == ("duplicate" if age == 0 else "stale")
    if age:  # a lower version may mean a restarted backend: REST decides, and agrees
        qtbot.waitUntil(
            lambda: "older version pushed" in [e["reason"] for e in events(caplog, "resync")],
            timeout=5000,
        )
        qtbot.waitUntil(lambda: not client.service.fetching, timeout=5000)
    assert list(client.schedule.items) == before


def test_server_schedule_comes_back_when_a_bogus_far_ahead_snapshot_was_pushed(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    # Found by scripts/soak: a stale push inside the once-per-poll-interval limit was dropped;
    # after a pushed snapshot far ahead of the server, the next real push may be the last one.
    client = client_factory(demo.url, poll_interval=3.0)
    _live_and_synced(qtbot, demo, client)
    before = list(client.schedule.items)
    demo.call(demo.server.emit_payload, {"version": demo.server.version - 1, "items": []})
    qtbot.waitUntil(lambda: len(events(caplog, "resync")) >= 2, timeout=5000)  # checked now
    qtbot.waitUntil(lambda: not client.service.fetching, timeout=5000)

    demo.call(demo.server.emit_payload, {"version": 10**12, "items": [{"id": None}]})
    qtbot.waitUntil(lambda: client.schedule.version == 10**12, timeout=5000)
    version = demo.call(demo.server.make_change)  # stale now, inside the limit

    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=10000)
    assert len(client.schedule) == len(before)


MALFORMED = [
    "garbage",
    [1, 2],
    42,
    {"version": "7", "items": []},
    {"items": "nope"},
    {"version": 10**6, "upserts": {"id": 1}},
    {"version": 10**6, "deletes": [{}]},
]


def test_table_unchanged_when_payloads_malformed(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    before = list(client.schedule.items)
    for payload in MALFORMED:
        demo.call(demo.server.emit_payload, payload)
    rejected = lambda: events(caplog, "payload_rejected")  # noqa: E731
    qtbot.waitUntil(lambda: len(rejected()) == len(MALFORMED), timeout=5000)
    assert all(e["source"] == "socket" and e["reason"] for e in rejected())
    assert list(client.schedule.items) == before
    assert client.state is ConnectionState.LIVE


def test_bad_items_dropped_when_rest_of_payload_valid(
    qtbot: Any, demo: Any, client_factory: Any, caplog: pytest.LogCaptureFixture
):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    good = {"id": "new-1", "title": "<b>Fresh</b>", "start": "2026-11-27T23:00:00+01:00"}
    bad = [{"title": "no id", "start": "2026-11-27T09:00:00Z"}, {"id": "b", "start": "x"}]
    version = client.schedule.version + 1
    demo.call(
        demo.server.emit_payload,
        {"version": version, "base_version": version - 1, "upserts": [*bad, good], "deletes": []},
    )
    qtbot.waitUntil(lambda: client.schedule.version == version, timeout=5000)
    assert client.schedule.get("new-1") is not None
    assert len(events(caplog, "item_dropped")) == 2
    row = client.schedule.row_of("new-1")
    assert client.model.index(row, 2).data() == "<b>Fresh</b>"


def test_selection_survives_when_schedule_updates(qtbot: Any, demo: Any, client_factory: Any):
    client = client_factory(demo.url)
    _live_and_synced(qtbot, demo, client)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(client.model)
    selected_item = client.schedule.row(5)
    view.selectionModel().select(
        client.model.index(5, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    earlier = {"id": "early", "title": "Early bird", "start": "2000-01-01T06:00:00Z"}
    renamed = {"id": selected_item.raw_id, "title": "Renamed", "start": "2100-01-01T06:00:00Z"}
    base = client.schedule.version
    demo.call(
        demo.server.emit_payload,
        {
            "version": base + 1,
            "base_version": base,
            "upserts": [earlier, renamed],
            "deletes": [client.schedule.row(0).raw_id, client.schedule.row(7).raw_id],
        },
    )
    qtbot.waitUntil(lambda: client.schedule.version == base + 1, timeout=5000)
    rows = view.selectionModel().selectedRows()
    assert [index.data(KEY_ROLE) for index in rows] == [selected_item.key]
    assert rows[0].row() == client.model.rowCount() - 1  # moved to the end, still selected
    assert client.model.index(rows[0].row(), 2).data() == "Renamed"
