"""Telegram by webhook inside one process: updates are posted to the real endpoint
(build_web_app on an aiohttp server on loopback) with Telegram's secret-token header, the
real engine answers (real Redis, SQLite), and what the person sees is read from the Bot
API stand-in. Two apps on one Redis stand for two worker processes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.abuse.guard import Screen
from bot.app import Services, build_services
from bot.channels.sent_marks import SentMarks
from bot.channels.telegram import Handle, build_dispatcher, make_bot
from bot.channels.telegram_webhook import (
    JOURNAL_KEY,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramHook,
    telegram_queue,
)
from bot.settings import Settings
from bot.web import build_web_app
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory

SECRET = "s3cret_for-the-tests"
SARA = TgUser(5_100_000_001, "سارة")
OMAR = TgUser(5_100_000_002, "عمر")


def settings_for(tmp: Path, redis_url: str, api: TelegramBotAPIStandin) -> Settings:
    return Settings(
        data_dir=tmp,
        redis_url=redis_url,
        telegram_token=api.token,
        telegram_api_url=api.url,
        telegram_webhook_url="https://bot.example.sa/telegram/webhook",
        telegram_webhook_secret=SECRET,
        staff_schedule=False,
    )


@dataclass
class Worker:
    """One app serving the webhook, as one worker process would."""

    app: web.Application
    client: TestClient[web.Request, None]

    async def post(self, update: dict[str, Any], *, secret: str | None = SECRET) -> ClientResponse:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        return await self.client.post(WEBHOOK_PATH, data=json.dumps(update), headers=headers)

    async def settle(self) -> None:
        queue = telegram_queue(self.app)
        assert queue is not None
        async with asyncio.timeout(30):
            await queue.join()


@dataclass
class Harness:
    api: TelegramBotAPIStandin
    services: Services
    updates: UpdateFactory
    stack: AsyncExitStack
    bots: list[Bot]

    async def worker(
        self, handle: Handle | None = None, *, screen: Screen | None = None, **kwargs: Any
    ) -> Worker:
        """A new app (its own bot session, dispatcher, queue and journal view) started on
        a loopback port; `handle` stands between the channel and the engine, `screen` (the
        abuse guard's) before it."""
        bot = make_bot(self.api.token, self.api.url)
        self.bots.append(bot)
        dispatcher = build_dispatcher(
            handle or self.services.engine.handle,
            self.services.intake,
            sent_marks=SentMarks(self.services.redis),  # as tawasul run wires it
            screen=screen,
        )
        hook = TelegramHook(bot, dispatcher, SECRET, self.services.redis)
        app = build_web_app(self.services, telegram=hook, **kwargs)
        server = await self.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
        client = await self.stack.enter_async_context(TestClient[web.Request, None](server))
        return Worker(app, client)

    def texts(self, user: TgUser) -> list[str]:
        return self.api.texts(user.id)


@pytest.fixture
async def h(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Harness]:
    async with TelegramBotAPIStandin() as api:
        async with build_services(settings_for(tmp_path, redis_url, api)) as services:
            bots: list[Bot] = []
            async with AsyncExitStack() as stack:
                yield Harness(api, services, UpdateFactory(), stack, bots)
            for bot in bots:
                await bot.session.close()


async def test_start_by_webhook_is_answered(h: Harness) -> None:
    w = await h.worker()
    response = await w.post(h.updates.text(SARA, "/start"))
    assert response.status == 200
    await w.settle()
    assert h.texts(SARA), "the greeting reaches the person"
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0  # handled, so out of the journal


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
async def test_a_call_without_the_secret_gets_401_and_changes_nothing(
    h: Harness, secret: str | None
) -> None:
    w = await h.worker()
    keys_before = sorted(await h.services.redis.keys("*"))
    response = await w.post(h.updates.text(SARA, "/start"), secret=secret)
    assert response.status == 401
    await w.settle()
    assert h.texts(SARA) == []
    assert sorted(await h.services.redis.keys("*")) == keys_before  # nothing journalled


async def test_not_an_update_gets_400(h: Harness) -> None:
    w = await h.worker()
    for body in (b"{", b"[]", b'{"update_id": "7"}', b'{"message": {}}'):
        response = await w.client.post(WEBHOOK_PATH, data=body, headers={SECRET_HEADER: SECRET})
        assert response.status == 400


async def test_a_duplicate_update_id_is_handled_once_across_two_workers(h: Harness) -> None:
    a, b = await h.worker(), await h.worker()
    # what one delivery of /start shows a person
    await a.post(h.updates.text(OMAR, "/start"))
    await a.settle()
    once = len(h.texts(OMAR))
    assert once > 0

    update = h.updates.text(SARA, "/start")
    answers = await asyncio.gather(a.post(update), b.post(update), a.post(update))
    assert [r.status for r in answers] == [200, 200, 200]
    await a.settle()
    await b.settle()
    assert len(h.texts(SARA)) == once
    # and again later, after it was handled (Telegram retrying a slow answer)
    assert (await b.post(update)).status == 200
    await b.settle()
    assert len(h.texts(SARA)) == once


async def test_an_update_journalled_by_a_process_that_died_is_replayed(h: Harness) -> None:
    # a worker accepted /start (journalled, 200) and was killed before handling it
    update = h.updates.text(SARA, "/start")
    await h.services.redis.hset(JOURNAL_KEY, str(update["update_id"]), json.dumps(update))
    assert h.texts(SARA) == []
    w = await h.worker()  # the next process starts
    await w.settle()
    assert h.texts(SARA), "the person is answered by the next process"
    assert await h.services.redis.hlen(JOURNAL_KEY) == 0
    # Telegram's own redelivery of it now is recognised
    answered = len(h.texts(SARA))
    assert (await w.post(update)).status == 200
    await w.settle()
    assert len(h.texts(SARA)) == answered


async def test_a_full_queue_answers_503_and_keeps_what_it_accepted(h: Harness) -> None:
    stalled = await h.worker(workers=0, queue_size=1)  # no worker takes from its queue
    first, second = h.updates.text(SARA, "/start"), h.updates.text(OMAR, "/start")
    assert (await stalled.post(first)).status == 200
    assert (await stalled.post(second)).status == 503  # Telegram delivers it again later
    journalled = await h.services.redis.hkeys(JOURNAL_KEY)
    assert journalled == [str(first["update_id"]).encode()]


async def test_one_persons_updates_are_handled_in_order(h: Harness) -> None:
    w = await h.worker()
    await w.post(h.updates.text(SARA, "/start"))
    await w.settle()
    before = len(h.texts(SARA))
    # three taps in a burst: the engine sees them in the order sent
    seen: list[int] = []
    engine_handle = h.services.engine.handle

    async def recording(event: Any) -> Any:
        seen.append(int(event.origin.event_id))
        await asyncio.sleep(0.05 if len(seen) == 1 else 0)
        return await engine_handle(event)

    dispatcher = build_dispatcher(recording, h.services.intake)
    bot = make_bot(h.api.token, h.api.url)
    h.bots.append(bot)
    app = build_web_app(
        h.services, telegram=TelegramHook(bot, dispatcher, SECRET, h.services.redis)
    )
    server = await h.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
    client = await h.stack.enter_async_context(TestClient[web.Request, None](server))
    ordered = Worker(app, client)
    updates = [h.updates.text(SARA, text) for text in ("مساعدة", "إلغاء", "مرحبا")]
    for update in updates:
        assert (await ordered.post(update)).status == 200
    await ordered.settle()
    assert seen == [u["update_id"] for u in updates]
    assert len(h.texts(SARA)) > before


async def test_metrics_count_updates_by_outcome_without_personal_data(h: Harness) -> None:
    w = await h.worker()

    async def counted(outcome: str) -> float:
        text = await (await w.client.get("/metrics")).text()
        assert str(SARA.id) not in text and SARA.first_name not in text
        key = f'tawasul_updates_handled_total{{channel="telegram",outcome="{outcome}"}} '
        lines = [line for line in text.splitlines() if line.startswith(key)]
        return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0

    ok, duplicate = await counted("ok"), await counted("duplicate")
    update = h.updates.text(SARA, "/start")
    await w.post(update)
    await w.settle()
    await w.post(update)
    await w.settle()
    assert await counted("ok") == ok + 1
    assert await counted("duplicate") == duplicate + 1


async def test_polled_updates_are_counted_too(h: Harness) -> None:
    # polling feeds the dispatcher as the webhook worker does; the count is the dispatcher's
    dispatcher = build_dispatcher(h.services.engine.handle, h.services.intake)
    bot = make_bot(h.api.token, h.api.url)
    h.bots.append(bot)
    w = await h.worker()

    async def counted(outcome: str) -> float:
        text = await (await w.client.get("/metrics")).text()
        key = f'tawasul_updates_handled_total{{channel="telegram",outcome="{outcome}"}} '
        lines = [line for line in text.splitlines() if line.startswith(key)]
        return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0

    ok, ignored = await counted("ok"), await counted("ignored")
    for raw in (
        h.updates.text(OMAR, "/start"),
        h.updates.group_text(OMAR, -1009990001, "مرحبا"),  # not for the residents
    ):
        await dispatcher.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
    assert await counted("ok") == ok + 1
    assert await counted("ignored") == ignored + 1
