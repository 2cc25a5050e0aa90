"""``tawasul webhook set | info | delete``: registering the Telegram webhook is a deploy
step, run once per deployment (never at a worker's start: N workers would each call
setWebhook, and a crash loop would hammer it)."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.channels.telegram import ALLOWED_UPDATES, make_bot
from bot.settings import Settings


async def run_webhook(settings: Settings, action: str, out: TextIO) -> int:
    """Do `action` ("set", "info", "delete") with the Bot API and print what Telegram
    reports to `out`; the exit status (0 done, 1 Telegram refused, 2 settings missing).
    Pending updates are never dropped."""
    if not settings.telegram_token:
        print("tawasul: TAWASUL_TELEGRAM_TOKEN is not set", file=out)
        return 2
    if action == "set" and not (settings.telegram_webhook_url and settings.telegram_webhook_secret):
        print(
            "tawasul: set TAWASUL_TELEGRAM_WEBHOOK_URL and TAWASUL_TELEGRAM_WEBHOOK_SECRET first",
            file=out,
        )
        return 2
    bot = make_bot(
        settings.telegram_token, settings.telegram_api_url, api_is_local=settings.telegram_api_local
    )
    try:
        if action == "set":
            assert settings.telegram_webhook_url and settings.telegram_webhook_secret
            await bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=settings.telegram_webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
                max_connections=settings.telegram_webhook_max_connections,
                drop_pending_updates=False,
            )
            print(f"webhook set: {settings.telegram_webhook_url}", file=out)
        elif action == "delete":
            # polling (the default) can then be used again; the updates wait for it
            await bot.delete_webhook(drop_pending_updates=False)
            print("webhook deleted; pending updates kept", file=out)
        await _print_info(bot, out)
    except TelegramAPIError as exc:
        print(f"tawasul: Telegram refused: {exc.message}", file=out)
        return 1
    finally:
        await bot.session.close()
    return 0


async def _print_info(bot: Bot, out: TextIO) -> None:
    info = await bot.get_webhook_info()
    print(f"url: {info.url or '(none: polling)'}", file=out)
    print(f"pending updates: {info.pending_update_count}", file=out)
    if info.max_connections is not None:
        print(f"max connections: {info.max_connections}", file=out)
    if info.allowed_updates is not None:
        print(f"allowed updates: {', '.join(info.allowed_updates)}", file=out)
    if info.last_error_date is not None:
        when = info.last_error_date
        if isinstance(when, int):
            when = dt.datetime.fromtimestamp(when, dt.UTC)
        print(f"last error: {when:%Y-%m-%d %H:%M:%S} UTC: {info.last_error_message}", file=out)
    else:
        print("last error: none", file=out)
