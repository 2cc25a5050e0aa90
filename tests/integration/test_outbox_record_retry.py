"""An outcome the database refuses for a moment is written again, and the message is not
sent a second time: two workers on one real database (SQLite and PostgreSQL), the Bot API
stand-in, a real Redis.

Found by ``bench/dialogue.py --cards``: a run sent 125 receipt cards for 120 requests. A
worker whose UPDATE recording «sent» met a locked database let the error end its round,
and the round released every row it had claimed, the row just sent among them, so a
worker claimed it again and the person got the same message twice.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN, make_engine, make_sessionmaker
from bot.db.models import OutboxMessage
from tests.integration.outbox_support import Rig, rig

SARA = 5_100_000_001
#: how long worker A waits for a lock before its statement fails (the others wait long)
SHORT_WAIT_MS = 100


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


def impatient_engine(db_url: str) -> AsyncEngine:
    """An engine whose statements give up on a lock after SHORT_WAIT_MS."""
    if db_url.startswith("sqlite"):
        engine = make_engine(db_url)

        def short_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={SHORT_WAIT_MS}")
            cursor.close()

        # after make_engine's own listener, which sets the long timeout
        event.listen(engine.sync_engine, "connect", short_busy_timeout)
        return engine
    return make_engine(
        db_url, connect_args={"server_settings": {"lock_timeout": str(SHORT_WAIT_MS)}}
    )


async def lock_outbox(engine: AsyncEngine) -> AsyncConnection:
    """A transaction that keeps every other writer of the outbox waiting until it ends."""
    connection = await engine.connect()
    if engine.dialect.name == "sqlite":
        connection = await connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        await connection.begin()
        await connection.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock
    else:
        await connection.begin()
        table = OutboxMessage.__tablename__
        await connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
    return connection


async def test_a_sent_row_whose_outcome_meets_a_locked_database_is_not_sent_again(
    r: Rig, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    (row_id,) = await r.notify(SARA, "رسالة واحدة")
    # Telegram takes the message; only its answer waits, so the worker records afterwards
    gate = r.api.hold("sendMessage", chat_id=SARA, after=True)
    engine_a, engine_b, locker = impatient_engine(db_url), make_engine(db_url), make_engine(db_url)
    stop = asyncio.Event()
    worker_a = r.dispatcher(sessions=make_sessionmaker(engine_a))
    worker_b = r.dispatcher(sessions=make_sessionmaker(engine_b))
    tasks = [asyncio.create_task(w.run_forever(stop, poll_s=0.05)) for w in (worker_a, worker_b)]
    lock: AsyncConnection | None = None
    caplog.set_level(logging.WARNING, logger="bot.outbox.dispatcher")
    try:
        await asyncio.wait_for(gate.arrived.wait(), 30)
        lock = await lock_outbox(locker)
        gate.release()  # worker A now records «sent» against the locked table, and fails

        async def refused() -> None:
            for _ in itertools.count():
                if any("not recorded" in m or "round failed" in m for m in caplog.messages):
                    return
                await asyncio.sleep(0.02)

        await asyncio.wait_for(refused(), 30)
        await lock.rollback()
        await lock.close()
        lock = None
        await r.settled(within=30)
        row = await r.row(row_id)
        assert row.delivery_status == "sent"
        # the claim long over: nothing of it is left for either worker to send again
        r.clock.advance(120)
        assert await worker_b.run_once() == 0
        assert await worker_a.run_once() == 0
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        if lock is not None:
            await lock.rollback()
            await lock.close()
        for engine in (engine_a, engine_b, locker):
            await engine.dispose()
    assert r.api.texts(SARA) == ["رسالة واحدة"]
