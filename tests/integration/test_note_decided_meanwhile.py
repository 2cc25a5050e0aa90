"""A note being written when the decision arrives: «ارسال» shows the person's unsent words
back and says what was decided; on real parts: two workers on the shared Redis dialogue
store, the requests in SQL (SQLite and PostgreSQL). Found by tester 12 (§15, WhatsApp): the
words were lost unseen, and the reply said «وإن كان قد رُفض…» of a request the bot knew was
accepted."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person, _notice_sent
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

WORDS = "امي عندها موعد مستشفى يوم ١٥ ديسمبر"
HEDGE = "وإن كان قد رُفض"


async def _note_written(person: Person, number: str) -> None:
    await person.send(Command(person.origin(), "start", ""))
    await person.taps(f"note:{number}", worker=0)
    said = await person.says(WORDS, worker=1)
    assert "لم تُرسل بعد" in said[-1].text


async def test_accepted_meanwhile_the_words_come_back_and_nothing_more_is_needed(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await _note_written(person, filed.number)
    await desk.accept(filed.number, OFFICER)
    said = await person.says("ارسال", worker=0)
    text = "\n".join(r.text for r in said)
    assert WORDS in text
    assert HEDGE not in text
    assert "قُبل طلبك" in text
    assert f"recon:{filed.number}" not in [c.id for r in said for c in r.choices]


async def test_rejected_meanwhile_the_words_come_back_with_the_way_to_reconsider(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await _note_written(person, filed.number)
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _notice_sent(db_sessionmaker, filed.number)
    said = await person.says("ارسال", worker=1)
    text = "\n".join(r.text for r in said)
    assert WORDS in text
    assert HEDGE not in text
    assert "إعادة النظر" in text
    assert f"recon:{filed.number}" in [c.id for r in said for c in r.choices]
    # the button opens the reconsideration, where the words can be the reason
    said = await person.taps(f"recon:{filed.number}", worker=0)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
