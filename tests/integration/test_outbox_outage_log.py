"""The outbox's log while PostgreSQL restarts: one WARNING without a traceback when the
outage starts, one line when the rounds go through again, and no ERROR, for an outage the
loop rides out without losing a row; a real error stays an ERROR with its traceback. A
PostgreSQL of the test's own (stopped and started as an outage would), a real Redis and
the Bot API stand-in (the outbox tests' rig)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from tests.integration.outbox_support import Rig, rig
from tests.servers import PostgresServer

SARA = 5_100_000_001


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.create_database("outbox")
        yield server
    finally:
        server.stop()


async def _until(what: Any, within: float = 30.0) -> None:
    async with asyncio.timeout(within):
        while not await what():  # noqa: ASYNC110 (the stand-in records calls)
            await asyncio.sleep(0.05)


async def _notify(r: Rig, text: str) -> None:
    """Queues a notification, as the dialogue would, once the database takes writes."""
    async with asyncio.timeout(30):
        while True:
            try:
                await r.notify(SARA, text)
                return
            except Exception:  # the pool's connections died with the server
                await asyncio.sleep(0.1)


def _outbox(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [rec for rec in caplog.records if rec.name.startswith("bot.outbox")]


async def test_a_postgresql_restart_is_one_warning_and_a_recovery_line(
    own_postgres: PostgresServer,
    redis_client: Redis,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = own_postgres.url_for("outbox")
    await upgrade(url)
    engine = make_engine(url)
    caplog.set_level(logging.INFO, logger="bot.outbox")
    try:
        async with rig(make_sessionmaker(engine), redis_client, tmp_path) as r:
            stop = asyncio.Event()
            task = asyncio.create_task(r.dispatcher().run_forever(stop, poll_s=0.05))
            await r.notify(SARA, "قبل")

            async def first() -> bool:
                return r.api.texts(SARA) == ["قبل"]

            await _until(first)
            await asyncio.to_thread(own_postgres.pause)
            await asyncio.sleep(1.5)  # some thirty rounds fail meanwhile
            await asyncio.to_thread(own_postgres.resume)
            await _notify(r, "بعد")

            async def both() -> bool:
                return r.api.texts(SARA) == ["قبل", "بعد"]

            await _until(both)
            stop.set()
            await task
    finally:
        await engine.dispose()
    records = _outbox(caplog)
    assert [rec.getMessage() for rec in records if rec.levelno >= logging.ERROR] == []
    away = [rec for rec in records if "unreachable" in rec.getMessage()]
    assert len(away) == 1, [rec.getMessage() for rec in records]
    assert away[0].levelno == logging.WARNING and away[0].exc_info is None
    back = [rec for rec in records if "reachable again" in rec.getMessage()]
    assert len(back) == 1 and back[0].created >= away[0].created


async def test_a_real_error_stays_an_error_with_its_traceback_every_round(
    db_sessionmaker: Any,
    redis_client: Redis,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken() -> Any:
        raise RuntimeError("a bug in the round")

    async with rig(db_sessionmaker, redis_client, tmp_path) as r:
        stop = asyncio.Event()
        task = asyncio.create_task(r.dispatcher(sessions=broken).run_forever(stop, poll_s=0.05))

        async def twice() -> bool:
            return len([x for x in _outbox(caplog) if x.levelno == logging.ERROR]) >= 2

        await _until(twice, within=10)
        stop.set()
        await task
    errors = [rec for rec in _outbox(caplog) if rec.levelno == logging.ERROR]
    assert all(rec.exc_info is not None for rec in errors)
    assert not [rec for rec in _outbox(caplog) if "unreachable" in rec.getMessage()]
