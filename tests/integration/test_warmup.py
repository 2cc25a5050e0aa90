"""The start-up warm-up (bot/warmup.py) runs a whole resident dialogue through the real
channel, engine and database, and leaves nothing a person or an officer could see: no
request, no outbox row, no Redis key; and aiogram's answer models are not rebuilt after a
garbage collection (bot/channels/aiogram_models.py)."""

from __future__ import annotations

import gc
import logging
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from aiogram.methods import Response
from aiogram.types import Message
from sqlalchemy import func, select

from bot.app import build_services
from bot.channels.aiogram_models import pin_response_models
from bot.db.models import OutboxMessage, Request
from bot.settings import Settings
from bot.warmup import warm_cards, warm_up


async def test_the_warm_up_files_nothing_and_leaves_no_keys(
    tmp_path: Path, redis_url: str, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        redis_url=redis_url,
        database_url=db_url,
    )
    async with build_services(settings) as services:
        before = {key async for key in services.redis.scan_iter(count=1000)}
        with caplog.at_level(logging.INFO, logger="bot"):
            took = await warm_up(services)
            await warm_cards(services)
        after = {key async for key in services.redis.scan_iter(count=1000)}
        async with services.sessions() as session:
            requests = await session.scalar(select(func.count()).select_from(Request))
            outbox = await session.scalar(select(func.count()).select_from(OutboxMessage))
    # it went all the way: the dialogue reached «confirm» (a stop is logged as a warning)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert any("warm-up took" in r.getMessage() for r in caplog.records)
    # its request is rolled back: not logged as filed (found by the fresh-clone tester)
    assert not any(" filed: " in r.getMessage() for r in caplog.records), caplog.text
    # the receipt cards' process was started and drew its samples elsewhere
    assert any("receipt cards' process ready" in r.getMessage() for r in caplog.records)
    assert list((tmp_path / "receipts").glob("*")) == []
    assert took > 0
    assert requests == 0 and outbox == 0
    assert after - before == set()


def test_answer_models_survive_garbage_collection() -> None:
    # one a return type of the methods the bot sends (bot.channels.aiogram_models)
    assert pin_response_models() >= 8
    first = id(Response[Message])
    gc.collect()
    # unpinned, pydantic's weak cache would lose the class here and build a new one
    assert id(Response[Message]) == first


async def test_the_warm_up_on_sqlite_does_not_collide_with_another_worker_writing(
    tmp_path: Path, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """At the first start of `tawasul run --workers 2` on SQLite the log showed an ERROR and a
    60-line traceback, «turn failed on telegram … database is locked», from one worker's
    warm-up (fresh-clone tester, report 12 §17): its dialogue read the shared file, then its
    filing could not write, the other worker having written meanwhile (SQLite refuses such
    an upgrade at once, busy_timeout or not). Here the other worker is a connection that
    commits a write every few milliseconds throughout the warm-up."""
    database = tmp_path / "tawasul.sqlite3"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        redis_url=redis_url,
        database_url=f"sqlite+aiosqlite:///{database}",
    )
    stop = threading.Event()

    def other_worker() -> None:
        connection = sqlite3.connect(database, timeout=15, isolation_level=None)
        try:
            connection.execute("CREATE TABLE IF NOT EXISTS other_worker (n INTEGER)")
            while not stop.is_set():
                connection.execute("INSERT INTO other_worker VALUES (1)")
                time.sleep(0.005)
        finally:
            connection.close()

    async with build_services(settings) as services:
        writer = threading.Thread(target=other_worker, name="other-worker")
        writer.start()
        try:
            with caplog.at_level(logging.INFO):
                await warm_up(services)
        finally:
            stop.set()
            writer.join()
        async with services.sessions() as session:
            requests = await session.scalar(select(func.count()).select_from(Request))
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not problems, caplog.text
    assert any("warm-up took" in r.getMessage() for r in caplog.records)
    assert requests == 0
