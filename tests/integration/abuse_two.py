"""Two workers for the abuse tests (issue 14): two dispatchers, each with its own Redis
client, engine, inbound guard and staff router, on one real Redis and one database (SQLite
and PostgreSQL), fed real Telegram update payloads, answering through the Bot API stand-in.
Used by test_abuse_telegram (the person blocked), test_abuse_block_commands (the officers'
side), test_abuse_limits_telegram (messages per minute, floods) and test_staff_block_cards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse.alert import flood_alert
from bot.abuse.blocks import BlockList
from bot.abuse.guard import InboundGuard
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.media_store import MediaStore
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.router import staff_router
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory

STAFF_CHAT = -1001234567890
OFFICER = TgUser(7001, "نورة", "العتيبي")
STRANGER = TgUser(9009, "زائر")
PERSON = TgUser(5551001, "سالم")
OTHER = TgUser(5551002, "خالد")


@dataclass
class Worker:
    redis: Redis
    dp: Dispatcher
    guard: InboundGuard


@dataclass
class Two:
    api: TelegramBotAPIStandin
    bot: Bot
    workers: list[Worker]
    redis: Redis
    sessions: async_sessionmaker[AsyncSession]
    filing: SqlRequestGateway
    updates: UpdateFactory = field(default_factory=UpdateFactory)

    async def feed(self, worker: int, raw: dict[str, Any]) -> None:
        update = Update.model_validate(raw, context={"bot": self.bot})
        await self.workers[worker].dp.feed_update(self.bot, update)

    async def says(self, worker: int, user: TgUser, text: str) -> list[str]:
        """What the bot sent the person in answer to ``text`` sent to ``worker``."""
        before = len(self.api.texts(user.id))
        await self.feed(worker, self.updates.text(user, text))
        return self.api.texts(user.id)[before:]

    async def staff(self, worker: int, text: str, user: TgUser = OFFICER) -> str:
        before = len(self.api.texts(STAFF_CHAT))
        await self.feed(worker, self.updates.group_text(user, STAFF_CHAT, text))
        said = self.api.texts(STAFF_CHAT)[before:]
        return "\n".join(said)

    async def count(self, model: type[Any]) -> int:
        async with self.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    async def has_state(self, user: TgUser) -> bool:
        return bool(await self.redis.exists(f"tawasul:dlg:{{telegram:{user.id}}}"))


async def _two(
    redis_url: str,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    *,
    per_minute: int = 20,
    new_chats: int = 300,
) -> AsyncIterator[Two]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        staff_chat_id=STAFF_CHAT,
        data_dir=tmp_path,
    )
    filing = SqlRequestGateway(sessions)
    async with TelegramBotAPIStandin() as api:
        api.set_member(STAFF_CHAT, OFFICER.id, "member")
        api.set_member(STAFF_CHAT, STRANGER.id, "left")
        bot = make_bot(api.token, api.url)
        workers: list[Worker] = []
        clients: list[Redis] = []
        try:
            for _ in range(2):
                redis = Redis.from_url(redis_url)
                clients.append(redis)
                store = RedisDialogueStore(redis)
                desk = StaffDesk(sessions, load_catalogue())
                blocks = BlockList(sessions, redis)
                guard = InboundGuard(
                    redis,
                    blocks,
                    store,
                    messages_per_minute=per_minute,
                    new_chats_limit=new_chats,
                    new_chats_window_s=600,
                    alert=flood_alert(sessions),
                )
                engine = Engine(store, INTAKE, load_catalogue(), Gateway(filing, desk))
                dp = build_dispatcher(engine.handle, MediaStore(tmp_path), screen=guard.screen)
                dp.include_router(staff_router(desk, settings, redis, lambda: None, blocks=blocks))
                workers.append(Worker(redis, dp, guard))
            yield Two(api, bot, workers, clients[0], sessions, filing)
        finally:
            for client in clients:
                await client.aclose()
            await bot.session.close()
