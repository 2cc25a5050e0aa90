"""Programmatic Alembic: `tawasul db upgrade` and the test fixtures migrate through here.

Alembic is imported inside the functions that use it: importing it (with Mako and its
DDL and autogenerate modules) holds about 13 MB of a process's memory, and a worker that
does not migrate at start (TAWASUL_AUTO_MIGRATE=false, as deployed) should not pay it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.db.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic's plugin registry logs a dozen «setup plugin …» lines at INFO whenever a config
# is read (also to find the head revision for a one-line refusal): noise for an operator.
# Its migration lines («Running upgrade 0008 -> 0009») stay.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

# migrations/ is a top-level folder next to bot/ (this file is bot/db/migrate.py).
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config for `url` that does not depend on the working directory nor on
    alembic.ini (so it also does not touch the application's logging configuration)."""
    from alembic.config import Config

    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise RuntimeError(f"Alembic migrations not found in {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["url"] = url
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision` (the newest by default)."""
    # Alembic's commands are synchronous and env.py runs the async driver with
    # asyncio.run, which cannot nest in the caller's running loop: use a worker thread.
    from alembic import command

    await asyncio.to_thread(command.upgrade, alembic_config(url), revision)


async def downgrade(url: str, revision: str) -> None:
    """Take the database at `url` back to `revision` ("base" drops every table)."""
    from alembic import command

    await asyncio.to_thread(command.downgrade, alembic_config(url), revision)


def head_revision(url: str) -> str:
    """The newest revision of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert head is not None, "migrations/ has no head revision"
    return head


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at; None when it was never migrated.
    Raises SQLAlchemy's errors when the database cannot be reached."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            try:
                row = await connection.execute(text("SELECT version_num FROM alembic_version"))
                found = row.scalar()
            except DBAPIError:  # no alembic_version table: never migrated
                return None
    finally:
        await engine.dispose()
    return str(found) if found is not None else None
