"""Engine set-up that the rest of the SQL layer relies on."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SQLITE_BEGIN, SQLITE_ONE_READ, default_sqlite_url, make_engine


def test_default_sqlite_url_is_absolute_and_creates_the_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "data" / "nested"
    url = default_sqlite_url(data_dir)
    assert url == f"sqlite+aiosqlite:///{data_dir.resolve()}/tawasul.sqlite3"
    assert data_dir.is_dir()


async def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(default_sqlite_url(tmp_path))
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
            assert ((await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() or 0) > 0
    finally:
        await engine.dispose()


async def test_sqlite_immediate_transaction_takes_the_write_lock(tmp_path: Path) -> None:
    """With SQLITE_BEGIN=IMMEDIATE a second writer cannot start until the first ends."""
    engine = make_engine(default_sqlite_url(tmp_path))
    other = make_engine(default_sqlite_url(tmp_path))
    try:
        async with other.connect() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            await conn.commit()
        async with engine.connect() as first:
            first = await first.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
            await first.begin()
            assert await _begin_immediate_fails(other)
            await first.rollback()
        assert not await _begin_immediate_fails(other)
    finally:
        await engine.dispose()
        await other.dispose()


async def _begin_immediate_fails(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        # Wait 50 ms, not the engine's default, for the lock; the PRAGMA autobegins a
        # transaction, ended before the one under test.
        await conn.exec_driver_sql("PRAGMA busy_timeout=50")
        await conn.commit()
        conn = await conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        try:
            await conn.begin()
        except OperationalError:  # "database is locked"
            return True
        await conn.rollback()
        return False


async def test_sqlite_rolls_back_only_an_open_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A committed write and a read made without BEGIN hand no rollback to aiosqlite's
    thread; a connection given back with its transaction open is still rolled back: its
    write is gone and the write lock is free for the next writer."""
    engine = make_engine(default_sqlite_url(tmp_path))
    other = make_engine(default_sqlite_url(tmp_path))
    rollbacks: list[aiosqlite.Connection] = []
    real = aiosqlite.Connection.rollback

    async def counted(self: aiosqlite.Connection) -> None:
        rollbacks.append(self)  # aiosqlite's rollback is the hand-off to its thread
        await real(self)

    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            await conn.commit()
        monkeypatch.setattr(aiosqlite.Connection, "rollback", counted)
        async with engine.connect() as conn:
            conn = await conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
            await conn.exec_driver_sql("INSERT INTO t VALUES (1)")
            await conn.commit()
        async with engine.connect() as conn:
            conn = await conn.execution_options(**{SQLITE_BEGIN: SQLITE_ONE_READ})
            assert (await conn.exec_driver_sql("SELECT count(*) FROM t")).scalar() == 1
        assert rollbacks == []
        conn = await engine.connect()
        conn = await conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        await conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        await conn.close()  # given back mid-transaction
        assert len(rollbacks) == 1
        monkeypatch.undo()
        assert not await _begin_immediate_fails(other)
        async with other.connect() as conn:
            assert (await conn.exec_driver_sql("SELECT x FROM t")).scalars().all() == [1]
    finally:
        await engine.dispose()
        await other.dispose()
