"""The Prometheus metrics ``GET /metrics`` serves (prometheus-client's text format).

Every name starts with ``tawasul_``. Labels are drawn from small fixed sets (channel,
outcome): never a user key, chat id, phone or identity number, so a scrape holds no
personal data and the series count stays bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, utcnow

#: The process's registry (not prometheus-client's global one, so that importing this
#: module twice in tests or beside another library cannot clash on names).
REGISTRY: Final = CollectorRegistry()

CONTENT_TYPE: Final = CONTENT_TYPE_LATEST

#: outcome: "ok" (handled), "duplicate" (a redelivery recognised and skipped),
#: "error" (failed on our side; logged by type and place).
UPDATES_HANDLED: Final = Counter(
    "tawasul_updates_handled",
    "Updates (Telegram) and messages/statuses (WhatsApp) taken from a webhook, by outcome.",
    ["channel", "outcome"],
    registry=REGISTRY,
)
HANDLING_SECONDS: Final = Histogram(
    "tawasul_update_handling_seconds",
    "Time from taking an update off the webhook queue to its replies sent.",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
WEBHOOK_QUEUE_DEPTH: Final = Gauge(
    "tawasul_webhook_queue_depth",
    "Accepted webhook updates waiting to be handled in this process.",
    ["channel"],
    registry=REGISTRY,
)
OUTBOX_PENDING: Final = Gauge(
    "tawasul_outbox_pending",
    "Outbox rows (notifications, staff cards) not yet sent.",
    registry=REGISTRY,
)
OUTBOX_OLDEST_AGE: Final = Gauge(
    "tawasul_outbox_oldest_pending_age_seconds",
    "Age of the oldest unsent outbox row (0 when none waits).",
    registry=REGISTRY,
)

CHANNELS: Final = ("telegram", "whatsapp")


async def refresh_outbox(
    sessions: async_sessionmaker[AsyncSession], now: Callable[[], dt.datetime] = utcnow
) -> None:
    """Reads the outbox's unsent rows (count, oldest) into the gauges; done at each scrape
    so every worker reports the shared database's figure. Raises SQLAlchemyError."""
    async with sessions() as session:
        count, oldest = (
            await session.execute(
                select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.sent_at.is_(None)
                )
            )
        ).one()
    OUTBOX_PENDING.set(count)
    if oldest is None:
        OUTBOX_OLDEST_AGE.set(0.0)
        return
    if oldest.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        oldest = oldest.replace(tzinfo=dt.UTC)
    OUTBOX_OLDEST_AGE.set(max(0.0, (now() - oldest).total_seconds()))


def exposition() -> bytes:
    """The registry in the Prometheus text format."""
    return generate_latest(REGISTRY)
