"""A confirmation that meets PostgreSQL losing its connections (a restart, a failover, a cut
connection) still files one request and gives its number, instead of the apology
(bench/load.py with a PostgreSQL restart mid-load: 8 and 4 of 40 confirmations apologised).
Loopback only: the suite's own server, and a proxy the test stops and starts again."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import NullPool

from bot.db import requests_repo
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import Request
from bot.db.requests_repo import SqlRequestGateway
from tests.integration.test_db_requests import submission

pytestmark = pytest.mark.timeout(60)


class CuttingReceipts:
    """Stands in for the receipts' queue, whose rows are written inside the filing's
    transaction: the first time, it has the connection cut under the transaction (by
    ``cut``) before the COMMIT."""

    def __init__(self, cut: Any) -> None:
        self.cut = cut
        self.calls = 0

    async def add(self, session: AsyncSession, *_: object, **__: object) -> str:
        self.calls += 1
        if self.calls == 1:
            await self.cut(session)
        return f"receipt-{self.calls}"


async def requests_in(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Request)) or 0)


def receipt_of(filed: object) -> tuple[str, tuple[str, ...]]:
    return ("card", ("confirmation",))


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
async def test_a_connection_cut_during_the_filing_still_gives_one_number(
    db_url: str, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = make_engine(db_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")

    async def terminate(session: AsyncSession) -> None:
        # what a fast shutdown or a failover does to every session: 57P01 on the next read
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        async with admin.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    receipts = CuttingReceipts(terminate)
    gateway = SqlRequestGateway(db_sessionmaker, receipts=receipts)  # type: ignore[arg-type]
    try:
        filed = await gateway.submit(submission(receipt=receipt_of))
    finally:
        await admin.dispose()

    assert receipts.calls == 2  # the first transaction was lost, the second filed
    assert filed.created and filed.follow_up == "receipt-2"
    record = await gateway.get_by_number(filed.number)
    assert record is not None and len(record.events) == 1
    assert await requests_in(db_sessionmaker) == 1


class Proxy:
    """A loopback TCP proxy to the database that can go away as a restarting server does:
    every connection through it cut, new ones refused, until :meth:`start` again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}


@pytest.fixture
async def proxied(db_url: str) -> AsyncIterator[tuple[Proxy, AsyncEngine]]:
    url = make_url(db_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    await proxy.start()
    engine = make_engine(url.set(host="127.0.0.1", port=proxy.port))
    try:
        yield proxy, engine
    finally:
        await engine.dispose()
        with contextlib.suppress(Exception):
            await proxy.stop()


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
async def test_a_database_restart_during_the_filing_still_gives_one_number(
    proxied: tuple[Proxy, AsyncEngine],
) -> None:
    proxy, engine = proxied
    sessionmaker = make_sessionmaker(engine)
    back: list[asyncio.Task[None]] = []

    async def restart(_session: AsyncSession) -> None:
        # the database goes away under the open transaction and refuses connections for
        # 0.6 s: the filing's first retry (0.25 s) is refused too
        await proxy.stop()

        async def up_again() -> None:
            await asyncio.sleep(0.6)
            await proxy.start()

        back.append(asyncio.create_task(up_again()))

    receipts = CuttingReceipts(restart)
    gateway = SqlRequestGateway(sessionmaker, receipts=receipts)  # type: ignore[arg-type]
    filed = await gateway.submit(submission(receipt=receipt_of))
    await asyncio.gather(*back)

    assert filed.created and receipts.calls == 2
    assert await gateway.get_by_number(filed.number) is not None
    assert await requests_in(sessionmaker) == 1


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
async def test_a_database_away_longer_than_the_waits_still_fails(
    proxied: tuple[Proxy, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, engine = proxied
    monkeypatch.setattr(requests_repo, "RECONNECT_WAITS_S", (0.05, 0.05))
    await proxy.stop()
    gateway = SqlRequestGateway(make_sessionmaker(engine))

    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(OSError):
        await gateway.submit(submission())
    assert loop.time() - started < 5  # bounded: the apology comes, not a hang


@pytest.mark.parametrize("db_backend", ["postgresql"], indirect=True)
async def test_a_data_error_is_not_filed_again(
    gateway: SqlRequestGateway,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a value the column refuses (service_id is VARCHAR(32)) is no lost connection: it is
    # raised at once, not after a wait (30 s here) and a second attempt
    monkeypatch.setattr(requests_repo, "RECONNECT_WAITS_S", (30.0,))
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(DBAPIError):
        await gateway.submit(submission(service_id="x" * 500))
    assert loop.time() - started < 20
    assert await requests_in(db_sessionmaker) == 0
