"""/healthz, /readyz and /metrics on a real server on loopback, with real Redis and SQLite."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import Services, build_services
from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import OutboxMessage, utcnow
from bot.embedded_redis import EmbeddedRedis
from bot.health import HEALTH_KEY, Health, add_health
from bot.outbox.staff_group import StaffGroupState
from bot.settings import Settings
from bot.web import build_web_app
from tests.servers import free_port

Client = TestClient[web.Request, None]


@pytest.fixture
async def services(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Services]:
    async with build_services(Settings(data_dir=tmp_path, redis_url=redis_url)) as services:
        yield services


async def serve(app: web.Application) -> AsyncIterator[Client]:
    async with TestServer(app, host="127.0.0.1") as server, Client(server) as client:
        yield client


@pytest.fixture
async def client(services: Services) -> AsyncIterator[Client]:
    async for c in serve(build_web_app(services)):
        yield c


async def test_healthz_and_readyz_answer_when_all_is_well(client: Client) -> None:
    assert (await client.get("/healthz")).status == 200
    ready = await client.get("/readyz")
    assert ready.status == 200
    assert (await ready.json())["ready"] is True


async def test_readyz_names_redis_when_it_does_not_answer(services: Services) -> None:
    app = web.Application()
    dead = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    add_health(app, Health(dead, services.sessions, {}))
    async for c in serve(app):
        response = await c.get("/readyz")
        assert response.status == 503
        failing = (await response.json())["failing"]
        assert len(failing) == 1 and failing[0].startswith("redis:")
        assert (await c.get("/healthz")).status == 200  # alive all the same
    await dead.aclose()


async def test_readyz_names_the_database_when_it_does_not_answer(
    services: Services, tmp_path: Path
) -> None:
    db = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'x.sqlite3'}")
    app = web.Application()
    add_health(app, Health(services.redis, make_sessionmaker(db), {}))
    async for c in serve(app):
        response = await c.get("/readyz")
        assert response.status == 503
        failing = (await response.json())["failing"]
        assert len(failing) == 1 and failing[0].startswith("database:")
    await db.dispose()


async def test_readyz_turns_503_when_the_server_begins_to_stop(
    services: Services,
) -> None:
    app = build_web_app(services)
    async for c in serve(app):
        assert (await c.get("/readyz")).status == 200
        await app.shutdown()  # what stopping the runner does first
        response = await c.get("/readyz")
        assert response.status == 503
        assert (await response.json())["failing"] == ["draining"]
        assert app[HEALTH_KEY].draining


async def test_metrics_report_the_outbox_backlog_and_its_oldest_row(
    services: Services, client: Client
) -> None:
    async with services.sessions() as session, session.begin():
        for minutes in (30, 5):
            session.add(
                OutboxMessage(
                    kind="notify",
                    target="5100000001",
                    channel="telegram",
                    created_at=utcnow() - dt.timedelta(minutes=minutes),
                )
            )
        session.add(
            OutboxMessage(
                kind="notify",
                target="5100000002",
                channel="telegram",
                created_at=utcnow() - dt.timedelta(hours=5),
                sent_at=utcnow(),
            )
        )
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    values = _samples(await response.text())
    assert values["tawasul_outbox_pending"] == 2
    assert 30 * 60 <= values["tawasul_outbox_oldest_pending_age_seconds"] < 60 * 60
    assert values['tawasul_webhook_queue_depth{channel="telegram"}'] == 0
    assert all(name.startswith("tawasul_") for name in values)


def _samples(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


@pytest.mark.parametrize("mode", ["required", "report"])
async def test_readyz_names_a_staff_group_the_cards_cannot_reach(
    tmp_path: Path, redis_url: str, redis_client: Redis, mode: Literal["required", "report"]
) -> None:
    """What the cards' deliveries learnt (the bot's right to post taken away) makes the
    worker not ready, naming staff_group (issue 11); with TAWASUL_READY_STAFF_GROUP=report
    it is only shown and the worker stays ready. Before, 200 either way."""
    settings = Settings(
        data_dir=tmp_path,
        redis_url=redis_url,
        staff_chat_id=-1001234567890,
        ready_staff_group=mode,
    )
    async with build_services(settings) as services:
        app = build_web_app(services)
        async for c in serve(app):
            assert "staff_group" not in await (await c.get("/readyz")).json()
            state = StaffGroupState(services.redis)
            await state.report("no_rights", "Bad Request: not enough rights", "give it back")
            response = await c.get("/readyz")
            body = await response.json()
            assert body["staff_group"]["condition"] == "no_rights"
            assert body["staff_group"]["fix"] == "give it back"
            if mode == "required":
                assert response.status == 503
                assert body["ready"] is False
                assert body["failing"] == ["staff_group: no_rights"]
            else:  # residents are still served: the worker stays in the balancer
                assert response.status == 200
                assert body["ready"] is True
            await state.resolved()
            response = await c.get("/readyz")
            assert response.status == 200
            assert "staff_group" not in await response.json()


async def _until(client: Client, path: str, status: int) -> None:
    async with asyncio.timeout(20):
        while (await client.get(path)).status != status:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_an_embedded_redis_that_cannot_be_started_again_is_reported_by_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make run`'s embedded Valkey is the process's own child: killed, and its binary
    unable to start again, /healthz (not only /readyz) answers 503 naming redis; once it
    can be started again both are 200 again. Before, /healthz said 200 throughout."""
    embedded = EmbeddedRedis(tmp_path / "redis", client_name="tawasul-health-test")
    embedded.start_or_join()
    redis = Redis(unix_socket_path=str(embedded.socket_path), client_name=embedded.client_name)
    db = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    app = web.Application()
    add_health(app, Health(redis, make_sessionmaker(db), {}))
    await redis.ping()
    tending = asyncio.create_task(embedded.tend(redis, every_s=0.05))
    try:
        async for c in serve(app):
            assert (await c.get("/healthz")).status == 200
            await asyncio.sleep(0.5)  # tend has read the server's pid
            monkeypatch.setattr(
                "bot.embedded_redis_start.server_binary", lambda: Path("/bin/false")
            )
            assert embedded._process is not None
            embedded._process.kill()
            await _until(c, "/healthz", 503)
            health = await c.get("/healthz")
            assert health.status == 503
            (failing,) = (await health.json())["failing"]
            assert (
                failing == "redis: the embedded server has stopped and could not be started again"
            )
            ready = await c.get("/readyz")
            assert ready.status == 503
            assert (await ready.json())["failing"] == [failing]
            # the binary back (the disk freed, say): the next look starts it again
            monkeypatch.undo()
            await _until(c, "/healthz", 200)
            await _until(c, "/readyz", 200)
    finally:
        tending.cancel()
        await asyncio.gather(tending, return_exceptions=True)
        await embedded.leave(redis)
        await redis.aclose()
        await db.dispose()
        if embedded._process is not None and embedded._process.poll() is None:
            embedded._process.kill()
