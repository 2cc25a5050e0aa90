"""The residents' Telegram side through the real stack, for tests that speak as a person:
aiogram's dispatcher as `tawasul run` wires it (photos fetched inside the engine's turn),
the resident channel, the engine on real Redis and SQLite, and the Bot API stand-in
(real update and file shapes). A test module takes the ``rig`` fixture by importing it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis

from bot.app import Services, build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.settings import Settings
from conversations.state import DialogueState
from domain.normalize import clean_input
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory


@dataclass
class Rig:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    services: Services
    updates: UpdateFactory

    async def feed(self, user: TgUser, raw: dict[str, Any]) -> str:
        """Sends one update from ``user``; what the bot said to them in answer, as a
        person reads it."""
        before = len(self.api.texts(user.id))
        await self.dp.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))
        return clean_input("\n".join(self.api.texts(user.id)[before:]))

    async def says(self, user: TgUser, text: str) -> str:
        """``user`` types ``text``; what the bot said in answer."""
        return await self.feed(user, self.updates.text(user, text))

    async def state(self, user: TgUser) -> DialogueState:
        """The user's dialogue as stored in Redis."""
        return await self.services.engine.store.load("telegram", str(user.id))

    def photo(self, user: TgUser, data: bytes) -> dict[str, Any]:
        """A photo update from ``user`` whose file the stand-in serves; each sending gets
        its own file id, as on Telegram."""
        file_id = fake_file_id("photo")
        self.api.add_file(file_id, data)
        return self.updates.photo(user, file_id, file_size=len(data))


@pytest.fixture
async def rig(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Rig]:
    settings = Settings(data_dir=tmp_path, redis_url=redis_url, telegram_token=None)
    async with TelegramBotAPIStandin() as api, build_services(settings) as services:
        bot = make_bot(api.token, api.url)
        dp = build_dispatcher(
            services.engine.handle, services.intake, fetching=services.engine.handle
        )
        try:
            yield Rig(api, bot, dp, services, UpdateFactory())
        finally:
            await bot.session.close()
