"""A worker on SQLite keeps its connections (issue 12): SQLAlchemy's default pool opened
and closed a connection, a new aiosqlite thread and four PRAGMAs, about once per resident
in a burst (210-227 in one run of ``bench/dialogue.py --users 200 --warmup 50``). Two
workers on one SQLite file (WAL) still file every confirmation once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SQLITE_BEGIN, SQLITE_POOL_SIZE, make_engine, make_sessionmaker
from bot.db.models import OutboxMessage, Request
from bot.db.requests_repo import SqlRequestGateway
from tests.integration.test_db_requests import submission

BURST = 40


def count_connects(engine: AsyncEngine) -> list[int]:
    opened = [0]

    def connected(*_: Any) -> None:
        opened[0] += 1

    event.listen(engine.sync_engine, "connect", connected)
    return opened


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_bursts_of_readers_and_writers_reuse_the_kept_connections(db_url: str) -> None:
    """Three bursts of 40 sessions at once, reads and BEGIN IMMEDIATE writes, each holding
    its connection across a hop of the event loop: every one succeeds, and no more than the
    pool's connections are ever opened (before: 15 for the first burst, and the 10 beyond
    the 5 kept closed and opened again at every burst)."""
    engine = make_engine(db_url)
    opened = count_connects(engine)
    sessions = make_sessionmaker(engine)

    async def one(i: int) -> int:
        async with sessions() as session:
            if i % 4 == 0:
                async with session.begin():
                    await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
                    await session.execute(text("SELECT 1"))
                    await asyncio.sleep(0)
                    return 1
            await asyncio.sleep(0)
            return int(await session.scalar(select(func.count()).select_from(Request)) or 0) + 1

    try:
        for _ in range(3):
            results = await asyncio.gather(*(one(i) for i in range(BURST)))
            assert results == [1] * BURST
        assert opened[0] <= SQLITE_POOL_SIZE
    finally:
        await engine.dispose()


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_two_workers_on_one_sqlite_file_file_every_confirmation_once(db_url: str) -> None:
    """Two workers (two engines on one WAL file) each take 20 confirmations at once, and
    each confirmation is sent twice (a redelivered update): 40 requests filed, each once,
    each with one officers' card, and neither worker opens more than its pool."""
    workers = [make_engine(db_url) for _ in range(2)]
    opened = [count_connects(engine) for engine in workers]
    try:
        gateways = [SqlRequestGateway(make_sessionmaker(e)) for e in workers]
        confirms = [
            gateways[(i + twice) % 2].submit(submission(key=f"draft-{i}", user_key=f"88{i:03d}"))
            for i in range(40)
            for twice in (0, 1)
        ]
        async with asyncio.timeout(120):
            filed = await asyncio.gather(*confirms)
        numbers = {f.number for f in filed}
        assert len(numbers) == 40
        assert sum(f.created for f in filed) == 40
        async with make_sessionmaker(workers[0])() as session:
            requests = await session.scalar(select(func.count()).select_from(Request))
            cards = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "staff_card")
            )
            journal = await session.scalar(text("PRAGMA journal_mode"))
        assert (requests, cards, journal) == (40, 40, "wal")
        assert all(o[0] <= SQLITE_POOL_SIZE for o in opened), opened
    finally:
        for engine in workers:
            await engine.dispose()
