"""Limits across two workers (issue 14): messages per minute, counted once for a
redelivered update, and a flood of new chats throttled with one staff alert. The harness
is tests/integration/abuse_two.py."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage
from bot.metrics import REGISTRY
from standins.telegram_updates import TgUser
from tests.integration.abuse_two import (
    OTHER,
    PERSON,
    Two,
    _two,
)

# ---- messages per minute --------------------------------------------------------------------


@pytest.fixture
async def slow(
    redis_url: str,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path, per_minute=5):
        yield harness


def _refused(why: str) -> float:
    return REGISTRY.get_sample_value("tawasul_inbound_refused_total", {"why": why}) or 0.0


async def test_too_many_messages_get_one_slow_down_then_are_dropped(slow: Two) -> None:
    refused = _refused("too_fast")
    answered = [len(await slow.says(i % 2, PERSON, "مرحبا")) > 0 for i in range(5)]
    assert all(answered)  # five a minute, counted on both workers together
    version = await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}")
    [slow_down] = await slow.says(1, PERSON, "مرحبا")
    seconds = re.search(r"الانتظار ([٠-٩]+) ثانية", slow_down)
    assert seconds is not None, slow_down  # when they can go on, in Arabic digits
    assert 1 <= int(seconds.group(1)) <= 60
    for worker in (0, 1, 0):
        assert await slow.says(worker, PERSON, "مرحبا") == []
    # dropped before any work: the dialogue state did not move
    assert await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}") == version
    assert _refused("too_fast") == refused + 4  # counted in /metrics
    # someone else is not held back
    assert await slow.says(0, OTHER, "مرحبا")


# ---- a flood of new chats -------------------------------------------------------------------


@pytest.fixture
async def flood(
    redis_url: str,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path, new_chats=20):
        yield harness


async def test_a_flood_of_new_chats_is_throttled_with_one_staff_alert(flood: Two) -> None:
    assert await flood.says(0, PERSON, "/start")  # known before the flood
    fakes = [TgUser(8_000_000 + i, f"bot{i}") for i in range(120)]
    await asyncio.gather(
        *(flood.feed(i % 2, flood.updates.text(user, "/start")) for i, user in enumerate(fakes))
    )
    served = [user for user in fakes if flood.api.texts(user.id)]
    assert len(served) == 19  # twenty new chats in the window, the person first
    states = [key async for key in flood.redis.scan_iter("tawasul:dlg:{telegram:*")]
    assert len(states) == 20
    # the dropped ones reached nothing: no SQL row but the one alert
    async with flood.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    [alert] = rows
    assert alert.kind == "staff_text" and "سيل من المحادثات الجديدة" in alert.payload["html"]
    assert "٢٠" in alert.payload["html"]
    # known people are served during the flood; new ones still wait, with no second alert
    assert await flood.says(1, PERSON, "مرحبا")
    assert await flood.says(0, TgUser(9_000_001), "/start") == []
    assert await flood.count(OutboxMessage) == 1


async def test_a_redelivered_update_is_counted_once_towards_the_minute(slow: Two) -> None:
    first = slow.updates.text(PERSON, "مرحبا")
    await slow.feed(0, first)
    answered = len(slow.api.texts(PERSON.id))
    assert answered
    # Telegram sends the same update_id again (no answer reached it), to either worker,
    # once while the other worker has it too
    for worker in (1, 0):
        await slow.feed(worker, first)
    await asyncio.gather(slow.feed(0, first), slow.feed(1, first))
    assert len(slow.api.texts(PERSON.id)) == answered  # handled once
    # the other four of the five a minute are all served
    for i in range(4):
        assert await slow.says(i % 2, PERSON, "مساعدة"), i
    refused = slow.updates.text(PERSON, "مرحبا")
    await slow.feed(1, refused)
    [slow_down] = slow.api.texts(PERSON.id)[-1:]
    assert "الانتظار" in slow_down
    told = len(slow.api.texts(PERSON.id))
    version = await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}")
    # the refused update again: refused in silence, on both workers
    for worker in (0, 1):
        await slow.feed(worker, refused)
    assert len(slow.api.texts(PERSON.id)) == told
    assert await slow.redis.get(f"tawasul:dlg:{{telegram:{PERSON.id}}}") == version
