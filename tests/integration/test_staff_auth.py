"""Who is an officer: staff-group membership through the Bot API stand-in's getChatMember,
cached in a real Redis, or a configured id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.channels.telegram import make_bot
from bot.staff.auth import OfficerAuth
from standins.telegram_botapi import TelegramBotAPIStandin

STAFF_CHAT = -1001234567890
USER = 7001


@pytest.fixture
async def api() -> AsyncIterator[TelegramBotAPIStandin]:
    async with TelegramBotAPIStandin() as api:
        yield api


@pytest.fixture
async def bot(api: TelegramBotAPIStandin) -> AsyncIterator[Bot]:
    bot = make_bot(api.token, api.url)
    try:
        yield bot
    finally:
        await bot.session.close()


def member_checks(api: TelegramBotAPIStandin) -> int:
    return sum(1 for c in api.calls if c.method == "getChatMember")


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("creator", True),
        ("administrator", True),
        ("member", True),
        ("restricted", False),
        ("left", False),
        ("kicked", False),
    ],
)
async def test_membership_statuses(
    api: TelegramBotAPIStandin, bot: Bot, redis_client: Redis, status: str, allowed: bool
) -> None:
    api.set_member(STAFF_CHAT, USER, status)
    auth = OfficerAuth(redis_client, staff_chat_id=STAFF_CHAT)
    assert await auth.is_officer(bot, USER) is allowed
    assert await auth.is_officer(bot, USER) is allowed
    assert member_checks(api) == 1  # the second answer came from Redis


async def test_leaving_the_group_takes_effect_when_the_cache_expires(
    api: TelegramBotAPIStandin, bot: Bot, redis_client: Redis
) -> None:
    api.set_member(STAFF_CHAT, USER, "member")
    # a cache of a few seconds: the two look-ups below are well within it even on a busy
    # machine (with 1 s, a slow moment between them was enough to expire it)
    auth = OfficerAuth(redis_client, staff_chat_id=STAFF_CHAT, cache_ttl_s=3)
    assert await auth.is_officer(bot, USER)
    api.set_member(STAFF_CHAT, USER, "left")
    assert await auth.is_officer(bot, USER)  # still cached
    assert member_checks(api) == 1
    async with asyncio.timeout(30):  # once the cache expires, asked again and refused
        while await auth.is_officer(bot, USER):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    assert member_checks(api) == 2


async def test_the_cache_is_shared_by_workers(
    api: TelegramBotAPIStandin, bot: Bot, redis_client: Redis
) -> None:
    api.set_member(STAFF_CHAT, USER, "administrator")
    workers = [OfficerAuth(redis_client, staff_chat_id=STAFF_CHAT) for _ in range(3)]
    assert [await w.is_officer(bot, USER) for w in workers] == [True, True, True]
    assert member_checks(api) == 1


async def test_a_failed_check_refuses_but_is_not_remembered(
    api: TelegramBotAPIStandin, bot: Bot, redis_client: Redis
) -> None:
    api.set_member(STAFF_CHAT, USER, "member")
    api.fail_next("getChatMember", error_code=500, description="Internal Server Error")
    auth = OfficerAuth(redis_client, staff_chat_id=STAFF_CHAT)
    assert not await auth.is_officer(bot, USER)
    assert await auth.is_officer(bot, USER)  # asked again, not a cached refusal


async def test_configured_ids_need_no_group(
    api: TelegramBotAPIStandin, bot: Bot, redis_client: Redis
) -> None:
    auth = OfficerAuth(redis_client, staff_chat_id=None, officer_ids=frozenset({USER}))
    assert await auth.is_officer(bot, USER)
    assert not await auth.is_officer(bot, USER + 1)  # no group to ask
    assert member_checks(api) == 0
