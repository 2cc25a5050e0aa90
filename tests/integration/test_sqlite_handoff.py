"""Each SQL statement on SQLite is one trip to aiosqlite's thread (bot.db.sqlite_handoff),
with the same results and errors as SQLAlchemy's own adapter gives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import event, text
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import sqlite_handoff
from bot.db.engine import default_sqlite_url, make_engine
from bot.db.sqlite_handoff import missing_internals


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(default_sqlite_url(tmp_path))
    async with engine.begin() as conn:
        await conn.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, n INTEGER)"
        )
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls handed to aiosqlite's thread, by the name of the function run there."""
    seen: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", type(fn).__name__))
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_a_read_is_one_hand_off_with_its_rows(
    engine: AsyncEngine, hand_offs: list[str]
) -> None:
    async with engine.begin() as conn:
        await conn.exec_driver_sql("INSERT INTO t (name, n) VALUES ('a', 1), ('b', 2)")
    async with engine.connect() as conn:
        hand_offs.clear()
        result = await conn.execute(
            text("SELECT name, n FROM t WHERE n >= :n ORDER BY n"), {"n": 1}
        )
        rows = [tuple(r) for r in result]
        # BEGIN and the SELECT, one trip each (SQLAlchemy's adapter: 3 and 4)
        assert len(hand_offs) == 2
        assert result.keys() == ["name", "n"]
    assert rows == [("a", 1), ("b", 2)]


async def test_writes_report_rowcount_lastrowid_and_returning(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        inserted = await conn.exec_driver_sql("INSERT INTO t (name, n) VALUES ('a', 1)")
        assert inserted.lastrowid == 1
        assert inserted.rowcount == 1
        many = await conn.exec_driver_sql(
            "INSERT INTO t (name, n) VALUES (?, ?)", [("b", 2), ("c", 3), ("d", 4)]
        )
        assert many.rowcount == 3
        returned = await conn.exec_driver_sql(
            "UPDATE t SET n = n * 10 WHERE n >= 3 RETURNING name, n"
        )
        assert sorted(tuple(r) for r in returned) == [("c", 30), ("d", 40)]
        updated = await conn.exec_driver_sql("UPDATE t SET n = 0 WHERE n > 1")
        assert updated.rowcount == 3
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("SELECT count(*) FROM t WHERE n = 0")).scalar() == 3


async def test_a_refused_statement_raises_through_sqlalchemy(engine: AsyncEngine) -> None:
    """A driver error is SQLAlchemy's exception, seen by its handle_error event (which
    /metrics counts), and leaves the transaction to roll back as before."""
    errors: list[BaseException] = []
    event.listen(
        engine.sync_engine, "handle_error", lambda ctx: errors.append(ctx.original_exception)
    )
    async with engine.begin() as conn:
        await conn.exec_driver_sql("INSERT INTO t (name, n) VALUES ('a', 1)")
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t (name, n) VALUES ('z', 9)")
            await conn.exec_driver_sql("INSERT INTO t (name, n) VALUES ('a', 2)")
    assert len(errors) == 1
    assert isinstance(errors[0], aiosqlite.IntegrityError)
    async with engine.connect() as conn:
        names = (await conn.exec_driver_sql("SELECT name FROM t")).scalars().all()
    assert names == ["a"]  # «z» rolled back with the failed transaction


async def test_streamed_results_still_work(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.exec_driver_sql(
            "INSERT INTO t (name, n) VALUES (?, ?)", [(f"p{i}", i) for i in range(25)]
        )
    async with engine.connect() as conn:
        stream = await conn.stream(text("SELECT n FROM t ORDER BY n"))
        seen = [row.n async for row in stream]
    assert seen == list(range(25))


def test_the_private_parts_it_rests_on_are_all_there() -> None:
    """Fails loudly, naming what is gone, when an upgrade of SQLAlchemy or aiosqlite
    (beyond pyproject.toml's tested ranges) moves a private part the hand-off uses: at run
    time the bot would fall back to SQLAlchemy's own adapter, four hand-offs a statement."""
    assert missing_internals() == ()


async def test_without_those_parts_sqlalchemy_s_own_adapter_serves(
    tmp_path: Path, hand_offs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_handoff, "missing_internals", lambda: ("a part gone",))
    engine = make_engine(default_sqlite_url(tmp_path))
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
            await conn.exec_driver_sql("INSERT INTO t (name) VALUES ('a'), ('b')")
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            assert type(raw.dbapi_connection) is AsyncAdapt_aiosqlite_connection
            hand_offs.clear()
            rows = (await conn.exec_driver_sql("SELECT name FROM t ORDER BY id")).all()
            # BEGIN (cursor, execute, close) and the SELECT (cursor, execute, fetchall, close)
            assert len(hand_offs) > 2
        assert [r.name for r in rows] == ["a", "b"]
    finally:
        await engine.dispose()
