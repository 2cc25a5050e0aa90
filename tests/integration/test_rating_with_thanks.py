"""After a decision, the most natural reply to good news, praise with the Gulf thanks
(«ممتاز الله يعطيكم العافيه»), rates the request and is answered in kind («الله يعافيك»);
and a rating typed later at the first menu («٥», «ممتاز»), with other messages in between,
still rates a recent decision left unrated, while a «1» there stays the menu's «فرد».
Found by tester 13 (§11, WhatsApp and Telegram): the thanks met the bare first menu, the
rating was lost, and the later «٥» and «ممتاز» were called a wrong choice. (Checked first:
the person's key is the same in the notice and their replies: the WhatsApp user key is the
business-scoped id in every message, and Telegram showed the same fault.)

On real parts: two workers on the shared Redis dialogue store, the requests in SQL
(SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.staff.desk import StaffDesk
from conversations.events import Command
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import (
    OFFICER,
    USER,
    Clock,
    Person,
    _notice_sent,
    _request,
)
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person


async def _decided(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> str:
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(hours=1)
    await desk.accept(filed.number, OFFICER)
    await _notice_sent(sessions, filed.number)
    clock.now += dt.timedelta(minutes=5)
    return filed.number


async def test_praise_with_thanks_rates_and_is_answered_in_kind(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    number = await _decided(person, filing, desk, db_sessionmaker, clock)
    said = await person.says("ممتاز الله يعطيكم العافيه", worker=1)
    assert said[0].text.startswith("الله يعافيك"), said[0].text
    assert "يُرجى اختيار" not in "\n".join(r.text for r in said)
    assert (await _request(db_sessionmaker, number)).satisfaction == 5


async def test_a_rating_typed_after_other_messages_still_rates(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    number = await _decided(person, filing, desk, db_sessionmaker, clock)
    said = await person.says("الله يعطيكم العافيه", worker=1)
    assert said[0].text.startswith("الله يعافيك"), said[0].text
    clock.now += dt.timedelta(minutes=1)
    said = await person.says("1", worker=0)  # the menu's «فرد», never one star
    assert (await _request(db_sessionmaker, number)).satisfaction is None
    await person.send(Command(person.origin(), "start", ""), worker=1)
    clock.now += dt.timedelta(minutes=1)
    said = await person.says("٥", worker=0)
    assert "يُرجى اختيار" not in "\n".join(r.text for r in said)
    assert (await _request(db_sessionmaker, number)).satisfaction == 5


@pytest.mark.parametrize(
    ("words", "back", "rating"),
    [
        ("جزاكم الله خير", "وإياك", None),
        ("الله يجزاكم خير", "وإياك", None),
        ("تسلم", "الله يسلمك", None),
        ("ما قصرتوا", "العفو", None),
        ("مشكورين ما قصرتوا", "العفو", None),
        ("شكرا لكم ما قصرتوا", "العفو", None),
        ("ممتاز جزاكم الله خير", "وإياك", 5),
        ("زين مشكورين", "العفو", 4),
    ],
)
async def test_other_thanks_after_a_decision_are_answered_in_kind(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    words: str,
    back: str,
    rating: int | None,
) -> None:
    """Session-14 brief (after 11303dd, which answered only the العافية thanks): «ما قصرتوا»,
    «الله يجزاكم خير», «مشكورين ما قصرتوا» met «يُرجى اختيار واحد من ٤ خيارات»; «جزاكم
    الله خير» and «تسلم» got «العفو» where the custom answers «وإياك», «الله يسلمك»; and
    «ممتاز جزاكم الله خير» was rated with no word back to the thanks."""
    number = await _decided(person, filing, desk, db_sessionmaker, clock)
    said = await person.says(words, worker=1)
    text = "\n".join(r.text for r in said)
    assert said[0].text.startswith(back), text
    assert "يُرجى اختيار" not in text, text
    assert (await _request(db_sessionmaker, number)).satisfaction == rating


@pytest.mark.parametrize(
    ("words", "rating"), [("سيء، ما قريتو الموافقه اصلا", 2), ("زين بس تاخرتوا علي", 4)]
)
async def test_a_rating_with_its_reason_is_rated_and_commented_on_two_workers(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    words: str,
    rating: int,
) -> None:
    """Fresh-clone tester 15 (§3, terminal and Telegram): a rating with its reason typed
    right after «ما مدى رضاك…؟» met the first menu; no rating, the complaint gone."""
    number = await _decided(person, filing, desk, db_sessionmaker, clock)
    said = await person.says(words, worker=1)
    text = "\n".join(r.text for r in said)
    assert "يُرجى اختيار" not in text, text
    stored = await _request(db_sessionmaker, number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (rating, words)
    said = await person.says("السلام عليكم", worker=0)  # the next worker: back at the start
    assert (await _request(db_sessionmaker, number)).satisfaction_comment == words
