"""One poller per bot token, across workers and machines: a lease in Redis.

Telegram lets one getUpdates call run per token at a time and answers a second with 409
Conflict, so with several workers (``tawasul run --workers N``, or the same command on two
machines) only one may poll. The one holding the lease key (``SET NX`` with a time to live
and a random token of its own) polls and renews it every few seconds; the others try to
take it at the same pace, so when the poller dies one of them polls within the lease's
time to live (15 s), and when it stops in order it releases the key and another polls
within a few seconds. A poller that cannot renew (Redis unreachable, or the key taken by
another after a long stall) stops polling before its lease could have run out, so two
never poll together for longer than one getUpdates call. Updates are not lost in a
hand-over: Telegram keeps those not confirmed by the next getUpdates, and the engine
handles each update id once.

The key names the bot by its numeric id (the token's public half), never the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from aiogram import Bot, Dispatcher
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.channels.telegram import run_polling

log = logging.getLogger(__name__)

LEASE_KEY: Final = "tawasul:tg:poller:{bot_id}"
#: How long the lease lasts without a renewal: a dead poller is replaced within this.
LEASE_TTL_S: Final = 15.0
#: How often the poller renews and the others try to take over.
RETRY_S: Final = 3.0

_RENEW: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass
class PollLease:
    """The lease on polling bot `bot_id`; `token` tells this holder from the others."""

    redis: Redis
    bot_id: int
    ttl_s: float = LEASE_TTL_S
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def key(self) -> str:
        return LEASE_KEY.format(bot_id=self.bot_id)

    async def take(self) -> bool:
        """Whether this process now holds the lease (free, or held by it already).
        Raises RedisError."""
        if await self.renew():
            return True
        return bool(await self.redis.set(self.key, self.token, nx=True, px=self._ttl_ms))

    async def renew(self) -> bool:
        """Extend the lease if this process holds it; False when it does not. Raises
        RedisError."""
        return bool(await self.redis.eval(_RENEW, 1, self.key, self.token, self._ttl_ms))

    async def release(self) -> None:
        """Give the lease up at once, if held (another process polls within RETRY_S)."""
        await self.redis.eval(_RELEASE, 1, self.key, self.token)

    @property
    def _ttl_ms(self) -> int:
        return int(self.ttl_s * 1000)


async def poll_under_lease(
    bot: Bot,
    dispatcher: Dispatcher,
    lease: PollLease,
    stop: asyncio.Event,
    *,
    retry_s: float = RETRY_S,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll Telegram while this process holds `lease`, until `stop` is set; waits for
    its turn otherwise. Returns once polling has stopped and the lease is released. An
    error that ends polling itself (a revoked token) is raised, as plain polling does."""
    told_waiting = False
    while not stop.is_set():
        try:
            held = await lease.take()
        except RedisError:
            held = False
        if not held:
            if not told_waiting:
                log.info("another process polls Telegram for this bot; this one stands by")
                told_waiting = True
            await _wait(stop, retry_s)
            continue
        told_waiting = False
        log.info("this process polls Telegram (lease %s)", lease.key)
        await _poll_while_held(bot, dispatcher, lease, stop, retry_s=retry_s, clock=clock)


async def _poll_while_held(
    bot: Bot,
    dispatcher: Dispatcher,
    lease: PollLease,
    stop: asyncio.Event,
    *,
    retry_s: float,
    clock: Callable[[], float],
) -> None:
    renewed_at = clock()
    polling = asyncio.create_task(
        run_polling(bot, dispatcher, handle_signals=False, close_bot_session=False),
        name="telegram-polling",
    )
    try:
        while not stop.is_set() and not polling.done():
            await _wait(stop, retry_s, polling)
            if stop.is_set() or polling.done():
                break
            try:
                if not await lease.renew():
                    log.warning("Telegram polling lease taken by another process; polling stops")
                    break
                renewed_at = clock()
            except RedisError:
                # stop before the lease can run out, so that no one else polls with us
                if clock() - renewed_at >= lease.ttl_s - retry_s:
                    log.warning("Telegram polling lease not renewed (Redis); polling stops")
                    break
    finally:
        await _stop_polling(dispatcher, polling)
        with contextlib.suppress(RedisError):
            await lease.release()
    if not polling.cancelled() and polling.exception() is not None:
        raise polling.exception()  # type: ignore[misc]


async def _stop_polling(dispatcher: Dispatcher, polling: asyncio.Task[None]) -> None:
    if not polling.done():
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # not started yet (still removing a webhook): cancel
            polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait({polling})


async def _wait(stop: asyncio.Event, seconds: float, *also: asyncio.Task[None]) -> None:
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({stopped, *also}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
