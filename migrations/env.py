"""Alembic environment for the Tawasul bot (async engines: aiosqlite and asyncpg).

The database URL, first found wins:
1. `config.attributes["url"]` — set by bot.db.migrate.upgrade;
2. `alembic -x url=...`;
3. the TAWASUL_DATABASE_URL environment variable;
4. the default SQLite file in TAWASUL_DATA_DIR, as the bot itself would use it.

A caller may also hand over an open synchronous connection in
`config.attributes["connection"]` (e.g. from `AsyncConnection.run_sync`), which is used as is.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection

from bot.db.engine import SQLITE_BEGIN, default_sqlite_url, make_engine
from bot.db.models import Base

config = context.config

# Only the command line configures logging from alembic.ini; a programmatic upgrade
# (no config file) must not reconfigure the application's logging.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata

# Any fixed 64-bit number, the same in every process: PostgreSQL's advisory lock that lets
# one process at a time migrate (workers starting together would otherwise race to create
# the same tables).
MIGRATION_LOCK_KEY = 7_305_218_940_113


def _database_url() -> str:
    url = (
        config.attributes.get("url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get("TAWASUL_DATABASE_URL")
    )
    if url:
        return str(url)
    data_dir = os.environ.get("TAWASUL_DATA_DIR")
    if data_dir:
        return default_sqlite_url(Path(data_dir))
    raise SystemExit(
        "no database: pass -x url=..., or set TAWASUL_DATABASE_URL or TAWASUL_DATA_DIR"
    )


def run_migrations_offline() -> None:
    """`alembic upgrade head --sql`: print the DDL instead of running it."""
    url = _database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # held to the end of the transaction; the next process then finds nothing to do
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        context.run_migrations()


async def _run_async(url: str) -> None:
    # NullPool: a migration is a one-off; nothing should linger in a pool afterwards.
    engine = make_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            # SQLite: take the write lock up front, so a second process starting at the same
            # moment waits (busy_timeout) for the first to finish instead of failing with
            # "database is locked" when its read snapshot turns out to be stale
            connection = await connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
            await connection.run_sync(_run_with)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    # Alembic's commands are synchronous; the async driver needs a loop of its own. Callers
    # inside a running loop run the command in a thread (bot.db.migrate does).
    asyncio.run(_run_async(_database_url()))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
