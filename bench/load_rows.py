"""What the database holds after a run of bench/load.py: requests and their files per
resident, and the outbox rows not sent yet."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.models import Attachment, OutboxMessage, Request


@dataclass
class Rows:
    """What the database holds for the residents: requests and attached files per
    resident (user_key), and the outbox rows not sent yet."""

    requests: dict[str, int]
    files: dict[str, int]
    unsent: int


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
    finally:
        await engine.dispose()
    return Rows(per_user, per_user_files, int(unsent or 0))


async def drain_outbox(database_url: str, users: set[str], wait_s: float) -> Rows:
    """The rows once the outbox has sent everything (or `wait_s` passed)."""
    deadline = time.monotonic() + wait_s
    while True:
        rows = await count_rows(database_url, users)
        if rows.unsent == 0 or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.5)
