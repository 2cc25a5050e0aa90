"""PostgreSQL behind a real PgBouncer in transaction pool mode (tests/pgbouncer.py): with
TAWASUL_DATABASE_PGBOUNCER=1 the bot migrates, files requests and answers status look-ups
through it, over and over; without the setting asyncpg's cached prepared statements meet a
server connection that does not have them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DBAPIError

from bot.app import build_services
from bot.db.engine import make_engine
from bot.db.models import Request
from bot.settings import Settings
from domain.normalize import clean_input
from tests.conftest import _pg_database
from tests.pgbouncer import PgBouncer, find_pgbouncer
from tests.unit.conversations.fakes import Chat

PEOPLE = [("301", "2000000006", "+966501112223"), ("302", "1000000008", "+966503334445")]


@pytest.fixture(scope="module")
def bouncer(postgres_url: str) -> Iterator[PgBouncer]:
    if find_pgbouncer() is None:
        # `make test` installs it (system-deps); only a machine where that is impossible
        # gets here, and the reason is printed
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer failed or no root)")
    server = make_url(postgres_url)
    started = PgBouncer.start(server.host or "127.0.0.1", server.port or 5432)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[str]:
    """A new, empty database: the bot migrates it through PgBouncer."""
    async with _pg_database(postgres_url) as url:
        name = make_url(url).database
        assert name is not None
        yield name


async def _file(chat: Chat, identity: str, phone: str) -> str:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("مشكلة تقنية في ابشر")
    await chat.tap("s:technical_issue")
    await chat.text(identity)
    await chat.contact(phone)
    await chat.text("لا أستطيع الدخول إلى أبشر منذ أسبوع")
    await chat.media(ref=f"photo-{identity}")
    await chat.tap("done")
    await chat.tap("confirm")
    said = clean_input(chat.said)
    assert "رقم الطلب: " in said, said
    return said.split("رقم الطلب: ")[1][:10]


async def test_filing_and_status_through_pgbouncer(
    tmp_path: Path, bouncer: PgBouncer, database: str, redis_url: str
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        redis_url=redis_url,
        database_url=bouncer.url_for(database),
        database_pgbouncer=True,
    )
    numbers: list[str] = []
    # twice over, each time a new process's worth of engine and connections
    for _round in range(2):
        async with build_services(settings) as services:
            for user, identity, phone in PEOPLE:
                chat = Chat(services.engine.handle, channel="telegram", user=user)
                numbers.append(await _file(chat, identity, phone))
                for _ in range(2):
                    await chat.command("start")
                    await chat.text(numbers[-1])
                    assert f"الطلب رقم {numbers[-1]}" in clean_input(chat.said)
                    assert "تم الاستلام" in clean_input(chat.said)
            async with services.sessions() as session:
                filed = (await session.execute(select(Request.number))).scalars().all()
            assert sorted(filed) == sorted(numbers)
    assert len(set(numbers)) == 4


async def test_without_the_setting_cached_statements_break(
    bouncer: PgBouncer, database: str
) -> None:
    """The control: the same queries through the same PgBouncer with asyncpg's defaults.
    A statement prepared and cached in one transaction is gone in the next (DISCARD ALL,
    or another server connection), so the setting is what makes the bot work there."""
    engine = make_engine(bouncer.url_for(database))
    try:
        with pytest.raises(DBAPIError, match="prepared statement"):
            for value in range(5):
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT CAST(:v AS integer)"), {"v": value})
                    await connection.commit()
    finally:
        await engine.dispose()


def test_the_setting_is_for_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PgBouncer is for PostgreSQL"):
        Settings(data_dir=tmp_path, database_pgbouncer=True)
    on = Settings(
        data_dir=tmp_path,
        database_url="postgresql+asyncpg://tawasul@pgbouncer:6432/tawasul",
        database_pgbouncer=True,
    )
    assert on.sqlalchemy_url.endswith("/tawasul?prepared_statement_cache_size=0")
