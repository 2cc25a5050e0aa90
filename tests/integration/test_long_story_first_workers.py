"""A story longer than a description may be, as a first message naming no service, over
two workers on the shared Redis and SQL (SQLite and PostgreSQL): helper 22's probe, a
3000-character account got the menu and was lost. Its start is kept on one worker and
filed from the other."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from conversations.events import Contact, Media
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

STORY = (
    "والله تعبت من المراجعات كل مرة اروح الفرع يقولون لي راجعنا بعدين وما احد يرد على "
    "الجوال ولا على الايميل "
) * 30


async def test_a_long_first_story_is_kept_and_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    said = await person.says(STORY, worker=0)
    text = "\n".join(r.text for r in said)
    assert "فاحتفظتُ ببدايته" in text, text
    await person.taps("ind", worker=1)
    await person.taps("g:support", worker=0)
    await person.taps("s:other", worker=1)
    said = await person.says("2000000006", worker=0)
    said = await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    assert "keep_description" in [c.id for c in said[-1].choices], said[-1].text
    await person.taps("keep_description", worker=0)
    media = Media(person.origin(), "photo", "file-a", "image/jpeg", 1000, None, "a" * 64)
    await person.send(media, worker=1)
    await person.taps("done", worker=0)
    await person.taps("confirm", worker=1)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None and filed.description.startswith("والله تعبت من المراجعات")
