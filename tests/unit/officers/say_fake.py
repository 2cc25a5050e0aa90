"""An in-memory store for the unit tests of :mod:`officers.their_say` (the SQL one is
``bot.staff.their_say.SqlSayUnit``, tested on SQLite and PostgreSQL in
tests/integration/test_their_say*.py).

A transaction works on a copy of the world and keeps it only when its block ends without
an error, as a database transaction does, so a refused say can be seen to change nothing.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from domain.status import RequestStatus
from officers.desk_port import Change
from officers.say_port import SayRow


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
    satisfaction_comment: str | None = None
    reconsider_reason: str | None = None
    #: when it moved into the status it has now
    decided_at: dt.datetime | None = None


@dataclass
class World:
    rows: dict[str, Row] = field(default_factory=dict)
    #: (request number, change, reason, at) of every audit row
    events: list[tuple[str, Change, str | None, dt.datetime]] = field(default_factory=list)
    staff_words: list[tuple[str, str]] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)
    albums: list[tuple[str, int]] = field(default_factory=list)
    #: (request number, text, files, at, wait) of every note announced
    notes: list[tuple[str, str, int, dt.datetime, dt.timedelta]] = field(default_factory=list)
    now: dt.datetime = dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)

    def kinds(self, number: str) -> list[str | None]:
        return [change.kind for n, change, _reason, _at in self.events if n == number]


class FakeUnit:
    def __init__(self, world: World) -> None:
        self.world = world

    async def owned(self, number: str, channel: str, user_key: str) -> Row | None:
        row = self.world.rows.get(number)
        if row is None or (row.channel, row.user_key) != (channel, user_key):
            return None
        return row

    async def decided_at(self, request: SayRow) -> dt.datetime | None:
        return self.world.rows[request.number].decided_at

    async def reconsidered(self, request: SayRow) -> bool:
        return "reconsider" in self.world.kinds(request.number)

    def record(
        self,
        request: SayRow,
        actor: str,
        from_status: RequestStatus | None,
        to_status: RequestStatus,
        reason: str | None,
        *,
        at: dt.datetime,
        kind: str | None = None,
    ) -> None:
        before = None if from_status is None else from_status.value
        change = Change(actor, before, to_status.value, kind)
        self.world.events.append((request.number, change, reason, at))

    def word_to_staff(self, request: SayRow, html: str) -> None:
        self.world.staff_words.append((request.number, html))

    async def refresh_card(self, request: SayRow) -> None:
        self.world.cards.append(request.number)

    async def add_files(self, request: SayRow, files: Sequence[str], *, at: dt.datetime) -> int:
        kept = self.world.files.setdefault(request.number, [])
        had = len(kept)
        kept.extend(files)
        return had

    def send_files(self, request: SayRow, *, first: int) -> None:
        self.world.albums.append((request.number, first))

    async def announce_note(
        self, request: SayRow, text: str, files: int, *, at: dt.datetime, wait: dt.timedelta
    ) -> None:
        self.world.notes.append((request.number, text, files, at, wait))

    async def read(self, request: SayRow) -> Row:
        return dataclasses.replace(self.world.rows[request.number])


class FakeStore:
    """The say's store in memory (a :class:`officers.say_port.SayStore`)."""

    def __init__(self, world: World) -> None:
        self.world = world

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeUnit]:
        working = copy.deepcopy(self.world)
        yield FakeUnit(working)
        # only reached when the block ended without an error: keep what it wrote
        self.world.__dict__.update(working.__dict__)


class FakeWords:
    """The officers' words, as plain strings the tests can read."""

    def note_audit(self, text: str, files: int) -> str | None:
        return f"{text} +{files}" if files else (text or None)

    def reconsider(self, number: str, reason: str) -> str:
        return f"reconsider {number}: {reason}"

    def low_rating(self, number: str, rating: int, comment: str) -> str:
        return f"low {number} {rating}: {comment}"
