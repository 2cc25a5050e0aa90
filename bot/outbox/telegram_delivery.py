"""Delivering outbox rows to people on Telegram, and the staff group's handlers.

- :class:`TelegramPersonDelivery` (outbox channel ``"telegram"``): a person's notification,
  rendered by :func:`bot.channels.telegram_render.render_replies` like every other reply
  of the bot (plain text, no markup injectable through what an officer typed). A long
  text split in two records how many parts went out when interrupted (``parts_sent``),
  so a retry sends only the rest.
- :class:`TelegramCardSend`: the receipt card of a ``receipt`` row (see
  :mod:`bot.outbox.receipts`), as a photo.
- :class:`TelegramStaffDelivery` (channel ``"staff"``, in :mod:`bot.outbox.telegram_staff`)
  and :class:`SkipStaffDelivery` when no staff group is configured.
"""

from __future__ import annotations

from typing import Any, cast

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendPhoto, TelegramMethod
from aiogram.types import FSInputFile

from bot.channels.telegram_render import RenderError, render_replies
from bot.outbox.handlers import PARTS_SENT, OutboxRow, PermanentFailure, Skipped, TemporaryFailure
from bot.outbox.queue import replies_from_payload
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.outbox.telegram_send import REQUEST_TIMEOUT_S, Sender, describe, message_id
from bot.outbox.telegram_staff import TelegramStaffDelivery

__all__ = [
    "SkipStaffDelivery",
    "TelegramCardSend",
    "TelegramPersonDelivery",
    "TelegramStaffDelivery",
]


def _chat_id(row: OutboxRow) -> int:
    try:
        return int(row.target)
    except ValueError:
        raise PermanentFailure("target is not a Telegram chat id") from None


# ---------------------------------------------------------------------------------- people


class TelegramPersonDelivery:
    """A notification to a person's private chat: ``target`` is the chat id, the payload's
    ``replies`` are rendered like any reply of the dialogue."""

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        limits: TelegramLimits | None = None,
        *,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        self._send = Sender(bot, limiter, limits or TelegramLimits(), request_timeout)

    async def deliver(self, row: OutboxRow) -> str | None:
        chat_id = _chat_id(row)
        replies = replies_from_payload(dict(row.payload))
        if not replies:
            raise PermanentFailure("nothing to send")
        try:
            # a notification arrives between dialogues: no reply keyboard to take away
            methods, _shown = render_replies(chat_id, replies, reply_keyboard_shown=False)
        except RenderError:
            raise PermanentFailure("the notification cannot be rendered for Telegram") from None
        done = int(row.payload.get(PARTS_SENT, 0))
        last: int | None = None
        for index in range(done, len(methods)):
            progress = index if index > done else None
            try:
                result: object = await self._send.call(
                    chat_id, cast(TelegramMethod[Any], methods[index]), parts_sent=progress
                )
            except TelegramBadRequest as exc:
                raise PermanentFailure(describe(exc), parts_sent=progress) from None
            last = message_id(result) or last
        return None if last is None else str(last)


class TelegramCardSend:
    """The receipt card to a person's private chat, uploaded from its local file. A 400
    for the picture (IMAGE_PROCESS_FAILED) may pass on another try, so it is temporary
    here; bounded by :data:`bot.outbox.receipts.CARD_ATTEMPTS`."""

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        limits: TelegramLimits | None = None,
        *,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        self._send = Sender(bot, limiter, limits or TelegramLimits(), request_timeout)

    async def __call__(self, row: OutboxRow, path: str) -> str | None:
        chat_id = _chat_id(row)
        method = SendPhoto(chat_id=chat_id, photo=FSInputFile(path))
        try:
            result: object = await self._send.call(chat_id, cast(TelegramMethod[Any], method))
        except TelegramBadRequest as exc:
            raise TemporaryFailure(describe(exc)) from None
        sent = message_id(result)
        return None if sent is None else str(sent)


class SkipStaffDelivery:
    """No staff group is configured: officers use ``tawasul staff``, and staff rows are
    closed as "skipped" rather than left to pile up."""

    async def deliver(self, row: OutboxRow) -> str | None:
        raise Skipped("no staff group configured (TAWASUL_STAFF_CHAT_ID)")
