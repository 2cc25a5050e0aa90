"""Buttons taken off a resident's sent message (``Reply.spent``): off the message just
tapped, or off one tapped in an earlier turn (``Reply.spent_on``, the reference this
channel put in ``Choice.message``).

Telegram has no call that reads a sent message back, and editMessageReplyMarkup replaces
the whole keyboard, so a later edit needs the keyboard as it was: the reference carries
the chat, the message id and the message's inline keyboard, as the tap delivered them. The
dialogue keeps it with the person's state (in Redis), so any worker can make the edit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import EditMessageReplyMarkup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from pydantic import ValidationError

from bot.channels.telegram_calls import send_with_retry
from conversations.events import Reply
from conversations.stale_buttons import ALL_BUTTONS, split_stamp

log = logging.getLogger("bot.channels.telegram")


def message_ref(message: object) -> str | None:
    """The reference of a tapped message with an inline keyboard, for ``Choice.message``:
    compact JSON ``{"c": chat id, "m": message id, "k": keyboard rows}``; None for a
    message without one (or inaccessible: too old for the Bot API to send it back)."""
    if not isinstance(message, Message):
        return None
    markup = message.reply_markup
    if not isinstance(markup, InlineKeyboardMarkup):
        return None
    rows = [
        [b.model_dump(mode="json", exclude_none=True) for b in row]
        for row in markup.inline_keyboard
    ]
    return json.dumps(
        {"c": message.chat.id, "m": message.message_id, "k": rows},
        ensure_ascii=False,
        separators=(",", ":"),
    )


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
    await _edit(bot, message.chat.id, message.message_id, markup.inline_keyboard, spent)


async def retire_earlier(bot: Bot, replies: Iterable[Reply]) -> None:
    """Takes each reply's ``spent`` buttons off its ``spent_on`` message, an earlier one
    (the «Ask to reconsider» whose reason was just sent). A reference that does not
    parse is logged and skipped: the button then stays, and a tap on it is refused and
    takes it off (:func:`retire_buttons`)."""
    for reply in replies:
        if reply.spent_on is None or not reply.spent:
            continue
        try:
            ref: dict[str, Any] = json.loads(reply.spent_on)
            rows = [[InlineKeyboardButton.model_validate(b) for b in row] for row in ref["k"]]
            chat_id, message_id = int(ref["c"]), int(ref["m"])
        except (ValueError, KeyError, TypeError, ValidationError):
            log.warning("a spent button's message reference could not be read; left as it is")
            continue
        await _edit(bot, chat_id, message_id, rows, reply.spent)


async def _edit(
    bot: Bot,
    chat_id: int,
    message_id: int,
    keyboard: list[list[InlineKeyboardButton]],
    spent: Collection[str],
) -> None:
    """One editMessageReplyMarkup leaving ``keyboard`` without ``spent``; none when no
    button of it is spent."""
    rows = [[b for b in row if not _spent(b, spent)] for row in keyboard]
    rows = [row for row in rows if row]
    if rows == keyboard:
        return
    edit = EditMessageReplyMarkup(
        chat_id=chat_id,
        message_id=message_id,
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
