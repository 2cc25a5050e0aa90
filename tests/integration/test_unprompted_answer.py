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
from conversations.events import Choice, Command, Media, Origin, Text
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


async def test_a_menu_number_at_the_first_menu_is_the_menus_on_two_workers(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Tester 14 (open): «1» at the first menu while an officer's question waited was taken
    as the answer. Two workers on one Redis and one database: «1» is asked about, and «لا»
    on the other worker chooses «فرد» (the menu it was typed under kept in Redis) and the
    request still waits for its answer; words typed at the menu by another person with a
    question waiting are still that person's answer, sent by «إرسال» on the other worker."""
    catalogue = load_catalogue()
    requests = SqlRequestGateway(db_sessionmaker, clock=lambda: SUNDAY)
    desk = StaffDesk(db_sessionmaker, catalogue, clock=lambda: SUNDAY)
    workers = [
        Engine(
            RedisDialogueStore(redis_client),
            INTAKE,
            catalogue,
            Gateway(requests, desk),
            clock=lambda: SUNDAY,
        )
        for _ in range(2)
    ]
    picked = await requests.submit(submission("draft-1", user_key="5551001"))
    answered = await requests.submit(submission("draft-2", user_key="5551002"))
    for filed in (picked, answered):
        await desk.ask(filed.number, Officer(7001, "نورة"), "هل صاحب الإقامة داخل المملكة؟")
    ids = iter(range(1, 100))

    def origin(user: str) -> Origin:
        return Origin("telegram", user, f"u{next(ids)}")

    await workers[0].handle(Command(origin("5551001"), "start"))
    said = "\n".join(r.text for r in await workers[1].handle(Text(origin("5551001"), "1")))
    assert "هل رسالتك هي الإجابة" in said, said  # «1» may be either: asked (review 15 §2)
    said = "\n".join(r.text for r in await workers[0].handle(Choice(origin("5551001"), "notans")))
    assert "لم تُرسل بعد" not in said and "ما الخدمة" in said, said
    record = await desk.find(picked.number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO

    await workers[0].handle(Command(origin("5551002"), "start"))
    said = "\n".join(
        r.text for r in await workers[1].handle(Text(origin("5551002"), "نعم هو في الرياض"))
    )
    assert "لم تُرسل بعد" in said, said
    await workers[0].handle(Text(origin("5551002"), "إرسال"))
    record = await desk.find(answered.number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.events[-1].reason == "نعم هو في الرياض"


async def test_cancel_while_answering_keeps_the_question_open_on_two_workers(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """«إلغاء» in the middle of an answer (begun on one worker, cancelled on the other):
    said that the answer was not sent and the question still waits, never «ولم يُرسَل
    الطلب الذي بدأت تعبئته»; the request still waits for its answer."""
    catalogue = load_catalogue()
    requests = SqlRequestGateway(db_sessionmaker, clock=lambda: SUNDAY)
    desk = StaffDesk(db_sessionmaker, catalogue, clock=lambda: SUNDAY)
    workers = [
        Engine(
            RedisDialogueStore(redis_client),
            INTAKE,
            catalogue,
            Gateway(requests, desk),
            clock=lambda: SUNDAY,
        )
        for _ in range(2)
    ]
    filed = await requests.submit(submission())
    await desk.ask(filed.number, Officer(7001, "نورة"), "ما تاريخ انتهاء الإقامة؟")
    ids = iter(range(1, 100))

    def origin() -> Origin:
        return Origin("telegram", "5551001", f"u{next(ids)}")

    await workers[0].handle(Text(origin(), "تنتهي يوم ١٥ ديسمبر"))
    said = "\n".join(r.text for r in await workers[1].handle(Text(origin(), "إلغاء")))
    assert "لم يُرسَل ردّك" in said and "بدأت تعبئته" not in said, said
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
