"""The note of a photo lost while Redis was away reaches the person's next turn on any
worker (conversations.store_outage, bot.db.lost_files): two workers (two service stacks on
one Redis and one database, SQLite and PostgreSQL), a real redis-server of the test's own
stopped past a photo's wait and started again on its append-only file.

Worker one gives the photo's apology and is then stopped for good (a worker that died, or
one that simply handles nothing more): the person's «تم» on worker two must not go on to
the summary without the photo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from bot.app import build_services
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.lost_files import SqlLostFiles
from bot.db.models import LostFileNote
from bot.settings import Settings
from conversations.engine import apology
from domain.normalize import clean_input
from tests.servers import RedisServer
from tests.unit.conversations.fakes import Chat

USER = "5600000001"
#: What the documents step says while a photo the person sent is known to be missing.
MISSING = "لم تصلنا صورة أو ملف أرسلته"
#: The photo's own apology.
APOLOGY = "لم تصلنا الصورة"
SUMMARY = "يُرجى مراجعة طلبك"
SORRY = clean_input(apology("ar"))


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer.start(persistent=True)
    try:
        yield server
    finally:
        server.stop()


async def _to_documents(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("مشكلة تقنية في ابشر")
    await chat.tap("s:technical_issue")
    await chat.text("2000000006")
    await chat.contact("+966501112223")
    await chat.text("لا أستطيع الدخول إلى أبشر منذ أسبوع")
    assert "«تم»" in clean_input(chat.said), chat.said  # the documents step
    await chat.media(ref="photo-1")
    assert "وصلتني الصورة" in clean_input(chat.said), chat.said


async def test_a_photo_lost_on_one_worker_holds_done_on_the_other(
    tmp_path: Path, redis_server: RedisServer, db_url: str
) -> None:
    settings = Settings(data_dir=tmp_path, redis_url=redis_server.url, database_url=db_url)
    async with build_services(settings) as two:
        async with AsyncExitStack() as first:
            one = await first.enter_async_context(build_services(settings))
            one.engine.store_wait_s = 0.2  # the outage outlasts it
            on_one = Chat(one.engine.handle, channel="telegram", user=USER)
            await _to_documents(on_one)
            redis_server.pause()
            await on_one.media(ref="photo-2")
            assert APOLOGY in clean_input(on_one.said), on_one.said
        # worker one is gone; Redis comes back; the person presses «تم» on worker two
        redis_server.restart()
        on_two = Chat(two.engine.handle, channel="telegram", user=USER)
        # (its pooled connections were cut by the restart: the first turn may meet one and
        # get the general apology, and the person presses again, as it asks)
        for _ in range(5):
            await on_two.tap("done")
            if SORRY not in clean_input(on_two.said):
                break
        assert MISSING in clean_input(on_two.said), on_two.said
        assert SUMMARY not in clean_input(on_two.said)
        # the note is in the draft now, out of the database: once, not twice
        async with two.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(LostFileNote)) == 0
        await on_two.tap("done")
        assert MISSING in clean_input(on_two.said), on_two.said
        # sent again: kept, and «تم» goes on to the summary with both photos
        await on_two.media(ref="photo-2")
        assert "وصلتني الصورة" in clean_input(on_two.said), on_two.said
        await on_two.tap("done")
        summary = clean_input(on_two.said)
        assert SUMMARY in summary and "المرفقات: ملفان" in summary, summary


# ---- who has a note, looked at once for many turns (issue 12) --------------------------


class Ticks:
    """An injected ``time.monotonic``."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_turns_without_a_note_read_no_row_and_a_note_reaches_every_worker(
    db_url: str,
) -> None:
    """Two workers' notes on one database. Worker two's turns at the documents steps do
    not each read the table: one look serves them for ``fresh_s`` (before: one SELECT a
    turn). A note worker one writes is seen by its own next turn at once, and by worker
    two's once its look is older than ``fresh_s``; a person without a note costs nothing."""
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        ticks = Ticks()
        one, two = (
            SqlLostFiles(make_sessionmaker(e), monotonic=ticks, fresh_s=0.5) for e in engines
        )
        statements: list[str] = []
        event.listen(
            engines[1].sync_engine,
            "before_cursor_execute",
            lambda _c, _cur, sql, *_: statements.append(sql),
        )
        assert await two.waiting("telegram", USER) == 0
        looked = len(statements)
        assert looked >= 1
        for n in range(20):  # twenty turns of others at the documents steps
            assert await two.waiting("telegram", f"56000001{n:02}") == 0
        assert len(statements) == looked, statements[looked:]

        await one.add("telegram", USER)
        assert await one.waiting("telegram", USER) == 1  # its own note: at once
        ticks.now += 0.5  # worker two's look is as old as fresh_s
        assert await two.waiting("telegram", USER) == 1
        assert await two.waiting("telegram", "5600000199") == 0
        assert await two.take("telegram", USER) == 1
        ticks.now += 0.5
        assert await two.waiting("telegram", USER) == 0
        assert await one.waiting("telegram", USER) == 0  # taken on worker two
    finally:
        for engine in engines:
            await engine.dispose()
