"""«برا بس راجع بكرة» at «أين صاحب الإقامة الآن؟» over two workers (shared Redis,
SQLite and PostgreSQL): helper 21 (§9), the words were lost to the officer. Read on one
worker, they are filed with the description from the other."""

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


async def _at_the_wifes_location(person: Person) -> None:
    """A wife's iqama renewal at «أين صاحب الإقامة الآن؟», each turn on the other worker."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامة زوجتي", worker=0)
    await person.taps("s:iqama_renew", worker=1)


async def test_the_words_about_where_are_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _at_the_wifes_location(person)
    said = await person.says("برا بس راجع بكرة", worker=0)
    assert "رقم هوية صاحب الطلب" in said[-1].text, said[-1].text
    await person.says("2000000006", worker=1)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("اقامة زوجتي انتهت ونبي نجددها قبل ما ترجع", worker=1)
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=0)
    said = await person.taps("done", worker=1)
    assert "ما كُتب عن المكان: «\u2068برا بس راجع بكرة\u2069»" in said[-1].text, said[-1].text
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.eligibility["location"] == "outside"
    assert "برا بس راجع بكرة" in filed.description, filed.description


async def test_a_gulf_place_is_outside_over_two_workers(person: Person) -> None:
    # helper 22's recheck: «في الامارات», «بالبحرين» got «لم أفهم إجابتك»
    await _at_the_wifes_location(person)
    said = await person.says("في الامارات", worker=0)
    assert "رقم هوية صاحب الطلب" in said[-1].text, said[-1].text
    said = await person.says("رجوع", worker=1)
    assert "أين صاحب الإقامة الآن؟" in said[-1].text, said[-1].text


async def test_a_bare_city_abroad_is_outside_over_two_workers(person: Person) -> None:
    # helper 22's second recheck: «دبي» alone got «لم أفهم إجابتك»
    await _at_the_wifes_location(person)
    said = await person.says("دبي", worker=1)
    assert "رقم هوية صاحب الطلب" in said[-1].text, said[-1].text
