"""A person's webhook updates handled in order across workers.

Within a process a person's updates are handled one at a time, in the order they came
(bot.channels.keyed_locks). Behind a load balancer two updates of one person can reach two
processes a few milliseconds apart, and each would start at once: the dialogue's
compare-and-set keeps both answers, but the later message could be read first (a «نعم»
read at the identity step, replies interleaved). So each accepted update lines up in a
per-person queue in Redis (a sorted set: Telegram's ``update_id``, or the order of
acceptance for WhatsApp, which has no sequence of its own), and a worker starts an update
only when no earlier update of the person is still in hand anywhere.

Waiting is bounded (:data:`MAX_WAIT_S`): an earlier update whose worker died is replayed
by another after its lease (bot.webhook_journal), and a wait may not hold a worker for
longer than that; past it the update goes ahead, and the engine's compare-and-set still
keeps every answer. An earlier update whose body left the journal (handled, or dropped as
unreadable) no longer holds anyone up. Keys are one per person, each command touches one
key, so Redis Cluster can place them anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

#: The longest an update waits for an earlier one of the same person held elsewhere.
MAX_WAIT_S: Final = 5.0
#: How often a waiting worker looks again.
POLL_S: Final = 0.02
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


@dataclass
class Turns:
    """The lines of the journal `journal_key` (a hash of entry id -> body)."""

    redis: Redis
    journal_key: str
    max_wait_s: float = MAX_WAIT_S

    def __post_init__(self) -> None:
        self._line_up = self.redis.register_script(_LINE_UP)

    def line_key(self, person: str) -> str:
        """The Redis key of `person`'s line (person: a chat id or user key, never shown)."""
        return f"{self.journal_key}:turn:{person}"

    async def line_up(self, person: str, member: str, order: int | None = None) -> None:
        """`member` (the journal entry, or "entry#item") joins `person`'s line, at `order`
        or after everyone in it. Raises RedisError."""
        await self._line_up(
            keys=[self.line_key(person)],
            args=[member, "" if order is None else order, LINE_TTL_MS],
        )

    @contextlib.asynccontextmanager
    async def taking(self, person: str, member: str) -> AsyncIterator[None]:
        """Waits (at most `max_wait_s`) until no earlier member of `person`'s line is in
        hand anywhere, then leaves the line when the body of the block ends. A Redis
        error only ends the wait: order is a courtesy, the answer is what matters."""
        try:
            await self._wait(person, member)
        except RedisError:
            log.warning("turn not awaited: Redis unreachable")
        try:
            yield
        finally:
            with contextlib.suppress(RedisError):
                await self.redis.zrem(self.line_key(person), member)

    async def _wait(self, person: str, member: str) -> None:
        key = self.line_key(person)
        deadline = time.monotonic() + self.max_wait_s
        while True:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.zrange(key, 0, 0)
                pipe.zscore(key, member)
                first, mine = await pipe.execute()
            if not first or mine is None:
                return  # nobody ahead, or not in line (Redis lost it): go
            head = first[0].decode() if isinstance(first[0], bytes) else str(first[0])
            if head == member:
                return
            if not await self.redis.hexists(self.journal_key, head.split(SEP, 1)[0]):
                # its body left the journal without leaving the line (a worker died
                # after finishing, or the body could not be read): it holds no one up
                await self.redis.zrem(key, head)
                continue
            if time.monotonic() >= deadline:
                log.warning(
                    "an earlier update of the same person still in hand after %g s; going on",
                    self.max_wait_s,
                )
                return
            await asyncio.sleep(POLL_S)
