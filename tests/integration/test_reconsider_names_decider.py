"""A request to reconsider names, and so alerts, the officer who rejected it (session 14,
§12d: the word «يطلب صاحب الطلب إعادة النظر…» reached the staff group with no one named, and
the officer who knew the case could miss it). Two workers on one Redis, SQLite and
PostgreSQL: the officer rejects from the staff group (a Telegram mention, which notifies
them) or at the terminal (their name)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from officers.officer import Officer
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import OFFICER, USER, Person, _notice_sent, _rows
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person

__all__ = ["clock", "desk", "filing", "person"]


async def _reconsidered(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    sessions: async_sessionmaker[AsyncSession],
    officer: Officer,
) -> str:
    """The word under the card after a rejection by ``officer`` and the person's request
    to reconsider it (asked on one worker, the reason given on the other)."""
    filed = await filing.submit(submission(user_key=USER))
    await desk.reject(filed.number, officer, "المستندات ناقصة")
    await _notice_sent(sessions, filed.number)
    await person.send(Command(person.origin(), "start", ""))
    await person.says("اطلب إعادة النظر", worker=0)
    await person.says("أرفقت التأمين الطبي الساري", worker=1)
    words = [r.payload["html"] for r in await _rows(sessions, "staff_text")]
    [asked] = [w for w in words if "إعادة النظر" in w and filed.number in w]
    return str(asked)


async def test_the_officer_who_rejected_is_mentioned(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    asked = await _reconsidered(person, filing, desk, db_sessionmaker, OFFICER)
    assert "قرار الرفض من" in asked, asked
    # a mention (a link to the officer's account), which Telegram notifies them of
    assert f'<a href="tg://user?id={OFFICER.id}">\u2068{OFFICER.name}\u2069</a>' in asked, asked


async def test_an_officer_at_the_terminal_is_named(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    at_terminal = Officer(0, "سعاد", origin="terminal")
    asked = await _reconsidered(person, filing, desk, db_sessionmaker, at_terminal)
    assert "قرار الرفض من" in asked and "سعاد" in asked, asked
    assert "tg://user" not in asked
