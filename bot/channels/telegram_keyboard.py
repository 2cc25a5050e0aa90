"""Whether a private chat still shows the share-my-number reply keyboard.

Telegram keeps a reply keyboard under the input field until a message takes it away, so
the bot must remember it put one there: the next reply that is not the phone question
carries ``ReplyKeyboardRemove`` (see bot.channels.telegram_render). With several workers
the phone question may be asked by one process and the person's next message handled by
another, so the flag lives in Redis, shared. It is cosmetic (a keyboard left on screen is
a nuisance, not a loss), so a Redis error reads as "not shown" and a failed write is
logged, never raised into the person's turn.
"""

from __future__ import annotations

import logging
from typing import Final, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from conversations.keys import person_tag

log = logging.getLogger(__name__)

#: Longer than a draft lives (24 h): the keyboard matters while a dialogue goes on.
FLAG_TTL_S: Final = 7 * 24 * 3600


class KeyboardFlags(Protocol):
    """Which chats show the share-my-number keyboard."""

    async def shown(self, chat_id: int) -> bool: ...

    async def remember(self, chat_id: int, shown: bool) -> None: ...


class MemoryKeyboardFlags:
    """In this process only: for a single process (polling, tests without Redis)."""

    def __init__(self) -> None:
        self._shown: set[int] = set()

    async def shown(self, chat_id: int) -> bool:
        return chat_id in self._shown

    async def remember(self, chat_id: int, shown: bool) -> None:
        if shown:
            self._shown.add(chat_id)
        else:
            self._shown.discard(chat_id)


class RedisKeyboardFlags:
    """Shared by every worker: one key per chat showing the keyboard, with a TTL."""

    def __init__(self, redis: Redis, prefix: str = "tawasul") -> None:
        self._redis = redis
        self._prefix = prefix

    def key(self, chat_id: int) -> str:
        """The Redis key of `chat_id`'s flag (present while the keyboard is shown), with
        the person's hash tag (a private chat's id is the person's user id)."""
        return f"{self._prefix}:kbd:{person_tag('telegram', str(chat_id))}"

    async def shown(self, chat_id: int) -> bool:
        try:
            return bool(await self._redis.exists(self.key(chat_id)))
        except RedisError:
            log.warning("reply-keyboard flag not read: Redis unreachable")
            return False

    async def remember(self, chat_id: int, shown: bool) -> None:
        try:
            if shown:
                await self._redis.set(self.key(chat_id), b"1", ex=FLAG_TTL_S)
            else:
                await self._redis.delete(self.key(chat_id))
        except RedisError:
            log.warning("reply-keyboard flag not written: Redis unreachable")
