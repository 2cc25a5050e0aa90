"""The outbox dispatcher with the Telegram handlers, built from the running services.

Other channels register themselves on the result::

    dispatcher = build_delivery(services, bot)
    dispatcher.handlers["whatsapp"] = WhatsAppDelivery(...)
    await dispatcher.run_forever(stop)

Rows of a channel with no handler in this process stay queued for a process that has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from aiogram import Bot

from bot.app import Services
from bot.db.models import utcnow
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.handlers import DeliveryHandler
from bot.outbox.queue import STAFF
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.outbox.receipts import WithReceipts
from bot.outbox.telegram_delivery import (
    SkipStaffDelivery,
    TelegramCardSend,
    TelegramPersonDelivery,
    TelegramStaffDelivery,
)
from bot.settings import holidays_of
from bot.staff.cards import CardRenderer
from bot.staff.views import StaffViews
from conversations.i18n import DEFAULT_LOCALE
from domain.catalogue import load_catalogue

TELEGRAM = "telegram"


def build_delivery(
    services: Services,
    bot: Bot | None,
    *,
    limits: TelegramLimits | None = None,
    staff_locale: str = DEFAULT_LOCALE,
    clock: Callable[[], dt.datetime] = utcnow,
    lease_s: float = 60.0,
) -> OutboxDispatcher:
    """Handlers for "telegram" (people) and "staff" (the staff group) when there is a bot;
    without a staff group (or without a bot) staff rows are closed as skipped, since the
    officers then work in ``tawasul staff``."""
    settings = services.settings
    limits = limits or TelegramLimits()
    handlers: dict[str, DeliveryHandler] = {STAFF: SkipStaffDelivery()}
    if bot is not None:
        limiter = RateLimiter(services.redis)
        handlers[TELEGRAM] = WithReceipts(
            TelegramPersonDelivery(bot, limiter, limits),
            services.cards,
            TelegramCardSend(bot, limiter, limits),
        )
        if settings.staff_chat_id is not None:
            holidays = holidays_of(settings)
            views = StaffViews(load_catalogue(), locale=staff_locale, holidays=holidays)
            handlers[STAFF] = TelegramStaffDelivery(
                services.sessions,
                bot,
                limiter,
                CardRenderer(views),
                services.media,
                chat_id=settings.staff_chat_id,
                limits=limits,
                forum=settings.staff_forum,
                topic_ids=settings.staff_topic_ids,
                clock=clock,
            )
    dispatcher = OutboxDispatcher(services.sessions, handlers, clock=clock, lease_s=lease_s)
    # a card released by a channel of this process goes out at once, not at the next poll
    services.receipts.kick = dispatcher.kick
    return dispatcher
