"""The Bot API client the bot uses, and plain long polling (the one part of ``tawasul
run`` that talks to Telegram before any update; split from bot.channels.telegram, whose
names still lead here)."""

from __future__ import annotations

from typing import Final

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.middlewares.base import NextRequestMiddlewareType
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

from bot.channels.aiogram_models import pin_response_models
from bot.channels.telegram_session import BotApiSession
from bot.metrics import RATE_LIMITED

#: The update types the bot handles (residents' and staff routers): asked for by polling
#: and registered by `tawasul webhook set`, from here only. Edits and membership changes
#: are included (an edited answer, a person blocking the bot).
ALLOWED_UPDATES: Final = ("message", "edited_message", "callback_query", "my_chat_member")


async def _count_429(
    make_request: NextRequestMiddlewareType[TelegramType],
    bot: Bot,
    method: TelegramMethod[TelegramType],
) -> Response[TelegramType]:
    """Counts Telegram's 429s for /metrics, whoever sent the call (residents' replies, the
    outbox, the staff group)."""
    try:
        return await make_request(bot, method)
    except TelegramRetryAfter:
        RATE_LIMITED.labels("telegram").inc()
        raise


def make_bot(token: str, api_url: str | None = None, *, api_is_local: bool = False) -> Bot:
    """A Bot for the public Bot API, or for the server at `api_url`
    (TAWASUL_TELEGRAM_API_URL: a self-hosted Bot API server or a local stand-in).
    `api_is_local` is for a server started with ``--local``, which hands out file paths on
    its own disk instead of serving downloads."""
    # Bot API answers are read with these models: built once, never dropped
    pin_response_models()
    if api_url:
        server = TelegramAPIServer.from_base(api_url, is_local=api_is_local)
        session = BotApiSession(api=server)
    else:
        session = BotApiSession()
    session.middleware(_count_429)
    # No default parse_mode: resident chats are plain text (see telegram_render).
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=None))


async def run_polling(
    bot: Bot,
    dispatcher: Dispatcher,
    *,
    handle_signals: bool = True,
    close_bot_session: bool = True,
    polling_timeout: int = 10,
) -> None:
    """Long-poll until stopped. A webhook left over from another deployment would make
    getUpdates fail with 409, so it is removed first (keeping the pending updates).
    `close_bot_session` False keeps the bot usable after polling (the outbox sends with it
    while the accepted updates are finished, see bot.runner). `polling_timeout`: seconds
    each getUpdates waits at Telegram for updates (aiogram's default, 10)."""
    await bot.delete_webhook(drop_pending_updates=False)
    await dispatcher.start_polling(
        bot,
        handle_signals=handle_signals,
        close_bot_session=close_bot_session,
        allowed_updates=list(ALLOWED_UPDATES),
        polling_timeout=polling_timeout,
    )
