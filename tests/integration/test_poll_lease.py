"""One poller per bot across workers: the lease in a real Redis, and two pollers on the
Bot API stand-in of which only the holder calls getUpdates, the other taking over when it
stops."""

from __future__ import annotations

import asyncio

from aiogram import Dispatcher, Router
from aiogram.types import Message
from redis.asyncio import Redis

from bot.channels.poll_lease import PollLease, poll_under_lease
from bot.channels.telegram import make_bot
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory

PERSON = TgUser(5_300_000_201, "Amal")


async def test_one_holder_at_a_time_and_release_hands_over(redis_client: Redis) -> None:
    one, two = PollLease(redis_client, 42), PollLease(redis_client, 42)
    assert await one.take()
    assert not await two.take()
    assert await one.take()  # taking again what one holds is a renewal
    await two.release()  # not its to release
    assert not await two.take()
    await one.release()
    assert await two.take()
    assert not await one.renew()
    assert await PollLease(redis_client, 43).take()  # another bot, another lease
    assert "42" in one.key and await redis_client.get(one.key) == two.token.encode()


async def test_a_holder_that_stops_renewing_loses_the_lease_when_it_runs_out(
    redis_client: Redis,
) -> None:
    dead = PollLease(redis_client, 7, ttl_s=0.3)
    alive = PollLease(redis_client, 7, ttl_s=0.3)
    assert await dead.take()
    assert not await alive.take()
    await asyncio.sleep(0.45)
    assert await alive.take()


def _recording(seen: list[str], name: str) -> Dispatcher:
    dispatcher = Dispatcher(disable_fsm=True)
    router = Router()

    @router.message()
    async def record(message: Message) -> None:
        seen.append(name)

    dispatcher.include_router(router)
    return dispatcher


async def test_only_the_holder_polls_and_the_other_takes_over(redis_client: Redis) -> None:
    seen: list[str] = []
    updates = UpdateFactory(first_update_id=940_000_000)
    async with TelegramBotAPIStandin() as api:
        bots = [make_bot(api.token, api.url) for _ in range(2)]
        leases = [PollLease(redis_client, bots[0].id, ttl_s=2.0) for _ in range(2)]
        stops = [asyncio.Event(), asyncio.Event()]
        dispatchers = [_recording(seen, "first"), _recording(seen, "second")]
        first = asyncio.create_task(
            poll_under_lease(bots[0], dispatchers[0], leases[0], stops[0], retry_s=0.2)
        )
        async with asyncio.timeout(10):
            await api.wait_until(lambda: "getUpdates" in api.methods())
        second = asyncio.create_task(
            poll_under_lease(bots[1], dispatchers[1], leases[1], stops[1], retry_s=0.2)
        )
        try:
            api.queue_update(updates.text(PERSON, "one"))
            async with asyncio.timeout(10):
                await api.wait_until(lambda: len(seen) == 1)
            await asyncio.sleep(1.0)  # several of the second's tries to take over
            assert seen == ["first"]
            assert await redis_client.get(leases[0].key) == leases[0].token.encode()

            stops[0].set()
            async with asyncio.timeout(10):
                await first
            api.queue_update(updates.text(PERSON, "two"))
            async with asyncio.timeout(10):
                await api.wait_until(lambda: len(seen) == 2)
            assert seen == ["first", "second"]
            assert await redis_client.get(leases[1].key) == leases[1].token.encode()
        finally:
            for stop in stops:
                stop.set()
            await asyncio.gather(first, second, return_exceptions=True)
            for bot in bots:
                await bot.session.close()
        assert await redis_client.get(leases[1].key) is None  # released at the stop
