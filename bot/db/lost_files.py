"""Notes of photos or files lost while Redis was away, in SQL (conversations.store_outage,
the port :class:`conversations.ports.LostFiles`).

Why SQL: the note is made exactly when the dialogue store (Redis) cannot be written, and
it must reach the person's next turn on whichever worker takes it, even if the worker that
apologised dies; the webhook journal lives in the same Redis, and polling or the terminal
have no journal at all. The database is the one shared place still answering then. A row
is read only by turns at the documents steps (a cheap primary-key read, no write) and
taken (deleted) by the one turn that carries it into the draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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


#: The read every turn at the documents steps makes, built once (building it is a tenth of
#: its cost) and run as a statement of its own, without a transaction around it.
_WAITING = select(LostFileNote.files, LostFileNote.noted_at).where(
    LostFileNote.person == bindparam("person")
)
_ONE_READ = {SQLITE_BEGIN: SQLITE_ONE_READ}


def person_of(channel: str, user_key: str) -> str:
    """The row's key: a SHA-256 of the channel and the user key (never stored in clear)."""
    return hashlib.sha256(f"{channel}\x00{user_key}".encode()).hexdigest()


class SqlLostFiles:
    """:class:`conversations.ports.LostFiles` on the bot's database (SQLite or
    PostgreSQL), through ``sessions`` (bound to the engine, as bot.db.engine makes them;
    TypeError otherwise). Every method raises SQLAlchemy's errors."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        engine = sessions.kw.get("bind")
        if not isinstance(engine, AsyncEngine):
            raise TypeError("SqlLostFiles needs a sessionmaker bound to an AsyncEngine")
        self._engine = engine
        self._clock = clock

    async def add(self, channel: str, user_key: str, files: int = 1) -> None:
        """``files`` more files of this person did not reach their draft."""
        now = self._clock()
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql_insert() if dialect == "postgresql" else sqlite_insert
            stmt = insert(LostFileNote).values(
                person=person_of(channel, user_key), files=files, noted_at=now
            )
            # two photos of one album lost on two workers at once: both counted
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[LostFileNote.person],
                    set_={"files": LostFileNote.files + files, "noted_at": now},
                )
            )

    async def waiting(self, channel: str, user_key: str) -> int:
        """How many files are noted for this person (0 for a note past :data:`MAX_AGE`)."""
        # on the engine's connection, not through an ORM session: the same statement for
        # a third less CPU (about 0.8 -> 0.5 ms), on every turn at the documents steps
        async with self._engine.connect() as conn:
            read = await conn.execution_options(**_ONE_READ)
            row = (await read.execute(_WAITING, {"person": person_of(channel, user_key)})).first()
        if row is None:
            return 0
        return int(row.files) if self._fresh(row.noted_at) else 0

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
