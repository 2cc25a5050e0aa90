"""A person's webhook updates handled in order across workers.

Within a process a person's updates are handled one at a time, in the order they came
(bot.channels.keyed_locks). Behind a load balancer two updates of one person can reach two
processes a few milliseconds apart, and each would start at once: the dialogue's
compare-and-set keeps both answers, but the later message could be read first (a «نعم»
read at the identity step, replies interleaved). So each accepted update lines up in a
per-person queue in Redis (a sorted set: Telegram's ``update_id``, or the order of
acceptance for WhatsApp, which has no sequence of its own), and a worker starts an update
only when no earlier update of the person is still in hand anywhere.

An earlier update held by a worker that died is not overtaken: once its lease has run out
(bot.webhook_journal), the waiting worker takes it over itself and handles it first, when
its caller can (``rescue``: Telegram, one update per body); otherwise it waits for a
worker's sweep to replay it. Only a live holder, one renewing its lease, is ever gone
ahead of, and only after ``max_wait_s`` (a minute: a holder alive but stuck, a database
that does not answer; the engine's compare-and-set still keeps every answer), counted from
when that holder took the update. (A bound of a lease and 5 s counted from the start of the
wait ran out behind a worker busy with the person's first photo for most of it and then
killed, before its lease did: the second photo went first, was acknowledged, and the
request could be filed before the first was replayed; tests/e2e/test_load_faults.py, a
photo missing at load 14.) A live holder that took the update over from a dead one
(seen as its lease moving further than renewals move it) starts its own time. A holder
busy past the bound (stuck) is still gone ahead of: the window left. An earlier update
whose body left the journal (handled, or dropped as unreadable) no longer holds anyone up.
The line, the journal and its leases share the journal's hash tag, so the one script that
looks at all three runs on one Redis Cluster node.

What this cannot order, and why it is left so (issue 11): two updates of one person that
reach two workers in reverse before the earlier one is lined up. The worker holding the
later one finds nobody ahead and starts.

- Telegram: the line-up happens before the webhook's 200, and Telegram sends a chat's next
  update only once the previous call has been answered (so grammY's deployment guide
  describes it; the Bot API documentation does not promise it). The gap needs Telegram to
  break that, or to send the next update while redelivering one we refused (503).
  ``update_id`` cannot close it: the ids rise by one across the whole bot, so a worker
  holding N+1 cannot tell whether N was this person's. Waiting until every id below N+1
  has been accepted somewhere would make every person wait for the slowest delivery of
  anyone's update, and would stall for the full bound on each id Telegram never delivers
  (updates it drops after 24 hours, or those that never reach us).
- WhatsApp: a message's ``timestamp`` is in whole seconds, so two messages of one second
  cannot be ordered by it, and no timestamp tells a worker that an earlier message exists
  and is still on its way.

A guess (holding every update back a few milliseconds for latecomers) would cost every
turn that delay and still not be a rule, so none is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.lease_hold import HELD_OFF_LUA, beat_keys, gap_ms
from bot.redis_ha import run_script, written_so_far

log = logging.getLogger(__name__)

#: How long an update waits behind an earlier one of the same person held by a live
#: worker (renewing its lease), from when that worker took it: far beyond a turn's p99
#: under load (13 s at a load average of 14 on 2 cores, README), so only a stuck holder
#: is gone ahead of. Behind a dead holder nobody goes ahead: its update is taken over.
LIVE_WAIT_S: Final = 60.0
#: How often a waiting worker looks again: at first, then at most (a wait behind a dead
#: worker lasts a lease, and looks cost a Redis call each).
POLL_S: Final = 0.02
POLL_MAX_S: Final = 0.25
#: A person's line is dropped this long after its last arrival (a crashed worker's
#: leftovers must not outlive the journal's leases by much).
LINE_TTL_MS: Final = 3600 * 1000
#: Separates the journal entry from the item in a member ("body#wamid").
SEP: Final = "#"

# KEYS[1] the person's line; ARGV: member, order ('' = after everyone in line), ttl ms.
# One script so that "after everyone" is read and taken in one step across workers.
_LINE_UP: Final = """
local order = ARGV[2]
if order == '' then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then order = tonumber(last[2]) + 1 else order = 1 end
end
redis.call('ZADD', KEYS[1], 'NX', order, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""

# KEYS[1] the person's line, KEYS[2] the journal (entry id -> body), KEYS[3] its leases,
# KEYS[4] and KEYS[5] the journal's beat and hold (bot.lease_hold); ARGV: member, lease ms,
# '1' to take over an earlier entry whose lease ran out, the gap in ms (0: none).
# Returns {0} go, {1, first, lease left ms} wait (the lease left is 0 or less when the
# holder stopped renewing it), {2} look again (a finished entry left the line), or
# {3, entry, body}: the earlier entry, now leased to the caller, to handle first.
_LOOK: Final = (
    """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""
    + HELD_OFF_LUA
    + """
local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if not first or first == ARGV[1] then return {0} end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {0} end
local entry = string.match(first, '^[^#]*')
local body = redis.call('HGET', KEYS[2], entry)
if not body then
  redis.call('ZREM', KEYS[1], first)
  return {2}
end
local lease = redis.call('ZSCORE', KEYS[3], entry)
local left = 0
if lease then left = tonumber(lease) - now end
if ARGV[3] == '1' and entry == first and left <= 0
    and not held_off(KEYS[4], KEYS[5], ARGV[4], ARGV[2], false) then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), entry)
  return {3, entry, body}
end
return {1, first, tostring(left)}
"""
)

#: Handles an earlier entry (id, body) taken over from a dead holder, before the waiter's own.
Rescue = Callable[[str, bytes], Awaitable[None]]
#: Handles now an earlier entry that this very process holds queued and not started (a
#: sweep's replay behind the waiter in its own queue); False when it holds no such entry.
HandleHere = Callable[[str], Awaitable[bool]]


@dataclass
class Turns:
    """The lines of the journal `journal_key` (a hash of entry id -> body)."""

    redis: Redis
    journal_key: str
    #: the journal's lease (bot.webhook_journal.LEASE_S): a rescued entry is leased as long
    lease_s: float = 10.0
    #: how long a live holder is waited for, from when it took the earlier update
    max_wait_s: float = LIVE_WAIT_S
    #: behind Sentinel 1: a place in line counts once that many replicas hold it (a place
    #: lost in a failover would let the person's next update go first); leaving the line
    #: is covered by the wait of the journal's close, which follows it
    replicas: int = 0

    def __post_init__(self) -> None:
        self._line_up = self.redis.register_script(_LINE_UP)
        self._look = self.redis.register_script(_LOOK)

    def line_key(self, person: str) -> str:
        """The Redis key of `person`'s line (person: a chat id or user key, never shown)."""
        return f"{self.journal_key}:turn:{person}"

    async def line_up(self, person: str, member: str, order: int | None = None) -> None:
        """`member` (the journal entry, or "entry#item") joins `person`'s line, at `order`
        or after everyone in it. Raises RedisError."""
        key, place = self.line_key(person), "" if order is None else order
        await run_script(
            self.redis,
            self.replicas,
            self._line_up,
            [key],
            [member, place, LINE_TTL_MS],
            what="a place in a person's line",
        )

    @contextlib.asynccontextmanager
    async def taking(
        self,
        person: str,
        member: str,
        rescue: Rescue | None = None,
        here: HandleHere | None = None,
    ) -> AsyncIterator[None]:
        """Waits until no earlier member of `person`'s line is in hand anywhere, then
        leaves the line when the body of the block ends. With `rescue`, an earlier entry
        whose holder stopped renewing its lease is taken over and handed to it first;
        without, it waits for a sweep to replay it. Only an earlier entry whose live
        holder kept it `max_wait_s` is gone ahead of (the module's text). With `here`, an
        earlier entry this process holds queued and not started is handed to it, rather
        than waited for behind this very wait (every worker task of the process could be
        such a wait). A Redis error only ends the wait: order is a courtesy, the answer is
        what matters."""
        try:
            await self._wait(person, member, rescue, here)
        except RedisError:
            log.warning("turn not awaited: Redis unreachable")
        try:
            yield
        finally:
            with contextlib.suppress(RedisError):
                await self.redis.zrem(self.line_key(person), member)

    async def _wait(
        self, person: str, member: str, rescue: Rescue | None, here: HandleHere | None
    ) -> None:
        keys = [
            self.line_key(person),
            self.journal_key,
            f"{self.journal_key}:lease",
            *beat_keys(self.journal_key),
        ]
        args: list[str | int] = [
            member,
            max(1, round(self.lease_s * 1000)),
            "1" if rescue else "0",
            gap_ms(self.lease_s, self.replicas),
        ]
        # whom we wait behind, and until when its present holder is given
        ahead: bytes | str | int | None = None
        left_before = 0.0
        deadline = 0.0
        pause = POLL_S
        while True:
            looked = time.monotonic()
            seen: list[bytes | str | int] = await self._look(keys=keys, args=args)
            verdict = int(seen[0])
            if verdict == 0:
                return  # nobody ahead, or not in line (Redis lost it): go
            if verdict == 2:
                continue  # a finished entry had stayed in line; look again at once
            if verdict == 3 and rescue is not None:
                entry = seen[1].decode() if isinstance(seen[1], bytes) else str(seen[1])
                body = seen[2] if isinstance(seen[2], bytes) else str(seen[2]).encode()
                log.info("an earlier update of the same person left by a stopped worker: "
                         "handled first")  # fmt: skip
                # its lease, now this process's, held by the replica before it is handled
                await written_so_far(self.redis, self.replicas, what="an update rescued")
                await rescue(entry, body)
                pause = POLL_S
                continue
            first, left_ms = seen[1], float(seen[2])
            left = left_ms / 1000
            if here is not None and left > 0:
                held = first.decode() if isinstance(first, bytes) else str(first)
                if await here(held.split(SEP, 1)[0]):
                    pause = POLL_S
                    continue
            if left <= 0:
                # its holder stopped renewing: it is taken over (by us or a sweep), never
                # gone ahead of; the new holder's time starts when it has it
                ahead = None
            elif first != ahead or left - left_before > self.lease_s / 2 + pause:
                # a new earlier update, or a lease moved further than renewals move it
                # between two looks: another holder took it over; its time starts now
                ahead, deadline = first, looked + self.max_wait_s
            elif time.monotonic() >= deadline:
                log.warning(
                    "an earlier update of the same person still in hand by a live worker "
                    "after %g s; going on",
                    self.max_wait_s,
                )
                return
            left_before = left
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, POLL_MAX_S)
