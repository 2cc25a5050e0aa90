"""A second request for the same service and identity number while the first is open, on
real parts: two workers on the shared Redis dialogue store, the requests in SQL (SQLite and
PostgreSQL). Named above the next question and in the summary with «متابعة الطلب N»,
never refused; tracked, the draft comes back; sent anyway, it is filed. Another identity
number, or the first request decided, says nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media, Reply
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

WARNING = "للعلم: لديك طلب مفتوح لهذه الخدمة برقم الهوية نفسه، رقمه"
DESCRIPTION = "انتهت إقامتي ولم يقبل أبشر التجديد"


async def _to_identity(person: Person, identity: str) -> list[Reply]:
    """A new iqama renewal up to its identity number, the turns spread over both workers;
    the replies to the identity number."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    for worker, typed in enumerate(("ابي اجدد اقامتي", "1", "1")):
        await person.says(typed, worker=worker % 2)
    return await person.says(identity, worker=1)


async def _to_summary(person: Person) -> Reply:
    await person.send(Contact(person.origin(), "+966501234567", True), worker=0)
    await person.says(DESCRIPTION, worker=1)
    media = Media(person.origin(), "photo", "iqama-1", "image/jpeg", 50_000, None, "c" * 64)
    await person.send(media, worker=0)
    said = await person.taps("done", worker=1)
    return said[-1]


async def _count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Request)) or 0)


async def test_the_same_service_and_identity_open_is_named_tracked_and_filed_anyway(
    person: Person,
    filing: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    first = await filing.submit(submission(user_key=USER))
    said = await _to_identity(person, "2000000006")
    assert WARNING in said[0].text and first.number in said[0].text
    assert "رقم جوالك" in said[-1].text  # the step goes on
    summary = await _to_summary(person)
    assert WARNING in summary.text
    track = f"st:{first.number}"
    assert track in [c.id for c in summary.choices]
    # tracked on the other worker: its status, then the draft back at its summary
    said = await person.taps(track, worker=0)
    assert first.number in said[0].text and "الحالة:" in said[0].text
    assert "نعود إلى الطلب الذي بدأت تعبئته" in said[-2].text
    assert DESCRIPTION in said[-1].text
    # sent anyway: a second request, as typed
    said = await person.taps("confirm", worker=1)
    assert "تم استلام طلبك" in said[0].text
    assert await _count(db_sessionmaker) == 2


async def test_another_identity_number_or_a_decided_request_says_nothing(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
) -> None:
    first = await filing.submit(submission(user_key=USER))
    said = await _to_identity(person, "2000000014")  # a family member's iqama
    assert all(WARNING not in r.text for r in said) and "رقم جوالك" in said[-1].text
    summary = await _to_summary(person)
    assert WARNING not in summary.text
    await person.taps("cancel", worker=0)
    await person.says("نعم، احذفه", worker=1)
    await desk.accept(first.number, OFFICER)
    said = await _to_identity(person, "2000000006")
    assert all(WARNING not in r.text for r in said) and "رقم جوالك" in said[-1].text


async def test_the_open_request_is_tracked_from_the_phone_step_on_the_other_worker(
    person: Person,
    filing: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Raised in session 11: the warning, first read at the phone step, offered no way to
    follow the open request until the summary. It carries «متابعة الطلب N» now; tapped on
    the other worker, the status comes and the draft (in Redis) is back at the phone step;
    the request then goes on and is filed."""
    first = await filing.submit(submission(user_key=USER))
    said = await _to_identity(person, "2000000006")
    track = f"st:{first.number}"
    assert WARNING in said[0].text and [c.id for c in said[0].choices] == [track]
    said = await person.taps(track, worker=0)
    assert first.number in said[0].text and "الحالة:" in said[0].text
    assert "نعود إلى الطلب الذي بدأت تعبئته" in said[-2].text and said[-1].ask_contact
    summary = await _to_summary(person)
    assert DESCRIPTION in summary.text
    said = await person.taps("confirm", worker=1)
    assert "تم استلام طلبك" in said[0].text
    assert await _count(db_sessionmaker) == 2
