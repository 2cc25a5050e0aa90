"""The Telegram channel's single Bot API calls to a resident's chat: a tap's answer, and
one reply's call with its bounded retries (split from bot.channels.telegram)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from typing import Any, Final

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import EditMessageReplyMarkup, SendMessage
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.channels.telegram_render import OutboundMethod
from conversations.stale_buttons import ALL_BUTTONS, split_stamp

log = logging.getLogger("bot.channels.telegram")

#: Bounded retries on 429: a flood wait on one chat must not hold its lock for ever.
MAX_SEND_ATTEMPTS: Final = 3


async def answer_callback(query: CallbackQuery) -> None:
    """Stops the button's spinner. Never raises for the Bot API: "query is too old" after a
    restart or a slow turn, or the network; the tap still counts."""
    try:
        await query.answer()
    except TelegramAPIError:
        log.info("could not answer callback query %s", query.id, exc_info=True)


async def retire_buttons(bot: Bot, query: CallbackQuery, spent: Collection[str]) -> None:
    """Takes the ``spent`` buttons (ids, or :data:`ALL_BUTTONS`) off the tapped message
    with one editMessageReplyMarkup; the others stay. Called only for a tap the dialogue
    said was spent (a button of an earlier question, a reconsideration already asked), so
    a chat gets at most one edit per such tap, within Telegram's per-chat pace. Never
    raises for the Bot API: a message too old to edit keeps its buttons, and a tap on one
    is answered again the same way."""
    message = query.message
    if not spent or not isinstance(message, Message):
        return
    markup = message.reply_markup
    if not isinstance(markup, InlineKeyboardMarkup):
        return
    rows = [[b for b in row if not _spent(b, spent)] for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    if rows == markup.inline_keyboard:
        return
    edit = EditMessageReplyMarkup(
        chat_id=message.chat.id,
        message_id=message.message_id,
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None,
    )
    try:
        await send_with_retry(bot, edit)
    except TelegramAPIError as exc:
        log.info("could not take spent buttons off a message: %s", exc.message)


def _spent(button: InlineKeyboardButton, spent: Collection[str]) -> bool:
    if button.callback_data is None:
        return False  # a link, not ours to judge
    return ALL_BUTTONS in spent or split_stamp(button.callback_data)[0] in spent


class SendFailed(Exception):
    """One call could not be sent (already logged)."""


async def send_isolated(bot: Bot, method: OutboundMethod) -> None:
    """One call of a turn: a text whose keyboard Telegram refuses goes again without it
    (the person can type the number or label of a choice); a network or server error is
    tried once more. Raises TelegramForbiddenError, or SendFailed when it stays unsent."""
    name = method.__api_method__
    try:
        await send_with_retry(bot, method)
        return
    except TelegramForbiddenError:
        raise
    except TelegramBadRequest as exc:
        if not (isinstance(method, SendMessage) and method.reply_markup is not None):
            log.warning("%s to a private chat refused: %s", name, exc.message)
            raise SendFailed from None
        log.warning("%s refused with its keyboard (%s); sent without it", name, exc.message)
        retry: OutboundMethod = method.model_copy(update={"reply_markup": None})
    except (TelegramNetworkError, TelegramServerError) as exc:
        log.warning("%s to a private chat failed (%s); trying once more", name, exc.message)
        retry = method
    except TelegramAPIError as exc:
        log.warning("%s to a private chat failed: %s", name, exc.message)
        raise SendFailed from None
    try:
        await send_with_retry(bot, retry)
    except TelegramForbiddenError:
        raise
    except TelegramAPIError as exc:
        log.warning("%s to a private chat failed again: %s", name, exc.message)
        raise SendFailed from None


async def send_with_retry(bot: Bot, method: OutboundMethod | EditMessageReplyMarkup) -> Any:
    """Send one call, waiting out Telegram's 429 ``retry_after`` a bounded number of times."""
    for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
        try:
            return await bot(method)
        except TelegramRetryAfter as exc:
            if attempt == MAX_SEND_ATTEMPTS:
                raise
            log.warning("429 on %s; retrying in %s s", method.__api_method__, exc.retry_after)
            await asyncio.sleep(exc.retry_after)
    raise AssertionError("unreachable")
