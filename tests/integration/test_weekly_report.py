"""The weekly report on a real Redis and SQLite/PostgreSQL: queued once on Sunday from
08:00 Riyadh time whatever the number of workers and restarts, caught up later that Sunday
but not on Monday, on a holiday Sunday too, not at all when turned off; its figures; and
its delivery through the outbox to the Bot API stand-in, text then chart, the chart alone
retried after a 429."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import AsyncIterator, Collection
from pathlib import Path

import pytest
from PIL import Image
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, Request
from bot.db.requests_repo import SqlRequestGateway
from bot.outbox.handlers import PARTS_SENT
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.schedule import StaffSchedule, run_schedule
from domain.catalogue import load_catalogue
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import submission
from tests.integration.test_staff_schedule import NOURA, Clock, Services, riyadh, texts

SUNDAY = dt.date(2026, 11, 29)


def on_sunday(hh: int, mm: int = 0) -> dt.datetime:
    return riyadh(2026, 11, 29, hh, mm)


def schedule(
    sessions: async_sessionmaker[AsyncSession],
    redis: Redis,
    clock: Clock,
    holidays: Collection[dt.date] | None = None,
) -> StaffSchedule:
    return StaffSchedule(sessions, redis, load_catalogue(), clock=clock, holidays=holidays)


async def weekly_rows(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    return [r for r in await texts(sessions) if (r.dedupe_key or "").startswith("weekly:")]


async def two_workers_for(services: Services, clock: Clock, seconds: float = 0.3) -> None:
    """Two schedulers started afresh (a restart each time), ticking every 20 ms."""
    stop = asyncio.Event()
    workers = [
        asyncio.create_task(run_schedule(services, stop, clock, tick_s=0.02)) for _ in range(2)
    ]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*workers)


@pytest.fixture
def clock() -> Clock:
    return Clock(on_sunday(7, 0))


@pytest.fixture
def services(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> Services:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    return Services(settings, redis_client, db_sessionmaker)


async def test_once_on_sunday_from_eight_across_two_workers_and_restarts(
    services: Services, clock: Clock, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    clock.now = on_sunday(7, 59)
    await two_workers_for(services, clock)
    assert await texts(db_sessionmaker) == []  # not before 08:00 Riyadh

    for minute in (0, 1, 30):  # the clock moves on through the morning
        clock.now = on_sunday(8, minute)
        await two_workers_for(services, clock)
    rows = await weekly_rows(db_sessionmaker)
    assert [r.dedupe_key for r in rows] == ["weekly:2026-11-29"]
    assert "التقرير الأسبوعي" in rows[0].payload["html"]
    # the daily digest goes out as on any day, apart from the report
    assert [r.dedupe_key for r in await texts(db_sessionmaker)] == [
        "digest:2026-11-29",
        "weekly:2026-11-29",
    ]

    for day in range(1, 7):  # Monday to Saturday: digests only
        clock.now = on_sunday(8, 0) + dt.timedelta(days=day)
        await two_workers_for(services, clock, 0.15)
    assert len(await weekly_rows(db_sessionmaker)) == 1
    clock.now = riyadh(2026, 12, 6, 8, 0)  # the next Sunday
    await two_workers_for(services, clock)
    assert [r.dedupe_key for r in await weekly_rows(db_sessionmaker)] == [
        "weekly:2026-11-29",
        "weekly:2026-12-06",
    ]


async def test_down_at_eight_sent_later_that_sunday_but_not_on_monday(
    services: Services, clock: Clock, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    clock.now = on_sunday(15, 30)  # the first tick of the day, after a morning down
    await two_workers_for(services, clock)
    assert [r.dedupe_key for r in await weekly_rows(db_sessionmaker)] == ["weekly:2026-11-29"]

    # down the whole of the next Sunday: on Monday that week's report is not sent
    clock.now = riyadh(2026, 12, 7, 8, 0)
    await two_workers_for(services, clock)
    assert [r.dedupe_key for r in await weekly_rows(db_sessionmaker)] == ["weekly:2026-11-29"]


async def test_a_holiday_sunday_gets_its_report_but_no_warnings(
    db_sessionmaker: async_sessionmaker[AsyncSession],
    redis_client: Redis,
    clock: Clock,
) -> None:
    clock.now = riyadh(2026, 11, 8)
    await SqlRequestGateway(db_sessionmaker, clock=clock).submit(submission("late"))  # due 17th

    clock.now = on_sunday(8, 0)
    assert await schedule(db_sessionmaker, redis_client, clock, holidays={SUNDAY}).tick()
    assert [r.dedupe_key for r in await texts(db_sessionmaker)] == [
        "digest:2026-11-29",
        "weekly:2026-11-29",
    ]  # no escalation on the holiday
    clock.now = riyadh(2026, 11, 30, 8, 0)  # the next working day the escalation goes out
    assert await schedule(db_sessionmaker, redis_client, clock, holidays={SUNDAY}).tick()
    escalations = [r for r in await texts(db_sessionmaker) if r.dedupe_key is None]
    assert len(escalations) == 1 and len(await weekly_rows(db_sessionmaker)) == 1


async def test_turned_off_no_report_the_digest_stays(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    clock: Clock,
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, weekly_report=False)  # type: ignore[call-arg]
    clock.now = on_sunday(8, 0)
    await two_workers_for(Services(settings, redis_client, db_sessionmaker), clock)
    assert [r.dedupe_key for r in await texts(db_sessionmaker)] == ["digest:2026-11-29"]


async def _set(sessions: async_sessionmaker[AsyncSession], number: str, **values: object) -> None:
    async with sessions.begin() as session:
        await session.execute(update(Request).where(Request.number == number).values(**values))


async def test_the_weeks_figures(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, clock: Clock
) -> None:
    filing = SqlRequestGateway(db_sessionmaker, clock=clock)
    desk = StaffDesk(db_sessionmaker, load_catalogue(), clock=clock)

    async def filed(key: str, at: dt.datetime, **fields: object) -> str:
        clock.now = at
        return (await filing.submit(submission(key, attachments=(), **fields))).number

    old = await filed("old", riyadh(2026, 11, 8, 9))  # open, due the 17th: overdue
    late = await filed("late", riyadh(2026, 11, 11, 9))  # due the 22nd, decided the 26th
    quick = await filed("quick", riyadh(2026, 11, 23, 10), service_id="exit_reentry_visa")
    clock.now = riyadh(2026, 11, 24, 9)
    await desk.accept(quick, NOURA)
    waiting = await filed("waiting", riyadh(2026, 11, 24, 11))
    clock.now = riyadh(2026, 11, 26, 12)
    await desk.reject(late, NOURA, "المستندات غير مكتملة")
    saturday_night = await filed("sat", riyadh(2026, 11, 28, 23, 30))
    sunday_early = await filed("sun", riyadh(2026, 11, 29, 7, 0))  # the report's own day
    # rated during the week, and before it (not this week's satisfaction)
    await _set(db_sessionmaker, quick, satisfaction=5, satisfaction_at=riyadh(2026, 11, 25, 9))
    await _set(db_sessionmaker, late, satisfaction=1, satisfaction_at=riyadh(2026, 11, 21, 9))

    clock.now = on_sunday(8, 0)
    scheduler = schedule(db_sessionmaker, redis_client, clock)
    assert scheduler.weekly is not None and await scheduler.weekly.tick(clock.now)
    (row,) = await weekly_rows(db_sessionmaker)
    html = row.payload["html"]
    assert "التقرير الأسبوعي: من 22 نوفمبر 2026م إلى 28 نوفمبر 2026م" in html
    assert "<b>الطلبات المستلمة:</b> 3" in html  # quick, waiting, Saturday night
    assert "<b>الطلبات المبتوت فيها:</b> 2" in html
    assert "بُتّ فيها خلال ٧ أيام عمل: 50٪ (1 من 2)" in html
    assert "المفتوحة الآن: 4، منها متأخرة: 1" in html
    assert "• الإقامة: 0٪ (0 من 1)" in html and "• التأشيرات: 100٪ (1 من 1)" in html
    lines = html.splitlines()
    start = lines.index("<b>أقدم الطلبات المفتوحة</b>")
    assert lines[start + 1 : start + 5] == [
        f"• <code>{old}</code> — تجديد هوية مقيم — منذ 21 يومًا",
        f"• <code>{waiting}</code> — تجديد هوية مقيم — منذ 5 أيام",
        f"• <code>{saturday_night}</code> — تجديد هوية مقيم — منذ يوم واحد",
        f"• <code>{sunday_early}</code> — تجديد هوية مقيم — قُدِّم اليوم",
    ]
    assert "• التأشيرات: 5.0 (تقييم واحد)" in html and "الإقامة: 1.0" not in html
    assert "2000000006" not in html and "+966" not in html  # no personal data

    chart = row.payload["chart"]["data"]
    assert chart["days"] == [f"2026-11-{d}" for d in range(22, 29)]
    assert chart["received"] == [0, 1, 1, 0, 0, 0, 1]
    assert chart["decided"] == [0, 0, 1, 0, 1, 0, 0]
    assert chart["on_time"] == {"residency": [0, 1], "visas": [1, 1]}
    assert chart["oldest"] == [[old, 21], [waiting, 5], [saturday_night, 1], [sunday_early, 0]]
    assert chart["satisfaction"] == {"visas": [5.0, 1]}
    assert row.payload["chart"]["texts"]["departments"]["visas"] == "التأشيرات"


# ---- delivery -------------------------------------------------------------------------------


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


def _photo(r: Rig) -> bytes:
    (call,) = [c for c in r.api.calls_for(STAFF_CHAT, "sendPhoto") if c.params.get("photo")]
    photo = call.params["photo"]
    if isinstance(photo, str) and photo.startswith("attach://"):
        photo = call.params[photo.removeprefix("attach://")]
    data = photo["data"]
    assert isinstance(data, bytes)
    return data


async def _queued_with_its_chart(
    r: Rig, redis_client: Redis, clock: Clock, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> OutboxMessage:
    """Sunday 08:00: the schedule queues the weekly report, its chart drawn into r.media;
    the report's outbox row."""
    clock.now = on_sunday(8, 0)
    scheduler = StaffSchedule(
        db_sessionmaker, redis_client, load_catalogue(), clock=clock, media=r.media
    )
    assert scheduler.weekly is not None and await scheduler.weekly.tick(clock.now)
    (row,) = await weekly_rows(db_sessionmaker)
    return row


async def test_the_report_reaches_the_group_text_then_chart_drawn_when_queued(
    r: Rig, redis_client: Redis, clock: Clock, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    row = await _queued_with_its_chart(r, redis_client, clock, db_sessionmaker)
    stored = r.media.read(row.payload["chart"]["png"])  # drawn by the schedule, kept 0600
    assert r.media.path_for(row.payload["chart"]["png"]).stat().st_mode & 0o077 == 0
    await r.drain(r.dispatcher())
    text, photo = r.api.messages(STAFF_CHAT)
    assert text["text"].startswith("التقرير الأسبوعي")
    assert "photo" in photo and _photo(r) == stored  # uploaded as drawn, not drawn again
    assert Image.open(io.BytesIO(stored)).width == 1080
    (row,) = await weekly_rows(db_sessionmaker)
    assert row.sent_at is not None and row.delivery_status == "sent"


async def test_a_chart_file_gone_is_drawn_again_from_the_row(
    r: Rig, redis_client: Redis, clock: Clock, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    row = await _queued_with_its_chart(r, redis_client, clock, db_sessionmaker)
    r.media.path_for(row.payload["chart"]["png"]).unlink()  # swept while the group was away
    await r.drain(r.dispatcher())
    _text, photo = r.api.messages(STAFF_CHAT)
    assert "photo" in photo and Image.open(io.BytesIO(_photo(r))).width == 1080


async def test_a_429_on_the_chart_retries_the_chart_alone(
    r: Rig, redis_client: Redis, clock: Clock, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    clock.now = on_sunday(8, 0)
    scheduler = schedule(db_sessionmaker, redis_client, clock)
    assert scheduler.weekly is not None and await scheduler.weekly.tick(clock.now)
    r.api.fail_next("sendPhoto", retry_after=1)
    dispatcher = r.dispatcher()
    await dispatcher.run_once()
    (row,) = await weekly_rows(db_sessionmaker)
    assert row.sent_at is None and row.payload[PARTS_SENT] == 1
    assert [m.get("text", "")[:16] for m in r.api.messages(STAFF_CHAT)] == ["التقرير الأسبوعي"]
    await asyncio.sleep(1.1)
    await r.drain(dispatcher)
    sent = r.api.messages(STAFF_CHAT)
    assert len(sent) == 2 and "photo" in sent[1]  # the text once, then the chart
    assert len(r.api.calls_for(STAFF_CHAT, "sendMessage")) == 1
    (row,) = await weekly_rows(db_sessionmaker)
    assert row.sent_at is not None


async def test_a_chart_that_cannot_be_drawn_leaves_the_text(
    r: Rig, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with db_sessionmaker.begin() as session:
        session.add(
            OutboxMessage(
                kind="staff_text",
                channel="staff",
                target="staff",
                payload={"html": "<b>التقرير الأسبوعي</b>", "chart": {"data": {}}},
                dedupe_key="weekly:2026-11-29",
            )
        )
    await r.drain(r.dispatcher())
    (text,) = r.api.messages(STAFF_CHAT)
    assert text["text"] == "التقرير الأسبوعي"
    (row,) = await weekly_rows(db_sessionmaker)
    assert row.sent_at is not None  # not retried for ever: the payload will not change
