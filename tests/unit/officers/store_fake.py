"""What the two in-memory fakes of the officers' ports share (the desk's, desk_fake.py, and
the person's say's, say_fake.py): the audit trail, the words and files queued for the
officers, and a transaction on a copy of the world.

A transaction works on a copy of the world and keeps it only when its block ends without
an error, as a database transaction does, so a refused action can be seen to change
nothing. What would be queued in the outbox is kept in lists, in the order written.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, Protocol, TypeVar

from domain.status import RequestStatus
from officers.desk_port import Change


class Numbered(Protocol):
    """A request's row as the fakes need it (``DeskRow`` and ``SayRow`` are)."""

    @property
    def number(self) -> str: ...


class Event(NamedTuple):
    """An audit row (a tuple, so a test may unpack it)."""

    number: str
    change: Change
    reason: str | None
    at: dt.datetime


@dataclass
class SharedWorld:
    """What both stores hold besides their rows."""

    events: list[Event] = field(default_factory=list)
    #: (request number, html) of every word to the officers under a card
    staff_words: list[tuple[str, str]] = field(default_factory=list)
    #: the request number of every card refresh queued
    cards: list[str] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)
    #: (request number, first file) of every album queued for the officers
    albums: list[tuple[str, int]] = field(default_factory=list)
    #: the clock of the use case and the store (aware UTC); tests move it on
    now: dt.datetime = dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)

    def trail(self, number: str) -> list[Change]:
        return [e.change for e in self.events if e.number == number]


WorldT = TypeVar("WorldT", bound=SharedWorld)
UnitT = TypeVar("UnitT")


class SharedUnit(Generic[WorldT]):
    """What both transactions do, on a copy of the world."""

    def __init__(self, world: WorldT) -> None:
        self.world = world

    async def reconsidered(self, request: Numbered) -> bool:
        return any(c.kind == "reconsider" for c in self.world.trail(request.number))

    def record(
        self,
        request: Numbered,
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
        self.world.events.append(Event(request.number, change, reason, at))

    def word_to_staff(self, request: Numbered, html: str) -> None:
        self.world.staff_words.append((request.number, html))

    async def refresh_card(self, request: Numbered) -> None:
        self.world.cards.append(request.number)

    async def add_files(self, request: Numbered, files: Sequence[str], *, at: dt.datetime) -> int:
        kept = self.world.files.setdefault(request.number, [])
        had = len(kept)
        kept.extend(files)
        return had

    def send_files(self, request: Numbered, *, first: int, count: int) -> None:
        self.world.albums.append((request.number, first))


class SharedStore(Generic[WorldT, UnitT]):
    """A store in memory whose transaction is a `UnitT` on a copy of the world."""

    def __init__(self, world: WorldT) -> None:
        self.world = world

    def _unit(self, world: WorldT) -> UnitT:
        raise NotImplementedError

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[UnitT]:
        working = copy.deepcopy(self.world)
        yield self._unit(working)
        # only reached when the block ended without an error: keep what it wrote
        self.world.__dict__.update(working.__dict__)
