"""Blocks and limits on WhatsApp (issue 14), through the real webhook path: two workers
(two ``build_services`` with their own Redis clients, engines and inbound guards, each
serving ``build_web_app`` on loopback) on one real Redis and one database (SQLite and
PostgreSQL), fed signed Graph payloads, answering through the Graph API stand-in. The load
balancer sends a person's messages to either worker."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.app import Services, build_services
from bot.db.models import Base, OutboxMessage, Request, StatusEvent
from bot.web import QUEUE_KEY, build_web_app
from officers.officer import Officer
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, WaUser, encode, sign
from tests import samples
from tests.integration.test_db_requests import submission
from tests.integration.test_whatsapp_webhook import APP_SECRET, KHALID, MONA, settings_for

OFFICER = Officer(7001, "نورة العتيبي")
PNG = samples.png()


@dataclass
class Workers:
    graph: GraphAPIStandin
    services: list[Services]
    apps: list[web.Application]
    clients: list[TestClient[web.Request, None]]
    redis: Redis
    payloads: PayloadFactory = field(init=False)

    def __post_init__(self) -> None:
        self.payloads = PayloadFactory(self.graph.phone_id)

    async def post(self, worker: int, payload: dict[str, Any]) -> None:
        """Posts a signed body to ``worker`` and waits until both workers are idle."""
        body = encode(payload)
        headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
        response = await self.clients[worker].post("/whatsapp/webhook", data=body, headers=headers)
        assert response.status == 200, await response.text()
        async with asyncio.timeout(30):
            for app in self.apps:
                await app[QUEUE_KEY].join()

    async def says(self, worker: int, user: WaUser, text: str) -> list[str]:
        """What the person read in answer to ``text`` sent through ``worker``."""
        return await self.answer(worker, user, self.payloads.text(user, text))

    async def answer(self, worker: int, user: WaUser, payload: dict[str, Any]) -> list[str]:
        assert user.wa_id
        before = len(self.graph.texts(user.wa_id))
        await self.post(worker, payload)
        return self.graph.texts(user.wa_id)[before:]

    async def rows(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        async with self.services[0].sessions() as session:
            for model in (Request, OutboxMessage, StatusEvent):
                query = select(func.count()).select_from(model)
                counts[model.__name__] = int(await session.scalar(query) or 0)
        return counts

    async def has_state(self, user: WaUser) -> bool:
        return bool(await self.redis.exists(f"tawasul:dlg:{{whatsapp:{user.key}}}"))


async def _workers(
    tmp_path: Path, redis_url: str, db_url: str, **limits: int
) -> AsyncIterator[Workers]:
    async with GraphAPIStandin() as graph, AsyncExitStack() as stack:
        services, apps, clients = [], [], []
        for n in range(2):
            settings = settings_for(tmp_path / f"w{n}", redis_url, graph, db_url)
            settings = settings.model_copy(update=limits)
            one = await stack.enter_async_context(build_services(settings))
            app = build_web_app(one)
            server = await stack.enter_async_context(TestServer(app, host="127.0.0.1"))
            clients.append(await stack.enter_async_context(TestClient[web.Request, None](server)))
            services.append(one)
            apps.append(app)
        redis = Redis.from_url(redis_url)
        try:
            yield Workers(graph, services, apps, clients, redis)
        finally:
            await redis.aclose()


@pytest.fixture
async def two(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Workers]:
    async for workers in _workers(tmp_path, redis_url, db_url):
        yield workers


@pytest.fixture
async def slow(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Workers]:
    async for workers in _workers(tmp_path, redis_url, db_url, messages_per_minute=5):
        yield workers


# ---- blocks ---------------------------------------------------------------------------------


async def test_a_blocked_whatsapp_person_is_told_once_then_nothing_is_processed(
    two: Workers,
) -> None:
    filing = two.services[0].gateway
    request = submission(channel="whatsapp", user_key=MONA.key, locale="en")
    number = (await filing.submit(request)).number
    assert await two.says(0, MONA, "hello")  # served before the block
    blocks = two.services[1].blocks
    assert blocks is not None
    assert (await blocks.block(number, OFFICER, "رسائل مسيئة")).changed
    await two.redis.delete(f"tawasul:dlg:{{whatsapp:{MONA.key}}}")
    rows = await two.rows()

    # the first message after the block, on the other worker: one polite answer, in English
    [told] = await two.says(0, MONA, "hello?")
    assert "no longer being handled" in told and "Absher" in told and "branch" in told
    assert "مسيئة" not in told  # the reason is for the officers
    # then nothing on either worker: no answer, no state, no SQL row, no staff message
    for worker, text in ((1, "hello??"), (0, "2000000006"), (1, "status")):
        assert await two.says(worker, MONA, text) == []
    media = two.graph.add_media(PNG, "image/png")
    photo = two.payloads.image(MONA, media.id, media.sha256_b64, mime="image/png")
    assert await two.answer(1, MONA, photo) == []
    assert two.graph.downloads == []  # the photo was not even fetched
    assert not await two.has_state(MONA)
    assert await two.rows() == rows
    # someone else is served as usual, on both workers
    assert await two.says(1, KHALID, "مرحبا")
    assert await two.says(0, KHALID, "مساعدة")


async def test_a_lifted_block_serves_the_whatsapp_person_again(two: Workers) -> None:
    number = (
        await two.services[0].gateway.submit(submission(channel="whatsapp", user_key=MONA.key))
    ).number
    blocks = [s.blocks for s in two.services]
    assert blocks[0] is not None and blocks[1] is not None
    await blocks[0].block(number, OFFICER, "إزعاج")
    [told] = await two.says(1, MONA, "مرحبا")
    assert "لم تعد رسائلك" in told  # Arabic, the request's language
    await blocks[1].unblock(number, OFFICER)
    assert await two.says(0, MONA, "مرحبا")
    assert await two.has_state(MONA)


# ---- messages per minute --------------------------------------------------------------------


async def test_too_many_whatsapp_messages_get_one_slow_down_with_the_wait(slow: Workers) -> None:
    answered = [bool(await slow.says(i % 2, MONA, "مرحبا")) for i in range(5)]
    assert all(answered)  # five a minute, counted on both workers together
    state = await slow.redis.get(f"tawasul:dlg:{{whatsapp:{MONA.key}}}")
    rows = await slow.rows()
    [slow_down] = await slow.says(1, MONA, "مرحبا")
    seconds = re.search(r"الانتظار ([٠-٩]+) ثانية", slow_down)
    assert seconds is not None, slow_down  # when they can go on, in Arabic digits
    assert 1 <= int(seconds.group(1)) <= 60
    for worker in (0, 1, 0):
        assert await slow.says(worker, MONA, "مرحبا") == []
    # dropped before any work: the dialogue state did not move, nothing reached SQL
    assert await slow.redis.get(f"tawasul:dlg:{{whatsapp:{MONA.key}}}") == state
    assert await slow.rows() == rows
    # someone else is not held back
    assert await slow.says(0, KHALID, "مرحبا")


async def test_a_redelivered_whatsapp_message_is_counted_once(slow: Workers) -> None:
    assert MONA.wa_id
    first = slow.payloads.text(MONA, "مرحبا")
    assert await slow.answer(0, MONA, first)
    # WhatsApp retries the same message (same id) to either worker, and to both at once
    for worker in (1, 0):
        assert await slow.answer(worker, MONA, first) == []
    before = len(slow.graph.texts(MONA.wa_id))
    await asyncio.gather(slow.post(0, first), slow.post(1, first))
    assert len(slow.graph.texts(MONA.wa_id)) == before  # handled once
    # the other four of the five a minute are all served
    for i in range(4):
        assert await slow.says(i % 2, MONA, "مساعدة"), i
    refused = slow.payloads.text(MONA, "مرحبا")
    [slow_down] = await slow.answer(1, MONA, refused)
    assert "الانتظار" in slow_down
    # the refused message again: refused in silence
    for worker in (0, 1):
        assert await slow.answer(worker, MONA, refused) == []


# ---- a flood of new chats -------------------------------------------------------------------


@pytest.fixture
async def flood(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Workers]:
    async for workers in _workers(tmp_path, redis_url, db_url, new_chats_limit=20):
        yield workers


async def _all_rows(workers: Workers) -> dict[str, int]:
    """Rows in every table of the schema."""
    async with workers.services[0].sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def _staff_alerts(workers: Workers) -> list[OutboxMessage]:
    async with workers.services[0].sessions() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == "staff_text")
        return list(await session.scalars(query))


async def test_a_whatsapp_flood_of_new_chats_is_throttled_with_one_staff_alert(
    flood: Workers,
) -> None:
    assert await flood.says(0, MONA, "مرحبا")  # known before the flood
    before = await _all_rows(flood)
    fakes = [WaUser(f"9665{i:08d}", f"SA.20000000000{i:05d}", f"حساب{i}") for i in range(48)]
    # new accounts by the dozen within seconds, each batch split between the two workers
    for start in range(0, len(fakes), 24):
        batch = fakes[start : start + 24]
        await asyncio.gather(
            *(flood.post(i % 2, flood.payloads.text(user, "مرحبا")) for i, user in enumerate(batch))
        )
    served = [user for user in fakes if user.wa_id and flood.graph.texts(user.wa_id)]
    assert len(served) == 19  # twenty new chats in the window, MONA first
    states = [key async for key in flood.redis.scan_iter("tawasul:dlg:{whatsapp:*")]
    assert len(states) == 20
    dropped = [user for user in fakes if user not in served]
    for user in dropped:
        assert not await flood.has_state(user)
        # not even the number is kept for someone refused
        assert not [key async for key in flood.redis.scan_iter(f"*{user.key}*")], user
    # the dropped ones reached nothing in SQL (the admitted ones only greeted, which
    # writes no row either): no table changed but the outbox, by the staff group's one
    # alert, however many workers saw the flood
    after = await _all_rows(flood)
    assert {
        table: after[table] - before[table] for table in after if after[table] != before[table]
    } == {"outbox": 1}
    [alert] = await _staff_alerts(flood)
    assert "سيل من المحادثات الجديدة" in alert.payload["html"] and "٢٠" in alert.payload["html"]
    # known people are served during the flood, on either worker; new ones still wait,
    # and no second alert comes
    assert await flood.says(1, MONA, "مساعدة")
    assert await flood.says(0, served[0], "مساعدة")
    late = WaUser("966599999999", "SA.3000000000000001", "متأخر")
    assert await flood.says(1, late, "مرحبا") == []
    assert await flood.says(0, late, "مرحبا") == []
    assert len(await _staff_alerts(flood)) == 1
