"""An in-memory store for the unit tests of :mod:`officers.their_say` (the SQL one is
``bot.staff.their_say.SqlSayUnit``, tested on SQLite and PostgreSQL in
tests/integration/test_their_say*.py).

What it shares with the desk's fake (the audit trail, the words and files for the
officers, a transaction on a copy of the world) is in store_fake.py; a transaction keeps
its copy only when its block ends without an error, so a refused say changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from domain.status import RequestStatus
from officers.say_port import SayRow
from tests.unit.officers.store_fake import SharedStore, SharedUnit, SharedWorld


@dataclass
class Row:
    """A request as the say sees it (a :class:`officers.say_port.SayRow`), with whose it
    is."""

    number: str
    updated_at: dt.datetime
    status: str = RequestStatus.RECEIVED.value
    channel: str = "telegram"
    user_key: str = "501"
    satisfaction: int | None = None
    satisfaction_at: dt.datetime | None = None
    satisfaction_decision: int | None = None
    satisfaction_comment: str | None = None
    reconsider_reason: str | None = None
    #: when it moved into the status it has now
    decided_at: dt.datetime | None = None
    #: the id of that move in its trail (None: ratings judged by the instants)
    decision: int | None = None
    #: who made that move (its trail entry's actor)
    decider: str | None = None
    #: whether the notice of that move still waits to go (the outbox's fact)
    notice_waiting: bool = False


@dataclass
class World(SharedWorld):
    """Everything the store holds; `events` are (request number, change, reason, at)."""

    rows: dict[str, Row] = field(default_factory=dict)
    #: (request number, text, files, at, wait) of every note announced
    notes: list[tuple[str, str, int, dt.datetime, dt.timedelta]] = field(default_factory=list)
    #: [request number, decision, rating, comment, at] of every decision's rating kept
    ratings: list[list[object]] = field(default_factory=list)


class FakeUnit(SharedUnit[World]):
    """One transaction on a copy of the world."""

    async def owned(self, number: str, channel: str, user_key: str) -> Row | None:
        row = self.world.rows.get(number)
        if row is None or (row.channel, row.user_key) != (channel, user_key):
            return None
        return row

    async def decided_at(self, request: SayRow) -> dt.datetime | None:
        return self.world.rows[request.number].decided_at

    async def decider(self, request: SayRow) -> str | None:
        return self.world.rows[request.number].decider

    async def decision(self, request: SayRow) -> int | None:
        return self.world.rows[request.number].decision

    async def notice_waiting(self, request: SayRow) -> bool:
        return self.world.rows[request.number].notice_waiting

    def keep_rating(
        self, request: SayRow, *, decision: int | None, rating: int, at: dt.datetime
    ) -> None:
        self.world.ratings.append([request.number, decision, rating, None, at])

    async def keep_comment(self, request: SayRow, text: str) -> None:
        kept = [r for r in self.world.ratings if r[0] == request.number]
        if kept:
            kept[-1][3] = text

    async def announce_note(
        self, request: SayRow, text: str, files: int, *, at: dt.datetime, wait: dt.timedelta
    ) -> None:
        self.world.notes.append((request.number, text, files, at, wait))

    async def read(self, request: SayRow) -> Row:
        return dataclasses.replace(self.world.rows[request.number])


class FakeStore(SharedStore[World, FakeUnit]):
    """The say's store in memory (a :class:`officers.say_port.SayStore`)."""

    def _unit(self, world: World) -> FakeUnit:
        return FakeUnit(world)


class FakeWords:
    """The officers' words, as plain strings the tests can read."""

    def note_audit(self, text: str, files: int) -> str | None:
        return f"{text} +{files}" if files else (text or None)

    def reconsider(
        self, number: str, reason: str, files: int, *, decided_by: str | None = None
    ) -> str:
        said = f"reconsider {number}: {reason}" + (f" +{files}" if files else "")
        return said + (f" (rejected by {decided_by})" if decided_by else "")

    def reconsider_files(self, number: str, files: int) -> str:
        return f"reconsider {number} +{files}"

    def low_rating(self, number: str, rating: int, comment: str) -> str:
        return f"low {number} {rating}: {comment}"
