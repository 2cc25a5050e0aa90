"""The webhook journal's leases on a real Redis: three Journal objects on one key stand for
three worker processes. A body accepted by a worker that then died is taken over by a live
one once its lease runs out, by exactly one, and never while its holder is alive."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.webhook_journal import Journal
from tests.servers import free_port

KEY = "tawasul:test:inbox"
LEASE_S = 0.3
BODY = b'{"update_id": 41}'


def workers(redis: Redis, n: int) -> list[Journal]:
    return [Journal(redis, KEY, lease_s=LEASE_S) for _ in range(n)]


async def test_a_dead_workers_body_is_taken_over_once_after_its_lease(
    redis_client: Redis,
) -> None:
    dead, b, c = workers(redis_client, 3)
    assert await dead.keep(BODY, 1, entry_id="41") == "41"
    # the worker that accepted it dies here: it never renews, never finishes
    assert await b.take_over() == {} and await c.take_over() == {}  # its lease still runs
    await asyncio.sleep(LEASE_S + 0.1)
    taken = await asyncio.gather(b.take_over(), c.take_over(), b.take_over(), c.take_over())
    assert sorted(map(len, taken)) == [0, 0, 0, 1]
    assert [t for t in taken if t] == [{"41": BODY}]
    # the taker holds a fresh lease now: nobody else takes it meanwhile
    assert await b.take_over() == {} and await c.take_over() == {}


async def test_a_live_worker_keeps_its_bodies_however_long_it_takes(redis_client: Redis) -> None:
    alive, other = workers(redis_client, 2)
    await alive.keep(BODY, 1, entry_id="41")
    body_id = await alive.keep(b"a body without an id of its own", 2)
    assert body_id is not None
    for _ in range(8):  # four leases long
        await asyncio.sleep(LEASE_S / 2)
        await alive.renew()
        assert await other.take_over() == {}
    # finished: out of the journal with its lease, so it is never replayed
    await alive.done("41", remember=True)
    await alive.done(body_id)
    await alive.done(body_id)
    await asyncio.sleep(LEASE_S + 0.1)
    assert await other.take_over() == {}
    assert await redis_client.hlen(KEY) == 0 and await redis_client.zcard(f"{KEY}:lease") == 0
    # and a redelivery of the handled update is recognised
    assert await other.keep(BODY, 1, entry_id="41") is None


async def test_a_body_journalled_without_a_lease_is_replayed_at_once(redis_client: Redis) -> None:
    # left by a version of the bot before leases: taken by the first worker to look
    await redis_client.hset(KEY, "old", b"{}")
    a, b = workers(redis_client, 2)
    taken = await asyncio.gather(a.take_over(), b.take_over())
    assert [t for t in taken if t] == [{"old": b"{}"}]


async def test_a_body_handled_while_redis_was_away_is_closed_not_replayed(
    redis_client: Redis,
) -> None:
    holder, other = workers(redis_client, 2)
    await holder.keep(BODY, 1, entry_id="41")
    # handled (answered with an apology: Redis was away), and closing it fails too
    working, holder.redis = holder.redis, Redis(port=free_port(), socket_connect_timeout=0.2)
    with pytest.raises(RedisError):
        await holder.done("41", remember=True)
    await holder.redis.aclose()
    holder.redis = working
    # it stays held: its lease is renewed, so no other worker replays it
    for _ in range(4):  # two leases long
        await asyncio.sleep(LEASE_S / 2)
        await holder.renew()
        assert await other.take_over() == {}
    # Redis answers again: closed, and recognised as handled
    assert await holder.close_left() == 1
    assert holder.pending == {} and holder.closing == {}
    assert await redis_client.hlen(KEY) == 0 and await redis_client.zcard(f"{KEY}:lease") == 0
    assert await other.keep(BODY, 1, entry_id="41") is None


async def test_a_keep_waiting_for_a_replica_writes_its_own_body_again_not_a_redelivery(
    redis_client: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    """A keep that waits for a replica (behind Sentinel) tries again while none has
    acknowledged; each try finds the body its first try journalled and takes it as its
    own, not as a redelivery (which would answer 200 and queue nothing). Here the server
    has no replica: past the bound the body is kept all the same, with a warning. Another
    worker given the same update meanwhile still sees a redelivery."""
    waiting = Journal(redis_client, KEY, lease_s=5.0, replicas=1, replica_wait_s=1.5)
    other = Journal(redis_client, KEY, lease_s=5.0, replicas=1, replica_wait_s=1.5)
    assert await waiting.keep(BODY, 1, entry_id="41") == "41"
    assert "acknowledged by 0 of 1 replicas" in caplog.text
    assert waiting.pending == {"41": 1}
    assert await other.keep(BODY, 1, entry_id="41") is None
    assert other.pending == {}
    await waiting.done("41", remember=True)
    assert await redis_client.exists(f"{KEY}:keeper:41") == 0
    assert await other.keep(BODY, 1, entry_id="41") is None
