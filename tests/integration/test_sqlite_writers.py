"""A worker's SQLite writers take turns first come, first served (bot.db.sqlite_writers):
the resident who confirmed first is filed first, and none waits in SQLite's busy handler,
which woke writers in no order and left the lock free between its polls (issue 12: a
BEGIN IMMEDIATE waited up to 3.4 s for transactions holding the lock 3–4 ms)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SQLITE_BEGIN, default_sqlite_url, make_engine, make_sessionmaker

WRITERS = 6


async def _table(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.exec_driver_sql("CREATE TABLE filed (who INTEGER)")
        await conn.commit()


async def _write(engine: AsyncEngine, who: int, *, fail: bool = False) -> None:
    async with make_sessionmaker(engine)() as session, session.begin():
        await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        await session.execute(text("INSERT INTO filed (who) VALUES (:who)"), {"who": who})
        if fail:
            raise RuntimeError("the turn fails after writing")


async def _filed(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as conn:
        rows = await conn.exec_driver_sql("SELECT who FROM filed ORDER BY rowid")
        return [row[0] for row in rows]


async def test_one_workers_writers_are_filed_in_the_order_they_came(tmp_path: Path) -> None:
    engine = make_engine(default_sqlite_url(tmp_path))
    try:
        await _table(engine)
        async with engine.connect() as held:
            held = await held.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
            await held.begin()
            writers = []
            for who in range(WRITERS):
                writers.append(asyncio.create_task(_write(engine, who)))
                await asyncio.sleep(0.03)  # each has asked for the lock before the next
            await held.commit()
        async with asyncio.timeout(30):
            await asyncio.gather(*writers)
        assert await _filed(engine) == list(range(WRITERS))
    finally:
        await engine.dispose()


async def test_a_writer_that_fails_gives_its_turn_to_the_next(tmp_path: Path) -> None:
    engine = make_engine(default_sqlite_url(tmp_path))
    try:
        await _table(engine)
        with pytest.raises(RuntimeError):
            await _write(engine, 1, fail=True)
        # the next writer does not wait for a turn nobody gives back
        async with asyncio.timeout(5):
            await _write(engine, 2)
        assert await _filed(engine) == [2]
    finally:
        await engine.dispose()


async def test_two_workers_on_one_file_both_write_while_each_queues_its_own(
    tmp_path: Path,
) -> None:
    workers = [make_engine(default_sqlite_url(tmp_path)) for _ in range(2)]
    try:
        await _table(workers[0])
        async with asyncio.timeout(60):
            await asyncio.gather(*(_write(workers[who % 2], who) for who in range(4 * WRITERS)))
        assert sorted(await _filed(workers[1])) == list(range(4 * WRITERS))
    finally:
        for engine in workers:
            await engine.dispose()
