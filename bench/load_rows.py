"""What the database holds after a run of bench/load.py: requests and their files per
resident, and the outbox rows not sent yet."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.models import Attachment, OutboxMessage, Request, utcnow


@dataclass
class Rows:
    """What the database holds for the residents: requests and attached files per
    resident (user_key), and the outbox rows not sent yet."""

    requests: dict[str, int]
    files: dict[str, int]
    unsent: int
    #: each row not sent yet (ten at most): kind, channel, status, attempts, last error,
    #: seconds until its next attempt, whether a dispatcher holds it; what a run that did
    #: not drain left, to tell why (issue 11: one row of a Bot API run, not established)
    left: list[dict[str, object]] = field(default_factory=list)


async def count_rows(database_url: str, users: set[str]) -> Rows:
    """Raises SQLAlchemyError."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Request.user_key, func.count()).group_by(Request.user_key)
            )
            per_user = {key: n for key, n in rows if key in users}
            files = await conn.execute(
                select(Request.user_key, func.count(Attachment.id))
                .join(Attachment, Attachment.request_id == Request.id)
                .group_by(Request.user_key)
            )
            per_user_files = {key: n for key, n in files if key in users}
            unsent = await conn.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
            )
            left = (
                await conn.execute(
                    select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).limit(10)
                )
                if unsent
                else []
            )
            now = utcnow()
            shown = [_shown(row, now) for row in left]
    finally:
        await engine.dispose()
    return Rows(per_user, per_user_files, int(unsent or 0), shown)


def _shown(row: Any, now: dt.datetime) -> dict[str, object]:
    """One unsent row as the bench's JSON line shows it (no payload: no text of anyone's)."""

    def seconds(later: dt.datetime | None, earlier: dt.datetime | None) -> float | None:
        if later is None or earlier is None:
            return None
        return round((later.replace(tzinfo=None) - earlier.replace(tzinfo=None)).total_seconds(), 1)

    return {
        "kind": row.kind,
        "channel": row.channel,
        "status": row.delivery_status,
        "attempts": row.attempts,
        # the Bot API's description or an exception's type (simulated residents only)
        "last_error": (row.last_error or "")[:120],
        "due_in_s": seconds(row.next_attempt_at, now),
        "claimed_for_s": seconds(row.claimed_until, now),
        "age_s": seconds(now, row.created_at),
    }


async def drain_outbox(database_url: str, users: set[str], wait_s: float) -> Rows:
    """The rows once the outbox has sent everything (or `wait_s` passed)."""
    deadline = time.monotonic() + wait_s
    while True:
        rows = await count_rows(database_url, users)
        if rows.unsent == 0 or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.5)
