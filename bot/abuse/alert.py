"""The staff group's one alert of a flood of new chats (see :mod:`bot.abuse.guard`): one
staff-text row in the outbox, in the staff group's language, delivered by the dispatcher
like every other staff message. The guard calls it once per flood (a Redis key held for an
hour); the row's dedupe key, per hour, keeps a second alert out even if that key is lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse.guard import FloodAlert
from bot.db.models import utcnow
from bot.outbox.queue import staff_text
from bot.staff.views import HTML
from conversations.formatting import present
from conversations.i18n import DEFAULT_LOCALE, Texts


def flood_text(limit: int, window_s: int, locale: str = DEFAULT_LOCALE) -> str:
    """The alert, in Telegram HTML."""
    texts = Texts(locale)
    minutes = max(1, window_s // 60)
    head = texts.ngettext(
        "Flood of new chats: more than %(count)d people the bot had not seen before wrote within %(minutes)s.",
        "Flood of new chats: more than %(count)d people the bot had not seen before wrote within %(minutes)s.",
        limit,
    ) % {
        "count": limit,
        "minutes": texts.ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes},
    }
    rest = texts.gettext(
        "Further new chats are dropped before any work until the rate falls; people the bot already knows are served as usual. Nothing more is sent about this flood."
    )
    return "⚠️ " + HTML.b(present(head, locale, "arab")) + "\n" + HTML.t(rest)


def flood_alert(
    sessions: async_sessionmaker[AsyncSession],
    *,
    locale: str = DEFAULT_LOCALE,
    clock: Callable[[], dt.datetime] = utcnow,
) -> FloodAlert:
    async def alert(limit: int, window_s: int) -> None:
        hour = clock().strftime("%Y%m%d%H")
        try:
            async with sessions() as session, session.begin():
                staff_text(session, flood_text(limit, window_s, locale), dedupe_key=f"flood:{hour}")
        except IntegrityError:
            pass  # this hour's alert is already queued

    return alert
