"""Two WhatsApp webhook workers (two apps on one real Redis and one SQLite database): one
person's messages, sent by the load balancer to both, are handled in the order they came."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_services
from bot.web import INBOX_KEY, QUEUE_KEY, build_web_app
from conversations.events import Event, Reply
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, encode, sign
from tests.integration.test_whatsapp_webhook import APP_SECRET, MONA, settings_for


async def test_one_persons_messages_on_two_workers_are_handled_in_order(
    tmp_path: Path, redis_url: str, redis_client: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[tuple[str, str]] = []
    begun = asyncio.Event()
    async with (
        GraphAPIStandin() as graph,
        build_services(settings_for(tmp_path, redis_url, graph)) as services,
        AsyncExitStack() as stack,
    ):
        handle = services.engine.handle

        async def recorded(event: Event) -> list[Reply]:
            order.append(("start", event.origin.event_id))
            begun.set()
            if len(order) == 1:
                await asyncio.sleep(1.0)  # the first takes a while on worker A
            try:
                return await handle(event)
            finally:
                order.append(("end", event.origin.event_id))

        monkeypatch.setattr(services.engine, "handle", recorded)
        apps, clients = [], []
        for _ in range(2):
            app = build_web_app(services)
            server = await stack.enter_async_context(TestServer(app, host="127.0.0.1"))
            clients.append(await stack.enter_async_context(TestClient[web.Request, None](server)))
            apps.append(app)
        payloads = PayloadFactory(graph.phone_id)

        async def post(client: TestClient[web.Request, None], payload: dict[str, Any]) -> None:
            body = encode(payload)
            headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
            assert (
                await client.post("/whatsapp/webhook", data=body, headers=headers)
            ).status == 200

        first, second = payloads.text(MONA, "مرحبا"), payloads.text(MONA, "مساعدة")
        await post(clients[0], first)
        async with asyncio.timeout(10):
            await begun.wait()
        await post(clients[1], second)  # the balancer sends the next one to B
        async with asyncio.timeout(30):
            for app in apps:
                await app[QUEUE_KEY].join()
        one, two = (
            p["entry"][0]["changes"][0]["value"]["messages"][0]["id"] for p in (first, second)
        )
        assert order == [("start", one), ("end", one), ("start", two), ("end", two)]
        assert MONA.wa_id and len(graph.texts(MONA.wa_id)) >= 2, "both are answered"
        assert await redis_client.hlen(INBOX_KEY) == 0
