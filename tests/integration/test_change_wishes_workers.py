"""A slip about a number told at the description step, over two workers on the shared
Redis and the database: not the description, and the number corrected at the summary."""

from __future__ import annotations

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


async def test_a_number_slip_at_the_description_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # identity 2000000006, at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    said = await person.says("غلطت في رقم الاقامه ابي اعدله", worker=0)
    assert "«تعديل رقم الهوية»" in said[-1].text and "يُرجى وصف طلبك" in said[-1].text
    await person.says(DESCRIBED, worker=1)
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=0)
    await person.taps("done", worker=1)
    await person.taps("e:id", worker=0)
    said = await person.says("2000000014", worker=1)
    assert "يُرجى مراجعة طلبك" in said[-1].text, said[-1].text
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.description == DESCRIBED
    assert filed.identity_number == "2000000014"
