"""Redis that cannot be reached, as the conversations layer hears it: every Redis-backed
port it calls (the dialogue store, the status look-ups' attempts, the daily allowance of
files) raises the port's StoreUnavailable, which conversations/ waits for on a file's turn
(conversations.store_outage) without importing Redis; the error is still a redis-py one,
so bot/ code that catches RedisError around these ports keeps doing so. A real redis-py
client against a loopback port nobody listens on; a Redis refusal stays what it was."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError

from bot.media_intake import DailyQuota
from bot.redis_store.attempts import RedisAttemptLimiter
from bot.redis_store.dialogue import RedisDialogueStore
from conversations.state import DialogueState
from conversations.store import StoreUnavailable


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
async def nowhere() -> AsyncIterator[Redis]:
    # no retries: each call fails at once (redis-py retries a refused connection with a
    # backoff by default, which only makes the test slow)
    client = Redis(
        host="127.0.0.1",
        port=_closed_port(),
        socket_connect_timeout=30,
        retry=Retry(NoBackoff(), 0),
    )
    yield client
    await client.aclose()


async def test_the_dialogue_store_says_unreachable_in_the_ports_words(nowhere: Redis) -> None:
    store = RedisDialogueStore(nowhere)
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "claim_and_load": lambda: store.claim_and_load("telegram", "42", "1001"),
        "load": lambda: store.load("telegram", "42"),
        "save": lambda: store.save("telegram", "42", DialogueState()),
        "release": lambda: store.release("telegram", "42", "1001"),
        "move": lambda: store.move("whatsapp", "966500000001", "966500000002"),
    }
    for name, call in calls.items():
        with pytest.raises(StoreUnavailable) as caught:
            await call()
        # still a redis-py connection error, with Redis's own error as its cause
        assert isinstance(caught.value, RedisConnectionError), name
        assert isinstance(caught.value.__cause__, RedisConnectionError), name


async def test_a_failed_save_leaves_the_state_as_read(nowhere: Redis) -> None:
    state = DialogueState()
    with pytest.raises(StoreUnavailable):
        await RedisDialogueStore(nowhere).save("telegram", "42", state)
    assert state.version == 0  # the caller may run the turn again on it


async def test_the_attempts_and_the_daily_allowance_say_it_too(nowhere: Redis) -> None:
    limiter = RedisAttemptLimiter(nowhere)
    quota = DailyQuota(nowhere, 10_000_000)
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: limiter.take("acct:telegram:42", "num:5038329651"),
        lambda: limiter.refund("acct:telegram:42"),
        lambda: limiter.blocked_for("acct:telegram:42"),
        lambda: quota.reserve("telegram", "42", 1000),
        lambda: quota.settle("telegram", "42", 1000, 10),
    ]
    for call in calls:
        with pytest.raises(StoreUnavailable) as caught:
            await call()
        assert isinstance(caught.value, RedisError)


async def test_a_redis_refusal_is_not_taken_for_unreachable(redis_client: Redis) -> None:
    """NOREPLICAS, a wrong type, a script error: a refusal, not an outage; it passes
    unchanged, and a file's turn is not run again for it."""
    store = RedisDialogueStore(redis_client)
    await redis_client.rpush("tawasul:dlg:{telegram:42}", "not a string")
    with pytest.raises(ResponseError) as caught:
        await store.load("telegram", "42")
    assert not isinstance(caught.value, StoreUnavailable)
