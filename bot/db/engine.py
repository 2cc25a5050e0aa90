"""Engines and sessions for SQLite (the default, a file under the data directory) and
PostgreSQL (`TAWASUL_DATABASE_URL`), directly or through PgBouncer in transaction mode.

Behind PgBouncer in transaction mode each transaction may run on another server
connection, so a prepared statement must never outlive its transaction nor collide with
another client's by name. SQLAlchemy's asyncpg dialect documents the remedy ("Prepared
Statement Name with PGBouncer"): its own statement cache off (the URL's
``prepared_statement_cache_size=0``), asyncpg's too (``statement_cache_size=0``), a unique
name for every statement, and NullPool (PgBouncer is the pool). The marker is the URL
parameter, so every engine made from the URL (the bot's, the migrations', the staff CLI's)
gets the same treatment; ``TAWASUL_DATABASE_PGBOUNCER=1`` adds it (see
:func:`with_pgbouncer`).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from bot.db.sqlite_handoff import one_hand_off
from bot.db.sqlite_writers import queue_writers, take_turn

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert

# Execution option read by the SQLite "begin" hook: a transaction that reads then writes
# should start with BEGIN IMMEDIATE, taking the write lock up front. A deferred BEGIN would
# take a read snapshot first, and in WAL mode a second writer that committed meanwhile
# makes the upgrade fail at once with SQLITE_BUSY (busy_timeout does not help there).
SQLITE_BEGIN = "tawasul_sqlite_begin"
#: :data:`SQLITE_BEGIN`'s value for a connection that runs one read-only statement: no
#: BEGIN at all, the statement is its own transaction (SQLite's autocommit), which spares
#: a round trip to the driver's thread (see :func:`_sqlite_on_begin`).
SQLITE_ONE_READ = "NONE"

# How long a SQLite connection waits for another one's write lock before failing.
SQLITE_BUSY_TIMEOUT_MS = 15_000

#: The SQLite connections a worker keeps, and never more (issue 12). SQLAlchemy's default
#: (5 kept, 10 more opened and closed as needed) opened and closed 210-227 connections in
#: one run of ``bench/dialogue.py --users 200 --warmup 50``, each a new aiosqlite thread and
#: four PRAGMAs (~2.7 ms of CPU and ~7 ms a connect, measured), and unbounded the burst held
#: 50 at once, all but one waiting in SQLite's busy handler for the one write lock. SQLite
#: writes one transaction at a time, so more connections only wait there instead of in the
#: pool's queue, which is first come, first served; with 8 kept none is opened after the
#: first burst and the peak RSS was 1 MB lower. No task of a worker holds two connections at
#: once (checked over a run with the outbox dispatcher), so a pool without overflow cannot
#: starve a task that already holds one.
SQLITE_POOL_SIZE = 8
#: How long a task waits for one of those connections: longer than a filing can hold one
#: while SQLite's write lock is refused (busy_timeout, asked for again,
#: bot.db.requests_repo.MAX_LOCK_ATTEMPTS), so the pool's wait is never what fails first.
SQLITE_POOL_TIMEOUT_S = 60.0


def default_sqlite_url(data_dir: Path) -> str:
    """The default database: `tawasul.sqlite3` in the data directory (created if missing)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{(data_dir / 'tawasul.sqlite3').resolve()}"


def with_pgbouncer(url: str) -> str:
    """``url`` (postgresql+asyncpg) with SQLAlchemy's statement cache off, which
    :func:`make_engine` reads as "behind PgBouncer in transaction mode"."""
    parsed = make_url(url)
    return parsed.update_query_dict({"prepared_statement_cache_size": "0"}).render_as_string(
        hide_password=False
    )


def behind_pgbouncer(url: str) -> bool:
    """Whether ``url`` is an asyncpg URL with SQLAlchemy's statement cache off."""
    parsed = make_url(url)
    return (
        parsed.drivername == "postgresql+asyncpg"
        and parsed.query.get("prepared_statement_cache_size") == "0"
    )


def _statement_name() -> str:
    # unique across every client of the pooler, so a name never meets another's statement
    return f"__asyncpg_{uuid.uuid4().hex}__"


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; extra keyword arguments go to `create_async_engine`.
    Behind PgBouncer (:func:`behind_pgbouncer`) prepared statements are not cached and are
    named uniquely, and connections are not pooled here (see the module's text). A SQLite
    file keeps :data:`SQLITE_POOL_SIZE` connections, no more, unless a pool is given."""
    # identity and phone numbers are bound parameters: keep them out of logs and errors
    kwargs.setdefault("hide_parameters", True)
    if behind_pgbouncer(url):
        kwargs.setdefault("poolclass", NullPool)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("statement_cache_size", 0)
        connect_args.setdefault("prepared_statement_name_func", _statement_name)
        kwargs["connect_args"] = connect_args
    if _sqlite_file(url) and "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", SQLITE_POOL_SIZE)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", SQLITE_POOL_TIMEOUT_S)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_on_begin)
        _rollback_only_when_open(engine.dialect)
        if _sqlite_file(url):
            # a worker's writers in turn, not in SQLite's busy handler (sqlite_writers)
            queue_writers(engine.sync_engine, engine.dialect)
    return engine


def _sqlite_file(url: str) -> bool:
    """Whether ``url`` is aiosqlite on a file (SQLAlchemy pools an in-memory database
    with one shared connection instead)."""
    parsed = make_url(url)
    return parsed.drivername == "sqlite+aiosqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects read in a transaction stay readable after it, without
    # an implicit (and, under asyncio, impossible) lazy refresh.
    return async_sessionmaker(engine, expire_on_commit=False)


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # each statement one trip to aiosqlite's thread, not four (bot.db.sqlite_handoff)
    one_hand_off(dbapi_connection)
    # Take BEGIN away from the driver (its legacy mode begins only before DML, so SELECTs and
    # DDL would run outside the transaction); _sqlite_on_begin emits it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # SQLite ignores foreign keys unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL: readers do not block the writer nor the writer the readers.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    if mode == SQLITE_ONE_READ:
        return
    if mode not in {"DEFERRED", "IMMEDIATE", "EXCLUSIVE"}:
        raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
    # Through SQLAlchemy, three hand-offs to aiosqlite's thread rather than one: a BEGIN
    # given to aiosqlite directly (69e6088) raised «database is locked» past SQLAlchemy's
    # handle_error event, which counts SQL errors for /metrics (bot/metrics.py) and which
    # test_filing_locked watches, so a refused lock went uncounted.
    if mode != "DEFERRED":
        take_turn(conn)  # the worker's writers one after another (bot.db.sqlite_writers)
    conn.exec_driver_sql(f"BEGIN {mode}")


def _rollback_only_when_open(dialect: Dialect) -> None:
    """Has `dialect` (an aiosqlite engine's own instance) roll back only a connection with
    a transaction open. Both of SQLAlchemy's rollbacks go through ``do_rollback``: the
    connection's, when a session closes after a read (:data:`SQLITE_ONE_READ` began no
    transaction), and the pool's reset on return, after every commit. With BEGIN emitted by
    :func:`_sqlite_on_begin` (the driver's isolation_level None), sqlite3 itself does
    nothing on ``rollback()`` outside a transaction, but aiosqlite hands each call to its
    thread and back first: two of a turn's hand-offs for nothing. Whether a transaction is
    open is SQLite's own flag (``in_transaction``, sqlite3_get_autocommit), read without
    the hand-off; an open one, or a connection that cannot say, is rolled back as before,
    through SQLAlchemy (its handle_error event included). SQLAlchemy's
    ``skip_autocommit_rollback`` does not fit: with the driver's isolation_level None it
    takes every connection for autocommit and would skip the rollback of a real BEGIN."""
    rollback = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        if _transaction_open(dbapi_connection):
            rollback(dbapi_connection)

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]


def _transaction_open(dbapi_connection: Any) -> bool:
    try:
        return bool(dbapi_connection.driver_connection.in_transaction)
    except (AttributeError, ValueError, sqlite3.Error):
        return True  # closed, or not aiosqlite's: the rollback decides, as before


def postgresql_insert() -> Callable[[Any], PostgresqlInsert]:
    """PostgreSQL's INSERT (with ON CONFLICT), imported when first asked for: SQLAlchemy's
    PostgreSQL dialect is ~2 MB of a worker's memory, and a worker on SQLite (``make
    run``'s default, the bench) never needs it (issue 12: peak RSS below 250 MB)."""
    from sqlalchemy.dialects.postgresql import insert

    return insert
