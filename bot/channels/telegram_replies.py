"""Sending a turn's replies to a person's private chat: each call on its own, the
receipt's follow-up released once its text is out, what Telegram refused handed to the
outbox, and the replies a replay need not send again skipped. The half of
:class:`bot.channels.telegram.TelegramChannel` that sends (split off when that module
passed 400 lines)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import SendMessage

from bot.channels.sent_marks import SentMarks
from bot.channels.telegram_apology import note_sent
from bot.channels.telegram_calls import SendFailed, send_isolated
from bot.channels.telegram_render import (
    DEFAULT_CONTACT_LABEL,
    removal_word,
    render_reply_groups,
)
from bot.exports import discard_sent
from bot.outbox.follow_up_releases import BackgroundReleases
from bot.outbox.receipts import FollowUps
from conversations.events import Origin, Reply

# the channel's logger, as before the split (operators' filters name it)
log = logging.getLogger("bot.channels.telegram")


class ReplySender:
    """Sends replies to private chats; `follow_ups`: the receipts' held rows and the
    outbox for what Telegram refused; `sent_marks`: replies a replay skips."""

    def __init__(
        self,
        *,
        contact_label: str = DEFAULT_CONTACT_LABEL,
        removal_text: str | None = None,
        follow_ups: FollowUps | None = None,
        sent_marks: SentMarks | None = None,
    ) -> None:
        self._contact_label = contact_label
        self._removal_text = removal_text
        self._follow_ups = follow_ups
        # how many of a turn's replies went out, for a replay (bot.channels.sent_marks)
        self._sent_marks = sent_marks
        # follow-ups being released after their text went out (see :meth:`settled`)
        self._releases = BackgroundReleases(follow_ups) if follow_ups is not None else None

    async def deliver(
        self,
        bot: Bot,
        chat_id: int,
        replies: list[Reply],
        *,
        turn: Origin | None = None,
    ) -> None:
        """Send `replies` to a private chat, in order, each on its own: a picture or a
        keyboard that Telegram refuses, or a network error, costs that call only, never
        the words of the replies after it. A reply with a ``follow_up`` (the receipt card)
        releases it once its text is out, or leaves its text to the outbox to send again.
        The share-my-number keyboard is taken away when the engine's first reply says it
        is on screen (a contact shared at another step leaves none), with a polite word
        in the person's language where no reply can carry the removal. `turn`: the update they answer, whose
        replies sent before a cut a replay skips (bot.channels.sent_marks)."""
        shown = bool(replies) and replies[0].contact_keyboard_shown
        removal = self._removal_text or removal_word(replies[0].locale if replies else None)
        groups, _shown = render_reply_groups(
            chat_id,
            replies,
            reply_keyboard_shown=shown,
            contact_label=self._contact_label,
            removal_text=removal,
        )
        blocked = False
        failed: list[Reply] = []
        marks = self._sent_marks if turn is not None else None
        skip = await marks.already(turn) if marks is not None and turn is not None else 0
        for index, (reply, methods) in enumerate(zip(replies, groups, strict=True)):
            if index < skip:
                continue  # sent before the turn was cut (a replay)
            delivered = not blocked
            for method in methods if not blocked else ():
                try:
                    await send_isolated(bot, method)
                    note_sent()  # answered: no apology if the update fails after this
                except TelegramForbiddenError:
                    # the person blocked the bot; nothing more can reach them
                    log.info("chat %s blocked the bot; replies dropped", chat_id)
                    blocked, delivered = True, False
                    break
                except SendFailed:
                    if isinstance(method, SendMessage):
                        delivered = False
            discard_sent(reply.media)  # a «my data» copy is not kept once sent
            if reply.follow_up is not None and self._releases is not None:
                self._releases.soon(reply.follow_up, delivered=delivered)
            elif not delivered and not blocked:
                failed.append(reply)  # (a follow-up's text has its own durable copy)
            if marks is not None and turn is not None:
                await marks.sent(turn, index + 1, len(replies))
        if failed and self._follow_ups is not None:
            await self._hand_over(chat_id, failed)

    async def _hand_over(self, chat_id: int, failed: list[Reply]) -> None:
        """Replies Telegram refused past our retries go to the outbox, which tries again
        later with backoff: the person is answered once the Bot API takes calls again."""
        assert self._follow_ups is not None
        try:
            await self._follow_ups.unsent("telegram", str(chat_id), failed)
            log.info("%d unsent replies handed to the outbox", len(failed))
        except Exception:
            log.warning("unsent replies not handed to the outbox", exc_info=True)

    async def settled(self) -> None:
        """Until every follow-up released in the background is written (or has failed,
        which bot.outbox.follow_up_releases logs)."""
        if self._releases is not None:
            await self._releases.settled()
