"""The journal of accepted webhook bodies, in Redis, shared by every webhook we serve
(WhatsApp's, Telegram's).

A body is written here before the 200 and removed once everything in it is handled, so a
process that dies after answering leaves it behind and the next one to start replays it.
A body with an id of its own (Telegram's ``update_id``) is journalled once: a redelivery
while it is still in hand anywhere, or after it was handled (a marker kept for a day), is
recognised and not queued again, across workers and restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass, field
from typing import Final, TypeVar

from redis.asyncio import Redis

#: How long a handled id is remembered (Telegram gives up redelivering well before).
DONE_TTL_S: Final = 24 * 3600

# KEYS[1] the journal hash, KEYS[2] the id's done marker; ARGV[1] the id, ARGV[2] the body.
# One script so that "not handled yet" and "not journalled yet" are checked and the body
# written in one step: two workers given the same update at once cannot both take it.
_KEEP_ONCE: Final = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
"""

T = TypeVar("T")


@dataclass
class Journal:
    """Accepted bodies not yet handled whole, in the Redis hash `key` (id -> raw body).

    `pending` counts, for the bodies this process holds, the items still to handle (a
    WhatsApp body can carry several messages and statuses)."""

    redis: Redis
    key: str
    pending: dict[str, int] = field(default_factory=dict)

    def _done_key(self, entry_id: str) -> str:
        # in the journal's Redis Cluster slot when its key has a hash tag (the script and
        # the transaction below touch both)
        return f"{self.key}:done:{entry_id}"

    async def keep(self, body: bytes, items: int, entry_id: str | None = None) -> str | None:
        """Journal `body` (of `items` things to handle) and return its id. With `entry_id`
        (the platform's own id of the body) it is journalled once: None when that id is
        journalled already or was handled in the last day. Raises RedisError."""
        if entry_id is None:
            entry_id = uuid.uuid4().hex
            await self.redis.hset(self.key, entry_id, body)
        else:
            fresh = await self.redis.eval(
                _KEEP_ONCE, 2, self.key, self._done_key(entry_id), entry_id, body
            )
            if not fresh:
                return None
        self.pending[entry_id] = items
        return entry_id

    async def done(self, entry_id: str, *, remember: bool = False) -> None:
        """One item of the body handled; the body leaves the journal with its last one
        (and with `remember`, its id is kept as handled for a day). Raises RedisError."""
        left = self.pending.get(entry_id, 1) - 1
        if left > 0:
            self.pending[entry_id] = left
            return
        self.pending.pop(entry_id, None)
        if not remember:
            await self.redis.hdel(self.key, entry_id)
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._done_key(entry_id), b"1", ex=DONE_TTL_S)
            pipe.hdel(self.key, entry_id)
            await pipe.execute()

    async def handled(self, entry_id: str) -> bool:
        """Whether the body `entry_id` was handled already (by any process)."""
        return bool(await self.redis.exists(self._done_key(entry_id)))

    async def left_over(self) -> dict[str, bytes]:
        """The journalled bodies this process does not hold: a stopped process's, to
        replay. Raises RedisError."""
        raw: dict[bytes | str, bytes | str] = await self.redis.hgetall(self.key)
        out: dict[str, bytes] = {}
        for raw_id, body in raw.items():
            entry_id = raw_id.decode() if isinstance(raw_id, bytes) else raw_id
            if entry_id not in self.pending:
                out[entry_id] = body if isinstance(body, bytes) else body.encode()
        return out

    async def forget(self, entry_id: str) -> None:
        """Drop a body that cannot be read (it would fail again on every replay)."""
        self.pending.pop(entry_id, None)
        await self.redis.hdel(self.key, entry_id)


def room_for(queue: asyncio.Queue[T], items: int) -> bool:
    """Whether `items` more fit in the bounded `queue` (else the webhook answers 503 and
    the platform delivers again later)."""
    return not queue.maxsize or queue.maxsize - queue.qsize() >= items


async def drain(queue: asyncio.Queue[T], tasks: list[asyncio.Task[None]], timeout_s: float) -> None:
    """Wait (at most `timeout_s`) for what is queued to be handled, then stop `tasks`.
    What is left stays in the journal for the next process."""
    if tasks:  # without workers nothing would empty the queue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(queue.join(), timeout_s)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
