"""After a request is filed, over two workers on the shared Redis and SQL (SQLite and
PostgreSQL): a status look-up keeps the next request the first message named, and «ابي
اقدم طلب جديد» starts a new one (helper 26's probe, faults 2 and 3)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.events import Command, Contact
from tests.integration.test_change_wishes_workers import filed_request
from tests.integration.test_their_say import Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def _filed_with_a_next(person: Person, sessions: async_sessionmaker[AsyncSession]) -> None:
    """The iqama's renewal filed, the exit and re-entry visa named beside it to come next."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    await person.taps("ind", worker=1)
    await person.says("ابي اجدد اقامتي وبعدين ابي خروج وعودة", worker=0)
    await person.taps("s:iqama_renew", worker=1)
    await person.taps("q:inside", worker=0)
    await person.says("2000000006", worker=1)
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says("انتهت إقامتي وحاولت التجديد من أبشر", worker=1)
    await filed_request(person, sessions, worker=0)


async def test_a_look_up_keeps_the_next_request_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _filed_with_a_next(person, db_sessionmaker)
    said = await person.taps("status", worker=1)  # the only request: its card at once
    assert "next_request" in [c.id for c in said[-1].choices], said[-1].text
    said = await person.says("الطلب التالي", worker=0)
    text = "\n".join(r.text for r in said)
    assert "«تأشيرة خروج وعودة»" in text, text
    # the writer's own next request: their identity number and mobile used, said so
    # (helper 233: the same iqama number was asked for again)
    assert "سأستخدم رقم الهوية الذي أرسلته سابقًا" in text, text
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text


async def test_a_new_request_in_words_after_filing_over_two_workers(
    person: Person, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _filed_with_a_next(person, db_sessionmaker)
    said = await person.says("ابي اقدم طلب جديد", worker=1)
    assert "ind" in [c.id for c in said[-1].choices], said[-1].text
    assert "إصدار هوية مقيم" not in "\n".join(r.text for r in said)
