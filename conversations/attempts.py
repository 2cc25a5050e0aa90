"""Failed status look-ups counted in Redis, per account and per request number, so
guessing numbers or identity numbers is slow for everyone on every worker."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

MAX_FAILURES = 5
WINDOW_S = 3600


@dataclass
class RedisAttemptLimiter:
    redis: Redis
    max_failures: int = MAX_FAILURES
    window_s: int = WINDOW_S
    prefix: str = "tawasul:fail"

    async def blocked_for(self, *keys: str) -> int:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.get(f"{self.prefix}:{key}")
                pipe.ttl(f"{self.prefix}:{key}")
            values = await pipe.execute()
        wait = 0
        for count, ttl in zip(values[::2], values[1::2], strict=True):
            if count is not None and int(count) >= self.max_failures:
                wait = max(wait, int(ttl) if ttl and ttl > 0 else self.window_s)
        return wait

    async def failed(self, *keys: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.incr(f"{self.prefix}:{key}")
                # the window starts at the first failure and is not extended by later ones
                pipe.expire(f"{self.prefix}:{key}", self.window_s, nx=True)
            await pipe.execute()
