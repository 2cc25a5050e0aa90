"""Programmatic Alembic: `tawasul db upgrade` and the test fixtures migrate through here."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

# migrations/ is a top-level folder next to bot/ (this file is bot/db/migrate.py).
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config for `url` that does not depend on the working directory nor on
    alembic.ini (so it also does not touch the application's logging configuration)."""
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
    await asyncio.to_thread(command.upgrade, alembic_config(url), revision)


async def downgrade(url: str, revision: str) -> None:
    """Take the database at `url` back to `revision` ("base" drops every table)."""
    await asyncio.to_thread(command.downgrade, alembic_config(url), revision)
