"""Engine set-up that the rest of the SQL layer relies on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SQLITE_BEGIN, default_sqlite_url, make_engine


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
