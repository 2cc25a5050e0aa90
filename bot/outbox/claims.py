"""Which outbox rows a worker may take now, and taking them.

**Claiming.** A row is due when it is unsent and still queued, its ``next_attempt_at`` has
come and nobody holds a live claim on it. A claim is ``claimed_until = now + lease``,
written in a short transaction of its own (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
workers claiming at the same time take different rows; ``BEGIN IMMEDIATE`` on SQLite, which
serialises the claims). A worker that dies holding a claim simply stops renewing nothing:
its rows come back when the lease runs out.

**Order.** Only the oldest unfinished row of each queue can be claimed, a queue being the
rows to one target on one channel (for the staff group: one request's rows). So a later
notification never overtakes an earlier one for the same person, even with several
workers, and one request's card is never edited before it was first sent. A row waiting
out a retry holds back the rows behind it; a failed row does not, nor does a receipt card
(a courtesy that follows its text, see :mod:`bot.outbox.receipts`).

Used by :class:`bot.outbox.dispatcher.OutboxDispatcher`, inside its transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from sqlalchemy import Select, and_, exists, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db.models import OutboxMessage
from bot.outbox.handlers import OutboxRow
from bot.outbox.queue import RECEIPT, STAFF

#: A row still to be delivered (the other states: bot.outbox.outcomes).
QUEUED: Final = "queued"


def due_rows(
    channels: Sequence[str], now: dt.datetime, *, batch: int, target: str | None
) -> Select[OutboxMessage]:
    """The query for at most ``batch`` due rows of ``channels`` (of one ``target`` only,
    when given), oldest first, the first unfinished row of each queue only, locked
    against other workers' claims (SKIP LOCKED where the database has it)."""
    row = OutboxMessage
    other = aliased(OutboxMessage)
    same_queue = and_(
        other.channel == row.channel,
        other.target == row.target,
        # the staff group is one target, but its queues are per request
        or_(
            row.channel != STAFF,
            other.request_id == row.request_id,
            and_(other.request_id.is_(None), row.request_id.is_(None)),
        ),
    )
    earlier_unfinished = (
        exists()
        .where(other.id < row.id, other.sent_at.is_(None), other.delivery_status == QUEUED)
        .where(other.kind != RECEIPT)
        .where(same_queue)
    )
    return (
        select(row)
        .where(
            row.sent_at.is_(None),
            row.delivery_status == QUEUED,
            row.next_attempt_at <= now,
            or_(row.claimed_until.is_(None), row.claimed_until < now),
            row.channel.in_(channels),
            ~earlier_unfinished,
        )
        .where(true() if target is None else row.target == target)
        .order_by(row.id)
        .limit(batch)
        .with_for_update(skip_locked=True, of=row)
    )


async def claim(
    session: AsyncSession, due: Select[OutboxMessage], until: dt.datetime
) -> list[OutboxRow]:
    """Claims the rows ``due`` selects until ``until`` (the claim's expiry is its token);
    the rows as handlers see them."""
    claimed = list(await session.scalars(due))
    for message in claimed:
        message.claimed_until = until
    return [as_row(m) for m in claimed]


def as_row(message: OutboxMessage) -> OutboxRow:
    """A claimed row as handlers see it: its values copied, so that no ORM object outlives
    the transaction that claimed it."""
    return OutboxRow(
        id=message.id,
        kind=message.kind,
        channel=message.channel,
        target=message.target,
        payload=dict(message.payload or {}),
        request_id=message.request_id,
        attempts=message.attempts,
    )


async def release(session: AsyncSession, ids: Sequence[int], until: dt.datetime) -> None:
    """Gives back the rows ``ids`` still claimed until ``until`` (not attempted), for the
    next round rather than after the lease."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_until == until)
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )
