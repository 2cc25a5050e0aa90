"""A turn's replies that Telegram refused past the channel's retries reach the person later
through the outbox (bot.channels.telegram hands them over) looking as they would have in
the turn: the share-my-number keyboard of the phone question, and the person's language
for the words the channel adds, are kept.

Found by bench/load.py's api fault (the Bot API answering 429 and 502 for 2 s, 40
residents): the phone question sent again by the outbox came with no share-my-number
button, only an inline button that cannot share a number, under the words «share your
number with the button». Real parts: the channel's dispatcher and the outbox's Telegram
delivery on the Bot API stand-in, the database (SQLite and PostgreSQL) and Redis (the
outbox's rate limits)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import build_dispatcher
from bot.outbox.receipts import ReceiptQueue
from conversations.events import Event, Option, Reply
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.outbox_support import rig

USER = TgUser(5_100_000_041, "منيرة")
SAVED = Reply("شكرًا لك، تم حفظ رقم الهوية.")
ASK_PHONE = Reply(
    "يُرجى مشاركة رقم جوالك بزر «مشاركة رقمي» ليرتبط الطلب بك.",
    (Option("share_contact", "📱 مشاركة رقمي"), Option("cancel", "إلغاء")),
    ask_contact=True,
)


@dataclass
class Turn:
    """The engine's answer to the identity number (a channel test may script it)."""

    async def __call__(self, event: Event) -> list[Reply]:
        return [SAVED, ASK_PHONE]


async def test_the_phone_question_sent_later_by_the_outbox_keeps_its_share_button(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> None:
    async with rig(db_sessionmaker, redis_client, tmp_path) as r:
        dp = build_dispatcher(Turn(), r.media, follow_ups=ReceiptQueue(db_sessionmaker, kick=None))
        # the Bot API refuses both replies on each of the channel's tries
        r.api.drop_next("sendMessage", count=4)
        raw = UpdateFactory().text(USER, "2000000006")
        await dp.feed_update(r.bot, Update.model_validate(raw, context={"bot": r.bot}))
        assert r.api.messages(USER.id) == []

        # the Bot API takes calls again: the outbox sends what the turn could not
        await r.drain(r.dispatcher())

        sent = r.api.messages(USER.id)
        assert [m["text"] for m in sent] == [SAVED.text, ASK_PHONE.text]
        # the person can share their number: the reply keyboard with request_contact, as
        # the turn itself would have sent it, not an inline button that cannot share
        # (a Message holds an inline keyboard only: the call's markup is read)
        keyboard = r.api.last_keyboard(USER.id) or {}
        assert "inline_keyboard" not in keyboard, keyboard
        buttons = [b for row in keyboard.get("keyboard", []) for b in row]
        assert [(b["text"], bool(b.get("request_contact"))) for b in buttons] == [
            ("📱 مشاركة رقمي", True),
            ("إلغاء", False),
        ], keyboard
