"""Words told at the summary with a word of adding («ابي اضيف ان الكفيل مسافر») are added to
the description at once, over two workers on the shared Redis and SQL (SQLite and
PostgreSQL), and filed with it (helper 235: they were dropped with «لم يُرسَل طلبك»). The
summary asked again under «مساعدة» keeps to one page of choices."""

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


async def test_words_told_at_the_summary_are_filed_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت اقامتي وابشر ما يقبل التجديد", worker=0)
    photo = Media(person.origin(), "photo", "file-t", "image/jpeg", 1000, None, "c" * 64)
    await person.send(photo, worker=1)
    said = await person.taps("done", worker=0)
    assert "confirm" in [c.id for c in said[-1].choices]
    said = await person.says("ابي اضيف ان الكفيل مسافر", worker=1)
    text = "\n".join(r.text for r in said)
    assert "أضفتُه إلى وصفك" in text and "الكفيل مسافر" in text, text
    await person.taps("confirm", worker=0)
    async with db_sessionmaker() as session:
        filed = await session.scalar(select(Request).where(Request.user_key == USER))
    assert filed is not None
    assert filed.description.endswith("\nابي اضيف ان الكفيل مسافر"), filed.description


async def test_help_at_the_summary_keeps_one_page_over_two_workers(person: Person) -> None:
    # helper 235: twelve numbered choices under «مساعدة» at the summary
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت اقامتي وابشر ما يقبل التجديد", worker=0)
    photo = Media(person.origin(), "photo", "file-h", "image/jpeg", 1000, None, "d" * 64)
    await person.send(photo, worker=1)
    await person.taps("done", worker=0)
    said = await person.says("مساعدة", worker=1)
    shown = [c.id for c in said[-1].choices if c.id not in ("back", "help", "cancel")]
    assert len(shown) <= 9 and shown[0] == "confirm", shown
    said = await person.taps("confirm", worker=0)
    assert "تم استلام طلبك" in said[0].text, said[0].text


async def test_the_send_word_at_the_summary_sends_over_two_workers(person: Person) -> None:
    # the fresh-clone probe: «إرسال» asked which of two buttons was meant
    await _half_filled(person)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=1)
    await person.says("انتهت اقامتي وابشر ما يقبل التجديد", worker=0)
    photo = Media(person.origin(), "photo", "file-s2", "image/jpeg", 1000, None, "e" * 64)
    await person.send(photo, worker=1)
    await person.taps("done", worker=0)
    said = await person.says("إرسال", worker=1)
    assert "تم استلام طلبك" in said[0].text, said[0].text
