"""An answer to an officer's question that the person began on WhatsApp but never sent.

The answer is a draft in the dialogue state, and drafts expire (24 hours after the last
message by default), which on WhatsApp is also when the person's window closes: left
alone, a half-written answer would vanish without anyone knowing. So after each message
the channel notes whether the person now has an unsent answer; REMIND_AFTER_S later,
well inside the window, they get one reminder with the «Send answer» button, and the
officers get one line in the staff group saying an answer was started but not sent.

The schedule is a sorted set in Redis (score: when to remind), so any worker may note a
draft and any worker may send its reminder; ZREM decides which worker does, once.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.whatsapp import WhatsAppSender, masked
from bot.channels.whatsapp_inbound import CHANNEL
from bot.outbox.queue import staff_text
from conversations.events import Option, Reply
from conversations.i18n import DEFAULT_LOCALE, Texts
from conversations.state import DialogueState
from conversations.store import DialogueStore

log = logging.getLogger(__name__)

REMINDERS_KEY: Final = "tawasul:wa:answer_reminders"
#: How long after the person's last message an unsent answer is recalled: well inside
#: WhatsApp's 24-hour window and before the draft expires.
REMIND_AFTER_S: Final = 3 * 3600
TICK_S: Final = 60.0
_BATCH: Final = 50


def unsent_answer(state: DialogueState) -> str | None:
    """The request number of the answer this person began and has not sent, if any."""
    if state.flow != "more_info":
        return None
    answers = state.answers
    if not (answers.get("texts") or answers.get("files")):
        return None
    number = answers.get("number")
    return str(number) if number else None


@dataclass
class AnswerReminders:
    redis: Redis
    store: DialogueStore
    sender: WhatsAppSender
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], float] = field(default=time.time)
    remind_after_s: float = REMIND_AFTER_S
    staff_locale: str = DEFAULT_LOCALE

    async def note(self, user_key: str) -> None:
        """After a turn: schedule (or move, or drop) the person's reminder."""
        state = await self.store.load(CHANNEL, user_key)
        if unsent_answer(state) is None:
            await self.redis.zrem(REMINDERS_KEY, user_key)
            return
        await self.redis.zadd(REMINDERS_KEY, {user_key: self.clock() + self.remind_after_s})

    async def run_once(self, *, at: float | None = None) -> int:
        """Sends the reminders due by `at` (default now); returns how many went."""
        now = self.clock() if at is None else at
        due = await self.redis.zrangebyscore(REMINDERS_KEY, 0, now, start=0, num=_BATCH)
        sent = 0
        for raw in due:
            user_key = raw.decode() if isinstance(raw, bytes) else str(raw)
            if not await self.redis.zrem(REMINDERS_KEY, user_key):
                continue  # another worker took it
            try:
                sent += await self._remind(user_key)
            except Exception:
                log.exception("answer reminder for %s not sent", masked(user_key))
        return sent

    async def _remind(self, user_key: str) -> int:
        state = await self.store.load(CHANNEL, user_key)
        number = unsent_answer(state)
        if number is None or not await self.sender.window_open(user_key):
            return 0
        _ = Texts(state.locale).gettext
        said = _(
            "You started an answer to the officer's question on request %(number)s, but it "
            "has not been sent. Press «Send answer» to send it, or add more first."
        ) % {"number": number}
        await self.sender.deliver(
            user_key, [Reply(said, choices=(Option("send", _("Send answer")),))]
        )
        gettext = Texts(self.staff_locale).gettext
        line = gettext(
            "Request %(number)s: the person began an answer to your question but has not "
            "sent it yet; they were reminded."
        ) % {"number": number}
        async with self.sessions.begin() as session:
            staff_text(session, html.escape(line), dedupe_key=f"answer-started:{state.draft_id}")
        return 1

    async def run_forever(self, stop: asyncio.Event, tick_s: float = TICK_S) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("answer reminders: round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), tick_s)
