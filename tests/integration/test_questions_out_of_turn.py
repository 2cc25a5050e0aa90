"""Answers meant for another of the service's questions (tester 10b, items 6, 7 and 9;
conversations.flows.eligibility) on two workers sharing Redis and the database (SQLite
and PostgreSQL): what one worker applied or kept for a question, the other reads, and
the filed request carries it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact, Media, Reply, Unsupported
from domain.normalize import clean_input
from tests.integration.test_their_say import Person, clock, desk, filing, person

__all__ = ["clock", "desk", "filing", "person"]

FOR_WHOM = "لمن هذا الطلب؟"
WHERE = "أين صاحب الإقامة الآن؟"
WHERE_SELF = "أين أنت الآن؟"  # asked so of one's own request (helper 21, §8)
CAIRO = (30.04, 31.24)


def _said(replies: list[Reply]) -> str:
    return clean_input("\n".join(r.text for r in replies))


async def _filed(person: Person, sessions: async_sessionmaker[AsyncSession]) -> Request:
    """The rest of the request, from the identity number, on alternate workers; the row."""
    await person.says("2000000006", 1)
    await person.send(Contact(person.origin(), "+966501234567", True), 0)
    await person.says("انتهت الإقامة ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام", 1)
    photo = Media(person.origin(), "photo", "file-9", "image/jpeg", 1000, None, "cd" * 32)
    await person.send(photo, 0)
    await person.taps("done", 1)
    said = _said(await person.taps("confirm", 0))
    assert "تم استلام طلبك" in said, said
    async with sessions() as session:
        found = (await session.scalars(select(Request))).one()
    return found


async def test_whose_answer_at_the_location_question_is_kept_across_workers(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await person.send(Command(person.origin(), "start", ""))
    await person.says("ابي اجدد اقامة زوجتي وهي برا المملكه", 1)
    await person.taps("s:iqama_renew", 0)
    said = _said(await person.says("رجوع", 1))
    assert said == WHERE
    said = _said(await person.says("لي انا", 0))  # meant for «لمن هذا الطلب؟»
    assert f"السؤال السابق «{FOR_WHOM}»، فسجّلتُها: «لي أنا»" in said and said.endswith(WHERE_SELF)
    said = _said(await person.says("رجوع", 1))  # the other worker: back to that question
    assert said == FOR_WHOM
    said = _said(await person.says("لزوجتي", 0))
    assert f"«{WHERE}»: «خارج المملكة»" in said  # kept from the first words
    row = await _filed(person, db_sessionmaker)
    assert row.eligibility == {"for_whom": "family", "location": "outside"}


async def test_after_the_refusal_and_a_shared_location_across_workers(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await person.send(Command(person.origin(), "start", ""))
    await person.send(Unsupported(person.origin(), "location", CAIRO), 1)
    await person.taps("ind", 0)
    await person.says("ابي اجدد اقامة", 1)
    await person.taps("s:iqama_renew", 0)
    said = _said(await person.taps("q:someone_else", 1))
    assert "لا يُقبل الطلب إلا من صاحب الشأن نفسه" in said
    said = _said(await person.says("لاخوي", 0))  # read as whom it is for, not a service
    assert f"سجّلتُ إجابة «{FOR_WHOM}»: «تابع لي أو مكفول لدي»" in said
    # the shared location is where the sender is, not the brother: asked (as a place said
    # in the first person since 28f1f72), on the other worker too
    assert "فهمتُ أنك أنت خارج المملكة، أما هذا السؤال فعن صاحب الإقامة." in said
    assert said.endswith(WHERE) and f"سجّلتُ إجابة «{WHERE}»" not in said, said
    said = _said(await person.send(Unsupported(person.origin(), "location", CAIRO), 1))
    assert said.startswith("فهمتُ أنك أنت خارج المملكة") and said.endswith(WHERE), said
    await person.taps("q:inside", 0)
    row = await _filed(person, db_sessionmaker)
    assert row.eligibility == {"for_whom": "family", "location": "inside"}


async def test_a_location_shared_first_answers_where_for_the_senders_own_iqama_on_the_other_worker(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await person.send(Command(person.origin(), "start", ""))
    said = _said(await person.send(Unsupported(person.origin(), "location", CAIRO), 1))
    assert "يبيّن موقعك أنك خارج المملكة، وإن كان الطلب لك أنت فسأعتمد ذلك" in said
    await person.taps("ind", 0)
    await person.says("ابي اجدد اقامة", 1)
    said = _said(await person.taps("s:iqama_renew", 0))
    assert said.endswith(FOR_WHOM)
    said = _said(await person.taps("q:self", 1))
    assert f"بحسب الموقع الذي شاركته، سجّلتُ إجابة «{WHERE_SELF}»: «خارج المملكة»" in said
    row = await _filed(person, db_sessionmaker)
    assert row.eligibility == {"for_whom": "self", "location": "outside"}
