"""Old inline keyboards on Telegram (found by the fresh-clone tester: a button from an
earlier question led to the first question). Through the real stack on two workers
sharing one Redis: aiogram, the resident channel, the engine, the Bot API stand-in with
real update shapes. A stale tap does nothing, says so with the current question, and the
old message loses its buttons; the current question's buttons work on either worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis

from bot.channels.telegram import build_dispatcher, make_bot
from bot.media_store import MediaStore
from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.stale_buttons import split_stamp
from domain.catalogue import load_catalogue
from domain.normalize import clean_input
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.unit.conversations.fakes import MemoryGateway

USER = TgUser(5_300_000_456, "Huda")
JSON = dict[str, Any]


@dataclass
class Workers:
    api: TelegramBotAPIStandin
    pairs: list[tuple[Bot, Dispatcher]]
    store: RedisDialogueStore
    updates: UpdateFactory

    async def feed(self, raw: JSON, worker: int) -> str:
        """One update on ``worker``; what the bot said in answer, as a person reads it."""
        before = len(self.api.texts(USER.id))
        bot, dp = self.pairs[worker]
        await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
        return clean_input("\n".join(self.api.texts(USER.id)[before:]))

    def keyboard_message(self) -> JSON:
        """The last message that carries inline buttons, as Telegram stores it now."""
        found = [m for m in self.api.messages(USER.id) if m.get("reply_markup")]
        return found[-1]

    def stored(self, message_id: int) -> JSON:
        return next(m for m in self.api.messages(USER.id) if m["message_id"] == message_id)

    def tap(self, message: JSON, button: str) -> JSON:
        """A tap on ``button`` (its id) under ``message``, with the data it was sent with."""
        for row in message["reply_markup"]["inline_keyboard"]:
            for b in row:
                if split_stamp(b["callback_data"])[0] == button:
                    return self.updates.callback(USER, b["callback_data"], message=message)
        raise AssertionError(f"no button {button!r} under the message")


@pytest.fixture
async def workers(tmp_path: Any, redis_client: Redis) -> AsyncIterator[Workers]:
    store = RedisDialogueStore(redis_client)
    async with TelegramBotAPIStandin() as api:
        pairs = []
        for _worker in range(2):
            engine = Engine(store, INTAKE, load_catalogue(), MemoryGateway())
            pairs.append(
                (
                    make_bot(api.token, api.url),
                    build_dispatcher(engine.handle, MediaStore(tmp_path)),
                )
            )
        try:
            yield Workers(api, pairs, store, UpdateFactory())
        finally:
            for bot, _dp in pairs:
                await bot.session.close()


async def test_a_button_of_an_earlier_question_is_answered_and_taken_away(workers: Workers) -> None:
    await workers.feed(workers.updates.text(USER, "/start"), worker=0)
    first = workers.keyboard_message()
    # the buttons carry the question's stamp in their data
    assert all(
        split_stamp(b["callback_data"])[1]
        for row in first["reply_markup"]["inline_keyboard"]
        for b in row
    )
    said = await workers.feed(workers.tap(first, "ind"), worker=1)
    assert "ما الخدمة المطلوبة" in said
    groups = workers.keyboard_message()
    # «منشأة» under the first question, tapped now, on the other worker
    said = await workers.feed(workers.tap(first, "est"), worker=0)
    assert "هذا الزر من رسالة سابقة" in said and "ما الخدمة المطلوبة" in said
    assert "reply_markup" not in workers.stored(first["message_id"])  # its buttons are gone
    assert len(workers.api.calls_for(USER.id, "editMessageReplyMarkup")) == 1
    state = await workers.store.load("telegram", str(USER.id))
    assert (state.step, state.answers.get("applicant")) == ("group", "individual")
    # the current question's buttons, still under the message before, work on either worker
    said = await workers.feed(workers.tap(groups, "g:residency"), worker=1)
    assert "اختيار الخدمة" in said and "من رسالة سابقة" not in said
    # every tap's spinner was stopped
    assert workers.api.methods().count("answerCallbackQuery") == 3


async def test_after_a_cancel_an_old_service_button_starts_nothing(workers: Workers) -> None:
    await workers.feed(workers.updates.text(USER, "/start"), worker=0)
    await workers.feed(workers.tap(workers.keyboard_message(), "ind"), worker=1)
    groups = workers.keyboard_message()
    said = await workers.feed(workers.tap(groups, "cancel"), worker=0)
    assert "تم الإلغاء" in said
    said = await workers.feed(workers.tap(groups, "g:residency"), worker=1)
    assert "هذا الزر من رسالة سابقة" in said
    assert "اختيار الخدمة" not in said and "هل يُقدَّم الطلب بصفة" not in said
    assert "reply_markup" not in workers.stored(groups["message_id"])
    state = await workers.store.load("telegram", str(USER.id))
    assert state.step == "done"
