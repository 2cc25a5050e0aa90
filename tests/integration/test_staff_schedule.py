"""The staff group's clock on a real Redis and SQLite/PostgreSQL: the 08:00 digest once a
day whatever the number of workers, a reminder one working day before the due date and an
escalation once overdue, each once."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, Request
from bot.db.requests_repo import SqlRequestGateway
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.schedule import StaffSchedule, run_schedule
from domain.catalogue import load_catalogue
from domain.sla import RIYADH, due_date
from officers.officer import Officer
from tests.integration.test_db_requests import submission

NOURA = Officer(7001, "نورة")


def riyadh(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=RIYADH).astimezone(dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Services:
    settings: Settings
    redis: Redis
    sessions: async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(riyadh(2026, 11, 22))


@pytest.fixture
def filing(db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> SqlRequestGateway:
    return SqlRequestGateway(db_sessionmaker, clock=clock)


@pytest.fixture
def desk(db_sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> StaffDesk:
    return StaffDesk(db_sessionmaker, load_catalogue(), clock=clock)


def schedule(
    sessions: async_sessionmaker[AsyncSession], redis: Redis, clock: Clock, tick_s: float = 30
) -> StaffSchedule:
    return StaffSchedule(sessions, redis, load_catalogue(), clock=clock, tick_s=tick_s)


async def texts(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "staff_text")
                .order_by(OutboxMessage.id)
            )
        )


async def digests(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    """The daily digests queued, oldest first (not the weekly report nor warnings)."""
    return [r for r in await texts(sessions) if (r.dedupe_key or "").startswith("digest:")]


async def warnings(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    """Reminders and escalations (not the digest, nor a word under a card)."""
    return [
        r.payload["html"]
        for r in await texts(sessions)
        if r.dedupe_key is None
        and "reply_to" not in r.payload
        and not r.payload["html"].startswith("💬")
    ]


# ---- the digest -----------------------------------------------------------------------------


async def test_digest_once_per_day_across_two_concurrent_schedulers(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    tmp_path: Path,
) -> None:
    # the 22nd is a Sunday: the weekly report has a test of its own (test_weekly_report.py)
    settings = Settings(_env_file=None, data_dir=tmp_path, weekly_report=False)  # type: ignore[call-arg]
    services = Services(settings, redis_client, db_sessionmaker)

    async def two_workers_for(seconds: float) -> None:
        stop = asyncio.Event()
        workers = [
            asyncio.create_task(run_schedule(services, stop, clock, tick_s=0.02)) for _ in range(2)
        ]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*workers)

    clock.now = riyadh(2026, 11, 22, 7, 59)
    await two_workers_for(0.3)
    assert await texts(db_sessionmaker) == []  # not before 08:00 Riyadh

    for minute in (0, 1, 30):  # the clock moves on through the morning
        clock.now = riyadh(2026, 11, 22, 8, minute)
        await two_workers_for(0.3)
    rows = await texts(db_sessionmaker)
    assert [r.dedupe_key for r in rows] == ["digest:2026-11-22"]

    clock.now = riyadh(2026, 11, 23, 8, 0)
    await two_workers_for(0.3)
    rows = await texts(db_sessionmaker)
    assert [r.dedupe_key for r in rows] == ["digest:2026-11-22", "digest:2026-11-23"]


@pytest.mark.parametrize(
    "late",
    [
        riyadh(2026, 11, 23, 10, 0),  # a Monday, just after the old 10:00 cut-off
        riyadh(2026, 11, 23, 14, 0),
        riyadh(2026, 11, 27, 15, 30),  # a Friday
        riyadh(2026, 9, 23, 23, 59),  # National Day, a holiday, the last minute of it
    ],
    ids=["10:00", "14:00", "friday", "holiday-23:59"],
)
async def test_a_digest_missed_at_08_00_is_queued_later_that_day_once_and_logged(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    late: dt.datetime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Found by the review of session 10: the digest was queued between 08:00 and 10:00
    # only, so when every worker was down across that window the group got no digest that
    # day and the logs said nothing. Two workers of a deployment that sent yesterday's
    # digest come back later that day: one digest (one line: nothing is open, new or
    # decided), logged as late.
    day = late.astimezone(RIYADH).date()
    workers = [schedule(db_sessionmaker, redis_client, clock) for _ in range(2)]
    clock.now = dt.datetime.combine(day, dt.time(8, 0), RIYADH).astimezone(dt.UTC)
    clock.now -= dt.timedelta(days=1)
    await asyncio.gather(*(w.tick() for w in workers))
    (yesterdays,) = await digests(db_sessionmaker)
    clock.now = dt.datetime.combine(day, dt.time(7, 59), RIYADH).astimezone(dt.UTC)
    await asyncio.gather(*(w.tick() for w in workers))
    # not before 08:00, even after an outage
    assert [r.id for r in await digests(db_sessionmaker)] == [yesterdays.id]

    caplog.set_level(logging.INFO, logger="bot.staff.schedule")
    clock.now = late
    await asyncio.gather(*(w.tick() for w in workers))
    (digest,) = (await digests(db_sessionmaker))[1:]
    assert digest.dedupe_key == f"digest:{day.isoformat()}"
    html = digest.payload["html"]
    assert html.startswith("الملخص اليومي:") and "لا جديد" in html
    assert "\n" not in html and ": 0" not in html and "<b>" not in html
    (line,) = [r.getMessage() for r in caplog.records if "late" in r.getMessage()]
    assert day.isoformat() in line and late.astimezone(RIYADH).strftime("%H:%M") in line

    # later ticks that day, on either worker and on a fresh one, queue nothing more
    caplog.clear()
    for minutes in (1, 30):
        clock.now = min(
            late + dt.timedelta(minutes=minutes), riyadh(day.year, day.month, day.day, 23, 59)
        )
        fresh = schedule(db_sessionmaker, redis_client, clock)
        await asyncio.gather(*(w.tick() for w in [*workers, fresh]))
    assert len(await digests(db_sessionmaker)) == 2
    assert not [r for r in caplog.records if "late" in r.getMessage()]

    # the next morning at 08:00 the next day's digest, on time: nothing logged as late
    following = day + dt.timedelta(days=1)
    clock.now = dt.datetime.combine(following, dt.time(8, 0), RIYADH).astimezone(dt.UTC)
    await asyncio.gather(*(w.tick() for w in workers))
    rows = await digests(db_sessionmaker)
    assert [r.dedupe_key for r in rows][-1] == f"digest:{following.isoformat()}"
    assert len(rows) == 3
    assert not [r for r in caplog.records if "late" in r.getMessage()]


@pytest.mark.parametrize(
    "first_start",
    [
        riyadh(2026, 11, 23, 10, 0),  # a Monday, at the cut-off
        riyadh(2026, 11, 23, 14, 0),
        riyadh(2026, 11, 27, 15, 30),  # a Friday
        riyadh(2026, 9, 23, 23, 59),  # National Day, a holiday, the last minute of it
    ],
    ids=["10:00", "14:00", "friday", "holiday-23:59"],
)
async def test_a_new_deployment_first_started_after_10_posts_no_digest_that_day(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    first_start: dt.datetime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Review 10, item 5: the catch-up above posted a near-empty digest as soon as a fresh
    # install (or a staging copy) first started, at any hour, and logged that the workers
    # had been down across the morning. With no digest ever queued nothing was missed: the
    # first digest comes at 08:00 the next morning, and nothing is logged as late.
    caplog.set_level(logging.INFO, logger="bot.staff.schedule")
    workers = [schedule(db_sessionmaker, redis_client, clock) for _ in range(2)]
    for minutes in (0, 1, 30):
        clock.now = min(
            first_start + dt.timedelta(minutes=minutes),
            dt.datetime.combine(
                first_start.astimezone(RIYADH).date(), dt.time(23, 59), RIYADH
            ).astimezone(dt.UTC),
        )
        await asyncio.gather(*(w.tick() for w in workers))
    assert await digests(db_sessionmaker) == []
    assert not [r for r in caplog.records if "late" in r.getMessage()]

    following = first_start.astimezone(RIYADH).date() + dt.timedelta(days=1)
    clock.now = dt.datetime.combine(following, dt.time(8, 0), RIYADH).astimezone(dt.UTC)
    await asyncio.gather(*(w.tick() for w in workers))
    rows = await digests(db_sessionmaker)
    assert [r.dedupe_key for r in rows] == [f"digest:{following.isoformat()}"]


async def test_a_new_deployment_started_before_10_posts_its_first_digest_not_late(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.staff.schedule")
    workers = [schedule(db_sessionmaker, redis_client, clock) for _ in range(2)]
    clock.now = riyadh(2026, 11, 23, 9, 30)  # a Monday, started after 08:10
    await asyncio.gather(*(w.tick() for w in workers))
    rows = await digests(db_sessionmaker)
    assert [r.dedupe_key for r in rows] == ["digest:2026-11-23"]
    assert not [r for r in caplog.records if "late" in r.getMessage()]


async def test_a_quiet_day_is_one_line_again_after_someone_rated_days_ago(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    filing: SqlRequestGateway,
    desk: StaffDesk,
) -> None:
    # Found by the review of session 10: the digest counted the ratings of all time, so
    # once anyone had ever rated, a day with nothing open, new or decided still got the
    # whole digest (a column of zeros under the satisfaction). Ratings now count from the
    # last digest, like "new".
    clock.now = riyadh(2026, 11, 15, 9)  # a Sunday: filed and accepted
    number = (await filing.submit(submission("r"))).number
    await desk.accept(number, NOURA)
    async with db_sessionmaker.begin() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        request.satisfaction, request.satisfaction_at = 5, riyadh(2026, 11, 16, 12)

    workers = [schedule(db_sessionmaker, redis_client, clock) for _ in range(2)]
    clock.now = riyadh(2026, 11, 17, 8, 0)  # the rating falls in this digest's window
    await asyncio.gather(*(w.tick() for w in workers))
    clock.now = riyadh(2026, 11, 18, 8, 0)  # nothing since
    await asyncio.gather(*(w.tick() for w in workers))
    first, second = [r.payload["html"] for r in await texts(db_sessionmaker) if r.dedupe_key]
    assert "الرضا منذ الملخص السابق حسب الإدارة" in first and "الإقامة: 5.0" in first
    assert "لا جديد" in second and "\n" not in second and "الرضا" not in second


async def test_digest_is_queued_once_even_without_the_redis_lock(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, clock: Clock
) -> None:
    # two workers past the lock at once (a slow tick overlapping the next one): the
    # outbox's unique dedupe_key is what keeps the digest single
    clock.now = riyadh(2026, 11, 22, 8, 0)
    first, second = (
        schedule(db_sessionmaker, redis_client, clock),
        schedule(db_sessionmaker, redis_client, clock),
    )
    today = dt.date(2026, 11, 22)
    results = await asyncio.gather(
        first.reports.queue_digest(today, "<b>a</b>"),
        second.reports.queue_digest(today, "<b>b</b>"),
    )
    assert sorted(results) == [False, True]
    assert len(await texts(db_sessionmaker)) == 1
    assert not await first.digest(today, clock.now)  # already there: not even rendered


async def test_one_worker_per_tick(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, clock: Clock
) -> None:
    clock.now = riyadh(2026, 11, 22, 8, 0)
    workers = [schedule(db_sessionmaker, redis_client, clock) for _ in range(3)]
    done = await asyncio.gather(*(w.tick() for w in workers))
    assert sorted(done) == [False, False, True]


async def test_digest_content(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    filing: SqlRequestGateway,
    desk: StaffDesk,
) -> None:
    clock.now = riyadh(2026, 11, 8)  # Sunday
    overdue = (await filing.submit(submission("a"))).number
    assert due_date(clock.now) == dt.date(2026, 11, 17)
    clock.now = riyadh(2026, 11, 17, 10)  # Tuesday: filed and accepted
    decided = (await filing.submit(submission("b", service_id="exit_reentry_visa"))).number
    await desk.accept(decided, NOURA)
    clock.now = riyadh(2026, 11, 18, 7)  # Wednesday before the digest
    new = (await filing.submit(submission("c", description="<i>x</i> & y"))).number

    clock.now = riyadh(2026, 11, 18, 8, 30)
    assert await schedule(db_sessionmaker, redis_client, clock).tick()
    digest, escalation = await texts(db_sessionmaker)  # the late one is escalated too
    assert escalation.dedupe_key is None and overdue in escalation.payload["html"]
    html = digest.payload["html"]
    assert digest.dedupe_key == "digest:2026-11-18"
    assert "الملخص اليومي" in html
    assert "<b>جديدة منذ الملخص السابق:</b> 2" in html  # b and c, in the last 24 hours
    assert "<b>مفتوحة:</b> 2" in html
    assert "<b>مستحقة اليوم:</b> 0" in html
    assert "<b>متأخرة:</b> 1" in html
    assert "قرارات أمس: 1 (قبول 1، رفض 0)" in html
    assert "الإقامة: مفتوحة 2، جديدة 1، مستحقة اليوم 0، متأخرة 1، قرارات أمس 0" in html
    assert "التأشيرات: مفتوحة 0، جديدة 1، مستحقة اليوم 0، متأخرة 0، قرارات أمس 1" in html
    assert f"<code>{overdue}</code>" in html and new not in html and decided not in html
    assert "<i>" not in html  # nobody's words in the digest, escaped or not

    # the next day's "new" starts from this digest, not from 24 hours back
    clock.now = riyadh(2026, 11, 19, 8, 0)
    assert await schedule(db_sessionmaker, redis_client, clock).tick()
    second = [r for r in await texts(db_sessionmaker) if r.dedupe_key][-1].payload["html"]
    assert "<b>جديدة منذ الملخص السابق:</b> 0" in second


# ---- reminders and escalations ------------------------------------------------------------


async def _stamps(
    sessions: async_sessionmaker[AsyncSession], number: str
) -> tuple[dt.datetime | None, dt.datetime | None]:
    async with sessions() as session:
        row = (
            await session.execute(
                select(Request.reminded_at, Request.escalated_at).where(Request.number == number)
            )
        ).one()
        return row[0], row[1]


async def test_reminder_then_escalation_each_once(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    filing: SqlRequestGateway,
    desk: StaffDesk,
) -> None:
    number = (await filing.submit(submission("a"))).number  # Sunday 22 Nov: due Tue 1 Dec
    await desk.take(number, NOURA)
    waiting = (await filing.submit(submission("b"))).number
    await desk.ask(waiting, NOURA, "ما رقم الجواز؟")  # its clock is stopped: no warnings

    async def tick_at(day: int, month: int = 12, hour: int = 9, minute: int = 0) -> None:
        clock.now = riyadh(2026, month, day, hour, minute)
        workers = [schedule(db_sessionmaker, redis_client, clock) for _ in range(2)]
        await asyncio.gather(*(w.tick() for w in workers))

    await tick_at(29, month=11)  # Sunday: two working days left
    assert await warnings(db_sessionmaker) == []

    await tick_at(30, month=11, hour=7)  # Monday before 08:00
    assert await warnings(db_sessionmaker) == []
    await tick_at(30, month=11)  # Monday: one working day left
    await tick_at(30, month=11, hour=15)
    [reminder] = await warnings(db_sessionmaker)
    assert "تذكير" in reminder and f"<code>{number}</code>" in reminder
    assert "موعده 1 ديسمبر 2026م" in reminder and "2026-12-01" not in reminder
    # the officer's name is isolated: a name in another script cannot turn the line around
    assert f'<a href="tg://user?id={NOURA.id}">\u2068نورة\u2069</a>' in reminder
    assert waiting not in reminder
    reminded, escalated = await _stamps(db_sessionmaker, number)
    assert reminded is not None and escalated is None

    await tick_at(1)  # Tuesday: due today, already reminded, not late
    assert len(await warnings(db_sessionmaker)) == 1

    await _cards_delivered(db_sessionmaker)
    await tick_at(2)  # Wednesday: overdue
    await tick_at(2, hour=16)
    await tick_at(3)  # Thursday: still overdue, already escalated
    await tick_at(4)  # Friday: weekend
    all_warnings = await warnings(db_sessionmaker)
    assert len(all_warnings) == 2
    escalation = all_warnings[1]
    assert "تصعيد" in escalation and f"<code>{number}</code>" in escalation
    assert "متأخر يوم عمل واحد" in escalation and "الإقامة" in escalation
    assert "موعده 1 ديسمبر 2026م" in escalation and "2026-12-01" not in escalation
    assert waiting not in escalation
    reminded_again, escalated = await _stamps(db_sessionmaker, number)
    assert reminded_again == reminded and escalated is not None
    # the card is queued for a redraw, so it shows the request is late
    assert await _pending_cards(db_sessionmaker) == [number]


async def _pending_cards(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == "staff_card", OutboxMessage.sent_at.is_(None)
            )
        )
        return [r.payload["number"] for r in rows]


async def _cards_delivered(sessions: async_sessionmaker[AsyncSession]) -> None:
    """As if the dispatcher had sent every card so far."""
    async with sessions() as session, session.begin():
        for row in await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "staff_card")
        ):
            row.sent_at = row.created_at


async def test_racing_scans_warn_once(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    filing: SqlRequestGateway,
) -> None:
    number = (await filing.submit(submission("a"))).number
    clock.now = riyadh(2026, 12, 2)
    today = dt.date(2026, 12, 2)
    first, second = (schedule(db_sessionmaker, redis_client, clock) for _ in range(2))
    # both read the request before either stamps it
    seen = [await w.reports.due_items() for w in (first, second)]
    due = [
        [i for i in items if w.reports.needs_escalation(i, today)]
        for w, items in zip((first, second), seen, strict=True)
    ]
    assert [len(d) for d in due] == [1, 1]
    stamped = await asyncio.gather(
        first.reports.queue_warning("escalation", due[0], lambda items: "one"),
        second.reports.queue_warning("escalation", due[1], lambda items: "two"),
    )
    assert sorted(len(s) for s in stamped) == [0, 1]
    assert len(await warnings(db_sessionmaker)) == 1
    assert number  # filed


async def test_a_moved_due_date_is_reminded_again(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
    filing: SqlRequestGateway,
    desk: StaffDesk,
) -> None:
    number = (await filing.submit(submission("a"))).number  # due Tue 1 Dec
    clock.now = riyadh(2026, 11, 30)
    await schedule(db_sessionmaker, redis_client, clock).tick()
    assert len(await warnings(db_sessionmaker)) == 1
    # the officer asks on Monday, the person answers a week later: the waited working days
    # are added back, so the due date moves on and the old reminder no longer counts
    await desk.ask(number, NOURA, "ما رقم الجواز؟")
    clock.now = riyadh(2026, 12, 7)
    record = await desk.answer(number, channel="telegram", user_key="5551001", text="رقمه A1234567")
    assert record.due_date > dt.date(2026, 12, 1)
    clock.now = dt.datetime.combine(
        record.due_date - dt.timedelta(days=1), dt.time(9), RIYADH
    ).astimezone(dt.UTC)
    assert record.due_date == dt.date(2026, 12, 8)  # five working days waited
    assert await schedule(db_sessionmaker, redis_client, clock).tick()
    assert len(await warnings(db_sessionmaker)) == 2
