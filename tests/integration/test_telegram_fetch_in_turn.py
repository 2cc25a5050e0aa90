"""Photos downloaded inside the engine's turn (``build_dispatcher(fetching=...)``, as
`tawasul run` wires it), through the real stack: aiogram, the resident channel, the engine
on real Redis and SQLite, the Bot API stand-in. The state the turn loads decides whether a
photo is fetched, so no Redis read of its own comes first (issue 12), and what a person
sees does not change: a photo is fetched and kept only at a step that takes files."""

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
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from tests import samples

USER = TgUser(5_300_000_077, "هند")


@dataclass
class Rig:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    services: Services
    updates: UpdateFactory

    async def feed(self, raw: dict[str, Any]) -> None:
        await self.dp.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))

    async def state(self) -> DialogueState:
        return await self.services.engine.store.load("telegram", str(USER.id))

    def photo(self, seed: int) -> tuple[dict[str, Any], bytes]:
        data = samples.jpeg(seed=seed)
        file_id = fake_file_id("photo")
        self.api.add_file(file_id, data)
        return self.updates.photo(USER, file_id, file_size=len(data)), data


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


async def test_a_photo_is_fetched_in_the_turn_only_where_a_step_takes_files(rig: Rig) -> None:
    u = rig.updates
    for raw in (
        u.text(USER, "/start"),
        u.callback(USER, "ind"),
        u.text(USER, "ابي اجدد اقامتي"),
        u.callback(USER, "s:iqama_renew"),
        u.callback(USER, "q:inside"),
    ):
        await rig.feed(raw)
    # at the identity step a photo is not what is asked: not downloaded, step kept
    early, _ = rig.photo(seed=1)
    await rig.feed(early)
    assert rig.api.downloads == []
    assert (await rig.state()).step == "identity"
    for raw in (
        u.text(USER, "2000000006"),
        u.contact(USER, "966501234567", own=True),
        u.text(USER, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
    ):
        await rig.feed(raw)
    assert (await rig.state()).step == "attachments"
    photo, data = rig.photo(seed=2)
    await rig.feed(photo)
    assert len(rig.api.downloads) == 1
    [kept] = (await rig.state()).answers["attachments"]
    assert kept["checksum"] is not None
    assert rig.services.media.read(kept["checksum"]) == data
