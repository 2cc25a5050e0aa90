"""The files of one album screened at once on two workers share one verdict (review 13 §5):
the album's key said «ok» before the per-minute window had decided, so with the window full
a file screened meanwhile on another worker (WhatsApp posts each file of a burst as its own
webhook, milliseconds apart) was admitted while the first was refused with «…فلم أستلم
الصور أو الملفات التي أرسلتها للتو…», which was then false. Two InboundGuards on one real
Redis; the window's round trip made 5 ms long, as a remote Redis's is."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse import guard as screening
from bot.abuse.blocks import BlockList
from bot.abuse.guard import InboundGuard
from bot.redis_store.dialogue import RedisDialogueStore
from conversations.keys import person_tag

REFUSED = "فلم أستلم الصور أو الملفات التي أرسلتها للتو"


def _worker(redis: Redis, sessions: async_sessionmaker[AsyncSession]) -> InboundGuard:
    guard = InboundGuard(
        redis,
        BlockList(sessions, redis),
        RedisDialogueStore(redis),
        messages_per_minute=3,
        new_chats_limit=0,
        new_chats_window_s=600,
    )
    real = guard._windows.take

    async def remote_take(*args: Any, **kwargs: Any) -> int:
        await asyncio.sleep(0.005)  # a round trip to a Redis on another machine
        return await real(*args, **kwargs)

    guard._windows.take = remote_take  # type: ignore[method-assign]
    return guard


@pytest.mark.parametrize("files", [2, 6])
async def test_an_album_past_the_limit_is_refused_whole_and_said_once(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession], files: int
) -> None:
    workers = (_worker(redis_client, db_sessionmaker), _worker(redis_client, db_sessionmaker))
    for n in range(3):  # the minute's three messages
        assert (await workers[0].screen("whatsapp", "p1", f"m{n}")).admit
    verdicts = await asyncio.gather(
        *(workers[n % 2].screen("whatsapp", "p1", f"f{n}", "album-1") for n in range(files))
    )
    assert [v.admit for v in verdicts] == [False] * files
    said = [r.text for v in verdicts for r in v.replies]
    assert len(said) == 1 and REFUSED in said[0], said


async def test_an_album_within_the_limit_is_admitted_whole_taking_one_entry(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    workers = (_worker(redis_client, db_sessionmaker), _worker(redis_client, db_sessionmaker))
    for n in range(2):
        assert (await workers[1].screen("whatsapp", "p2", f"m{n}")).admit
    verdicts = await asyncio.gather(
        *(workers[n % 2].screen("whatsapp", "p2", f"f{n}", "album-2") for n in range(6))
    )
    assert all(v.admit and not v.replies for v in verdicts)
    # the album took the minute's last entry: the next message is told to slow down
    after = await workers[0].screen("whatsapp", "p2", "m9")
    assert not after.admit and after.replies


async def test_a_first_file_whose_worker_died_holds_its_album_a_few_seconds_at_most(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The album's first file marks it «pending» and its worker dies before the verdict
    (its window never answers): «pending» stood the verdict's 300 s, and every later file
    of the album, on any worker, waited its full second for a verdict that never came.
    Now it stands ALBUM_PENDING_S at most, and the next file then decides at once."""
    dying, live = _worker(redis_client, db_sessionmaker), _worker(redis_client, db_sessionmaker)
    never = asyncio.Event()

    async def dead_take(*args: Any, **kwargs: Any) -> int:
        await never.wait()  # the worker died here: no verdict is ever written
        return 0

    dying._windows.take = dead_take  # type: ignore[method-assign]
    first = asyncio.create_task(dying.screen("telegram", "p3", "u1", "album-3"))
    key = screening.ALBUM_KEY.format(tag=person_tag("telegram", "p3"), album="album-3")
    for _ in range(200):
        if (await redis_client.get(key) or b"").startswith(b"pending"):
            break
        await asyncio.sleep(0.01)
    ttl_ms = await redis_client.pttl(key)
    assert 0 < ttl_ms <= 10_000, ttl_ms  # a few seconds (ALBUM_PENDING_S), not minutes
    # let «pending» run out at once rather than wait the real seconds
    await redis_client.pexpire(key, 1)
    await asyncio.sleep(0.05)
    verdict = await live.screen("telegram", "p3", "u2", "album-3")
    assert verdict.admit and not verdict.replies
    # the live file decided for the album: its later files go at once, the same way
    assert await redis_client.get(key) == b"ok"
    assert 0 < await redis_client.ttl(key) <= screening.ALBUM_TTL_S
    first.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await first


async def test_a_slow_first_files_late_verdict_leaves_the_albums_verdict_alone(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Review 14 §8: the album's first file, on a worker slower than ALBUM_PENDING_S, let
    its «pending» run out; another worker's file then decided for the album (the minute
    full: refused). The slow worker's late «ok» overwrote that verdict, so the album's
    remaining files were admitted while one of them had been refused: the album cut in
    two. Now the late verdict is written only while its own «pending» stands, and the
    rest of the album follows the one verdict given. «Pending» is made to run out at
    once (PEXPIRE) rather than by waiting the real seconds."""
    slow, other = _worker(redis_client, db_sessionmaker), _worker(redis_client, db_sessionmaker)
    for n in range(3):  # the minute's three messages
        assert (await other.screen("telegram", "p4", f"m{n}")).admit
    go_on = asyncio.Event()

    async def slow_take(*args: Any, **kwargs: Any) -> int:
        await go_on.wait()  # a screening slower than ALBUM_PENDING_S
        return 0  # and its window, read before the minute filled, says go

    slow._windows.take = slow_take  # type: ignore[method-assign]
    first = asyncio.create_task(slow.screen("telegram", "p4", "u1", "album-4"))
    key = screening.ALBUM_KEY.format(tag=person_tag("telegram", "p4"), album="album-4")
    for _ in range(200):
        if (await redis_client.get(key) or b"").startswith(b"pending"):
            break
        await asyncio.sleep(0.01)
    await redis_client.pexpire(key, 1)  # «pending» ran out
    await asyncio.sleep(0.05)
    second = await other.screen("telegram", "p4", "u2", "album-4")
    assert not second.admit and second.replies  # the album refused, said once
    go_on.set()
    assert (await first).admit  # the slow worker's own file had been let through before
    # the verdict the album's files follow is still the one given
    assert await redis_client.get(key) == b"too_fast"
    third = await other.screen("telegram", "p4", "u3", "album-4")
    fourth = await slow.screen("telegram", "p4", "u4", "album-4")
    assert [third.admit, fourth.admit] == [False, False]
    assert not third.replies and not fourth.replies


async def test_a_first_file_decides_for_its_album_when_its_pending_ran_out_undecided(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A slow first file whose «pending» ran out with no other file screened meanwhile
    still writes the album's verdict: the files after it go its way."""
    slow = _worker(redis_client, db_sessionmaker)
    go_on = asyncio.Event()
    real = slow._windows.take

    async def slow_take(*args: Any, **kwargs: Any) -> int:
        await go_on.wait()
        return await real(*args, **kwargs)

    slow._windows.take = slow_take  # type: ignore[method-assign]
    first = asyncio.create_task(slow.screen("telegram", "p5", "u1", "album-5"))
    key = screening.ALBUM_KEY.format(tag=person_tag("telegram", "p5"), album="album-5")
    for _ in range(200):
        if (await redis_client.get(key) or b"").startswith(b"pending"):
            break
        await asyncio.sleep(0.01)
    await redis_client.pexpire(key, 1)
    await asyncio.sleep(0.05)
    go_on.set()
    assert (await first).admit
    assert await redis_client.get(key) == b"ok"
    assert 0 < await redis_client.ttl(key) <= screening.ALBUM_TTL_S
