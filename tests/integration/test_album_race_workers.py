"""The files of one album screened at once on two workers share one verdict (review 13 §5):
the album's key said «ok» before the per-minute window had decided, so with the window full
a file screened meanwhile on another worker (WhatsApp posts each file of a burst as its own
webhook, milliseconds apart) was admitted while the first was refused with «…فلم أستلم
الصور أو الملفات التي أرسلتها للتو…», which was then false. Two InboundGuards on one real
Redis; the window's round trip made 5 ms long, as a remote Redis's is."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.abuse.blocks import BlockList
from bot.abuse.guard import InboundGuard
from bot.redis_store.dialogue import RedisDialogueStore

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
