"""Issue 10 item 1 on real parts: an officer asks, the person simply types the answer (no
«Answer» button), types «تم», and the request is back under review with the answer on it.
The real engine and flows, the Redis dialogue store, SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.redis_store.dialogue import RedisDialogueStore
from bot.staff.desk import StaffDesk
from conversations.engine import Engine
from conversations.events import Media, Origin, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from officers.officer import Officer
from tests.integration.test_db_requests import submission

SUNDAY = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)


async def test_typed_answer_and_photo_reach_the_request_without_the_button(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    catalogue = load_catalogue()
    requests = SqlRequestGateway(db_sessionmaker, clock=lambda: SUNDAY)
    desk = StaffDesk(db_sessionmaker, catalogue, clock=lambda: SUNDAY)
    engine = Engine(
        RedisDialogueStore(redis_client), INTAKE, catalogue, Gateway(requests, desk),
        clock=lambda: SUNDAY,
    )  # fmt: skip
    filed = await requests.submit(submission())
    await desk.ask(filed.number, Officer(7001, "نورة"), "ما تاريخ انتهاء الإقامة؟")
    ids = iter(range(1, 100))

    def origin() -> Origin:
        return Origin("telegram", "5551001", f"u{next(ids)}")

    said = await engine.handle(Text(origin(), "تنتهي يوم ١٥ ديسمبر"))
    assert "ما تاريخ انتهاء الإقامة" in said[0].text
    assert "لم تُرسل بعد" in said[-1].text
    photo = Media(origin(), "photo", "file-9", "image/jpeg", 1000, None, "cd" * 32)
    await engine.handle(photo)
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO  # not sent yet
    said = await engine.handle(Text(origin(), "تم"))
    assert "أُضيف ردّك" in said[-1].text
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.events[-1].reason == "تنتهي يوم ١٥ ديسمبر"
    assert [a.ref for a in record.attachments][-1] == "file-9"
