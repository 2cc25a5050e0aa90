"""Notifications to WhatsApp users that wait for the person's 24-hour window.

WhatsApp lets a business write freely only within 24 hours of the person's last message;
after that only an approved template may go. Without a template configured, a decision
made days later cannot be sent now, and it must not be lost: its outbox row stays queued,
marked in ``last_error`` with :data:`WAITING_FOR_WINDOW`, and is delivered first thing
when the person next writes (the channel claims and sends it before the dialogue answers).
The mark lives in SQL, so any worker can count the rows waiting and any worker's channel
can deliver them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage
from bot.outbox.claims import QUEUED, as_row
from bot.outbox.handlers import OutboxRow

WHATSAPP: Final = "whatsapp"
#: ``outbox.last_error`` of a row waiting for the person to write (it is not an error).
WAITING_FOR_WINDOW: Final = "waiting for the person's next message (24-hour window closed)"


@asynccontextmanager
async def _transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with sessions() as session, session.begin():
        # SQLite: take the write lock up front (a deferred BEGIN fails when another worker
        # wrote in between); PostgreSQL locks the rows with FOR UPDATE instead
        await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        yield session


async def mark_waiting(sessions: async_sessionmaker[AsyncSession], row_id: int) -> None:
    """Marks a row as waiting for the window (the dispatcher keeps it queued)."""
    async with _transaction(sessions) as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.sent_at.is_(None))
            .values(last_error=WAITING_FOR_WINDOW)
            .execution_options(synchronize_session=False)
        )


async def count_waiting(session: AsyncSession) -> int:
    """How many notifications wait for a person to write (for the staff digest)."""
    total = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.channel == WHATSAPP,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.delivery_status == QUEUED,
            OutboxMessage.last_error == WAITING_FOR_WINDOW,
        )
    )
    return int(total or 0)


def _unsent_of(user_key: str) -> tuple[ColumnElement[bool], ...]:
    return (
        OutboxMessage.channel == WHATSAPP,
        OutboxMessage.target == user_key,
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.delivery_status == QUEUED,
    )


async def claim_waiting(
    sessions: async_sessionmaker[AsyncSession],
    user_key: str,
    now: dt.datetime,
    until: dt.datetime,
) -> list[OutboxRow]:
    """Claims (like the dispatcher, with ``claimed_until`` as the token) every unsent
    WhatsApp row of the person that waits for their window, and the due rows queued behind
    them, oldest first (a row not yet due for another reason, such as the grace period
    of a decision, stops the claim there). Rows another worker holds are left to it. A cheap read comes
    first, so a person with nothing waiting costs no write lock."""
    async with sessions() as session:
        waiting = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(*_unsent_of(user_key), OutboxMessage.last_error == WAITING_FOR_WINDOW)
        )
    if not waiting:
        return []
    async with _transaction(sessions) as session:
        unsent = await session.scalars(
            select(OutboxMessage)
            .where(*_unsent_of(user_key))
            .order_by(OutboxMessage.id)
            .with_for_update()
        )
        rows: list[OutboxMessage] = []
        for row in unsent:
            if row.claimed_until is not None and row.claimed_until >= now:
                break  # a dispatcher is sending it: what follows must not overtake it
            if row.last_error != WAITING_FOR_WINDOW and row.next_attempt_at > now:
                break  # not due yet for another reason (a decision's grace period, a backoff)
            row.claimed_until = until
            rows.append(row)
        return [as_row(r) for r in rows]


async def settle(
    sessions: async_sessionmaker[AsyncSession],
    row_id: int,
    until: dt.datetime,
    now: dt.datetime,
    wamid: str | None,
) -> None:
    """Records a claimed row as sent (`wamid` given) or hands it back to the dispatcher,
    due now (None); only while the claim is still ours."""
    values: dict[str, object]
    if wamid is not None:
        values = {
            "sent_at": now,
            "provider_message_id": wamid,
            "delivery_status": "sent",
            "last_error": None,
            "claimed_until": None,
        }
    else:
        values = {"claimed_until": None, "next_attempt_at": now}
    async with _transaction(sessions) as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.claimed_until == until)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
