"""The shared rate limiter on a real Redis: sliding windows, several limits at once,
several workers, pauses after a 429."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis

from bot.outbox.ratelimit import Claim, RateLimiter, TelegramLimits, Window

# on a standalone Redis and on the embedded server alike
pytestmark = pytest.mark.redis_both


async def test_a_window_lets_count_through_then_says_how_long_to_wait(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client, margin=0, pad_s=0)
    window = Window(3, 2.0)
    before = time.monotonic()
    waits = [await limiter.acquire(Claim("g", window)) for _ in range(4)]
    took = time.monotonic() - before
    assert waits[:3] == [0.0, 0.0, 0.0]
    # room again a window after the first was taken, however long the four calls took
    assert window.seconds - took - 0.01 <= waits[3] <= window.seconds + 0.01, (waits, took)
    assert await limiter.room(Claim("g", window)) == 0
    await asyncio.sleep(waits[3])
    assert await limiter.acquire(Claim("g", window)) == 0.0


async def test_a_sliding_window_never_lets_twice_the_count_through(redis_client: Redis) -> None:
    """A token bucket of 20 refilling at 20/min passes 40 in a minute; this must not."""
    limiter = RateLimiter(redis_client, margin=0, pad_s=0)
    window = Window(5, 0.6)
    # each grant happened (on Redis's clock) somewhere between the call and its answer
    granted: list[tuple[float, float]] = []
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        asked = time.monotonic()
        wait = await limiter.acquire(Claim("group", window))
        if wait == 0:
            granted.append((asked, time.monotonic()))
        else:
            await asyncio.sleep(min(wait, 0.05))
    assert len(granted) >= 10  # it does let traffic through: more than one window's worth
    for i, (asked, _answered) in enumerate(granted):
        # grants certainly less than a window after this one (their answer came sooner
        # than a window after this one was asked for): the window's count at most
        surely_within = [g for g in granted[i:] if g[1] < asked + window.seconds]
        assert len(surely_within) <= 5


async def test_all_limits_or_none(redis_client: Redis) -> None:
    """Room is taken under every claim at once, or under none: a message refused by the
    chat's limit does not use up the overall budget."""
    limiter = RateLimiter(redis_client)
    chat, overall = Window(1, 5.0), Window(10, 5.0)
    assert await limiter.acquire(Claim("chat", chat), Claim("all", overall)) == 0
    assert await limiter.acquire(Claim("chat", chat), Claim("all", overall)) > 0
    assert await limiter.room(Claim("all", overall)) == 9


async def test_workers_share_the_budget(redis_url: str, redis_client: Redis) -> None:
    clients = [Redis.from_url(redis_url) for _ in range(4)]
    try:
        limiters = [RateLimiter(c) for c in clients]
        window = Window(20, 10.0)
        results = await asyncio.gather(
            *(lim.acquire(Claim("group:-100", window)) for lim in limiters for _ in range(10))
        )
        assert sum(1 for wait in results if wait == 0) == 20
    finally:
        for client in clients:
            await client.aclose()


async def test_an_album_costs_one_message_per_file(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client)
    window = Window(20, 10.0)
    assert await limiter.acquire(Claim("g", window, cost=8)) == 0
    assert await limiter.room(Claim("g", window)) == 12
    assert await limiter.acquire(Claim("g", window, cost=13)) > 0
    assert await limiter.room(Claim("g", window)) == 12  # nothing taken
    # a cost above the window's count waits for an empty window instead of never passing
    assert await limiter.acquire(Claim("h", Window(2, 10.0), cost=5)) == 0


async def test_a_429_pauses_the_chat_for_every_worker(redis_url: str, redis_client: Redis) -> None:
    limits = TelegramLimits()
    first = RateLimiter(redis_client)
    other_client = Redis.from_url(redis_url)
    try:
        second = RateLimiter(other_client)
        before = time.monotonic()
        await first.pause(limits.chat_claim(5551001).key, 3)
        wait = await second.acquire(*limits.claims(5551001))
        assert 3.0 - (time.monotonic() - before) - 0.01 <= wait <= 3.0, wait
        assert await second.room(*limits.claims(5551001)) == 0
        # other chats are not paused
        assert await second.acquire(*limits.claims(5551002)) == 0
    finally:
        await other_client.aclose()


def test_limits_scale_their_windows_not_their_counts() -> None:
    scaled = TelegramLimits().scaled(0.05)
    assert scaled.group == Window(20, 3.0)
    assert scaled.private_chat.count == 1 and scaled.private_chat.seconds == pytest.approx(0.05)
    assert TelegramLimits().chat_claim(-1001).window == Window(20, 60.0)  # groups: negative ids
    assert TelegramLimits().chat_claim(42).window == Window(1, 1.0)
