"""«ايوه» to «الإبقاء على وصفي» on the other worker (shared Redis, SQLite and
PostgreSQL): helper 22, it replaced the story kept with a too short description."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from conversations.events import Command, Contact, Media
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

STORY = "اقامتي انتهت من شهر والكفيل مسافر وابي اجددها قبل ما تزيد الغرامة"


async def _offered(person: Person) -> None:
    """The story told first, an iqama renewal walked to «الإبقاء على وصفي», the turns
    spread over the two workers."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says(STORY, worker=0)
    await person.taps("s:iqama_renew", worker=1)
    await person.taps("q:inside", worker=0)
    await person.says("2000000006", worker=1)
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    assert "keep_description" in [c.id for c in said[-1].choices]


async def test_yes_keeps_the_story_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _offered(person)
    said = await person.says("ايوه", worker=1)
    assert "للمستندات" in said[-1].text, said[-1].text
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=0)
    await person.taps("done", worker=1)
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.description == STORY


async def test_no_then_a_new_text_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # helper 22: «لا» to «الإبقاء على وصفي» began a new, too short description
    await _offered(person)
    said = await person.says("لا", worker=1)
    assert "يُرجى كتابة الوصف الجديد" in said[-1].text, said[-1].text
    said = await person.says("1", worker=0)  # the keep button's number: the story stays
    assert "للمستندات" in said[-1].text, said[-1].text
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=1)
    await person.taps("done", worker=0)
    await person.taps("confirm", worker=1)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.description == STORY
