"""Issue 13 on Telegram: the person's say through aiogram's dispatcher and the Bot API
stand-in, with real update payloads, on the real engine, the Redis dialogue store and the
staff desk on SQL (SQLite and PostgreSQL). Split from tests/integration/test_their_say.py,
whose fixtures it shares."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_render import render_replies
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.media_store import MediaStore
from bot.outbox.queue import replies_from_payload
from bot.redis_store.attempts import RedisAttemptLimiter
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.desk import StaffDesk
from conversations.engine import Engine
from conversations.events import Option, Reply
from conversations.flows.intake import INTAKE
from conversations.stale_buttons import split_stamp
from domain.catalogue import load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, Clock, _request, _rows
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing


def _engine(
    redis_client: Redis, filing: SqlRequestGateway, desk: StaffDesk, clock: Clock
) -> Engine:
    """The engine one worker runs: the Redis dialogue store and attempts, the SQL desk."""
    return Engine(
        RedisDialogueStore(redis_client), INTAKE, load_catalogue(), Gateway(filing, desk),
        clock=clock, limiter=RedisAttemptLimiter(redis_client),
    )  # fmt: skip


def _worker(api: TelegramBotAPIStandin, engine: Engine, tmp_path: Path) -> tuple[Bot, Dispatcher]:
    """A worker's bot, talking to the stand-in, and its dispatcher on ``engine``."""
    return make_bot(api.token, api.url), build_dispatcher(engine.handle, MediaStore(tmp_path))


class _Workers:
    """Two workers' bots and dispatchers on one stand-in, each on an engine of its own."""

    def __init__(self, api: TelegramBotAPIStandin, pairs: list[tuple[Bot, Dispatcher]]) -> None:
        self.api = api
        self.pairs = pairs

    async def feed(self, raw: dict[str, object], worker: int) -> None:
        bot, dp = self.pairs[worker]
        await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))

    async def deliver(self, chat_id: int, reply: Reply) -> tuple[Any, Callable[[], list[str]]]:
        """`reply` sent as the outbox delivers it (through the first worker's bot): the
        message as Telegram holds it, and what reads the buttons under it now."""
        for method in render_replies(chat_id, [reply], reply_keyboard_shown=False)[0]:
            await self.pairs[0][0](method)
        message = self.api.last_message(chat_id)
        assert message is not None
        return message, lambda: _buttons(self.api, chat_id, message["message_id"])


@asynccontextmanager
async def _two_workers(
    redis_client: Redis, filing: SqlRequestGateway, desk: StaffDesk, clock: Clock, tmp_path: Path
) -> AsyncIterator[_Workers]:
    """Two workers on the shared Redis and database and the Bot API stand-in, their bots'
    sessions closed after."""
    async with TelegramBotAPIStandin() as api:
        pairs = [
            _worker(api, _engine(redis_client, filing, desk, clock), tmp_path) for _ in range(2)
        ]
        try:
            yield _Workers(api, pairs)
        finally:
            for bot, _dp in pairs:
                await bot.session.close()


async def _rejected_and_told(
    sara: TgUser,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    button: str,
) -> tuple[str, Reply]:
    """A request of Sara's filed and rejected: its number and the notification queued for
    her with the button `button` (``{number}`` in it is the number), another button
    («status») added under it, which must stay."""
    filed = await filing.submit(submission(user_key=str(sara.id)))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    told = replies_from_payload((await _rows(db_sessionmaker, "notify"))[-1].payload)
    wanted = button.format(number=filed.number)
    [reply] = [r for r in told if wanted in [c.id for c in r.choices]]
    return filed.number, dataclasses.replace(
        reply, choices=(*reply.choices, Option("status", "حالة طلبي"))
    )


def _buttons(api: TelegramBotAPIStandin, chat_id: int, message_id: int) -> list[str]:
    """The buttons' ids under one of the bot's messages as Telegram holds it now."""
    stored = next(m for m in api.messages(chat_id) if m["message_id"] == message_id)
    rows = stored.get("reply_markup", {}).get("inline_keyboard", [])
    return [split_stamp(b["callback_data"])[0] for row in rows for b in row]


async def test_on_telegram_the_buttons_are_real_callbacks(
    tmp_path: Path,
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Through aiogram's dispatcher and the Bot API stand-in, with real update payloads."""
    sara = TgUser(5_100_000_001, "سارة")
    engine = _engine(redis_client, filing, desk, clock)
    filed = await filing.submit(submission(user_key=str(sara.id)))
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    updates = UpdateFactory()
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        dp = build_dispatcher(engine.handle, MediaStore(tmp_path))

        async def feed(raw: dict[str, object]) -> None:
            await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))

        try:
            await feed(updates.text(sara, "/start"))
            await feed(updates.callback(sara, f"rate:{filed.number}:4"))
            keyboard = api.last_keyboard(sara.id)
            assert keyboard is not None
            datas = [
                split_stamp(b["callback_data"])[0]
                for row in keyboard["inline_keyboard"]
                for b in row
            ]
            assert datas[:1] == ["nocomment"]
            await feed(updates.callback(sara, "nocomment"))
            assert "شكرًا لإجابتك" in api.texts(sara.id)[-1]
            await feed(updates.callback(sara, f"recon:{filed.number}"))
            await feed(updates.text(sara, "صورة التأمين مرفقة في الصفحة الثانية"))
            assert "أُرسل طلب إعادة النظر" in api.texts(sara.id)[-1]
            # a forged rating for someone else's request: refused, nothing stored
            other = await filing.submit(submission("k9", user_key="9990001"))
            await desk.accept(other.number, OFFICER)
            await feed(updates.callback(sara, f"rate:{other.number}:1"))
            assert "لم نجد الطلب" in api.texts(sara.id)[-1]
        finally:
            await bot.session.close()
    assert (await _request(db_sessionmaker, filed.number)).satisfaction == 4
    assert (await _request(db_sessionmaker, other.number)).satisfaction is None
    record = await desk.find(filed.number)
    assert record is not None and record.reconsider_reason is not None


async def test_on_telegram_the_reconsider_button_leaves_its_message_once_the_reason_is_sent(
    tmp_path: Path,
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Found by the tester: «Ask to reconsider» stayed under the rejection until it was
    tapped a second time (09949af). Abandoned before a reason, it stays and works again;
    once the reason is sent (on the other worker), it leaves the message
    (editMessageReplyMarkup), the rejection's other buttons staying; a tap on it still
    sent before the edit arrived is refused politely."""
    sara = TgUser(5_100_000_002, "سارة")
    number, notice = await _rejected_and_told(sara, filing, desk, db_sessionmaker, "recon:{number}")
    updates = UpdateFactory()
    async with _two_workers(redis_client, filing, desk, clock, tmp_path) as workers:
        api, feed = workers.api, workers.feed
        # the rejection's notice as the outbox delivers it, with its button
        message, buttons = await workers.deliver(sara.id, notice)
        assert buttons() == [f"recon:{number}", "status"]
        # tapped, then abandoned before any reason: the button stays and still works
        await feed(updates.callback(sara, f"recon:{number}", message=message), 0)
        assert "ما سبب طلب إعادة النظر" in api.texts(sara.id)[-1]
        await feed(updates.text(sara, "إلغاء"), 1)
        assert not api.calls_for(sara.id, "editMessageReplyMarkup")
        assert buttons() == [f"recon:{number}", "status"]
        await feed(updates.callback(sara, f"recon:{number}", message=message), 1)
        assert "ما سبب طلب إعادة النظر" in api.texts(sara.id)[-1]
        # the reason sent: the button leaves the rejection's message, the rest stays
        await feed(updates.text(sara, "صورة التأمين مرفقة في الصفحة الثانية"), 0)
        assert "أُرسل طلب إعادة النظر" in api.texts(sara.id)[-1]
        [edit] = api.calls_for(sara.id, "editMessageReplyMarkup")
        assert int(edit.params["message_id"]) == message["message_id"]
        assert buttons() == ["status"]
        # a tap on the button from a screen not yet refreshed: refused, nothing else
        await feed(updates.callback(sara, f"recon:{number}", message=message), 1)
        assert "لا يُطلب ذلك إلا مرة واحدة" in api.texts(sara.id)[-1]
        assert buttons() == ["status"]
    record = await desk.find(number)
    assert record is not None and record.reconsider_reason == "صورة التأمين مرفقة في الصفحة الثانية"


async def test_on_telegram_the_rating_buttons_leave_their_message_once_the_rating_is_stored(
    tmp_path: Path,
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The five satisfaction buttons stayed under the question until a second tap was
    refused. The rating stored, they leave the message at once (one
    editMessageReplyMarkup), another button under it staying; the comment taken on the
    other worker edits nothing more; a tap from a screen not yet refreshed is refused and
    the first rating kept."""
    sara = TgUser(5_100_000_003, "سارة")
    number, survey = await _rejected_and_told(
        sara, filing, desk, db_sessionmaker, "rate:{number}:5"
    )
    rating_ids = [f"rate:{number}:{n}" for n in (1, 2, 3, 4, 5)]
    updates = UpdateFactory()
    async with _two_workers(redis_client, filing, desk, clock, tmp_path) as workers:
        api, feed = workers.api, workers.feed
        message, buttons = await workers.deliver(sara.id, survey)
        assert buttons() == [*rating_ids, "status"]
        # rated: the five buttons leave the question's message at once, the rest stays
        await feed(updates.callback(sara, f"rate:{number}:4", message=message), 0)
        assert "شكرًا لتقييمك" in api.texts(sara.id)[-1]
        [edit] = api.calls_for(sara.id, "editMessageReplyMarkup")
        assert int(edit.params["message_id"]) == message["message_id"]
        assert buttons() == ["status"]
        # the comment declined on the other worker: no further edit
        await feed(updates.callback(sara, "nocomment"), 1)
        assert "شكرًا لإجابتك" in api.texts(sara.id)[-1]
        assert len(api.calls_for(sara.id, "editMessageReplyMarkup")) == 1
        # a tap from a screen not yet refreshed: refused politely, the rating kept
        await feed(updates.callback(sara, f"rate:{number}:1", message=message), 1)
        assert "سبق أن قيّمت" in api.texts(sara.id)[-1]
        assert buttons() == ["status"]
    assert (await _request(db_sessionmaker, number)).satisfaction == 4
