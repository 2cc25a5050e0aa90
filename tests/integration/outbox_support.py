"""Shared set-up for the outbox tests: the real dispatcher and Telegram handlers against the
Bot API stand-in, a real Redis and the test database."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import make_bot
from bot.db.models import OutboxMessage, Request, utcnow
from bot.media_store import MediaStore
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.handlers import DeliveryHandler
from bot.outbox.queue import STAFF, replies_to_payload
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.outbox.telegram_delivery import TelegramPersonDelivery, TelegramStaffDelivery
from bot.staff.cards import CardRenderer
from bot.staff.views import StaffViews
from conversations.events import Reply
from domain.catalogue import load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin

STAFF_CHAT = -1001234567890


class ShiftedClock:
    """The real time plus an offset a test moves forward (leases, backoff)."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += dt.timedelta(seconds=seconds)


@dataclass
class Rig:
    api: TelegramBotAPIStandin
    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    limits: TelegramLimits
    media: MediaStore
    clock: ShiftedClock = field(default_factory=ShiftedClock)

    @property
    def limiter(self) -> RateLimiter:
        return RateLimiter(self.redis)

    def person_handler(self) -> TelegramPersonDelivery:
        return TelegramPersonDelivery(self.bot, self.limiter, self.limits)

    def staff_handler(self, **options: Any) -> TelegramStaffDelivery:
        return TelegramStaffDelivery(
            self.sessions,
            self.bot,
            self.limiter,
            CardRenderer(StaffViews(load_catalogue(), locale="ar")),
            self.media,
            chat_id=STAFF_CHAT,
            limits=self.limits,
            clock=self.clock,
            **options,
        )

    def dispatcher(
        self,
        handlers: Mapping[str, DeliveryHandler] | None = None,
        sessions: async_sessionmaker[AsyncSession] | None = None,
        **options: Any,
    ) -> OutboxDispatcher:
        if handlers is None:
            handlers = {"telegram": self.person_handler(), STAFF: self.staff_handler()}
        options.setdefault("clock", self.clock)
        return OutboxDispatcher(sessions or self.sessions, handlers, **options)

    async def notify(self, chat_id: int | str, *texts: str, channel: str = "telegram") -> list[int]:
        """Queue one notification row per text for `chat_id`, in order."""
        async with self.sessions() as session, session.begin():
            rows = [
                OutboxMessage(
                    kind="notify",
                    channel=channel,
                    target=str(chat_id),
                    payload={
                        "number": "0",
                        "status": "received",
                        "replies": replies_to_payload([Reply(t)]),
                    },
                    next_attempt_at=utcnow(),
                )
                for t in texts
            ]
            session.add_all(rows)
            await session.flush()
            return [row.id for row in rows]

    async def rows(self) -> list[OutboxMessage]:
        async with self.sessions() as session:
            return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    async def row(self, row_id: int) -> OutboxMessage:
        async with self.sessions() as session:
            row = await session.get(OutboxMessage, row_id)
            assert row is not None
            return row

    async def request(self, number: str) -> Request:
        async with self.sessions() as session:
            request = await session.scalar(select(Request).where(Request.number == number))
            assert request is not None
            return request

    async def drain(
        self, dispatcher: OutboxDispatcher, *, within: float = 20.0, channels: Sequence[str] = ()
    ) -> None:
        """Run rounds until no row (of `channels`, or any) is still queued."""

        def pending(rows: list[OutboxMessage]) -> bool:
            return any(
                r.sent_at is None
                and r.delivery_status == "queued"
                and (not channels or r.channel in channels)
                for r in rows
            )

        async with asyncio.timeout(within):
            while pending(await self.rows()):
                if await dispatcher.run_once() == 0:
                    await asyncio.sleep(0.02)

    async def settled(self, *, within: float = 60.0) -> None:
        """Wait (while workers run elsewhere) until every row is finished."""
        async with asyncio.timeout(within):
            for _ in itertools.count():
                rows = await self.rows()
                if all(r.sent_at is not None or r.delivery_status != "queued" for r in rows):
                    return
                await asyncio.sleep(0.05)


@asynccontextmanager
async def rig(
    sessions: async_sessionmaker[AsyncSession],
    redis: Redis,
    data_dir: Path,
    *,
    scale: float = 0.01,
    policy: Callable[[TelegramBotAPIStandin], None] | None = None,
) -> AsyncIterator[Rig]:
    async with TelegramBotAPIStandin() as api:
        if policy is not None:
            policy(api)
        bot = make_bot(api.token, api.url)
        try:
            yield Rig(
                api, bot, sessions, redis, TelegramLimits().scaled(scale), MediaStore(data_dir)
            )
        finally:
            await bot.session.close()
