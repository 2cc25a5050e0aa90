"""The outbox handler for people on WhatsApp: their notifications, inside the 24-hour
window as messages and outside it as the configured template (the sender decides).

Without a template a notification outside the window waits (see
:mod:`bot.outbox.window_wait`): the row stays queued, looks at the window again every
:data:`WINDOW_RECHECK_S`, and :meth:`WhatsAppDelivery.deliver_waiting` sends it when the
person next writes, before the dialogue answers them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Final

import httpx
from pywa_async.errors import WhatsAppError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.whatsapp import WhatsAppSender, WindowClosed, masked
from bot.channels.whatsapp_render import RenderError
from bot.db.models import utcnow
from bot.outbox.handlers import (
    DeliveryError,
    OutboxRow,
    PermanentFailure,
    RetryAfter,
    TemporaryFailure,
)
from bot.outbox.queue import replies_from_payload
from bot.outbox.window_wait import (
    WAITING_FOR_WINDOW,
    WHATSAPP,
    claim_waiting,
    mark_waiting,
    settle,
)
from conversations.events import Reply

__all__ = ["WHATSAPP", "WINDOW_RECHECK_S", "WhatsAppDelivery"]

log = logging.getLogger(__name__)

#: A waiting row looks at the window again this often by itself (the person's next
#: message delivers it at once; this catches a message handled by a worker whose
#: database was away for a moment).
WINDOW_RECHECK_S: Final = 3600.0
#: How long the channel holds the rows it delivers itself.
CLAIM_S: Final = 60.0


class WhatsAppDelivery:
    def __init__(
        self,
        sender: WhatsAppSender,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.sender = sender
        self.sessions = sessions
        self.clock = clock

    async def deliver(self, row: OutboxRow) -> str | None:
        replies = replies_from_payload(dict(row.payload))
        # the approved template's body parameters: the request number and its status, as
        # the person reads it
        params = [
            str(row.payload.get("number", "")),
            str(row.payload.get("status_label") or row.payload.get("status", "")),
        ]
        try:
            return await self.sender.send(row.target, replies, template_params=params)
        except WindowClosed as exc:
            # not lost: kept queued until the person writes (no attempt is counted)
            await mark_waiting(self.sessions, row.id)
            raise RetryAfter(WINDOW_RECHECK_S, WAITING_FOR_WINDOW) from exc
        except RenderError as exc:
            raise PermanentFailure(f"reply refused by our WhatsApp limits: {exc}") from exc
        except WhatsAppError as exc:
            raise TemporaryFailure(f"Graph API error {exc.code}") from exc

    async def deliver_waiting(self, user_key: str) -> int:
        """Sends, oldest first, the notifications that waited for this person to write
        (the channel calls it when their message has opened the window, before the
        dialogue answers), under one line saying why they come now. Returns how many
        went; one that fails goes back to the dispatcher with the rest behind it."""
        now = self.clock()
        until = now + dt.timedelta(seconds=CLAIM_S)
        rows = await claim_waiting(self.sessions, user_key, now, until)
        if not rows:
            return 0
        _ = (await self.sender.texts_for(user_key)).gettext
        why = _(
            "While you were away, there was news about your request. WhatsApp lets us "
            "write to you only within 24 hours of your last message, so it waited for you:"
        )
        sent = 0
        try:
            await self.sender.deliver(user_key, [Reply(why)])
            for row in rows:
                try:
                    wamid = await self.deliver(row)
                except (DeliveryError, WhatsAppError, httpx.HTTPError):
                    log.warning(
                        "waiting notification %s for %s not sent now", row.id, masked(user_key)
                    )
                    break
                await settle(self.sessions, row.id, until, self.clock(), wamid)
                sent += 1
        finally:
            for row in rows[sent:]:
                await settle(self.sessions, row.id, until, self.clock(), None)
        return sent
