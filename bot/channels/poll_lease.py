"""One poller per bot token, across workers and machines: a lease in Redis.

Telegram lets one getUpdates call run per token at a time and answers a second with 409
Conflict, so with several workers (``tawasul run --workers N``, or the same command on two
machines) only one may poll. The one holding the lease key (``SET NX`` with a time to live
and a random token of its own) polls; the others try to take it every :data:`RETRY_S`.

Safe with a short lease: every getUpdates call is sent only just after the lease was
renewed (a request middleware on the bot's session, :func:`_guarded`), and Telegram ends a
long poll after its ``timeout`` (:data:`POLL_TIMEOUT_S`); the lease outlives that with a
margin (:data:`LEASE_TTL_S`), so a getUpdates is over before the lease it was sent under
can run out, even if the process stalls or dies mid-call. A renewal that came back late
(Redis slow) sends nothing; a holder that finds the lease taken sends no more getUpdates
and stops polling. So the lease can be a few seconds long: a poller killed outright is
replaced within ``LEASE_TTL_S + RETRY_S`` (7 s; 18 s before this guard, with a 15 s
lease), one stopping in order releases the key and another polls within ``RETRY_S``.
The one window left: a stall of more than :data:`NETWORK_MARGIN_S` between the renewal's
check and the request leaving the process. Updates are not lost in a hand-over: Telegram
keeps those not confirmed by the next getUpdates, those confirmed and not finished are in
the journal (bot.channels.poll_journal, replayed by the next poller), and the engine
handles each update id once.

The key names the bot by its numeric id (the token's public half), never the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, cast

from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import NextRequestMiddlewareType
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.channels.poll_journal import PollJournal
from bot.channels.telegram import run_polling

log = logging.getLogger(__name__)

LEASE_KEY: Final = "tawasul:tg:poller:{bot_id}"
#: How long the lease lasts without a renewal: a dead poller is replaced within this
#: (plus RETRY_S). Must exceed POLL_TIMEOUT_S + NETWORK_MARGIN_S.
LEASE_TTL_S: Final = 6.0
#: How often the poller renews and the others try to take over.
RETRY_S: Final = 1.0
#: getUpdates' long-poll timeout (Telegram answers by then, with or without updates).
POLL_TIMEOUT_S: Final = 2
#: Allowed for a getUpdates to reach Telegram after the renewal that vouched for it, and
#: for the renewal's own round trip: a renewal that took longer sends nothing.
NETWORK_MARGIN_S: Final = 2.0

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
    poll_timeout_s: int = POLL_TIMEOUT_S,
    clock: Callable[[], float] = time.monotonic,
    journal: PollJournal | None = None,
) -> None:
    """Poll Telegram while this process holds `lease`, until `stop` is set; waits for
    its turn otherwise. Returns once polling has stopped and the lease is released. An
    error that ends polling itself (a revoked token) is raised, as plain polling does.
    `poll_timeout_s`: getUpdates' long-poll timeout; ValueError when the lease is too short
    for it (see the module's text). With `journal`, every fetched update is journalled
    before it is confirmed, and what other pollers left there is replayed first
    (bot.channels.poll_journal)."""
    if lease.ttl_s - poll_timeout_s - NETWORK_MARGIN_S <= 0:
        raise ValueError(f"a {lease.ttl_s} s lease is too short for {poll_timeout_s} s long polls")
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
        log.info("this process (pid %d) polls Telegram (lease %s)", os.getpid(), lease.key)
        await _poll_while_held(
            bot,
            dispatcher,
            lease,
            stop,
            retry_s=retry_s,
            poll_timeout_s=poll_timeout_s,
            clock=clock,
            journal=journal,
        )


async def _poll_while_held(
    bot: Bot,
    dispatcher: Dispatcher,
    lease: PollLease,
    stop: asyncio.Event,
    *,
    retry_s: float,
    poll_timeout_s: int,
    clock: Callable[[], float],
    journal: PollJournal | None,
) -> None:
    renewed_at = clock()
    lost = asyncio.Event()
    stopping = asyncio.Event()
    if journal is not None:
        # what stopped pollers left, before anything new: a person's older updates first
        journal.begin()

    async def guard(
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, GetUpdates):
            if stopping.is_set():
                # aiogram's polling loop retries every Exception; only a cancellation ends
                # it, and the one stop_polling sent may have been lost (see _stop_polling)
                raise asyncio.CancelledError
            if journal is not None:
                await journal.replayed_left()
            await _renewed_for(method, lease, lost, retry_s=retry_s, clock=clock)
            if journal is not None:
                return await _journalled(make_request, bot, method, journal)
        return await make_request(bot, method)

    bot.session.middleware.register(guard)
    polling = asyncio.create_task(
        run_polling(
            bot,
            dispatcher,
            handle_signals=False,
            close_bot_session=False,
            polling_timeout=poll_timeout_s,
        ),
        name="telegram-polling",
    )
    lost_waiter = asyncio.create_task(lost.wait())
    try:
        while not stop.is_set() and not polling.done() and not lost.is_set():
            await _wait(stop, retry_s, polling, lost_waiter)
            if stop.is_set() or polling.done() or lost.is_set():
                break
            try:
                if not await lease.renew():
                    lost.set()
                    break
                renewed_at = clock()
            except RedisError:
                # stop before the lease can run out, so that no one else polls with us
                if clock() - renewed_at >= lease.ttl_s - retry_s:
                    log.warning("Telegram polling lease not renewed (Redis); polling stops")
                    break
        if lost.is_set():
            log.warning("Telegram polling lease taken by another process; polling stops")
    finally:
        lost_waiter.cancel()
        stopping.set()
        if journal is not None:
            journal.end()
        await _stop_polling(dispatcher, polling)
        bot.session.middleware.unregister(guard)
        with contextlib.suppress(RedisError):
            await lease.release()
    if not polling.cancelled() and polling.exception() is not None:
        raise polling.exception()  # type: ignore[misc]


async def _journalled(
    make_request: NextRequestMiddlewareType[TelegramType],
    bot: Bot,
    method: GetUpdates,
    journal: PollJournal,
) -> Response[TelegramType]:
    """A getUpdates whose fetched updates are journalled before aiogram has them (and so
    before the next getUpdates confirms them), its offset past those left out."""
    method.offset = journal.offset(method.offset)
    # aiogram's make_request returns the method's result (the updates), not the Response
    # its type names
    fetched: Any = await make_request(bot, cast(TelegramMethod[TelegramType], method))
    kept: Any = await journal.kept(fetched)
    return cast(Response[TelegramType], kept)


async def _renewed_for(
    method: GetUpdates,
    lease: PollLease,
    lost: asyncio.Event,
    *,
    retry_s: float,
    clock: Callable[[], float],
) -> None:
    """Returns once the lease was renewed soon enough for `method` (a getUpdates) to end
    at Telegram before the lease can run out; never returns once the lease is someone
    else's (`lost` is set, and polling is being stopped, which cancels this)."""
    window = lease.ttl_s - (method.timeout or 0) - NETWORK_MARGIN_S
    while True:
        started = clock()
        try:
            held: bool | None = await lease.renew()
        except RedisError:
            held = None  # not known: nothing is sent on it
        if held is False:
            lost.set()
            await asyncio.Future()  # cancelled when polling stops
        if held and clock() - started < window:
            return
        await asyncio.sleep(retry_s)


async def _stop_polling(dispatcher: Dispatcher, polling: asyncio.Task[None]) -> None:
    """Stop `polling` (the task running aiogram's polling) and wait until it has ended.

    The caller sets its `stopping` event first, so that the session guard refuses any
    further getUpdates: aiogram's stop_polling cancels its polling task and waits, unbounded,
    for it to end, and under load that cancellation was seen lost (CI, and 2 runs in 6
    here): the task stayed «cancelling» yet sent getUpdates every second, the aiohttp client
    having just reported «ServerDisconnectedError», which aiogram's loop catches and retries,
    so the worker never stopped. The guard's refusal is a cancellation, which that loop does
    not catch, so polling ends within one long poll and one back-off."""
    if not polling.done():
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # not started yet (still removing a webhook): cancel
            polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait({polling})


async def _wait(stop: asyncio.Event, seconds: float, *also: asyncio.Task[Any]) -> None:
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({stopped, *also}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
