"""A reason or question an officer posts in the staff group without replying to the menu or
prompt that asked for it.

Found by session 12's notes (and tester 12): an officer who pressed «❌ رفض» and then
typed the reason in the group, as one types in any chat, got no answer at all, and the
request stayed as it was. The officer expects the words to be taken; the group also
carries officers' talk, which the bot cannot tell from a reason. So the words are taken
when it is unambiguous which prompt they answer, and never acted on at once:

- exactly one prompt or menu waits for this officer, in the same topic, offered within
  :data:`STRAY_WINDOW_S` (someone typing the reason does it right after pressing; talk an
  hour later is talk), and the words are words enough for it
  (:func:`officers.typed_words.worded`): they are shown back as a proposal with «Send»
  and «Cancel», as a reply to a menu is (:mod:`bot.staff.proposals`), one tap from done;
  a remark taken by mistake costs a «Cancel», after which the officer's messages are left
  alone for that prompt (a reply to it still counts);
- several wait: the officer is told once (per :data:`STRAY_WINDOW_S`) to reply to the one
  the words answer, since guessing would send a reason to the wrong request.

Anything else (no prompt waits, an older one, a nod) stays unanswered: officers talk
among themselves in the group. In a forum, a message that replies to nothing is sent by
Telegram as a reply to its topic's first message: that counts as replying to nothing.

A reply to the request's card (not to the prompt under it) names the request: when a
prompt or menu of this officer waits for that request, at any age within its life, the
words are proposed for it in the same way (session 13's notes: an officer who pressed
«❌ رفض» and replied the reason to the card got nothing, and would expect it taken).
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import Message, Update

from bot.staff.callbacks import parse_callback
from bot.staff.pointer import is_alert
from bot.staff.prompt_memory import LINES_KEY, Waiting
from bot.staff.proposals import ProposalHandlers
from bot.staff.views import HTML
from domain.request_number import InvalidRequestNumber, parse_request_number
from officers.typed_words import worded

log = logging.getLogger(__name__)

#: How recent a prompt must be for a message that replies to nothing to answer it.
STRAY_WINDOW_S: Final = 10 * 60
#: The officer was told that several prompts wait (so once, not at every message).
_TOLD_KEY: Final = "tawasul:staff:stray-told:{chat}:{officer}"


async def replies_to_nothing(message: Message) -> bool:
    """A filter: ``message`` replies to no message: no reply at all, or (in a forum topic)
    the reply Telegram adds to the topic's first message. A coroutine function, so aiogram
    runs it on the loop (:mod:`bot.channels.aiogram_filters`)."""
    replied = message.reply_to_message
    if replied is None:
        return True
    return replied.forum_topic_created is not None or (
        bool(message.is_topic_message) and replied.message_id == message.message_thread_id
    )


async def replies_to_card(message: Message, bot: Bot) -> bool:
    """A filter: ``message`` replies to one of the bot's request cards (or alerts) whose
    request can be read (:func:`card_number`)."""
    replied = message.reply_to_message
    return is_alert(replied, bot) and replied is not None and card_number(replied) is not None


def card_number(card: Message) -> str | None:
    """The request a card is about: the number its buttons carry (all the same one), else
    the number its text starts with, after the status mark (a decided card's buttons may
    be gone). None for a digest (several numbers) or anything unreadable."""
    numbers = {
        action.number
        for row in (card.reply_markup.inline_keyboard if card.reply_markup else [])
        for button in row
        if (action := parse_callback(button.callback_data)) is not None
    }
    if numbers:
        return numbers.pop() if len(numbers) == 1 else None
    words = (card.text or card.caption or "").split(maxsplit=2)
    if len(words) < 2:
        return None
    try:
        return parse_request_number(words[1])
    except InvalidRequestNumber:
        return None


class StrayHandlers(ProposalHandlers):
    async def on_card_reply(self, message: Message, event_update: Update, bot: Bot) -> None:
        """A reply to a request's card: the reason or question for a prompt of this officer
        waiting for that request, proposed (see the module). Anything else is passed on
        (``SkipHandler``) to the handlers after: a short decision word is pointed to the
        card's buttons (:mod:`bot.staff.pointer`), talk is left alone. Registered before
        the pointer, so «رفض لعدم وضوح الصورة» replied to the card while its reasons menu
        waits is the proposed reason, not «use the buttons»."""
        user = message.from_user
        text = (message.text or message.caption or "").strip()
        replied = message.reply_to_message
        if user is None or replied is None or not text or text.startswith("/"):
            raise SkipHandler
        number = card_number(replied)
        waiting = [
            w
            for w in await self._waiting_for(message.chat.id, user.id)
            if w.record["number"] == number and not w.record.get("no_stray")
        ]
        if not waiting:
            raise SkipHandler  # talk about the request, or a decision word (bot.staff.pointer)
        person_reads = any(w.record["kind"] != "block" for w in waiting)
        if not worded(text, person_reads=person_reads):
            raise SkipHandler  # «تمام», «مقبول» under the card: not a reason
        if not await self._first_time(event_update):
            return
        if not await self._auth.is_officer(bot, user.id):
            return  # no longer an officer since the prompt was offered
        if len(waiting) > 1:
            await self._which_one(bot, message, waiting)
            return
        [prompt] = waiting
        log.info("request %s: a reply to its card proposed for its prompt", number)
        await self._propose(
            bot, message, (message.chat.id, prompt.id), prompt.key, prompt.record, text, stray=True
        )

    async def on_talk(self, message: Message, event_update: Update, bot: Bot) -> None:
        """A message in the group that replies to nothing (see the module)."""
        user = message.from_user
        text = (message.text or message.caption or "").strip()
        if user is None or not text or text.startswith("/"):
            return
        waiting = await self._waiting_for(message.chat.id, user.id)
        thread = message.message_thread_id if message.is_topic_message else None
        recent = [
            w
            for w in waiting
            if w.record.get("thread") == thread
            and w.age_ms <= STRAY_WINDOW_S * 1000
            and not w.record.get("no_stray")
        ]
        if not recent:
            return  # talk, as nearly every message in the group is
        person_reads = len(recent) > 1 or recent[0].record["kind"] != "block"
        if not worded(text, person_reads=person_reads):
            return  # «تمام», «👍»: talk, not a reason
        if not await self._first_time(event_update):
            return
        if not await self._auth.is_officer(bot, user.id):
            return  # no longer an officer since the prompt was offered
        if len(recent) > 1:
            await self._which_one(bot, message, recent)
            return
        [prompt] = recent
        log.info("request %s: a message replying to nothing proposed", prompt.record["number"])
        await self._propose(
            bot, message, (message.chat.id, prompt.id), prompt.key, prompt.record, text, stray=True
        )

    async def _which_one(self, bot: Bot, message: Message, recent: list[Waiting]) -> None:
        """Several prompts wait for the officer: they are told, once, to reply to the one
        the words answer. The line goes when any of them is done with."""
        assert message.from_user is not None
        told = _TOLD_KEY.format(chat=message.chat.id, officer=message.from_user.id)
        if not await self._redis.set(told, b"1", nx=True, ex=STRAY_WINDOW_S):
            return
        numbers = self._(", ").join(  # the language's list comma, as the catalogue has it
            sorted({w.record["number"] for w in recent})
        )
        said = self._(
            "Several of my messages are waiting for your reply (requests %(numbers)s). Please send it as a reply to the one it answers."
        ) % {"numbers": numbers}
        sent = await self._send(bot, message, HTML.t(said))
        for prompt in recent:
            lines = LINES_KEY.format(chat=message.chat.id, message=prompt.id)
            await self._redis.sadd(lines, str(sent.message_id))
            await self._redis.expire(lines, self.prompt_ttl_s)
