"""The block list: people the bot no longer serves, by an officer's decision.

**Truth in SQL, a copy in Redis.** A block is a row of ``blocks`` (who is blocked, from which
request, why, by whom, when; and who lifted it, when), never deleted, so the table is also
the audit trail of every block and unblock. The inbound check of every message reads the
Redis copy instead: one hash, ``tawasul:blocked``, whose fields are ``<channel>:<user_key>``
and whose values are the language the person is told in, next to a marker key that says
the hash was filled. When Redis loses its data the marker goes with it, and the first check
on any worker fills the hash again from SQL before answering, so a block survives the loss
of Redis.

A block is written to SQL first and to Redis after; blocking an already blocked person
writes the Redis copy again, so an officer who repeats a block that a Redis failure cut
short repairs it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Block, Request, utcnow
from conversations.keys import person_tag
from officers.failures import MissingReason, RequestNotFound
from officers.officer import Officer

log = logging.getLogger(__name__)

BLOCKED_KEY: Final = "tawasul:blocked"
#: present while the hash holds every active block; gone with a Redis that lost its data
LOADED_KEY: Final = "tawasul:blocked:loaded"
#: the person was told once that their messages are not handled (cleared on unblock)
TOLD_KEY: Final = "tawasul:blocked:told:{tag}"
MAX_REASON: Final = 1000


def member(channel: str, user_key: str) -> str:
    return f"{channel}:{user_key}"


@dataclass(frozen=True, slots=True)
class BlockOutcome:
    """What :meth:`BlockList.block` or :meth:`BlockList.unblock` did: ``changed`` False
    when the person already was (or was not) blocked; ``by`` and ``reason`` of the block
    that stands (or stood)."""

    number: str
    changed: bool
    by: str | None = None
    reason: str | None = None


class BlockList:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        redis: Redis,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._redis = redis
        self._clock = clock

    # ---- officers ---------------------------------------------------------------------

    async def block(self, number: str, officer: Officer, reason: str) -> BlockOutcome:
        """Blocks the person who filed request ``number``. Raises :class:`RequestNotFound`
        and :class:`MissingReason` (a block needs a reason, for the audit)."""
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to block")
        async with self._sessions() as session, session.begin():
            # reads, then writes: on SQLite the write lock is taken at BEGIN, else a writer
            # that overtook the read (a terminal chat's outbox right after filing) makes the
            # upgrade fail at once with «database is locked», which busy_timeout does not cover
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            request = await _request(session, number)
            active = await _active(session, request.channel, request.user_key)
            if active is None:
                session.add(
                    Block(
                        channel=request.channel, user_key=request.user_key,
                        locale=request.locale, request_number=number,
                        reason=reason[:MAX_REASON], blocked_by=officer.signature,
                        blocked_at=self._clock(),
                    )
                )  # fmt: skip
            channel, user_key, locale = request.channel, request.user_key, request.locale
        key = member(channel, user_key)
        await self._redis.hset(BLOCKED_KEY, key, locale)
        if active is not None:
            return BlockOutcome(number, False, active.blocked_by, active.reason)
        await self._redis.delete(TOLD_KEY.format(tag=person_tag(channel, user_key)))
        log.info("request %s: its sender blocked by %s", number, officer.signature.split(":")[0])
        return BlockOutcome(number, True, officer.signature, reason[:MAX_REASON])

    async def unblock(self, number: str, officer: Officer) -> BlockOutcome:
        """Lifts the block on the person who filed request ``number``."""
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            request = await _request(session, number)
            active = await _active(session, request.channel, request.user_key)
            if active is not None:
                active.unblocked_by = officer.signature
                active.unblocked_at = self._clock()
            channel, user_key = request.channel, request.user_key
        await self._redis.hdel(BLOCKED_KEY, member(channel, user_key))
        await self._redis.delete(TOLD_KEY.format(tag=person_tag(channel, user_key)))
        if active is None:
            return BlockOutcome(number, False)
        log.info("request %s: its sender unblocked by %s", number, officer.signature.split(":")[0])
        return BlockOutcome(number, True, active.blocked_by, active.reason)

    async def is_blocked(self, number: str) -> bool:
        """Whether the person who filed request ``number`` is blocked now (from SQL)."""
        async with self._sessions() as session:
            request = await _request(session, number)
            return await _active(session, request.channel, request.user_key) is not None

    # ---- the inbound check ------------------------------------------------------------

    async def blocked_locale(self, channel: str, user_key: str) -> str | None:
        """The language to tell a blocked person in, or None when they are not blocked.
        One Redis round trip; after Redis lost its data, the list is read back from SQL
        first."""
        key = member(channel, user_key)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hget(BLOCKED_KEY, key)
            pipe.exists(LOADED_KEY)
            locale, loaded = await pipe.execute()
        if not loaded:
            await self.restore()
            locale = await self._redis.hget(BLOCKED_KEY, key)
        if locale is None:
            return None
        return locale.decode() if isinstance(locale, bytes) else str(locale)

    async def first_notice(self, channel: str, user_key: str) -> bool:
        """True once per block: the one time the person is told."""
        told = await self._redis.set(
            TOLD_KEY.format(tag=person_tag(channel, user_key)), b"1", nx=True
        )
        return bool(told)

    async def restore(self) -> int:
        """Copies every active block from SQL into Redis and sets the marker; returns how
        many. Only adds: an unblock removes its own field."""
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(Block.channel, Block.user_key, Block.locale).where(
                        Block.unblocked_at.is_(None)
                    )
                )
            ).all()
        async with self._redis.pipeline(transaction=False) as pipe:
            for channel, user_key, locale in rows:
                pipe.hset(BLOCKED_KEY, member(channel, user_key), locale)
            pipe.set(LOADED_KEY, b"1")
            await pipe.execute()
        log.info("block list restored into Redis from SQL: %d active", len(rows))
        return len(rows)


async def _request(session: AsyncSession, number: str) -> Request:
    request = await session.scalar(select(Request).where(Request.number == number))
    if request is None:
        raise RequestNotFound(number)
    return request


async def _active(session: AsyncSession, channel: str, user_key: str) -> Block | None:
    return await session.scalar(
        select(Block)
        .where(Block.channel == channel, Block.user_key == user_key, Block.unblocked_at.is_(None))
        .order_by(Block.id.desc())
        .limit(1)
    )
