"""Edited messages and a blocked bot on Telegram, through the whole real stack: raw
updates go through aiogram's dispatcher and the resident channel into the engine (real
Redis, SQLite), and what the person sees is read from the Bot API stand-in.

An edit of the message that answered the step the person is on is that step's new
answer; an edit of anything older gets a short hint and changes nothing. Blocking the bot
holds the person's notifications, unblocking delivers them."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy import select

from bot.app import Services, build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.accounts import membership_recorder
from bot.db.models import OutboxMessage
from bot.outbox.ratelimit import TelegramLimits
from bot.outbox.wiring import build_delivery
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings
from conversations.engine import Engine
from conversations.state import DialogueState
from standins.telegram_botapi import BlockedChats, TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests import samples

USER = TgUser(5_300_000_001, "منى")
DESCRIPTION = "إقامتي انتهت ويظهر لي خطأ عند التجديد في أبشر"
WRONG = "يبدو أن في الرقم خطأ"
ASK_PHONE = "يُرجى مشاركة رقم جوالك"
OLD_EDIT = "لا أستطيع قراءة التعديل على رسالة سابقة"


@dataclass
class Worker:
    """One `tawasul run` as far as residents see it: its services and dispatcher."""

    services: Services
    dp: Dispatcher


@dataclass
class Harness:
    api: TelegramBotAPIStandin
    bot: Bot
    updates: UpdateFactory
    workers: list[Worker]

    async def feed(self, raw: dict[str, Any], worker: int = 0) -> list[str]:
        """What the person got in answer to `raw`, handled by the given worker."""
        before = len(self.seen())
        update = Update.model_validate(raw, context={"bot": self.bot})
        await self.workers[worker].dp.feed_update(self.bot, update)
        return self.seen()[before:]

    def seen(self) -> list[str]:
        return [c.params["text"] for c in self.api.calls_for(USER.id, "sendMessage")]

    def buttons(self) -> list[str]:
        markup = self.api.last_keyboard(USER.id) or {}
        rows = markup.get("inline_keyboard", []) + markup.get("keyboard", [])
        return [b["text"] for row in rows for b in row]

    async def state(self) -> DialogueState:
        return await self.workers[0].services.engine.store.load("telegram", str(USER.id))

    async def to_identity(self) -> None:
        u = self.updates
        await self.feed(u.text(USER, "/start"))
        await self.feed(u.callback(USER, "ind"))
        await self.feed(u.text(USER, "ابي اجدد اقامتي"))
        await self.feed(u.callback(USER, "s:iqama_renew"))
        await self.feed(u.callback(USER, "q:inside"))


def _settings(tmp: Path, redis_url: str) -> Settings:
    return Settings(data_dir=tmp, redis_url=redis_url, telegram_token=None)


@pytest.fixture
async def h(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Harness]:
    async with (
        TelegramBotAPIStandin() as api,
        build_services(_settings(tmp_path, redis_url)) as one,
        build_services(_settings(tmp_path, redis_url), migrate=False) as two,
    ):
        bot = make_bot(api.token, api.url)
        workers = [
            Worker(s, build_dispatcher(s.engine.handle, s.media, membership=_membership(s)))
            for s in (one, two)
        ]
        try:
            yield Harness(api, bot, UpdateFactory(), workers)
        finally:
            await bot.session.close()


def _membership(services: Services) -> Any:
    return membership_recorder(services.sessions, "telegram")


# ------------------------------------------------------------------ edits


async def test_an_edited_wrong_number_is_taken_as_the_new_answer(h: Harness) -> None:
    await h.to_identity()
    typed = h.updates.text(USER, "2000000007")
    [wrong] = await h.feed(typed)
    assert wrong.startswith(WRONG)
    # the person corrects the message instead of sending it again
    answer = await h.feed(h.updates.edited(typed, "2000000006"))
    assert len(answer) == 1 and answer[0].startswith(ASK_PHONE)
    state = await h.state()
    assert state.step == "phone"
    assert state.answers["identity"] == "2000000006"


async def test_an_edit_that_is_still_wrong_is_answered_like_the_message(h: Harness) -> None:
    await h.to_identity()
    typed = h.updates.text(USER, "2000000007")
    await h.feed(typed)
    [still] = await h.feed(h.updates.edited(typed, "200000000"))
    assert "9" in still or "٩" in still  # "you typed 9 digits"
    # and a second edit of the same message still counts
    answer = await h.feed(h.updates.edited(typed, "٢٠٠٠٠٠٠٠٠٦"))
    assert answer[0].startswith(ASK_PHONE)
    assert (await h.state()).answers["identity"] == "2000000006"


async def test_an_edit_of_an_earlier_answer_gets_a_hint_and_changes_nothing(
    h: Harness,
) -> None:
    await h.to_identity()
    typed = h.updates.text(USER, "2000000006")
    await h.feed(typed)
    assert (await h.state()).step == "phone"
    [hint] = await h.feed(h.updates.edited(typed, "1000000008"))
    assert hint.startswith(OLD_EDIT)
    # the person stays where they were, with the step's buttons offered again
    assert "مشاركة رقمي" in h.buttons()
    state = await h.state()
    assert (state.step, state.answers["identity"]) == ("phone", "2000000006")


async def test_a_too_short_description_can_be_corrected_by_editing_it(h: Harness) -> None:
    await h.to_identity()
    await h.feed(h.updates.text(USER, "2000000006"))
    await h.feed(h.updates.contact(USER, "966501234567"))
    short = h.updates.text(USER, "تجديد")
    [too_short] = await h.feed(short)
    assert too_short.startswith("احتفظت بما كتبت")
    # the edit replaces the short text, it is not added to it
    answer = await h.feed(h.updates.edited(short, DESCRIPTION))
    assert answer[-1].startswith("يُرجى الآن إرسال صور")
    state = await h.state()
    assert (state.step, state.answers["description"]) == ("attachments", DESCRIPTION)


async def test_an_edited_caption_does_not_attach_the_file_twice(h: Harness) -> None:
    await h.to_identity()
    await h.feed(h.updates.text(USER, "2000000006"))
    await h.feed(h.updates.contact(USER, "966501234567"))
    await h.feed(h.updates.text(USER, DESCRIPTION))
    png = samples.png(seed=9)
    h.api.add_file("photo-edit-1", png)
    photo = h.updates.photo(USER, "photo-edit-1", file_size=len(png), caption="الإقامة")
    await h.feed(photo)
    [hint] = await h.feed(h.updates.edited_caption(photo, "صورة الإقامة"))
    assert hint.startswith(OLD_EDIT)
    assert len((await h.state()).answers["attachments"]) == 1


async def test_an_edit_at_the_summary_points_to_its_rows_on_either_worker(h: Harness) -> None:
    """Tester 12, §20: an edit of the description, once at the summary, was told to use
    «رجوع», which the summary does not offer; its «تعديل الوصف» row is the way."""
    await h.to_identity()
    await h.feed(h.updates.text(USER, "2000000006"), 1)
    await h.feed(h.updates.contact(USER, "966501234567"), 0)
    described = h.updates.text(USER, DESCRIPTION)
    await h.feed(described, 1)
    png = samples.png(seed=11)
    h.api.add_file("photo-edit-2", png)
    await h.feed(h.updates.photo(USER, "photo-edit-2", file_size=len(png)), 0)
    await h.feed(h.updates.callback(USER, "done"), 1)
    assert (await h.state()).step == "summary"
    [hint] = await h.feed(h.updates.edited(described, "وصف آخر"), 0)
    assert hint.startswith(OLD_EDIT) and "«تعديل الوصف»" in hint and "«رجوع»" not in hint
    assert "تعديل الوصف" in h.buttons()
    state = await h.state()
    assert (state.step, state.answers["description"]) == ("summary", DESCRIPTION)


async def test_an_edit_after_the_dialogue_ended_gets_the_hint_only(h: Harness) -> None:
    await h.feed(h.updates.text(USER, "/start"))
    cancel = h.updates.text(USER, "إلغاء")
    await h.feed(cancel)
    assert (await h.state()).step == "done"
    assert await h.feed(h.updates.edited(cancel, "الغاء الطلب")) == [
        "لا أستطيع قراءة التعديل على رسالة سابقة. يُرجى إرسال إجابتك من جديد في رسالة جديدة "
        "(ولتغيير إجابة سابقة يمكنك استخدام «رجوع»)."
    ]


class SlowStore(RedisDialogueStore):
    """A worker whose writes take a while (a busy machine): the real store, late."""

    async def save(
        self,
        channel: str,
        user_key: str,
        state: DialogueState,
        *,
        remember_locale: bool = False,
        forget_locale: bool = False,
        done: str | None = None,
    ) -> bool:
        await asyncio.sleep(0.4)
        return await super().save(
            channel,
            user_key,
            state,
            remember_locale=remember_locale,
            forget_locale=forget_locale,
            done=done,
        )


async def test_an_edit_that_overtakes_its_message_on_another_worker_still_wins(
    h: Harness,
) -> None:
    await h.to_identity()
    # worker 0 is slow to write; worker 1 gets the edit while it is still busy
    slow = h.workers[0].services
    store = SlowStore(slow.redis, ttl_s=slow.settings.dialogue_ttl_s)
    engine: Engine = dataclasses.replace(slow.engine, store=store)
    h.workers[0].dp = build_dispatcher(engine.handle, slow.media)
    typed = h.updates.text(USER, "2000000007")
    edit = h.updates.edited(typed, "2000000006")
    first = asyncio.create_task(h.feed(typed, worker=0))
    await asyncio.sleep(0.05)
    await h.feed(edit, worker=1)
    await first
    state = await h.state()
    assert (state.step, state.answers.get("identity")) == ("phone", "2000000006")
    seen = h.seen()
    assert seen[-1].startswith(ASK_PHONE) and seen[-2].startswith(WRONG)
    assert not any(text.startswith(OLD_EDIT) for text in seen)


# ------------------------------------------------------------------ blocking the bot


async def test_blocking_the_bot_holds_notifications_and_unblocking_delivers_them(
    h: Harness,
) -> None:
    services = h.workers[0].services
    blocked = BlockedChats({USER.id})
    h.api.add_policy(blocked)
    async with services.sessions.begin() as session:
        session.add_all(
            OutboxMessage(
                kind="notify",
                channel="telegram",
                target=str(USER.id),
                payload={"number": "6418407042", "replies": [{"text": text}]},
            )
            for text in ("الإشعار الأول", "الإشعار الثاني")
        )
    delivery = build_delivery(services, h.bot, limits=TelegramLimits().scaled(0.01))
    # the first one fails before Telegram tells us of the block (updates can be late)
    await delivery.run_once()
    await h.feed(h.updates.my_chat_member(USER, blocked=True))
    await delivery.run_once()
    statuses = await _statuses(services)
    assert statuses == ["failed", "held"]
    assert delivered(h) == []
    blocked.chats.clear()
    await h.feed(h.updates.my_chat_member(USER, blocked=False))
    async with asyncio.timeout(10):
        while await _statuses(services) != ["sent", "sent"]:
            await delivery.run_once()
            await asyncio.sleep(0.02)
    assert await _statuses(services) == ["sent", "sent"]
    assert delivered(h) == ["الإشعار الأول", "الإشعار الثاني"]


def delivered(h: Harness) -> list[str]:
    """What reached the person (refused sends are recorded as calls, not messages)."""
    return [m["text"] for m in h.api.messages(USER.id)]


async def _statuses(services: Services) -> list[str]:
    async with services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [r.delivery_status for r in rows]
