"""«تخطي» at a documents step that needs one, over two workers (shared Redis, SQLite
and PostgreSQL): found trying the terminal chat (session 22), it was added to the
description. It says a document is needed; with one sent, it is «Done»."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from conversations.events import Contact, Media
from tests.integration.test_their_say import USER, Person, _half_filled
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

DESCRIBED = "انتهت الإقامة وأحتاج إلى تجديدها قبل السفر"


@pytest.mark.parametrize(
    ("first", "then"),
    # helper 22's recheck: «التالي» and «لاحقا» were added to the description too
    [("تخطي", "تخطي"), ("لاحقا", "التالي")],
)
async def test_skip_is_no_description_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession], first: str, then: str
) -> None:
    await _half_filled(person)  # at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says(DESCRIBED, worker=0)
    said = await person.says(first, worker=1)
    assert "دون مستند واحد على الأقل" in said[-1].text, said[-1].text
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=0)
    said = await person.says(then, worker=1)
    assert "يُرجى مراجعة طلبك" in said[-1].text, said[-1].text
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.description == DESCRIBED


async def test_a_wish_to_change_the_description_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 23: «ابي اغير الوصف», «غلطت في رقم الاقامه» at the documents were described
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says(DESCRIBED, worker=0)
    said = await person.says("غلطت في رقم الاقامه", worker=1)
    assert "«تعديل رقم الهوية»" in said[-1].text, said[-1].text
    said = await person.says("ابي اغير الوصف", worker=0)
    assert "keep_description" in [c.id for c in said[-1].choices], said[-1].text
    await person.says("انتهت الإقامة وأحتاج إلى تجديدها قبل السفر الشهر القادم", worker=1)
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=0)
    await person.taps("done", worker=1)
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None
    assert filed.description == "انتهت الإقامة وأحتاج إلى تجديدها قبل السفر الشهر القادم"
