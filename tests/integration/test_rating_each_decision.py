"""The satisfaction question on real parts: asked again about the final decision after a
reconsideration (once per decision), and a rating typed rather than tapped, on the other
worker than the one that sent the question (de52dea, 9b25ab9), stored once. Two workers on
the shared Redis dialogue store and the staff desk on SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Rating, StatusEvent
from bot.db.personal_data import SqlPersonalData
from bot.db.requests_repo import SqlRequestGateway
from bot.db.retention import REDACTED, redact_requests
from bot.media_store import MediaStore
from bot.outbox.queue import replies_from_payload
from bot.staff.callbacks import version
from bot.staff.desk import StaffDesk
from bot.staff.their_say import decision_ratings, ratings
from conversations.events import Command, Reply
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_db_requests import submission
from tests.integration.test_their_say import (
    OFFICER,
    USER,
    Clock,
    Person,
    _request,
    _rows,
)
from tests.integration.test_their_say import clock as clock
from tests.integration.test_their_say import desk as desk
from tests.integration.test_their_say import filing as filing
from tests.integration.test_their_say import person as person
from tests.integration.test_their_say_telegram import _two_workers

THANKS_AND_COMMENT = "شكرًا لتقييمك. يمكنك إضافة تعليق"


def _stars(number: str) -> list[str]:
    return [f"rate:{number}:{n}" for n in (1, 2, 3, 4, 5)]


async def _surveys(sessions: async_sessionmaker[AsyncSession]) -> list[list[Reply]]:
    """The replies of every notice queued with the satisfaction question, oldest first."""
    return [
        replies_from_payload(row.payload)
        for row in await _rows(sessions, "notify")
        if row.payload.get("survey")
    ]


async def test_the_final_decision_after_a_reconsideration_is_asked_about_and_rated(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """Found by the fresh-clone tester: after an officer reopened a request on the person's
    reconsideration and decided it again, the rating question was not asked again (the
    person had rated the first decision). Now each decision's notice asks once, and the
    rating of the final decision is the request's."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(hours=1)
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    [first] = await _surveys(db_sessionmaker)
    assert [c.id for c in first[-1].choices] == _stars(filed.number)
    clock.now += dt.timedelta(minutes=5)
    said = await person.taps(f"rate:{filed.number}:2", worker=0)
    assert THANKS_AND_COMMENT in said[-1].text
    await person.says("ما قرؤوا المستندات", worker=1)
    clock.now += dt.timedelta(hours=1)
    said = await person.says("ابي اتظلم", worker=0)
    assert "ما سبب طلب إعادة النظر" in said[-1].text
    await person.says("التأمين في الصفحة الثانية", worker=1)
    record = await desk.find(filed.number)
    assert record is not None
    clock.now += dt.timedelta(hours=1)
    await desk.reopen_on_request(filed.number, OFFICER, offered=version(record))
    clock.now += dt.timedelta(hours=1)
    await desk.accept(filed.number, OFFICER)
    # the acceptance's notice asks about this decision (before: nothing was asked)
    surveys = await _surveys(db_sessionmaker)
    assert len(surveys) == 2
    assert [c.id for c in surveys[-1][-1].choices] == _stars(filed.number)
    clock.now += dt.timedelta(minutes=5)
    # rated by typing on the other worker, as the tester did: stored, the comment asked
    said = await person.says("5", worker=1)
    assert THANKS_AND_COMMENT in said[-1].text
    stored = await _request(db_sessionmaker, filed.number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (5, None)
    await person.says("شكرًا على المراجعة", worker=0)
    stored = await _request(db_sessionmaker, filed.number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (5, "شكرًا على المراجعة")
    # the same decision is rated once, whichever worker the tap reaches
    clock.now += dt.timedelta(minutes=5)
    said = await person.taps(f"rate:{filed.number}:1", worker=1)
    assert "سبق أن قيّمت" in said[0].text
    assert (await _request(db_sessionmaker, filed.number)).satisfaction == 5
    # the first decision's low comment reached the officers when it was given
    assert any("ما قرؤوا المستندات" in r.payload["html"]
               for r in await _rows(db_sessionmaker, "staff_text"))  # fmt: skip
    # a decision taken back unseen and made again asks about it once, not twice
    assert len(await _surveys(db_sessionmaker)) == 2


async def test_a_rating_typed_on_worker_b_after_worker_a_sent_the_question_is_stored_once(
    tmp_path: Path,
    redis_client: Redis,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    clock: Clock,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """de52dea and 9b25ab9 had no real-Redis test with two workers: the question sent by
    worker A's bot (the outbox's delivery), «٥» typed and handled by worker B, that update
    delivered again to worker A (Telegram redelivers), then a «5» later: one rating, one
    thanks, the later «5» the menu's."""
    sara = TgUser(5_100_000_031, "سارة")
    filed = await filing.submit(submission(user_key=str(sara.id)))
    updates = UpdateFactory()
    async with _two_workers(redis_client, filing, desk, clock, tmp_path) as workers:
        api, feed = workers.api, workers.feed
        await feed(updates.text(sara, "/start"), 0)
        clock.now += dt.timedelta(hours=1)
        await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
        [survey] = await _surveys(db_sessionmaker)
        for reply in survey:
            await workers.deliver(sara.id, reply)  # through worker A's bot
        assert api.texts(sara.id)[-1] == survey[-1].text
        clock.now += dt.timedelta(minutes=5)
        typed = updates.text(sara, "٥")
        await feed(typed, 1)
        assert THANKS_AND_COMMENT in api.texts(sara.id)[-1]
        sent = len(api.texts(sara.id))
        stored = await _request(db_sessionmaker, filed.number)
        assert stored.satisfaction == 5
        rated_at = stored.satisfaction_at
        # the same update again, on the other worker: handled once, nothing more said
        await feed(typed, 0)
        assert len(api.texts(sara.id)) == sent
        await feed(updates.callback(sara, "nocomment"), 0)
        assert "شكرًا لإجابتك" in api.texts(sara.id)[-1]
        clock.now += dt.timedelta(minutes=1)
        await feed(updates.text(sara, "5"), 1)  # after another message: the menu's
        assert "شكرًا لتقييمك" not in api.texts(sara.id)[-1]
    stored = await _request(db_sessionmaker, filed.number)
    assert (stored.satisfaction, stored.satisfaction_at) == (5, rated_at)


async def test_two_ratings_typed_at_once_on_two_workers_store_one(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> None:
    """«4» and «5» typed at the same moment (two phones of one account, a double send),
    handled by the two workers at once: one rating is stored and thanked once."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(hours=1)
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    clock.now += dt.timedelta(minutes=5)
    both = await asyncio.gather(person.says("4", worker=0), person.says("5", worker=1))
    thanked = [said for said in both if THANKS_AND_COMMENT in said[-1].text]
    assert len(thanked) == 1
    stored = await _request(db_sessionmaker, filed.number)
    assert stored.satisfaction in (4, 5)


async def test_each_decisions_rating_is_kept_and_the_reports_count_the_one_that_stands(
    person: Person,
    filing: SqlRequestGateway,
    desk: StaffDesk,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    tmp_path: Path,
) -> None:
    """Raised in session 11: the rating of a request's first decision, given
    before a reconsideration reopened it, was replaced by the second decision's and kept
    nowhere. Each decision's rating and comment are now kept (``ratings``, migration 0011),
    for reports and the person's «my data» copy; the officers' counts (``ratings``: the
    digest, /stats, the weekly report) still count the request once, for the decision
    that stands. The taps and words reach the two workers in turn; the retention later
    takes both comments and keeps the ratings."""
    filed = await filing.submit(submission(user_key=USER))
    await person.send(Command(person.origin(), "start", ""))
    clock.now += dt.timedelta(hours=1)
    await desk.reject(filed.number, OFFICER, "المستندات ناقصة")
    clock.now += dt.timedelta(minutes=5)
    await person.taps(f"rate:{filed.number}:2", worker=0)
    await person.says("ما قرؤوا المستندات", worker=1)
    first_rated = clock.now
    clock.now += dt.timedelta(hours=1)
    await person.says("ابي اتظلم", worker=0)
    await person.says("التأمين في الصفحة الثانية", worker=1)
    record = await desk.find(filed.number)
    assert record is not None
    clock.now += dt.timedelta(hours=1)
    await desk.reopen_on_request(filed.number, OFFICER, offered=version(record))
    clock.now += dt.timedelta(hours=1)
    await desk.accept(filed.number, OFFICER)
    clock.now += dt.timedelta(minutes=5)
    await person.says("5", worker=1)
    await person.says("شكرًا على المراجعة", worker=0)

    async with db_sessionmaker() as session:
        kept = await decision_ratings(session)
        counted = await ratings(session)
        since_first = await decision_ratings(session, since=first_rated + dt.timedelta(hours=1))
        decisions = {
            e.to_status: e.id
            for e in await session.scalars(
                select(StatusEvent).where(StatusEvent.kind.is_(None)).order_by(StatusEvent.id)
            )
        }
    # both decisions' ratings, each with its decision and whether it had a comment
    assert [(k.number, k.rating, k.commented) for k in kept] == [
        (filed.number, 2, True),
        (filed.number, 5, True),
    ]
    assert [k.decision for k in kept] == [decisions["rejected"], decisions["accepted"]]
    assert [k.rating for k in since_first] == [5]
    # the officers' counts as before: the request once, for the decision that stands
    assert counted == [("iqama_renew", 5)]
    stored = await _request(db_sessionmaker, filed.number)
    assert (stored.satisfaction, stored.satisfaction_comment) == (5, "شكرًا على المراجعة")

    # the person's copy lists both; the retention takes the words and keeps the ratings
    personal = SqlPersonalData(
        db_sessionmaker, MediaStore(tmp_path), 365,
        dt.timedelta(hours=72), clock=clock,
    )  # fmt: skip
    [held] = (await personal.held("telegram", USER, "ar")).requests
    assert [(r.rating, r.comment) for r in held.ratings] == [
        (2, "ما قرؤوا المستندات"),
        (5, "شكرًا على المراجعة"),
    ]
    await redact_requests(
        db_sessionmaker,
        MediaStore(tmp_path),
        [(stored.id, filed.number)],
        now=clock.now,
        media_grace=dt.timedelta(hours=72),
    )
    async with db_sessionmaker() as session:
        rows = list(await session.scalars(select(Rating).order_by(Rating.id)))
    assert [(r.rating, r.comment) for r in rows] == [(2, REDACTED), (5, REDACTED)]
    [held] = (await personal.held("telegram", USER, "ar")).requests
    assert [(r.rating, r.comment) for r in held.ratings] == [(2, None), (5, None)]
