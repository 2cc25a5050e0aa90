"""What the fresh-clone tester found as a resident, through the real stack: aiogram, the
resident channel, the engine on real Redis and SQLite, the Bot API stand-in (real update
and file shapes). An English first message is answered in English; the same photo sent
three times is kept once; a damaged 13-byte PDF is told it could not be read, not that
it is too large; status words at «your requests» show the list again."""

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
from tests import samples

USER = TgUser(5_300_000_123, "Noura")


@dataclass
class Rig:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    services: Services
    updates: UpdateFactory

    async def feed(self, raw: dict[str, Any]) -> str:
        """Sends one update; what the bot said in answer, as a person reads it."""
        before = len(self.api.texts(USER.id))
        await self.dp.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))
        return clean_input("\n".join(self.api.texts(USER.id)[before:]))

    async def state(self) -> DialogueState:
        return await self.services.engine.store.load("telegram", str(USER.id))

    def photo(self, data: bytes) -> dict[str, Any]:
        file_id = fake_file_id("photo")  # each sending gets its own id, as on Telegram
        self.api.add_file(file_id, data)
        return self.updates.photo(USER, file_id, file_size=len(data))


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


async def test_an_english_need_after_the_arabic_welcome_is_answered_in_english(rig: Rig) -> None:
    said = await rig.feed(rig.updates.text(USER, "/start"))
    assert "أهلًا بك" in said
    said = await rig.feed(rig.updates.text(USER, "I want to renew my passport"))
    assert "Which of these services do you need?" in said
    assert (await rig.state()).locale == "en"


async def test_a_photo_sent_three_times_and_a_damaged_pdf(rig: Rig) -> None:
    u = rig.updates
    for raw in (
        u.text(USER, "/start"),
        u.callback(USER, "ind"),
        u.text(USER, "ابي اجدد اقامتي"),
        u.callback(USER, "s:iqama_renew"),
        u.callback(USER, "q:inside"),
        u.text(USER, "2000000006"),
        u.contact(USER, "966501234567", own=True),
        u.text(USER, "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"),
    ):
        await rig.feed(raw)
    assert (await rig.state()).step == "attachments"
    page = samples.jpeg(seed=7)
    assert "وصلني ملف واحد" in await rig.feed(rig.photo(page))
    for _ in range(2):
        assert "أرسلت هذا الملف من قبل" in await rig.feed(rig.photo(page))
    assert len((await rig.state()).answers["attachments"]) == 1
    damaged = b"%PDF-1.4 oops"
    assert len(damaged) == 13
    file_id = fake_file_id("document")
    rig.api.add_file(file_id, damaged)
    said = await rig.feed(u.document(USER, file_id, file_name="iqama.pdf", file_size=13))
    assert "تعذّرت علينا قراءة هذا الملف" in said
    assert "ميغابايت" not in said and "هذا النوع" not in said
    assert len((await rig.state()).answers["attachments"]) == 1
    await rig.feed(u.callback(USER, "done"))
    said = await rig.feed(u.callback(USER, "confirm"))
    assert "رقم الطلب" in said
    # «وين طلبي» with one request shows its status at once, and again, not a question topic
    said = await rig.feed(u.text(USER, "وين طلبي"))
    assert "تم الاستلام" in said and "طلباتك" not in said
    said = await rig.feed(u.text(USER, "وين طلبي"))
    assert "تم الاستلام" in said and "لست متأكدًا" not in said
