"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import downgrade, upgrade
from bot.db.models import Base, Rating, Request
from bot.db.requests_repo import SqlRequestGateway
from tests.integration.test_db_requests import submission

REPO = Path(__file__).resolve().parents[2]
TABLES = {
    "accounts", "account_identities", "requests", "attachments", "status_events", "outbox",
    "staff_topics",
}  # fmt: skip
# the newest revision: every migration test runs the whole chain up to it
FILED_AT = dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC)
RATED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
CHANGED_AT = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)
HEAD = sorted(p.name.split("_")[0] for p in (REPO / "migrations" / "versions").glob("0*.py"))[-1]


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _inspect(url: str) -> tuple[list[Any], set[str], str | None]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
            tables = await conn.run_sync(_tables)
            version = None
            if "alembic_version" in tables:
                version = (
                    await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                ).scalar()
            return diff, tables, version
    finally:
        await engine.dispose()


async def test_migrated_schema_matches_models(empty_db_url: str) -> None:
    await upgrade(empty_db_url)
    diff, tables, version = await _inspect(empty_db_url)
    assert diff == []
    assert TABLES <= tables
    assert version == HEAD


async def test_upgrade_is_idempotent_and_downgrade_drops_everything(empty_db_url: str) -> None:
    await upgrade(empty_db_url)
    await upgrade(empty_db_url)  # already at head: a no-op, not an error
    await downgrade(empty_db_url, "base")
    _, tables, version = await _inspect(empty_db_url)
    assert tables & TABLES == set()
    assert version is None
    await upgrade(empty_db_url)
    diff, _, version = await _inspect(empty_db_url)
    assert diff == []
    assert version == HEAD


def test_alembic_command_line_from_another_directory(tmp_path: Path) -> None:
    """`alembic -c alembic.ini -x url=...` works from any working directory."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"), "-x", f"url={url}",
         "upgrade", "head"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    current = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"), "-x", f"url={url}",
         "current"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert f"{HEAD} (head)" in current.stdout, current.stderr


def test_offline_sql_for_postgresql(tmp_path: Path) -> None:
    """`alembic upgrade head --sql` renders PostgreSQL DDL without a server."""
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"),
         "-x", "url=postgresql+asyncpg://nobody@127.0.0.1:1/none", "upgrade", "head", "--sql"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "CREATE TABLE requests" in done.stdout
    assert "TIMESTAMP WITH TIME ZONE" in done.stdout


async def test_0011_copies_the_ratings_kept_before_it(empty_db_url: str) -> None:
    """Migration 0011's data copy (review 11, §6): every rating kept on a request before it
    becomes one row of ``ratings`` (rating, comment, the decision it rated, and when; a
    rating without its instant dates from the request's last change), an unrated request
    none; taken back to 0010 and up again, the copy is made again, not doubled."""
    await upgrade(empty_db_url, "0010")
    engine = make_engine(empty_db_url)
    try:
        sessions = make_sessionmaker(engine)
        filing = SqlRequestGateway(sessions, clock=lambda: FILED_AT)
        rated, untimed, unrated = [
            (await filing.submit(submission(f"k{i}", user_key=f"u{i}"))).number for i in range(3)
        ]
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE requests SET satisfaction = 4, satisfaction_comment = 'جيد', "
                    "satisfaction_decision = 7, satisfaction_at = :at WHERE number = :n"
                ),
                {"at": RATED_AT, "n": rated},
            )
            await conn.execute(
                text("UPDATE requests SET satisfaction = 2, updated_at = :at WHERE number = :n"),
                {"at": CHANGED_AT, "n": untimed},
            )
        for _round in range(2):
            await upgrade(empty_db_url)
            async with sessions() as session:
                rows = (
                    await session.execute(
                        select(Request.number, Rating.decision, Rating.rating, Rating.comment,
                               Rating.rated_at)
                        .join(Request, Rating.request_id == Request.id)
                        .order_by(Rating.id)
                    )
                ).all()  # fmt: skip
            assert [tuple(r) for r in rows] == [
                (rated, 7, 4, "جيد", RATED_AT),
                (untimed, None, 2, None, CHANGED_AT),
            ]
            assert unrated not in [r[0] for r in rows]
            await downgrade(empty_db_url, "0010")
    finally:
        await engine.dispose()
