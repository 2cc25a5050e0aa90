"""Notes of photos or files lost while Redis was away, in SQL (conversations.store_outage,
the port :class:`conversations.ports.LostFiles`).

Why SQL: the note is made exactly when the dialogue store (Redis) cannot be written, and
it must reach the person's next turn on whichever worker takes it, even if the worker that
apologised dies; the webhook journal lives in the same Redis, and polling or the terminal
have no journal at all. The database is the one shared place still answering then. A row
is read only by turns at the documents steps and taken (deleted) by the one turn that
carries it into the draft.

Which persons have a note is looked up for the whole table at once, at most every
:data:`NOTED_FRESH_S` in a process, and kept (a handful of rows after an outage, none
otherwise); a person's turn reads their own row only when that look, or a note this
process wrote since, names them. Reading the row on every turn at the documents steps
cost a SQL round trip (~0.5 ms of a ~3.6 ms turn, on 5 of a resident's 11 updates in
``bench/dialogue.py``; issue 12) for notes that exist only after Redis was away. What this
leaves: a note written by *another* process less than :data:`NOTED_FRESH_S` before a
turn of the same person here is seen by their next turn at those steps, not this one (it
stays in the table until taken). The note is written before the person is told their
file did not arrive, so a turn this close behind it was sent before they read that, and
raced the lost file's turn already.

A note never taken (the person never came back to the documents steps) is deleted past
:data:`MAX_AGE` by :func:`drop_stale_notes`, which every worker's hourly sweep runs
(bot.media_sweep): before, nothing deleted it, and the look at who has a note read it
twice a second for good (review 14 §5).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from collections.abc import Callable
from typing import Final

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN, SQLITE_ONE_READ, postgresql_insert
from bot.db.models import LostFileNote, utcnow

#: A note older than this is dropped unread: the draft it was about has expired with the
#: dialogue's TTL (24 h by default).
MAX_AGE: Final = dt.timedelta(hours=24)


#: How long (seconds, ``time.monotonic``) a process trusts its last look at which persons
#: have a note: the documents steps' turns of a busy worker read the table at most this
#: often, not once each.
NOTED_FRESH_S: Final = 0.5

#: The reads, built once (building one is a tenth of its cost) and run as statements of
#: their own, without a transaction around them: a person's note, and who has one.
_WAITING = select(LostFileNote.files, LostFileNote.noted_at).where(
    LostFileNote.person == bindparam("person")
)
_NOTED = select(LostFileNote.person, LostFileNote.noted_at)
_ONE_READ = {SQLITE_BEGIN: SQLITE_ONE_READ}


async def drop_stale_notes(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime) -> int:
    """Deletes the notes older than :data:`MAX_AGE` at ``now`` (aware UTC), which no turn
    would count any more; returns how many. Several workers may run it at once (one
    DELETE each: a row goes once). Raises SQLAlchemy's errors."""
    async with sessions.begin() as session:
        rows = await session.execute(
            delete(LostFileNote)
            .where(LostFileNote.noted_at < now - MAX_AGE)
            .returning(LostFileNote.person)
        )
        return len(rows.all())


def person_of(channel: str, user_key: str) -> str:
    """The row's key: a SHA-256 of the channel and the user key (never stored in clear)."""
    return hashlib.sha256(f"{channel}\x00{user_key}".encode()).hexdigest()


class SqlLostFiles:
    """:class:`conversations.ports.LostFiles` on the bot's database (SQLite or
    PostgreSQL), through ``sessions`` (bound to the engine, as bot.db.engine makes them;
    TypeError otherwise). Every method raises SQLAlchemy's errors. ``monotonic`` and
    ``fresh_s``: the clock and the age past which the look at who has a note is taken
    again (:data:`NOTED_FRESH_S`; see the module's text)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], dt.datetime] = utcnow,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        fresh_s: float = NOTED_FRESH_S,
    ) -> None:
        self._sessions = sessions
        engine = sessions.kw.get("bind")
        if not isinstance(engine, AsyncEngine):
            raise TypeError("SqlLostFiles needs a sessionmaker bound to an AsyncEngine")
        self._engine = engine
        self._clock = clock
        self._monotonic = monotonic
        self._fresh_s = fresh_s
        # who had a note at the last look, and when it began (None: not looked yet)
        self._noted: frozenset[str] = frozenset()
        self._looked_at: float | None = None
        self._looking = asyncio.Lock()
        # notes written by this process, with when: a look begun before one may miss it
        self._added: dict[str, float] = {}

    async def add(self, channel: str, user_key: str, files: int = 1) -> None:
        """``files`` more files of this person did not reach their draft."""
        now = self._clock()
        person = person_of(channel, user_key)
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql_insert() if dialect == "postgresql" else sqlite_insert
            stmt = insert(LostFileNote).values(person=person, files=files, noted_at=now)
            # two photos of one album lost on two workers at once: both counted
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[LostFileNote.person],
                    set_={"files": LostFileNote.files + files, "noted_at": now},
                )
            )
        # once committed: a look at who has a note that begins later sees it
        self._added[person] = self._monotonic()

    async def waiting(self, channel: str, user_key: str) -> int:
        """How many files are noted for this person (0 for a note past :data:`MAX_AGE`).
        Their row is read only when the process's look at who has a note (at most
        :attr:`fresh_s` old) or a note it wrote since names them."""
        person = person_of(channel, user_key)
        if person not in self._added and person not in await self._persons_noted():
            return 0
        # on the engine's connection, not through an ORM session: the same statement for
        # a third less CPU (about 0.8 -> 0.5 ms)
        async with self._engine.connect() as conn:
            read = await conn.execution_options(**_ONE_READ)
            row = (await read.execute(_WAITING, {"person": person})).first()
        if row is None:
            return 0
        return int(row.files) if self._fresh(row.noted_at) else 0

    async def _persons_noted(self) -> frozenset[str]:
        """Who has a note younger than :data:`MAX_AGE`, as looked at most ``fresh_s`` ago
        (one look at a time: turns that find it stale together wait for the same one)."""
        if self._looked_at is not None and self._monotonic() - self._looked_at < self._fresh_s:
            return self._noted
        async with self._looking:
            begun = self._monotonic()
            if self._looked_at is not None and begun - self._looked_at < self._fresh_s:
                return self._noted  # looked at while this turn waited
            async with self._engine.connect() as conn:
                read = await conn.execution_options(**_ONE_READ)
                rows = (await read.execute(_NOTED)).all()
            self._noted = frozenset(row.person for row in rows if self._fresh(row.noted_at))
            self._looked_at = begun
            # this process's own notes written before the look began are in it (or taken)
            self._added = {p: at for p, at in self._added.items() if at >= begun}
        return self._noted

    async def take(self, channel: str, user_key: str) -> int:
        """Removes this person's note and returns how many files it counted (0 when
        another turn took it first, or it was too old)."""
        async with self._sessions.begin() as session:
            row = (
                await session.execute(
                    delete(LostFileNote)
                    .where(LostFileNote.person == person_of(channel, user_key))
                    .returning(LostFileNote.files, LostFileNote.noted_at)
                )
            ).first()
        if row is None:
            return 0
        return int(row.files) if self._fresh(row.noted_at) else 0

    def _fresh(self, noted_at: dt.datetime) -> bool:
        if noted_at.tzinfo is None:  # a raw column read (RETURNING) on SQLite: naive UTC
            noted_at = noted_at.replace(tzinfo=dt.UTC)
        return self._clock() - noted_at <= MAX_AGE
