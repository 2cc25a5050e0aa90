"""How many of a turn's replies went out, so that a replay does not send them again.

A turn's replies are sent after its state is saved (conversations.replays). A worker
killed, or cut by its drain bound, between two replies of one turn leaves the update in the
journal, and the replay sends the turn's saved replies again: the person saw the first ones
twice. So after each reply that another follows, the count sent so far is kept in Redis
under the update (one SET with a day's expiry; a turn of one reply writes nothing), and a
replay skips that many. The mark is written after the send, never before: cut between the
two, the reply is sent again (a duplicate) rather than never (a loss). The last reply has
no mark of its own: the update's journal entry is closed right after it, the same window.
Redis errors only cost the mark (a courtesy; the replies are what matter).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.redis_ha import replicated
from conversations.events import Origin
from conversations.keys import person_tag
from conversations.replays import replayed

#: How long a mark is kept (as long as the journal remembers a handled update).
MARK_TTL_S: Final = 24 * 3600


@dataclass
class SentMarks:
    """The marks in `redis`, under the person's hash tag (one Redis Cluster slot)."""

    redis: Redis
    prefix: str = "tawasul"
    #: behind Sentinel 1: a mark counts once that many replicas hold it, so that a replay
    #: on the master a failover promoted skips what was sent (bot.redis_ha.replicated)
    replicas: int = 0

    def _key(self, turn: Origin) -> str:
        return f"{self.prefix}:sent:{person_tag(turn.channel, turn.user_key)}:{turn.event_id}"

    async def already(self, turn: Origin) -> int:
        """How many of `turn`'s replies were sent before: read only when the update is
        being replayed (conversations.replays), 0 otherwise or when Redis fails."""
        if not replayed():
            return 0
        with contextlib.suppress(RedisError, ValueError):
            raw = await self.redis.get(self._key(turn))
            return int(raw) if raw is not None else 0
        return 0

    async def sent(self, turn: Origin, count: int, of: int) -> None:
        """`count` of `turn`'s `of` replies are out; marked when more are to follow."""
        if count >= of:
            return
        key = self._key(turn)
        with contextlib.suppress(RedisError):
            if not self.replicas:
                await self.redis.set(key, count, ex=MARK_TTL_S)
                return
            await replicated(
                self.redis,
                self.replicas,
                lambda pipe: pipe.set(key, count, ex=MARK_TTL_S),
                what="a count of replies sent",
            )
