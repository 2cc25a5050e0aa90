"""An album at the description step while the words told before it are offered, over two
workers (helper 233: it was asked to describe the request): the offer is said again, and
«الإبقاء على وصفي» on the other worker files those words with the album. On real parts:
the shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Attachment, Request
from conversations.events import Command, Contact, Media
from tests.integration.test_their_say import USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person
from tests.unit.conversations.test_files_under_kept_words import OFFER, TOLD


async def test_an_album_under_the_kept_words_offer_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says(TOLD, worker=0)
    await person.taps("s:iqama_renew", worker=1)
    for typed, worker in (("1", 0), ("1", 1), ("2000000006", 0)):
        await person.says(typed, worker=worker)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    said: list = []
    for i, ref in enumerate(("a1", "a2")):
        photo = Media(person.origin(), "photo", ref, "image/jpeg", 1000, "A1", ref * 32)
        said += await person.send(photo, worker=i % 2)
    text = "\n".join(r.text for r in said)
    assert OFFER in text and "يُرجى وصف طلبك" not in text, text
    await person.taps("keep_description", worker=0)
    await person.taps("done", worker=1)
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
        assert filed is not None and filed.description == TOLD
        files = await session.scalar(
            select(func.count(Attachment.id)).where(Attachment.request_id == filed.id)
        )
    assert files == 2
