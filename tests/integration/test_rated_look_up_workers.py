"""A rating with its reason typed during the status look-up, over two workers: «زين بس
تاخرتوا علي» right after a decision's rating question rates the request, keeps the words
as the comment, and the look-up is asked again; the request number typed next on the
other worker goes on with the look-up (session 20: the look-up was left). On real parts:
the shared Redis dialogue store and SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request
from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Clock, Person, _notice_sent
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def test_the_look_up_goes_on_after_a_rating_with_its_reason_over_two_workers(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await person.send(Command(person.origin(), "start", ""), worker=0)
    said = await person.says("حالة طلبي", worker=1)  # no request yet: its number asked
    assert "يُرجى كتابة رقم الطلب" in said[-1].text, said[-1].text
    # meanwhile a request of theirs (filed from elsewhere) is decided, and they are told
    filed = await filing.submit(submission(user_key=USER))
    clock.now += dt.timedelta(hours=1)
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    await _notice_sent(db_sessionmaker, filed.number)  # the decision and its survey told
    clock.now += dt.timedelta(minutes=5)
    said = await person.says("زين بس تاخرتوا علي", worker=0)
    text = "\n".join(r.text for r in said)
    assert "سُجّل تعليقك" in text and "يُرجى كتابة رقم الطلب" in said[-1].text, text
    async with db_sessionmaker() as session:
        stored = await session.scalar(select(Request).where(Request.number == filed.number))
    assert stored is not None
    assert (stored.satisfaction, stored.satisfaction_comment) == (4, "زين بس تاخرتوا علي")
    said = await person.says(filed.number, worker=1)  # the look-up goes on: the owner's
    text = "\n".join(r.text for r in said)
    assert f"الطلب رقم \u2066{filed.number}\u2069" in text and "المستندات ناقصة" in text, text
