"""A reconsideration asked in words at the rating's comment prompt of a rejected request
opens the reconsideration, not a comment; on real parts: two workers on the shared Redis
dialogue store, the requests in SQL (SQLite and PostgreSQL). Found by tester 12 (§1):
«ابي اتظلم، انا ما اقدر اروح الفرع لاني مريض» typed after «هل تودّ إضافة تعليق؟» was
thanked as a comment, and the request stayed rejected with no reconsideration asked."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person, _request
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

APPEAL = "ابي اتظلم، انا ما اقدر اروح الفرع لاني مريض"


async def _rated_one_star(person: Person, filing: SqlRequestGateway, desk: StaffDesk) -> str:
    """A request filed and rejected, rated one star on worker 1; its number."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "هذه الخدمة تتطلب مراجعة أحد فروع الجوازات شخصيًا.")
    await person.send(Command(person.origin(), "start", ""))
    said = await person.taps(f"rate:{filed.number}:1", worker=1)
    assert "يمكنك إضافة تعليق" in said[-1].text
    return filed.number


async def test_an_appeal_with_its_reason_at_the_comment_prompt_is_sent_as_reconsideration(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = await _rated_one_star(person, filing, desk)
    said = await person.says(APPEAL, worker=0)
    # offered, not sent at once: it can be asked only once (review 12 §1)
    assert "هل يُقدَّم طلب إعادة النظر" in said[-1].text
    offered = await desk.find(number)
    assert offered is not None and offered.reconsider_reason is None
    said = await person.taps("yes", worker=1)
    text = "\n".join(r.text for r in said)
    assert "سُجّل تعليقك" not in text
    assert "أُرسل طلب إعادة النظر" in text
    record = await desk.find(number)
    assert record is not None and record.reconsider_reason == APPEAL
    assert record.events[-1].kind == "reconsider"
    stored = await _request(db_sessionmaker, number)
    # the rating stays; the appeal is not filed as its comment
    assert (stored.satisfaction, stored.satisfaction_comment) == (1, None)


async def test_an_appeal_alone_at_the_comment_prompt_asks_for_the_reason(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = await _rated_one_star(person, filing, desk)
    said = await person.says("ابي اتظلم", worker=0)
    assert "هل يُقدَّم طلب إعادة النظر" in said[-1].text
    said = await person.taps("yes", worker=0)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    said = await person.says("انا مريض وما اقدر اروح الفرع", worker=1)
    assert "أُرسل طلب إعادة النظر" in said[0].text
    record = await desk.find(number)
    assert record is not None and record.reconsider_reason == "انا مريض وما اقدر اروح الفرع"
    stored = await _request(db_sessionmaker, number)
    assert stored.satisfaction_comment is None


async def test_a_comment_that_is_no_appeal_is_still_a_comment(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    number = await _rated_one_star(person, filing, desk)
    said = await person.says("الموظف ما رد علي ابدا", worker=0)
    assert "سُجّل تعليقك" in said[0].text
    record = await desk.find(number)
    assert record is not None and record.reconsider_reason is None


@pytest.mark.parametrize(
    "comment",
    [
        "ما ابي اعادة النظر، شكرا على سرعة الرد",
        "ما عندي تظلم بس الرد كان واضح",
        "no need to appeal, thanks",
    ],
)
async def test_a_reconsideration_declined_in_words_is_the_comment(
    comment: str,
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Review 12 §1: a negated reconsideration phrase sent the one reconsideration."""
    number = await _rated_one_star(person, filing, desk)
    said = await person.says(comment, worker=0)
    text = "\n".join(r.text for r in said)
    assert "سُجّل تعليقك" in text
    assert "إعادة النظر" not in text
    record = await desk.find(number)
    assert record is not None and record.reconsider_reason is None
    assert all(event.kind != "reconsider" for event in record.events)
    stored = await _request(db_sessionmaker, number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (1, comment)


async def test_an_appeal_offered_and_declined_is_the_comment(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Review 12 §1: the one reconsideration is offered, and «No» keeps the words as the
    comment."""
    number = await _rated_one_star(person, filing, desk)
    said = await person.says(APPEAL, worker=0)
    assert "هل يُقدَّم طلب إعادة النظر" in said[-1].text
    said = await person.taps("no", worker=1)
    assert "سُجّل تعليقك" in said[0].text
    record = await desk.find(number)
    assert record is not None and record.reconsider_reason is None
    stored = await _request(db_sessionmaker, number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (1, APPEAL)


async def test_a_reconsideration_declined_in_words_outside_the_comment_prompt_is_no_wish(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
) -> None:
    """Session 12's open list: «ما ابي اعادة النظر» typed at the menu, a rejection open
    to reconsideration, was read as asking for one (it asked for the reason); the words
    asking for one still do, on the other worker."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, OFFICER, "هذه الخدمة تتطلب مراجعة أحد فروع الجوازات شخصيًا.")
    await person.send(Command(person.origin(), "start", ""))
    said = await person.says("ما ابي اعادة النظر", worker=0)
    text = "\n".join(r.text for r in said)
    assert "لماذا تطلب إعادة النظر" not in text and "هل يُقدَّم طلب إعادة النظر" not in text, text
    record = await desk.find(filed.number)
    assert record is not None and record.reconsider_reason is None
    said = await person.says("ابي اعادة النظر", worker=1)
    text = "\n".join(r.text for r in said)
    assert "إعادة النظر" in text and filed.number in text, text
