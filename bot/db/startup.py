"""The steps before a process serves: the data directory made the owner's, and the
database migrated or checked (``tawasul run``, ``tawasul chat``, the supervisor of
``tawasul run --workers N``).

Kept apart from bot.app and bot.runner, and light to import (no aiogram, no channels):
the supervisor runs :func:`prepare_database` once before starting its workers, and a
refusal (the database behind, TAWASUL_AUTO_MIGRATE off) should cost a second, not the
tens of seconds the whole bot takes to import on a loaded machine.
"""

from __future__ import annotations

import asyncio
import fcntl
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db.migrate import current_revision, head_revision, upgrade
from bot.settings import Settings, SettingsError


def database_address(url: str) -> str:
    """Where a database URL points, for a line on the screen: ``host:port`` (PostgreSQL's
    5432 when it names none) or a SQLite file's path; never the user or the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or ":memory:")
    host = parsed.host or "localhost"
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parsed.port or 5432}"


def prepare_data_dir(data_dir: Path) -> None:
    """Makes the data directory the owner's only (0700). The CLI's umask makes what is
    written there from now on 0600; files an older version left readable by others (the
    database and its -wal/-shm, the embedded Redis's files, the log) are made 0600 too."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    # only the files the bot writes: the directory may hold others (an operator's own)
    ours = [*data_dir.glob("tawasul.*"), *data_dir.glob("redis/*")]
    for path in ours:
        if path.is_file() and not path.is_symlink():
            path.chmod(0o600)


async def upgrade_alone(settings: Settings) -> None:
    """Migrates under an exclusive lock on a file in the data directory: two processes
    started at once on it (two terminal chats on a fresh directory) would both migrate
    the SQLite file, and one would stop with «database is locked». (On PostgreSQL
    migrations/env.py also takes an advisory lock, for processes on other machines.)"""
    lock = settings.data_dir / "tawasul.migrate.lock"
    with await asyncio.to_thread(lock.open, "a+b") as handle:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            await upgrade(settings.sqlalchemy_url)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def check_at_head(settings: Settings) -> None:
    """Stops (SettingsError: one line) when the database is not at the revision this
    code needs; for TAWASUL_AUTO_MIGRATE off."""
    head = head_revision(settings.sqlalchemy_url)
    if sqlite_file_missing(settings.sqlalchemy_url) is not None:
        # not opened: SQLite would create an empty file, or fail for want of the data
        # directory, which read «cannot be reached» while the deploy step had only not run
        current = None
    else:
        try:
            current = await current_revision(settings.sqlalchemy_url)
        except Exception as exc:  # the URL may hold a password: the error's type only
            raise SettingsError(
                f"tawasul: the database at {database_address(settings.sqlalchemy_url)} "
                f"cannot be reached ({type(exc).__name__})"
            ) from None
    if current != head:
        raise SettingsError(
            f"tawasul: the database is at revision {current or 'none (empty)'}, this version "
            f"needs {head}: run `tawasul db upgrade` first (TAWASUL_AUTO_MIGRATE is off)"
        )


def sqlite_file_missing(url: str) -> Path | None:
    """The file of the SQLite database ``url`` names when it does not exist; None when it
    does, or when the database is not a SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


async def prepare_database(settings: Settings) -> None:
    """The database step before serving: with TAWASUL_AUTO_MIGRATE on, migrate to the
    newest revision (:func:`upgrade_alone`); off, only check that the database is there
    (:func:`check_at_head`). Raises SettingsError (one line) when the database cannot be
    reached or migrated."""
    if not settings.auto_migrate:
        await check_at_head(settings)
        return
    prepare_data_dir(settings.data_dir)
    try:
        await upgrade_alone(settings)
    except Exception as exc:  # the URL may hold a password: the error's type only
        raise SettingsError(
            f"tawasul: the database at {database_address(settings.sqlalchemy_url)} could not "
            f"be migrated ({type(exc).__name__}); `tawasul db upgrade` shows the whole error"
        ) from None
