"""The documents step over two workers (helper 233): «تمم» after a photo is «Done» and a
question typed there goes to the officer, said so; what was filed is read from SQL. On
real parts: the shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

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
ASKED = "من وين اجيب ايصال السداد؟"


async def test_a_question_and_a_typo_of_done_at_the_documents_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)  # at the phone step, on worker 0
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says(DESCRIBED, worker=0)
    said = await person.says(ASKED, worker=1)
    assert "ليجيب عنه الموظف المختص" in said[-1].text, said[-1].text
    photo = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(photo, worker=0)
    said = await person.says("تمم", worker=1)
    assert "يُرجى مراجعة طلبك" in said[-1].text, said[-1].text
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.description == f"{DESCRIBED}\n{ASKED}"
