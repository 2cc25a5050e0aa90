"""What the residents of a Telegram benchmark see: the bot's keyboards and messages, read
off its own Bot API calls, and the time each update waits on them."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup

JSON = dict[str, Any]


#: The seconds the update being fed has waited on Bot API calls so far (one list per
#: update, set by Residents._send; aiogram handles an update in the task that feeds it).
API_WAIT: ContextVar[list[float] | None] = ContextVar("bench_api_wait", default=None)


# --------------------------------------------------------------------------- the screen


@dataclass
class Screen:
    """What each private chat shows, read off the bot's own calls: an aiogram request
    middleware (``bot.session.middleware(screen)``). Like the stand-in's
    ``last_keyboard``: the last call that carried an inline or reply keyboard decides."""

    bot_user: JSON = field(
        default_factory=lambda: {"id": 123456789, "is_bot": True, "first_name": "Bot"}
    )
    # chat id -> (callback ids of the inline keyboard, whether it asks for the contact)
    keyboards: dict[int, tuple[tuple[str, ...], bool]] = field(default_factory=dict)
    # chat id -> the bot message that carries the last inline keyboard (for a tap on it)
    messages: dict[int, JSON] = field(default_factory=dict)
    # chat id -> what the bot sent there, in order: (API method, text or caption)
    sent: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    async def __call__(
        self,
        make_request: Callable[[Bot, TelegramMethod[TelegramType]], Awaitable[Any]],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        # aiogram's annotations say Response, but what comes back is the call's result
        started = time.perf_counter()
        try:
            response = await make_request(bot, method)
        finally:
            waited = API_WAIT.get()
            if waited is not None:
                waited[0] += time.perf_counter() - started
        chat_id = getattr(method, "chat_id", None)
        markup = getattr(method, "reply_markup", None)
        if not isinstance(chat_id, int):
            return response
        said = getattr(method, "text", None) or getattr(method, "caption", None)
        self.sent.setdefault(chat_id, []).append((method.__api_method__, str(said or "")))
        if isinstance(markup, InlineKeyboardMarkup):
            ids = tuple(
                b.callback_data
                for row in markup.inline_keyboard
                for b in row
                if b.callback_data is not None
            )
            self.keyboards[chat_id] = (ids, False)
            # the bot's replies come back unread (bot.channels.telegram_session): the Bot
            # API's JSON; the baseline's as aiogram's Message
            sent_id = response.get("message_id") if isinstance(response, dict) else None
            if isinstance(response, Message):
                sent_id = response.message_id
            if isinstance(sent_id, int):
                self.messages[chat_id] = {
                    "message_id": sent_id,
                    "from": self.bot_user,
                    "chat": {"id": chat_id, "type": "private", "first_name": "User"},
                    "date": int(time.time()),
                    "text": "…",
                }
        elif isinstance(markup, ReplyKeyboardMarkup):
            contact = any(b.request_contact for row in markup.keyboard for b in row)
            self.keyboards[chat_id] = ((), contact)
        return response
