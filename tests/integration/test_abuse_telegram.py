"""Blocks and limits across two workers (issue 14): two dispatchers, each with its own Redis
client, engine, inbound guard and staff router, on one real Redis and one database (SQLite
and PostgreSQL), fed real Telegram update payloads, answering through the Bot API stand-in.
Officers block with ``/block`` and the card's «⛔»; the person writes to either worker."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse.alert import flood_alert
from bot.abuse.blocks import BlockList
from bot.abuse.guard import InboundGuard
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.models import Block, OutboxMessage, Request, StatusEvent
from bot.db.requests_repo import SqlRequestGateway, select_requests, to_record, with_related
from bot.gateway import Gateway
from bot.media_store import MediaStore
from bot.metrics import REGISTRY
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings
from bot.staff.cards import CardRenderer
from bot.staff.desk import StaffDesk
from bot.staff.router import staff_router
from bot.staff.views import StaffViews
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_db_requests import submission

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


@pytest.fixture
async def two(
    redis_url: str,
    redis_client: Redis,  # flushes the database first
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path):
        yield harness


# ---- blocks ---------------------------------------------------------------------------------


async def test_a_blocked_person_is_told_once_then_nothing_of_theirs_is_processed(
    two: Two,
) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id), locale="en"))).number
    assert await two.says(0, PERSON, "/start")  # served before the block
    said = await two.staff(1, f"/block {number} رسائل مسيئة متكررة")
    assert "حُظِر صاحب الطلب رقم" in said and "رسائل مسيئة متكررة" in said
    assert "بقرار من نورة العتيبي" in said  # not «حظر نورة»: right whoever the officer is
    await two.redis.delete(f"tawasul:dlg:{{telegram:{PERSON.id}}}")
    rows = {m: await two.count(m) for m in (Request, OutboxMessage, StatusEvent)}
    staff_before = len(two.api.texts(STAFF_CHAT))

    # the first message after the block, on the other worker: one polite answer, in English
    [told] = await two.says(0, PERSON, "hello?")
    assert "no longer being handled" in told and "Absher" in told and "branch" in told
    assert "مسيئة" not in told  # the reason is for the officers
    # then nothing on either worker: no answer, no state, no SQL row, no staff message
    for worker, text in ((1, "hello??"), (0, "/start"), (1, "2000000006")):
        assert await two.says(worker, PERSON, text) == []
    photo = two.updates.photo(PERSON)
    await two.feed(1, photo)
    assert two.api.texts(PERSON.id)[-1] == told
    assert "getFile" not in two.api.methods()  # the photo was not even downloaded
    assert not await two.has_state(PERSON)
    assert {m: await two.count(m) for m in rows} == rows
    assert len(two.api.texts(STAFF_CHAT)) == staff_before
    # someone else is served as usual
    assert await two.says(1, OTHER, "/start")


async def test_a_block_survives_redis_losing_its_data(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    await two.staff(0, f"/block {number} احتيال")
    await two.says(1, PERSON, "مرحبا")  # told once
    await two.redis.flushdb()  # Redis lost everything; SQL keeps the block
    [again] = await two.says(0, PERSON, "مرحبا")  # told again: the «told» mark was lost too
    assert "لم تعد رسائلك" in again
    assert await two.says(1, PERSON, "مرحبا") == []
    assert not await two.has_state(PERSON)


async def test_unblock_serves_the_person_again_and_both_are_audited(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    await two.staff(0, f"/block {number} رسائل مزعجة")
    assert "محظور من قبل" in await two.staff(1, f"/block {number} مرة أخرى")
    await two.says(1, PERSON, "مرحبا")
    said = await two.staff(1, f"/unblock {number}")
    assert "رُفِع الحظر عن صاحب الطلب" in said and "وكان الحظر بقرار من نورة العتيبي" in said
    assert "غير محظور" in await two.staff(0, f"/unblock {number}")
    assert await two.says(0, PERSON, "/start")  # the dialogue answers again
    assert await two.has_state(PERSON)
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.user_key == str(PERSON.id) and row.request_number == number
    assert row.reason == "رسائل مزعجة" and row.blocked_by == f"officer:{OFFICER.id}:نورة العتيبي"
    assert row.unblocked_by == f"officer:{OFFICER.id}:نورة العتيبي" and row.unblocked_at


async def test_block_commands_are_for_officers_and_explain_their_use(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    # a non-officer is answered politely on either worker, as the buttons answer, with
    # nothing about the request (tester 12, §20: no answer at all, only a log line)
    refused = "أوامر الموظفين متاحة للموظفين المخوّلين في المديرية فقط."
    assert await two.staff(0, f"/block {number} سبب", user=STRANGER) == refused
    assert await two.staff(1, f"/unblock {number}", user=STRANGER) == refused
    assert await two.staff(1, f"/find {number}", user=STRANGER) == refused
    assert await two.count(Block) == 0
    assert "يُرجى كتابة رقم الطلب والسبب" in await two.staff(0, f"/block {number}")
    assert "يُرجى كتابة رقم الطلب والسبب" in await two.staff(0, "/block 123 سبب")
    assert "لا يوجد طلب بالرقم" in await two.staff(1, "/block 4512345671 سبب")
    assert await two.count(Block) == 0
    # a nod or an emoji is no reason, as in reply to «⛔»'s prompt (typed_words; the
    # notes of session 11: «/block N 👍» blocked the person with «👍» as the reason)
    for nod in ("👍", "٣", "x"):
        said = await two.staff(1, f"/block {number} {nod}")
        assert said == "يُرجى كتابة السبب بالكلمات.", said
    assert await two.count(Block) == 0


async def test_a_wrong_check_digit_is_named_plainly_by_block_and_unblock(two: Two) -> None:
    # Found by the review of session 10: a number whose last digit (the check digit) is
    # wrong got the usage line («… the request number after /block»), as if none was typed
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    said = await two.staff(0, f"/block {typo} رسائل مسيئة")
    assert said == (
        f"الرقم «{typo}» ليس رقم طلب صحيحًا: رقمه الأخير (رقم التحقق) لا يطابق بقية الأرقام. "
        "يُرجى التحقق منه."
    )
    assert "رقم التحقق" in await two.staff(1, f"/unblock {typo}")
    # an iqama (2…) or a citizen's number (1…) with a wrong check digit, on either worker
    for command, worker in (("/block 2000000007 سبب", 0), ("/unblock 1000000009", 1)):
        said = await two.staff(worker, command)
        assert said.startswith("الرقم «") and "ليس رقم هوية أو إقامة أو حدود صحيحًا" in said
        assert "رقمه الأخير (رقم التحقق) لا يطابق" in said and "برقم الطلب" in said
    # a valid iqama or border number is not a request number: /find lists theirs
    said = await two.staff(1, "/block 2000000006 سبب")
    assert "رقم هوية أو منشأة، وليس رقم طلب" in said and "/find 2000000006" in said
    assert "وليس رقم طلب" in await two.staff(0, "/unblock 3000000000")
    assert "/find 7001234567" in await two.staff(1, "/block 7001234567 سبب")
    # a mobile number is no identity number: the usage line, not «رقم هوية أو منشأة»
    # (review 10, item 8)
    said = await two.staff(0, "/block 0551234567 سبب")
    assert "يُرجى كتابة رقم الطلب والسبب" in said and "رقم هوية" not in said
    said = await two.staff(1, "/unblock 0551234567")
    assert "/unblock 4512345671" in said and "رقم هوية" not in said
    assert await two.count(Block) == 0
    # the right number still blocks
    assert "حُظِر صاحب الطلب" in await two.staff(0, f"/block {number} رسائل مسيئة")


async def test_the_cards_block_button_asks_for_the_reason(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    card_data = f"st:bl:{number}:1"
    await two.bot.send_message(STAFF_CHAT, "🆕 card")
    card = two.api.last_message(STAFF_CHAT)
    assert card is not None
    await two.feed(0, two.updates.callback(STRANGER, card_data, message=card))
    assert await two.count(Block) == 0  # not an officer
    await two.feed(0, two.updates.callback(OFFICER, card_data, message=card))
    prompt = two.api.last_message(STAFF_CHAT)
    assert prompt is not None and "يُرجى كتابة سبب حظر صاحب الطلب" in prompt["text"]
    assert two.api.calls_for(STAFF_CHAT, "sendMessage")[-1].params["reply_markup"]["force_reply"]
    # the reply reaches the other worker: the prompt lives in Redis
    await two.feed(1, two.updates.group_text(OFFICER, STAFF_CHAT, "شتائم", reply_to=prompt))
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.reason == "شتائم"
    assert "لن تُعالَج رسائله" in (two.api.last_message(STAFF_CHAT) or {})["text"]
    # a second press says it is done already
    await two.feed(1, two.updates.callback(OFFICER, card_data, message=card))
    alert = [c for c in two.api.calls if c.method == "answerCallbackQuery"][-1]
    assert "محظور من قبل" in alert.params["text"]
    assert (await two.says(0, PERSON, "مرحبا"))[0].startswith("نعتذر")


async def test_the_card_drawn_after_a_block_says_so_on_either_worker(two: Two) -> None:
    # The tester's report of session 12 (§16): after /block, the card drawn later (by any
    # worker's outbox, from the shared database) had no word of the block and still
    # offered «⛔ حظر صاحب الطلب».
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    cards = CardRenderer(StaffViews(load_catalogue(), locale="ar"))

    async def card() -> tuple[str, list[str]]:
        async with two.sessions() as session:
            request = await session.scalar(select_requests().where(Request.number == number))
            assert request is not None
            [record] = await with_related(session, [to_record(request)])
        drawn = cards.card(record, today=dt.date(2026, 12, 1))
        return drawn.html, [b.data for row in drawn.buttons for b in row]

    html, buttons = await card()
    assert "محظور" not in html and any(d.startswith("st:bl:") for d in buttons)
    await two.staff(0, f"/block {number} رسائل <b>مزعجة</b>")
    html, buttons = await card()
    assert "صاحب الطلب محظور بقرار من نورة العتيبي" in html
    assert "رسائل &lt;b&gt;مزعجة&lt;/b&gt;" in html and f"/unblock {number}" in html
    assert not any(d.startswith("st:bl:") for d in buttons)
    await two.staff(1, f"/unblock {number}")
    html, buttons = await card()
    assert "محظور" not in html and any(d.startswith("st:bl:") for d in buttons)


# ---- messages per minute --------------------------------------------------------------------


@pytest.fixture
async def slow(
    redis_url: str,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path, per_minute=5):
        yield harness


def _refused(why: str) -> float:
    return REGISTRY.get_sample_value("tawasul_inbound_refused_total", {"why": why}) or 0.0


async def test_too_many_messages_get_one_slow_down_then_are_dropped(slow: Two) -> None:
    refused = _refused("too_fast")
    answered = [len(await slow.says(i % 2, PERSON, "مرحبا")) > 0 for i in range(5)]
    assert all(answered)  # five a minute, counted on both workers together
    version = await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}")
    [slow_down] = await slow.says(1, PERSON, "مرحبا")
    seconds = re.search(r"الانتظار ([٠-٩]+) ثانية", slow_down)
    assert seconds is not None, slow_down  # when they can go on, in Arabic digits
    assert 1 <= int(seconds.group(1)) <= 60
    for worker in (0, 1, 0):
        assert await slow.says(worker, PERSON, "مرحبا") == []
    # dropped before any work: the dialogue state did not move
    assert await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}") == version
    assert _refused("too_fast") == refused + 4  # counted in /metrics
    # someone else is not held back
    assert await slow.says(0, OTHER, "مرحبا")


# ---- a flood of new chats -------------------------------------------------------------------


@pytest.fixture
async def flood(
    redis_url: str,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path, new_chats=20):
        yield harness


async def test_a_flood_of_new_chats_is_throttled_with_one_staff_alert(flood: Two) -> None:
    assert await flood.says(0, PERSON, "/start")  # known before the flood
    fakes = [TgUser(8_000_000 + i, f"bot{i}") for i in range(120)]
    await asyncio.gather(
        *(flood.feed(i % 2, flood.updates.text(user, "/start")) for i, user in enumerate(fakes))
    )
    served = [user for user in fakes if flood.api.texts(user.id)]
    assert len(served) == 19  # twenty new chats in the window, the person first
    states = [key async for key in flood.redis.scan_iter("tawasul:dlg:{telegram:*")]
    assert len(states) == 20
    # the dropped ones reached nothing: no SQL row but the one alert
    async with flood.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    [alert] = rows
    assert alert.kind == "staff_text" and "سيل من المحادثات الجديدة" in alert.payload["html"]
    assert "٢٠" in alert.payload["html"]
    # known people are served during the flood; new ones still wait, with no second alert
    assert await flood.says(1, PERSON, "مرحبا")
    assert await flood.says(0, TgUser(9_000_001), "/start") == []
    assert await flood.count(OutboxMessage) == 1


async def test_a_redelivered_update_is_counted_once_towards_the_minute(slow: Two) -> None:
    first = slow.updates.text(PERSON, "مرحبا")
    await slow.feed(0, first)
    answered = len(slow.api.texts(PERSON.id))
    assert answered
    # Telegram sends the same update_id again (no answer reached it), to either worker,
    # once while the other worker has it too
    for worker in (1, 0):
        await slow.feed(worker, first)
    await asyncio.gather(slow.feed(0, first), slow.feed(1, first))
    assert len(slow.api.texts(PERSON.id)) == answered  # handled once
    # the other four of the five a minute are all served
    for i in range(4):
        assert await slow.says(i % 2, PERSON, "مساعدة"), i
    refused = slow.updates.text(PERSON, "مرحبا")
    await slow.feed(1, refused)
    [slow_down] = slow.api.texts(PERSON.id)[-1:]
    assert "الانتظار" in slow_down
    told = len(slow.api.texts(PERSON.id))
    version = await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}")
    # the refused update again: refused in silence, on both workers
    for worker in (0, 1):
        await slow.feed(worker, refused)
    assert len(slow.api.texts(PERSON.id)) == told
    assert await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}") == version


async def test_block_reads_a_number_typed_in_groups_or_in_arabic_digits(two: Two) -> None:
    """Found by review 11 (item 3): /block read only its first word as the number, so
    «/block 4512 345 670 سبب» or a number in Arabic-Indic digits got the usage line. The
    number is read as /rate reads it: in any digits, in groups or with dashes, the words
    after it the reason."""
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    grouped = f"{number[:4]} {number[4:7]} {number[7:]}"
    arabic = grouped.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    said = await two.staff(0, f"/block {arabic} رسائل مسيئة متكررة")
    assert "حُظِر صاحب الطلب" in said and "يُرجى كتابة" not in said
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.request_number == number and row.reason == "رسائل مسيئة متكررة"
    dashed = f"{number[:4]}-{number[4:7]}-{number[7:]}"
    said = await two.staff(1, f"/unblock {dashed}")
    assert "رُفِع الحظر عن صاحب الطلب" in said
    said = await two.staff(0, f"/block {grouped} احتيال")
    assert "حُظِر صاحب الطلب" in said
    # a number split wrongly still names its check digit, and words alone the usage
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    said = await two.staff(1, f"/unblock {typo[:5]} {typo[5:]}")
    assert "رقم التحقق" in said
    assert "يُرجى كتابة رقم الطلب" in await two.staff(0, f"/block {grouped}")
