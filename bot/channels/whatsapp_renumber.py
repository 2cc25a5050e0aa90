"""A WhatsApp person who moved to another number (a ``system`` notice in the webhook):
what the channel keeps for them in Redis (the window, the number, the replies waiting
for the window) moves to the new user key, then ``renumbered`` moves their account,
requests and dialogue. Split from bot.channels.whatsapp_channel."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from bot.channels.whatsapp import (
    CLAIM_TTL_S,
    WA_ID_TTL_S,
    _claim_key,
    _pending_key,
    _wa_id_key,
    last_inbound_key,
    masked,
)
from bot.channels.whatsapp_inbound import NumberChange
from bot.redis_store.dialogue import claim_once

# the channel's logger, as before the split: operators' filters keep working
log = logging.getLogger("bot.channels.whatsapp_channel")

#: Told when a person moved to another number, to move their account and dialogue.
Renumbered = Callable[[NumberChange], Awaitable[None]]


async def renumber(
    redis: Redis, wamid: str, change: NumberChange, renumbered: Renumbered | None
) -> None:
    """The person moved to another number (and user id): what the channel keeps for
    them moves along, then their account, requests and dialogue (``renumbered``); once
    for the notice ``wamid`` across workers."""
    claimed = await claim_once(redis, _claim_key(wamid), CLAIM_TTL_S)
    if not claimed:
        return
    if change.new_key != change.old_key:
        for key in (last_inbound_key, _wa_id_key):
            await _move_string(redis, key(change.old_key), key(change.new_key))
        await _move_list(redis, _pending_key(change.old_key), _pending_key(change.new_key))
    if change.new_wa_id:
        await redis.set(_wa_id_key(change.new_key), change.new_wa_id, ex=WA_ID_TTL_S)
    if renumbered is not None:
        await renumbered(change)
    log.info("WhatsApp user %s is now %s", masked(change.old_key), masked(change.new_key))


async def _move_string(redis: Redis, old: str, new: str) -> None:
    """Copies a key to its new name unless that exists already (the new number wrote
    first: its value is the newer), keeping the expiry; one key at a time, so it works on
    a Redis Cluster where the two names live on different nodes."""
    raw = await redis.get(old)
    if raw is None:
        return
    ttl = await redis.pttl(old)
    await redis.set(new, raw, nx=True, px=ttl if ttl > 0 else None)
    await redis.delete(old)


async def _move_list(redis: Redis, old: str, new: str) -> None:
    items = await redis.lrange(old, 0, -1)
    if not items:
        return
    ttl = await redis.pttl(old)
    # the two names are two people's keys, in two Redis Cluster slots: a transaction
    # covers the new one only
    async with redis.pipeline(transaction=True) as pipe:
        pipe.rpush(new, *items)
        if ttl > 0:
            pipe.pexpire(new, ttl)
        await pipe.execute()
    await redis.delete(old)
