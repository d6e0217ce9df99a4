"""An observer that records row edits and replays them on a mirror, checking Qt's rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from dashboard_desktop.core.items import Item

Call = tuple[Any, ...]


class Rows(Protocol):
    """Anything that shows rows: a schedule or a view of one."""

    @property
    def items(self) -> Sequence[Item]:
        """The rows in order."""


class RecordingObserver:
    """Records every edit and replays it on a mirror list, checking Qt's rules on the way.

    ``begin_*`` must come before the source's rows change, ``end_*`` after; the mirror is
    updated on ``end_*`` (reading new rows from the source, as a Qt view would), on ``changed``
    and on ``end_reset`` (reloading every row). After every ``end_*`` the mirror's keys must
    match the source's; after ``check()`` the mirror must equal the source item for item.
    """

    def __init__(self, source: Rows) -> None:
        self.source = source
        self.mirror: list[Item] = list(source.items)
        self.calls: list[Call] = []
        self._pending: Call | None = None

    # -- helpers ---------------------------------------------------------------------------

    def _keys_match(self) -> None:
        assert [i.key for i in self.mirror] == [i.key for i in self.source.items]

    def _begin(self, call: Call) -> None:
        assert self._pending is None, f"{call} nested in {self._pending}"
        self._keys_match()  # the source must not have changed yet
        self.calls.append(call)
        self._pending = call

    def _end(self, kind: str) -> Call:
        pending = self._pending
        assert pending is not None
        assert pending[0] == kind, f"end_{kind} after {pending}"
        self.calls.append((f"end_{kind}",))
        self._pending = None
        return pending

    def check(self) -> None:
        assert self._pending is None
        assert self.mirror == list(self.source.items)

    def edits(self) -> list[Call]:
        """The calls without the ``end_*`` markers."""
        return [c for c in self.calls if not c[0].startswith("end_")]

    def take(self) -> list[Call]:
        calls, self.calls = self.edits(), []
        return calls

    # -- ScheduleObserver ------------------------------------------------------------------

    def begin_insert(self, first: int, last: int) -> None:
        assert 0 <= first <= len(self.mirror)
        assert first <= last
        self._begin(("insert", first, last))

    def end_insert(self) -> None:
        _, first, last = self._end("insert")
        self.mirror[first:first] = self.source.items[first : last + 1]
        self._keys_match()

    def begin_remove(self, first: int, last: int) -> None:
        assert 0 <= first <= last < len(self.mirror)
        self._begin(("remove", first, last))

    def end_remove(self) -> None:
        _, first, last = self._end("remove")
        del self.mirror[first : last + 1]
        self._keys_match()

    def begin_move(self, source: int, destination: int) -> None:
        assert 0 <= source < len(self.mirror)
        assert 0 <= destination <= len(self.mirror)
        assert destination not in (source, source + 1), "Qt refuses a move onto itself"
        self._begin(("move", source, destination))

    def end_move(self) -> None:
        _, source, destination = self._end("move")
        row = self.mirror.pop(source)
        self.mirror.insert(destination if destination < source else destination - 1, row)
        self._keys_match()

    def changed(self, first: int, last: int) -> None:
        assert self._pending is None
        assert 0 <= first <= last < len(self.mirror)
        self.calls.append(("changed", first, last))
        self.mirror[first : last + 1] = self.source.items[first : last + 1]

    # -- ViewObserver ----------------------------------------------------------------------

    def begin_reset(self) -> None:
        self._begin(("reset",))

    def end_reset(self) -> None:
        self._end("reset")
        self.mirror = list(self.source.items)
