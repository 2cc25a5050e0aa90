"""The status look-up limit cannot be raced (issue 15.1): attempts are taken before the
look-up, atomically, on the shared Redis, so simultaneous guesses from many accounts on two
workers stop at the limit. The test Redis is 6.2, the version the embedded server runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.app import Services, build_services
from bot.redis_store.attempts import MAX_FAILURES, WINDOW_S, RedisAttemptLimiter
from bot.settings import Settings
from conversations.events import Command
from tests.integration.test_status_privacy import A_ID, A_PHONE, A_WORDS, _file, plain
from tests.unit.conversations.fakes import Chat

PAUSED = "أُوقف الاستعلام مؤقتًا"
NUMBER_PAUSED = "أُوقف الاستعلام عنه مؤقتًا"
WRONG_IDS = ["1000000008", "1010101010", "2000000014"]  # not A_ID


async def test_simultaneous_takes_from_two_clients_grant_exactly_the_limit(
    redis_url: str, redis_client: Redis
) -> None:
    clients = [Redis.from_url(redis_url) for _ in range(2)]
    try:
        limiters = [RedisAttemptLimiter(c) for c in clients]
        results = await asyncio.gather(
            *(limiters[i % 2].take(f"acct:t:{i}", "num:5038329651") for i in range(20))
        )
    finally:
        for client in clients:
            await client.aclose()
    granted = [r for r in results if r.granted]
    assert len(granted) == MAX_FAILURES
    assert sorted(r.left for r in granted) == list(range(MAX_FAILURES))
    refused = [r for r in results if not r.granted]
    assert all(0 < r.wait_s <= WINDOW_S for r in refused)
    # a refused take counts nothing: the window is that of the first attempt
    ttl = await redis_client.ttl("tawasul:fail:{att}:num:5038329651")
    assert 0 < ttl <= WINDOW_S
    assert int(await redis_client.get("tawasul:fail:{att}:num:5038329651")) == MAX_FAILURES


async def test_a_refund_gives_back_one_attempt_and_never_goes_below_zero(
    redis_client: Redis,
) -> None:
    limiter = RedisAttemptLimiter(redis_client, max_failures=2)
    assert (await limiter.take("a")).left == 1
    assert (await limiter.take("a")).left == 0
    assert not (await limiter.take("a")).granted
    assert await limiter.blocked_for("a") > 0
    await limiter.refund("a")
    assert await limiter.blocked_for("a") == 0
    await limiter.refund("a")
    await limiter.refund("a")
    assert int(await redis_client.get("tawasul:fail:{att}:a")) == 0
    assert (await limiter.take("a")).granted


async def test_the_window_expires(redis_client: Redis) -> None:
    limiter = RedisAttemptLimiter(redis_client, max_failures=1, window_s=1)
    assert (await limiter.take("w")).granted
    assert not (await limiter.take("w")).granted
    await asyncio.sleep(1.6)
    assert (await limiter.take("w")).granted


@pytest.fixture
async def two_workers(
    tmp_path: Path, redis_url: str, db_url: str, redis_client: Redis
) -> AsyncIterator[list[Services]]:
    """Two bot processes' services on one Redis and one database."""
    async with AsyncExitStack() as stack:
        workers = [
            await stack.enter_async_context(
                build_services(
                    Settings(data_dir=tmp_path / f"w{i}", redis_url=redis_url, database_url=db_url),
                    migrate=i == 0,
                )
            )
            for i in range(2)
        ]
        yield workers


def _count_identity_checks(services: Services, seen: list[str]) -> None:
    """A spy on the real gateway: every identity comparison that reaches the database."""
    gateway: Any = services.engine.gateway
    real: Callable[[str, str], Awaitable[Any]] = gateway.status_with_identity

    async def counted(number: str, identity_number: str) -> Any:
        seen.append(identity_number)
        return await real(number, identity_number)

    gateway.status_with_identity = counted


async def test_twenty_accounts_guessing_at_once_on_two_workers_stop_at_the_limit(
    two_workers: list[Services],
) -> None:
    alice = Chat(two_workers[0].engine.handle, channel="telegram", user="100")
    number = await _file(alice, A_ID, A_PHONE, A_WORDS)
    checks: list[str] = []
    for services in two_workers:
        _count_identity_checks(services, checks)
    guessers = [
        Chat(two_workers[i % 2].engine.handle, channel="telegram", user=str(200 + i))
        for i in range(20)
    ]
    # all twenty ask for her request at the same moment...
    await asyncio.gather(*(g.send(Command(g.origin(), "status", number)) for g in guessers))
    asking = [g for g in guessers if "لم يُقدَّم هذا الطلب" in plain(g.said)]
    assert len(asking) <= MAX_FAILURES
    # the others made no attempt of their own: told the number's inquiry is paused,
    # not that they got it wrong
    paused = [plain(g.said) for g in guessers if g not in asking]
    assert all(NUMBER_PAUSED in said and PAUSED not in said for said in paused)
    # ...the ones asked for an identity number send wrong ones at the same moment, and
    # then every account tries the right one
    await asyncio.gather(*(g.text(WRONG_IDS[i % len(WRONG_IDS)]) for i, g in enumerate(asking)))
    await asyncio.gather(*(g.text(A_ID) for g in guessers))
    await asyncio.gather(*(g.send(Command(g.origin(), "status", number)) for g in guessers))
    await asyncio.gather(*(g.text(A_ID) for g in guessers))
    for g in guessers:
        assert f"الطلب رقم {number}" not in plain(g.said)
    # at most the limit of identity numbers was ever compared with hers
    assert len(checks) <= MAX_FAILURES
    # she still sees her own request from her own chat
    await alice.send(Command(alice.origin(), "status", number))
    assert f"الطلب رقم {number}" in plain(alice.said)


async def test_a_third_party_with_the_identity_number_is_not_charged(
    two_workers: list[Services],
) -> None:
    alice = Chat(two_workers[0].engine.handle, channel="telegram", user="100")
    number = await _file(alice, A_ID, A_PHONE, A_WORDS)
    brother = Chat(two_workers[1].engine.handle, channel="telegram", user="300")
    for _ in range(MAX_FAILURES + 2):
        await brother.send(Command(brother.origin(), "status", number))
        await brother.text(A_ID)
        assert f"الطلب رقم {number}" in plain(brother.said)
