"""A rating typed right after the satisfaction question, while a half-filled request is
open, is the rating (the message its comment), and the draft stays as it was. Found by
fresh-clone user 15 (terminal chat): at the description step, a decision's «ما مدى رضاك…؟»
came in, «سيء، ما ردّيتوا علي» went into the draft's description and was later filed with
it; no rating was recorded.

On real parts: two workers on the shared Redis dialogue store, the requests in SQL (SQLite
and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command, Contact
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import (
    OFFICER,
    USER,
    Clock,
    Person,
    _half_filled,
    _notice_sent,
    _request,
)
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

DESCRIBE = "يُرجى وصف طلبك بكلماتك"


async def _at_description(person: Person) -> None:
    """A new request half-filled, at «please describe your request»."""
    await _half_filled(person)
    said = await person.send(Contact(person.origin(), "+966501234567", True))
    assert DESCRIBE in said[-1].text


async def _decided_meanwhile(
    filing: SqlRequestGateway,
    desk: StaffDesk,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> str:
    """An earlier request of the person's is decided and its notice, with the rating
    question, sent while they are in the draft."""
    filed = await filing.submit(submission(user_key=USER))
    clock.now += dt.timedelta(minutes=5)
    await desk.accept(filed.number, OFFICER)
    await _notice_sent(sessions, filed.number)
    clock.now += dt.timedelta(minutes=5)
    return filed.number


@pytest.mark.parametrize(
    ("words", "rating"),
    [("سيء، ما ردّيتوا علي", 2), ("ممتاز", 5), ("زين بس تاخرتوا علي", 4)],
)
async def test_a_rating_over_a_draft_is_the_rating_and_the_draft_stays(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    words: str,
    rating: int,
) -> None:
    await _at_description(person)
    number = await _decided_meanwhile(filing, desk, db_sessionmaker, clock)
    said = await person.says(words, worker=1)
    text = "\n".join(r.text for r in said)
    stored = await _request(db_sessionmaker, number)
    assert stored.satisfaction == rating, text
    if words != "ممتاز":
        assert stored.satisfaction_comment == words
    # where they were is said: the draft's question again, nothing of the rating in it
    if words == "ممتاز":
        # the comment is offered, as under a tapped star, the draft said kept
        assert "يمكنك إضافة تعليق" in said[-1].text, text
        assert "طلبك الذي بدأت تعبئته محفوظ" in text, text
        said = await person.says("بلا تعليق", worker=0)
        text = "\n".join(r.text for r in said)
    assert DESCRIBE in said[-1].text, text
    said = await person.says("انتهت صلاحية اقامتي واحتاج تجديدها", worker=0)
    text = "\n".join(r.text for r in said)
    assert "ردّيتوا" not in text and "تاخرتوا" not in text, text


async def test_a_digit_over_a_draft_answers_the_step_not_the_rating(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """A «5» in a draft is the step's (a description's words, a pick), never five stars."""
    await _at_description(person)
    number = await _decided_meanwhile(filing, desk, db_sessionmaker, clock)
    said = await person.says("5", worker=1)
    assert (await _request(db_sessionmaker, number)).satisfaction is None
    assert "سُجّل تقييمك" not in "\n".join(r.text for r in said)


@pytest.mark.parametrize(("words", "rating"), [("ممتاز", 5), ("ممتاز خدمتكم حلوه مره ٥ نجوم", 5)])
async def test_a_rating_after_coming_back_to_a_draft_is_the_rating(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    words: str,
    rating: int,
) -> None:
    """Fresh-clone tester 16 §4 (terminal chat): the decision and «ما مدى رضاك…؟» were
    shown as the chat opened, then «أهلًا بعودتك… يُرجى كتابة رقم جوالك»; «ممتاز» met «ما
    كتبته ليس رقم جوال.» and the longer words were kept as the description, no rating. The
    welcome back is not a message of theirs: the next one is still right after the question."""
    asked = await _half_filled(person)
    number = await _decided_meanwhile(filing, desk, db_sessionmaker, clock)
    clock.now += dt.timedelta(minutes=1)
    back = await person.send(Command(person.origin(), "resume", ""), worker=1)
    assert "رقم جوالك" in back[-1].text, back[-1].text
    clock.now += dt.timedelta(minutes=1)
    said = await person.says(words, worker=0)
    text = "\n".join(r.text for r in said)
    stored = await _request(db_sessionmaker, number)
    assert stored.satisfaction == rating, text
    assert "ليس رقم جوال" not in text, text
    if words == "ممتاز":
        said = await person.says("بلا تعليق", worker=1)
        text = "\n".join(r.text for r in said)
    # the draft's question comes again, the draft as it was
    assert "رقم جوالك" in said[-1].text, text
    assert asked


@pytest.mark.parametrize(("words", "rating"), [("ممتاز", 5), ("٤", 4), ("⭐⭐⭐", 3)])
async def test_a_rating_in_the_status_look_up_is_the_rating_and_the_look_up_goes_on(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    words: str,
    rating: int,
) -> None:
    """Session 18's faults list, item 1: at «يُرجى كتابة رقم الطلب» of the status look-up,
    «ممتاز» typed right after a decision's rating question got «لم أجد رقم طلب في رسالتك»
    and no rating was recorded."""
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("حالة طلبي", worker=1)
    assert "يُرجى كتابة رقم الطلب" in said[-1].text, said[-1].text
    number = await _decided_meanwhile(filing, desk, db_sessionmaker, clock)
    said = await person.says(words, worker=0)
    text = "\n".join(r.text for r in said)
    assert (await _request(db_sessionmaker, number)).satisfaction == rating, text
    assert "لم أجد رقم طلب" not in text and "يُرجى كتابة رقم الطلب" in said[-1].text, text
    # the look-up goes on on the other worker: the number typed now is looked up
    said = await person.says(number, worker=1)
    assert number in "\n".join(r.text for r in said)
