"""Moving windows in the shared Redis, on the ``limits`` library (its Redis storage on the
redis-py asyncio client, sharing the bot's connection pool, so the embedded server, a
standalone Redis and Sentinel all work as the rest of the bot does).

A moving window counts what happened in the last ``seconds`` seconds exactly (a sorted
list of timestamps in one key, trimmed by a Lua script), so a person cannot send twice
the limit across the boundary of a fixed window; the time until the next entry is free is
the oldest entry's time plus the window. Every worker counts into the same keys.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Final

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import RedisClusterStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis, RedisCluster

PREFIX: Final = "tawasul:lim"


def window(amount: int, seconds: int) -> RateLimitItem:
    """``amount`` entries per ``seconds`` seconds."""
    return RateLimitItemPerSecond(amount, seconds)


class Windows:
    def __init__(
        self, redis: Redis, *, prefix: str = PREFIX, now: Callable[[], float] = time.time
    ) -> None:
        storage: RedisStorage
        if isinstance(redis, RedisCluster):
            # limits builds a cluster client of its own from a URI and has no option to take
            # one; the bridge is given ours instead (and its scripts registered on it), so
            # the windows use the bot's connections, password and node map
            storage = RedisClusterStorage(
                "async+redis+cluster://localhost:6379", implementation="redispy", key_prefix=prefix
            )
            bridge = storage.bridge
            bridge.storage = redis
            bridge.connection_getter = lambda _readonly: redis
            bridge.register_scripts()
        else:
            # the URI is not used: the client is built on the bot's own connection pool
            storage = RedisStorage(
                "async+redis://localhost:6379",
                implementation="redispy",
                key_prefix=prefix,
                connection_pool=redis.connection_pool,  # type: ignore[arg-type]  # typed as scalars
            )
        self._limiter = MovingWindowRateLimiter(storage)
        self._now = now

    async def take(self, item: RateLimitItem, *ids: str) -> int:
        """Takes one entry; 0 when granted, else the seconds until one is free (at least 1)."""
        if await self._limiter.hit(item, *ids):
            return 0
        return await self.wait(item, *ids)

    async def free(self, item: RateLimitItem, *ids: str) -> int:
        """Like :meth:`take` without taking: 0 when an entry is free now."""
        if await self._limiter.test(item, *ids):
            return 0
        return await self.wait(item, *ids)

    async def wait(self, item: RateLimitItem, *ids: str) -> int:
        stats = await self._limiter.get_window_stats(item, *ids)
        return max(1, math.ceil(stats.reset_time - self._now()))
