"""A blocked person across two workers (issue 14): told once, then nothing of theirs is
processed, after Redis lost its data too; unblocked, served again, both audited. The
harness is tests/integration/abuse_two.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Block, OutboxMessage, Request, StatusEvent
from tests.integration.abuse_two import (
    OFFICER,
    OTHER,
    PERSON,
    STAFF_CHAT,
    Two,
    _two,
)
from tests.integration.test_db_requests import submission


@pytest.fixture
async def two(
    redis_url: str,
    redis_client: Redis,  # flushes the database first
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path):
        yield harness


async def test_a_blocked_person_is_told_once_then_nothing_of_theirs_is_processed(
    two: Two,
) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id), locale="en"))).number
    assert await two.says(0, PERSON, "/start")  # served before the block
    said = await two.staff(1, f"/block {number} رسائل مسيئة متكررة")
    assert "حُظِر صاحب الطلب رقم" in said and "رسائل مسيئة متكررة" in said
    assert (
        "بقرار من \u2068نورة العتيبي\u2069" in said
    )  # isolated; not «حظر نورة»: right whoever the officer is
    await two.redis.delete(f"tawasul:dlg:{{telegram:{PERSON.id}}}")
    rows = {m: await two.count(m) for m in (Request, OutboxMessage, StatusEvent)}
    staff_before = len(two.api.texts(STAFF_CHAT))

    # the first message after the block, on the other worker: one polite answer, in English
    [told] = await two.says(0, PERSON, "hello?")
    assert "no longer being handled" in told and "Absher" in told and "branch" in told
    assert "مسيئة" not in told  # the reason is for the officers
    # then nothing on either worker: no answer, no state, no SQL row, no staff message
    for worker, text in ((1, "hello??"), (0, "/start"), (1, "2000000006")):
        assert await two.says(worker, PERSON, text) == []
    photo = two.updates.photo(PERSON)
    await two.feed(1, photo)
    assert two.api.texts(PERSON.id)[-1] == told
    assert "getFile" not in two.api.methods()  # the photo was not even downloaded
    assert not await two.has_state(PERSON)
    assert {m: await two.count(m) for m in rows} == rows
    assert len(two.api.texts(STAFF_CHAT)) == staff_before
    # someone else is served as usual
    assert await two.says(1, OTHER, "/start")


async def test_a_block_survives_redis_losing_its_data(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    await two.staff(0, f"/block {number} احتيال")
    await two.says(1, PERSON, "مرحبا")  # told once
    await two.redis.flushdb()  # Redis lost everything; SQL keeps the block
    [again] = await two.says(0, PERSON, "مرحبا")  # told again: the «told» mark was lost too
    assert "لم تعد رسائلك" in again
    assert await two.says(1, PERSON, "مرحبا") == []
    assert not await two.has_state(PERSON)


async def test_unblock_serves_the_person_again_and_both_are_audited(two: Two) -> None:
    number = (await two.filing.submit(submission(user_key=str(PERSON.id)))).number
    await two.staff(0, f"/block {number} رسائل مزعجة")
    assert "محظور من قبل" in await two.staff(1, f"/block {number} مرة أخرى")
    await two.says(1, PERSON, "مرحبا")
    said = await two.staff(1, f"/unblock {number}")
    assert (
        "رُفِع الحظر عن صاحب الطلب" in said and "وكان الحظر بقرار من \u2068نورة العتيبي\u2069" in said
    )
    assert "غير محظور" in await two.staff(0, f"/unblock {number}")
    assert await two.says(0, PERSON, "/start")  # the dialogue answers again
    assert await two.has_state(PERSON)
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.user_key == str(PERSON.id) and row.request_number == number
    assert row.reason == "رسائل مزعجة" and row.blocked_by == f"officer:{OFFICER.id}:نورة العتيبي"
    assert row.unblocked_by == f"officer:{OFFICER.id}:نورة العتيبي" and row.unblocked_at
