"""An accepted webhook body survives a Sentinel failover: real redis-server processes on
loopback (a master, a replica, two sentinels, tests.redis_topologies), the real Telegram
webhook endpoint (build_web_app on an aiohttp server) and the Bot API stand-in.

Telegram never delivers again an update it had a 200 for, and Redis replicates
asynchronously, so a body answered while only the master held it would be gone with a
failover that promotes the replica. Behind Sentinel the 200 comes once the replica holds
the body (bot.webhook_journal)."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis as AsyncRedis

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_webhook import JOURNAL_KEY, SECRET_HEADER, WEBHOOK_PATH, TelegramHook
from bot.settings import Settings
from bot.web import build_web_app
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.redis_topologies import SERVICE, SentinelSet

SECRET = "s3cret_for-the-sentinel-tests"
HIND = TgUser(5_100_000_031, "هند")
#: Generous bounds for a loaded machine (seconds).
PATIENCE_S = 90.0


@pytest.fixture
def sentinels() -> Iterator[SentinelSet]:
    made = SentinelSet.start()
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
async def api() -> AsyncIterator[TelegramBotAPIStandin]:
    async with TelegramBotAPIStandin() as standin:
        yield standin


@pytest.mark.timeout(300)
async def test_an_update_gets_its_200_once_the_replica_holds_it(
    tmp_path: Path, sentinels: SentinelSet, api: TelegramBotAPIStandin
) -> None:
    """With the replica stopped (SIGSTOP) the update is journalled on the master and
    Telegram has no 200 yet; once the replica runs again the 200 comes, the replica holds
    the update (journalled, or handled and marked so), and the person is answered."""
    settings = Settings(
        data_dir=tmp_path,
        redis_sentinels=sentinels.setting,
        redis_service=SERVICE,
        telegram_token=api.token,
        telegram_api_url=api.url,
        telegram_webhook_url="https://bot.example.sa/telegram/webhook",
        telegram_webhook_secret=SECRET,
        staff_schedule=False,
    )
    update = UpdateFactory().text(HIND, "/start")
    update_id = str(update["update_id"])
    master = AsyncRedis(host="127.0.0.1", port=sentinels.master.port)
    replica = AsyncRedis(host="127.0.0.1", port=sentinels.replica.port)
    stopped = sentinels.replica.process
    assert stopped is not None
    bot = make_bot(api.token, api.url)
    try:
        async with build_services(settings) as services:
            dispatcher = build_dispatcher(services.engine.handle, services.intake)
            app = build_web_app(
                services, telegram=TelegramHook(bot, dispatcher, SECRET, services.redis)
            )
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                stopped.send_signal(signal.SIGSTOP)
                try:
                    post = asyncio.create_task(
                        client.post(
                            WEBHOOK_PATH,
                            data=json.dumps(update),
                            headers={"Content-Type": "application/json", SECRET_HEADER: SECRET},
                        )
                    )
                    deadline = time.monotonic() + PATIENCE_S
                    while not await master.hexists(JOURNAL_KEY, update_id):
                        assert time.monotonic() < deadline, "the update never reached the master"
                        assert not post.done(), f"answered {post.result().status} unjournalled"
                        await asyncio.sleep(0.05)
                    # journalled on the master only: Telegram must not have its 200 yet
                    await asyncio.wait({post}, timeout=1.0)
                    assert not post.done(), "200 while only the master held the update"
                finally:
                    stopped.send_signal(signal.SIGCONT)
                response = await asyncio.wait_for(post, PATIENCE_S)
                assert response.status == 200
                # the replica acknowledged the journalled body before the 200
                assert await replica.hexists(JOURNAL_KEY, update_id) or await replica.exists(
                    f"{JOURNAL_KEY}:done:{update_id}"
                )
                deadline = time.monotonic() + PATIENCE_S
                while not api.texts(HIND.id):
                    assert time.monotonic() < deadline, "the person was never answered"
                    await asyncio.sleep(0.1)
    finally:
        await bot.session.close()
        await master.aclose()
        await replica.aclose()
