"""An accepted WhatsApp webhook is journalled in Redis before the 200, so a process that
dies before handling it loses nothing: the next process to start replays it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_services
from bot.web import INBOX_KEY, build_web_app
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, encode
from tests.integration.test_whatsapp_webhook import MONA, Harness, settings_for
from tests.integration.test_whatsapp_webhook import h as h  # the fixture

# on a standalone Redis and on the embedded server alike
pytestmark = pytest.mark.redis_both


async def test_handled_bodies_leave_the_journal(h: Harness, redis_client: Redis) -> None:
    await h.send(h.payloads.text(MONA, "مرحبا"))
    assert h.texts(MONA)  # answered
    assert await redis_client.hlen(INBOX_KEY) == 0


async def test_a_body_a_dead_process_accepted_is_handled_by_the_next(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    async with GraphAPIStandin() as graph:
        payloads = PayloadFactory(graph.phone_id)
        # what a killed process leaves behind: accepted (200 sent), never handled
        await redis_client.hset(
            INBOX_KEY, "body-of-a-dead-process", encode(payloads.text(MONA, "مرحبا"))
        )
        async with build_services(settings_for(tmp_path, redis_url, graph)) as services:
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server),
            ):
                assert MONA.wa_id
                async with asyncio.timeout(20):
                    while not graph.texts(MONA.wa_id):  # noqa: ASYNC110 (the stand-in records)
                        await asyncio.sleep(0.05)
                assert "تواصل" in "".join(graph.texts(MONA.wa_id))
                async with asyncio.timeout(10):
                    while await redis_client.hlen(INBOX_KEY):  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
