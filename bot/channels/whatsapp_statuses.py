"""WhatsApp delivery callbacks: :class:`StatusRecorder` writes sent / delivered / read /
failed onto the outbox row whose ``provider_message_id`` is the message's wamid, and
schedules a retry of failed deliveries (a few times) before reporting them failed."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.whatsapp import (
    DELIVERY_BACKOFF_S,
    MAX_DELIVERY_ATTEMPTS,
    PERMANENT_ERRORS,
    WINDOW_CLOSED_ERROR,
    last_inbound_key,
)
from bot.channels.whatsapp_inbound import DeliveryStatus
from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

_STATUS_RANK: Final = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}

# ------------------------------------------------------------------------ statuses


@dataclass
class StatusRecorder:
    """Delivery callbacks onto the outbox (see the module docstring)."""

    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    clock: Callable[[], dt.datetime] = field(default=utcnow)
    max_attempts: int = MAX_DELIVERY_ATTEMPTS

    async def record(self, status: DeliveryStatus) -> None:
        async with self.sessions.begin() as session:
            # read then write: take SQLite's write lock up front (a deferred BEGIN fails at
            # once when another worker wrote meanwhile); PostgreSQL locks the row instead
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            row = await session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.provider_message_id == status.wamid)
                .with_for_update()
            )
            if row is None:
                # a direct reply in a conversation: those are not tracked in the outbox
                return
            if status.status == "failed":
                await self._failed(row, status)
            elif _STATUS_RANK.get(status.status, 0) > _STATUS_RANK.get(row.delivery_status, 0):
                # callbacks come out of order ("read" before "delivered"): only move forward
                row.delivery_status = status.status

    async def _failed(self, row: OutboxMessage, status: DeliveryStatus) -> None:
        codes = {e.code for e in status.errors}
        row.last_error = (
            "; ".join(f"{e.code} {e.title}".strip() for e in status.errors)[:500] or "failed"
        )
        if WINDOW_CLOSED_ERROR in codes:
            # our clock thought the window open; forget it so the retry is a template
            await self.redis.delete(last_inbound_key(row.target))
        # a send the platform accepted then failed is an attempt too: the dispatcher only
        # counts the ones that failed on the spot, and without this a row would requeue
        # for ever
        row.attempts += 1
        if row.attempts < self.max_attempts and not codes & PERMANENT_ERRORS:
            delay = DELIVERY_BACKOFF_S * 2 ** max(row.attempts - 1, 0)
            row.sent_at = None
            row.claimed_until = None
            row.next_attempt_at = self.clock() + dt.timedelta(seconds=delay)
            row.delivery_status = "queued"
            log.info(
                "outbox %s: delivery failed (%s); retry in %s s", row.id, row.last_error, delay
            )
        else:
            row.delivery_status = "failed"
            log.warning("outbox %s: delivery failed for good (%s)", row.id, row.last_error)
