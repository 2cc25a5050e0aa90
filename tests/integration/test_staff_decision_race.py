"""Two officers deciding the same request at the same instant, on two workers.

An officer of a national service expects one decision per request, whoever pressed first,
and the other told who decided, not a second rejection sent to the person or an error.
Both officers open the reasons menu of a request nobody has taken, then each picks a
reason at once, one on each worker (one Redis, one database: SQLite and PostgreSQL).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage
from domain.status import RequestStatus
from tests.integration.test_staff_menu_replies import _feed, _worker
from tests.integration.test_staff_router import COLLEAGUE, OFFICER, STAFF_CHAT, Harness, h

__all__ = ["h"]  # the fixture


async def test_two_officers_rejecting_at_once_on_two_workers_make_one_decision(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "no", card)
    officers_menu = h.api.last_message(STAFF_CHAT)
    await _feed(h, other, h.updates.callback(COLLEAGUE, h.data("no", card), message=card))
    colleagues_menu = h.api.last_message(STAFF_CHAT)
    assert officers_menu is not None and colleagues_menu is not None
    assert officers_menu["message_id"] != colleagues_menu["message_id"]
    async with db_sessionmaker() as session:
        before = await session.scalar(select(func.count()).select_from(OutboxMessage))
    await asyncio.gather(
        h.press(OFFICER, "nr:0", officers_menu),
        _feed(
            h,
            other,
            h.updates.callback(COLLEAGUE, h.data("nr:1", colleagues_menu), message=colleagues_menu),
        ),
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    rejections = [e for e in record.events if e.to_status is RequestStatus.REJECTED]
    assert len(rejections) == 1  # one decision
    alerts = [str(c.params.get("text")) for c in h.answers()][-2:]
    winner = "نورة العتيبي" if record.assigned_to == f"officer:{OFFICER.id}" else "فهد"
    # the one who came second is told, with a name or the state, not a generic error
    assert not any("حدث خطأ" in a for a in alerts), alerts
    assert sum(winner in a or "مرفوض" in a for a in alerts) == 2, alerts
    # the person is told once: one notice among the rows queued by the decision
    async with db_sessionmaker() as session:
        notices = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.channel != "staff")
        )
        total = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert total is not None and before is not None and total > before
    assert notices == 1, notices
