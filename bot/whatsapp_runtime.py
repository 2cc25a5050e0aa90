"""The WhatsApp parts the web server serves, composed from the settings: the pywa client,
the sender, the channel, the status recorder, the outbox handler and the answer reminders
(split from bot.web, which serves them)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from bot.app import Services
from bot.channels.sent_marks import SentMarks
from bot.channels.whatsapp import WhatsAppSender
from bot.channels.whatsapp_channel import WhatsAppChannel
from bot.channels.whatsapp_client import close_client, make_client
from bot.channels.whatsapp_inbound import CHANNEL, NumberChange
from bot.channels.whatsapp_reminders import AnswerReminders
from bot.channels.whatsapp_renumber import Renumbered
from bot.channels.whatsapp_statuses import StatusRecorder
from bot.db.accounts import move_account
from bot.redis_ha import replicas_to_wait
from conversations.i18n import DEFAULT_LOCALE
from conversations.store import StoreUnavailable

if TYPE_CHECKING:
    from bot.outbox.whatsapp_delivery import WhatsAppDelivery

# the name it logged under before the split, which operators and tests filter on
log = logging.getLogger("bot.web")


@dataclass
class WhatsAppRuntime:
    """The WhatsApp parts the web app serves: built from the settings by
    :func:`whatsapp_runtime`, or given by a test."""

    channel: WhatsAppChannel
    recorder: StatusRecorder
    app_secret: str
    verify_token: str
    phone_id: str | None = None
    #: the outbox handler for rows with channel "whatsapp" (None: a test's runtime)
    delivery: WhatsAppDelivery | None = None
    #: reminders of answers begun and not sent (None: a test's runtime)
    reminders: AnswerReminders | None = None


@contextlib.asynccontextmanager
async def whatsapp_runtime(services: Services) -> AsyncIterator[WhatsAppRuntime]:
    """The WhatsApp channel for the configured business number (pywa client, sender,
    channel, status recorder), closed on exit."""
    settings = services.settings
    wa = make_client(settings)
    store = services.engine.store

    async def locale_of(user_key: str) -> str:
        # the language of a sent reply's own words (its buttons' «More», its list's
        # button): the reply's text was written in the person's language by the turn.
        # Redis away, the default: the turn's apology goes out all the same (issue 11)
        try:
            return (await store.load("whatsapp", user_key)).locale
        except (RedisError, StoreUnavailable):
            return DEFAULT_LOCALE

    sender = WhatsAppSender(
        wa,
        services.redis,
        locale_of=locale_of,
        template_name=settings.whatsapp_template_name,
        template_lang=settings.whatsapp_template_lang,
    )
    # deferred: bot.outbox imports the channel module
    from bot.outbox.whatsapp_delivery import WhatsAppDelivery

    delivery = WhatsAppDelivery(sender, services.sessions)
    reminders = AnswerReminders(services.redis, services.engine.store, sender, services.sessions)
    if not settings.whatsapp_template_name:
        log.warning(
            "WhatsApp: TAWASUL_WHATSAPP_TEMPLATE_NAME is not set, so a notification for "
            "someone who last wrote over 24 hours ago waits until they write again"
        )
    try:
        assert settings.whatsapp_app_secret and settings.whatsapp_verify_token
        yield WhatsAppRuntime(
            channel=WhatsAppChannel(
                services.engine.handle,
                sender,
                services.intake,
                deliver_waiting=delivery.deliver_waiting,
                renumbered=renumberer(services),
                after_turn=reminders.note,
                follow_ups=services.receipts,
                screen=services.screen,
                sent_marks=SentMarks(
                    services.redis, replicas=replicas_to_wait(settings.redis_sentinel_target)
                ),
            ),
            delivery=delivery,
            reminders=reminders,
            recorder=StatusRecorder(services.sessions, services.redis),
            app_secret=settings.whatsapp_app_secret,
            verify_token=settings.whatsapp_verify_token,
            phone_id=settings.whatsapp_phone_id,
        )
    finally:
        await close_client(wa)


def renumberer(services: Services) -> Renumbered:
    """What follows a WhatsApp user to their new number: the dialogue (Redis) and the
    account, requests and pending notifications (SQL)."""

    async def renumbered(change: NumberChange) -> None:
        if change.new_key != change.old_key:
            await services.engine.store.move(CHANNEL, change.old_key, change.new_key)
        moved = await move_account(
            services.sessions,
            CHANNEL,
            change.old_key,
            change.new_key,
            old_phone=f"+{change.old_wa_id}" if change.old_wa_id else None,
            new_phone=f"+{change.new_wa_id}" if change.new_wa_id else None,
        )
        log.info(
            "WhatsApp number change: %d account, %d requests, %d notifications moved",
            moved.accounts,
            moved.requests,
            moved.notifications,
        )

    return renumbered
