"""A photo sent after a request was decided, with no request open, is asked about instead of
starting a new draft (session 14's open list: it went into a new draft nobody began). After
a rejection that may still be reconsidered it is offered with «طلب إعادة النظر» and goes with
that request; after an acceptance it is said that nothing can be added, «لطلب جديد» keeps it
for a new request and «إلغاء» says it was not kept. Real parts: two workers on one Redis,
the requests in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Media, Reply
from domain.normalize import clean_input
from domain.status import RequestStatus
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person, _notice_sent
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

__all__ = ["clock", "desk", "filing", "person"]

KEPT_FOR_DRAFT = "احتفظتُ بصورتك"


def _text(said: list[Reply]) -> str:
    return clean_input("\n".join(r.text for r in said))


async def _photo(person: Person, worker: int, ref: str = "after-1") -> list[Reply]:
    photo = Media(person.origin(), "photo", ref, "image/jpeg", 1000, None, "ab" * 32)
    return await person.send(photo, worker)


async def test_a_photo_after_a_rejection_is_offered_with_a_reconsideration(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "صورة الجواز غير واضحة")
    await _notice_sent(db_sessionmaker, filed.number)
    await person.send(Command(person.origin(), "start", ""))
    said = await _photo(person, 0)
    text = _text(said)
    assert KEPT_FOR_DRAFT not in text and filed.number in text and "إعادة النظر" in text, text
    assert [c.id for c in said[-1].choices] == [f"recon:{filed.number}", "notans"]
    said = await person.taps(f"recon:{filed.number}", worker=1)
    assert "وصلت صورتك، وستُرسل مع طلب إعادة النظر" in _text(said), _text(said)
    await person.says("هذه صورة أوضح للجواز، أرجو إعادة النظر", worker=0)
    record = await desk.find(filed.number)
    assert record is not None and record.reconsider_reason
    assert "after-1" in [a.ref for a in record.attachments]


async def test_a_photo_after_an_acceptance_is_asked_about_not_kept_unasked(
    person: Person, filing: SqlRequestGateway, desk: StaffDesk
) -> None:
    filed = await filing.submit(submission(user_key=USER))
    await desk.accept(filed.number, OFFICER)
    await person.send(Command(person.origin(), "start", ""))
    said = await _photo(person, 1)
    text = _text(said)
    assert KEPT_FOR_DRAFT not in text and "صدر القرار في طلبك" in text and filed.number in text
    assert [c.id for c in said[-1].choices] == ["notans", "cancel"]
    said = await person.says("إلغاء", worker=0)
    assert "لم تُحفظ الصورة" in _text(said)
    assert "ind" in [c.id for c in said[-1].choices]  # the first menu
    record = await desk.find(filed.number)
    assert record is not None and record.status is RequestStatus.ACCEPTED
    assert "after-1" not in [a.ref for a in record.attachments]
    # asked again, «لطلب جديد» keeps it for the new request, as before
    await _photo(person, 0, ref="after-2")
    said = await person.says("لطلب جديد", worker=1)
    assert KEPT_FOR_DRAFT in _text(said), _text(said)
