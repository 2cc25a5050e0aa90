"""The filing limits' Lua script (bot/abuse/filing.py) on a Redis that lost its script
cache (a restart, SCRIPT FLUSH, a promoted replica) and across a Sentinel failover: the
confirmation is counted and answered, never refused with an error (which the dialogue turns
into «عذرًا، حدث خطأ…»). Real servers on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from redis.asyncio import Redis

from bot.abuse.filing import FilingLimits
from bot.redis_ha import SentinelTarget, sentinel_client
from conversations.ports import FilingPaused
from tests.integration.test_db_requests import submission
from tests.redis_topologies import SERVICE, SentinelSet


@pytest.mark.redis_both
async def test_filings_are_counted_after_the_script_cache_is_flushed(
    redis_client: Redis,
) -> None:
    limits = FilingLimits(redis_client, per_account=2, per_identity=0)
    await limits.take(submission("draft-1"))
    await redis_client.script_flush()  # as a restarted server or a promoted replica has it

    taken = await limits.take(submission("draft-2"))

    assert taken.keys  # counted: the window's second entry
    with pytest.raises(FilingPaused):
        await limits.take(submission("draft-3"))  # and the day's limit of two still holds


@pytest.fixture
def sentinels() -> Iterator[SentinelSet]:
    made = SentinelSet.start()
    try:
        yield made
    finally:
        made.stop()


@pytest.mark.timeout(240)
async def test_filings_through_a_sentinel_failover_are_counted_not_refused(
    sentinels: SentinelSet,
) -> None:
    target = SentinelTarget(tuple(("127.0.0.1", s.port) for s in sentinels.sentinels), SERVICE)
    client, watchers = sentinel_client(target, max_connections=8, timeout_s=20)
    try:
        limits = FilingLimits(client, per_account=1000, per_identity=0)
        await limits.take(submission("draft-0"))  # the script is in the first master's cache

        # confirmations keep coming while the sentinels fail over: the old master refuses
        # writes (READONLY, NOREPLICAS), then the promoted one has not got the script
        failing_over = asyncio.create_task(asyncio.to_thread(sentinels.failover))
        counted = 0
        while not failing_over.done():
            counted += 1
            taken = await limits.take(submission(f"draft-{counted}"))
            assert taken.keys, f"draft-{counted} was not counted"
            await asyncio.sleep(0.2)
        _old, new = await failing_over
        await asyncio.to_thread(sentinels.wait_settled)
        # once the old master is demoted, a filing lands on the promoted one
        after = await limits.take(submission("draft-after"))

        assert after.keys
        with new.client() as node:
            assert node.zscore(after.keys[0], "draft-after") is not None
        # and a repeat of it there is recognised: counted once, not refused
        assert (await limits.take(submission("draft-after"))).keys == ()
    finally:
        await client.aclose()
        await watchers.aclose()
