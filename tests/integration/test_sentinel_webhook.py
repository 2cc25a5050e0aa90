"""An accepted webhook body survives a Sentinel failover: real redis-server processes on
loopback (a master, a replica, two sentinels, tests.redis_topologies), the real Telegram
webhook endpoint (build_web_app on an aiohttp server) and the Bot API stand-in.

Telegram never delivers again an update it had a 200 for, and Redis replicates
asynchronously, so a body answered while only the master held it would be gone with a
failover that promotes the replica. Behind Sentinel the 200 comes once the replica holds
the body (bot.webhook_journal). So is its close once the person is answered: a close that only
the old master held would leave the body to be replayed from the promoted replica, and the
person answered a second time. And a failover, which refuses writes for about as long as a
lease, does not hand the bodies still in hand to another worker (bot.lease_hold)."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis as AsyncRedis

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_webhook import (
    HOOK_KEY,
    JOURNAL_KEY,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramHook,
)
from bot.redis_ha import sentinel_client
from bot.settings import Settings
from bot.web import build_web_app
from bot.webhook_journal import Journal
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


def _settings(tmp_path: Path, sentinels: SentinelSet, api: TelegramBotAPIStandin) -> Settings:
    return Settings(
        data_dir=tmp_path,
        redis_sentinels=sentinels.setting,
        redis_service=SERVICE,
        telegram_token=api.token,
        telegram_api_url=api.url,
        telegram_webhook_url="https://bot.example.sa/telegram/webhook",
        telegram_webhook_secret=SECRET,
        staff_schedule=False,
    )


@pytest.mark.timeout(300)
async def test_an_update_gets_its_200_once_the_replica_holds_it(
    tmp_path: Path, sentinels: SentinelSet, api: TelegramBotAPIStandin
) -> None:
    """With the replica stopped (SIGSTOP) the update is journalled on the master and
    Telegram has no 200 yet; once the replica runs again the 200 comes, the replica holds
    the update (journalled, or handled and marked so), and the person is answered."""
    settings = _settings(tmp_path, sentinels, api)
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


async def _until(what: str, condition: Callable[[], Awaitable[bool]]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


@pytest.mark.timeout(300)
async def test_a_failover_right_after_a_turn_does_not_answer_it_again(
    tmp_path: Path, sentinels: SentinelSet, api: TelegramBotAPIStandin
) -> None:
    """The person is answered, the replica is stopped (SIGSTOP) before the update's journal
    entry is closed: the worker holds the update (closing it) while only the master has the
    close, and lets it go once the replica runs again and holds it. A failover right after
    that promotes a replica that knows the update was handled: the person's next message is
    answered, and the first answer was sent once."""
    updates = UpdateFactory()
    start = updates.text(HIND, "/start")
    update_id = str(start["update_id"])
    done_key = f"{JOURNAL_KEY}:done:{update_id}"
    master = AsyncRedis(host="127.0.0.1", port=sentinels.master.port)
    replica = AsyncRedis(host="127.0.0.1", port=sentinels.replica.port)
    stopped = sentinels.replica.process
    assert stopped is not None
    bot = make_bot(api.token, api.url)
    try:
        async with build_services(_settings(tmp_path, sentinels, api)) as services:
            dispatcher = build_dispatcher(services.engine.handle, services.intake)
            app = build_web_app(
                services, telegram=TelegramHook(bot, dispatcher, SECRET, services.redis)
            )
            journal = app[HOOK_KEY].journal
            journal.replica_wait_s = PATIENCE_S  # the replica is let go below, after the check
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):

                async def post(update: dict[str, object]) -> int:
                    response = await client.post(
                        WEBHOOK_PATH,
                        data=json.dumps(update),
                        headers={"Content-Type": "application/json", SECRET_HEADER: SECRET},
                    )
                    return response.status

                # the answer is sent; Telegram's reply to it waits until the replica stops
                gate = api.hold("sendMessage", chat_id=HIND.id, after=True)
                assert await post(start) == 200
                await asyncio.wait_for(gate.arrived.wait(), PATIENCE_S)
                stopped.send_signal(signal.SIGSTOP)
                try:
                    gate.release()
                    await _until(
                        "the update was never closed on the master",
                        lambda: master.exists(done_key),
                    )
                    # closed on the master only: the worker must still hold the update
                    deadline = time.monotonic() + 1.0
                    while time.monotonic() < deadline:
                        assert update_id in journal.pending, (
                            "closed while only the master held the close"
                        )
                        await asyncio.sleep(0.05)
                finally:
                    stopped.send_signal(signal.SIGCONT)

                async def let_go() -> bool:
                    return update_id not in journal.pending

                await _until("the update was never let go", let_go)
                answers = api.texts(HIND.id)
                assert answers, "the person was never answered"
                # the replica knows the update is handled and holds nothing of it to replay
                assert await replica.exists(done_key)
                assert not await replica.hexists(JOURNAL_KEY, update_id)

                await asyncio.to_thread(sentinels.failover)
                # the next message, delivered again as Telegram does until it has its 200
                # (the new master takes writes once the old one replicates it)
                tap = updates.callback(HIND, "ind")

                async def accepted() -> bool:
                    return await post(tap) == 200

                await _until("the next message was never accepted", accepted)

                async def next_answered() -> bool:
                    return len(api.texts(HIND.id)) > len(answers)

                await _until("the next message was never answered", next_answered)
                said = api.texts(HIND.id)
                assert said[: len(answers)] == answers
                again = [text for text in said[len(answers) :] if text in answers]
                assert not again, f"answered again after the failover: {again}"
                assert "ما الخدمة المطلوبة" in said[-1], said[-1]
    finally:
        await bot.session.close()
        await master.aclose()
        await replica.aclose()


@pytest.mark.timeout(300)
async def test_a_failover_does_not_hand_a_body_in_hand_to_another_worker(
    tmp_path: Path, sentinels: SentinelSet, api: TelegramBotAPIStandin
) -> None:
    """A failover refuses writes for longer than a (here short) lease, so the holder of a
    body cannot renew it and its lease runs out on the new master. The first take-over after
    that finds the journal silent for longer than half a lease and takes nothing: the holder,
    alive, has a whole lease to renew. A body nobody renews is still taken over after that,
    as a dead worker's must be."""
    target = _settings(tmp_path, sentinels, api).redis_sentinel_target
    assert target is not None
    redis, sentinel_nodes = sentinel_client(target, max_connections=4, timeout_s=PATIENCE_S)
    key = "tawasul:{test:inbox}"
    lease_s = 3.0
    holder = Journal(redis, key, lease_s=lease_s, replicas=1)
    other = Journal(redis, key, lease_s=lease_s, replicas=1)
    try:
        assert await holder.keep(b'{"update_id": 7}', 1, entry_id="7") == "7"
        assert await other.take_over() == {}  # in hand, leased
        await asyncio.to_thread(sentinels.failover)
        await asyncio.to_thread(sentinels.wait_settled)

        async def ran_out() -> bool:
            seconds, micros = await redis.time()
            expiry = await redis.zscore(f"{key}:lease", "7")
            return expiry is not None and expiry <= seconds * 1000 + micros // 1000

        await _until("the lease never ran out on the new master", ran_out)
        assert await other.take_over() == {}, "taken over from its holder after a failover"

        taken: dict[str, bytes] = {}

        async def taken_over() -> bool:
            taken.update(await other.take_over())
            return bool(taken)

        # the holder renews no more, as a dead worker: taken over once the hold is over
        await _until("a body nobody renews was never taken over", taken_over)
        assert taken == {"7": b'{"update_id": 7}'}
    finally:
        await redis.aclose()
        for node in sentinel_nodes.sentinels:
            await node.aclose()
