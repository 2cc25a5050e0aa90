"""What the bot knows about the staff group's condition, shared by every worker in Redis.

The staff chat changes under the bot: an admin upgrades the group to a supergroup (its id
changes), removes the bot or takes its right to post, deletes or closes a forum topic.
Deliveries repair what they can by themselves and record here what they learnt:

- the chat id the configured ``TAWASUL_STAFF_CHAT_ID`` migrated to (every worker sends
  there from then on; the operator is told to update the setting);
- forum topics found deleted (a configured ``TAWASUL_STAFF_TOPIC_IDS`` entry that is gone
  is not used again; a new topic is created for its department);
- the current problem, if any, that stops cards reaching the group, with the setting or
  right to change, kept in the Redis hash ``tawasul:staff:health`` and logged at ERROR
  when it starts: :meth:`StaffGroupState.problem` is what ``/readyz`` reads, beside its
  own ``getChat`` probe (bot.staff_reach).

Nothing here is process memory: a worker that starts later, or another machine, knows
the same.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
)
from redis.asyncio import Redis

from bot.outbox.handlers import RetryAfter
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.outbox.telegram_send import REQUEST_TIMEOUT_S, Sender, describe

log = logging.getLogger(__name__)

#: How often cards are tried again while the group cannot be reached (not an attempt:
#: the rows wait, however long it takes someone to fix the group).
UNREACHABLE_RETRY_S: Final = 60.0
#: 400s that mean the bot may not post in the group (its rights were reduced).
_NO_RIGHTS: Final = (
    "not enough rights",
    "have no rights",
    "chat_write_forbidden",
    "chat_admin_required",
    "need administrator rights",
)

_PREFIX: Final = "tawasul:staff:"
HEALTH_KEY: Final = _PREFIX + "health"
#: Deletes the problem only if it is still the one named (a card may have reported
#: another since the probe began).
_CLEAR_IF: Final = """
if redis.call('HGET', KEYS[1], 'condition') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _migrated_key(chat_id: int) -> str:
    return f"{_PREFIX}migrated:{chat_id}"


def _dead_topics_key(chat_id: int) -> str:
    return f"{_PREFIX}dead_topics:{chat_id}"


class StaffGroupState:
    """The staff group's condition in Redis (see the module docstring)."""

    def __init__(self, redis: Redis, *, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._clock = clock

    # ---- the chat id ------------------------------------------------------------------

    async def chat_id(self, configured: int) -> int:
        """Where the staff group is now: `configured`, or the supergroup it became."""
        current = configured
        for _ in range(4):  # a group migrates once; a short chain at most
            raw = await self._redis.get(_migrated_key(current))
            if raw is None:
                return current
            current = int(raw)
        return current

    async def migrated(self, old: int, new: int) -> None:
        await self._redis.set(_migrated_key(old), str(new))
        log.error(
            "the staff group %s was upgraded to supergroup %s: cards now go there; set "
            "TAWASUL_STAFF_CHAT_ID=%s and restart so that officers' buttons and commands in "
            "the new group are answered",
            old, new, new,
        )  # fmt: skip

    # ---- forum topics ----------------------------------------------------------------

    async def topic_gone(self, chat_id: int, thread_id: int) -> None:
        await self._redis.sadd(_dead_topics_key(chat_id), str(thread_id))

    async def is_gone(self, chat_id: int, thread_id: int) -> bool:
        return bool(await self._redis.sismember(_dead_topics_key(chat_id), str(thread_id)))

    # ---- problems --------------------------------------------------------------------

    async def report(self, condition: str, detail: str, fix: str) -> None:
        """Cards cannot reach the group: `condition` (a short id such as "bot_removed"),
        Telegram's `detail`, and `fix`, what to change (a setting, a right). Logged at
        ERROR when the condition is new, not on every retry."""
        current = await self.problem()
        new = current is None or current.get("condition") != condition
        since = str(int(self._clock())) if new or current is None else current.get("since", "0")
        await self._redis.hset(
            HEALTH_KEY,
            mapping={"condition": condition, "detail": detail, "fix": fix, "since": since},
        )
        if new:
            log.error("staff cards cannot reach the group (%s: %s): %s", condition, detail, fix)

    async def problem(self) -> dict[str, str] | None:
        """The current problem (condition, detail, fix, since as Unix seconds), or None
        when cards reach the group."""
        raw = await self._redis.hgetall(HEALTH_KEY)
        if not raw:
            return None
        return {_str(k): _str(v) for k, v in raw.items()}

    async def cleared(self, condition: str) -> None:
        """The group answered a probe (bot.staff_reach) in a way that proves `condition`
        over (the bot is in it again): forgotten, if it is still the current problem. The
        waiting cards go out at their next try."""
        if await self._redis.eval(_CLEAR_IF, 1, HEALTH_KEY, condition):
            log.warning("the staff group answers again (%s is over)", condition)

    async def resolved(self) -> None:
        """A card reached the group: whatever was wrong is over."""
        if await self._redis.delete(HEALTH_KEY):
            log.warning("staff cards reach the group again")


class GroupSender(Sender):
    """The staff group's calls: a group that changed under the bot makes its rows wait
    (RetryAfter, never a failure), repaired where the bot can (a migrated chat id is
    remembered) and reported loudly where it cannot."""

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        limits: TelegramLimits,
        state: StaffGroupState,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        super().__init__(bot, limiter, limits, request_timeout)
        self.state = state

    async def refused(self, chat_id: int, exc: TelegramAPIError, parts_sent: int | None) -> None:
        if isinstance(exc, TelegramMigrateToChat):
            await self.state.migrated(chat_id, exc.migrate_to_chat_id)
            raise RetryAfter(0.0, "staff group migrated", parts_sent=parts_sent)
        text = exc.message.lower()
        if isinstance(exc, TelegramForbiddenError):
            condition = "bot_removed"
            fix = (
                f"add the bot back to the staff group {chat_id} (TAWASUL_STAFF_CHAT_ID) as an "
                "administrator allowed to post messages and manage topics"
            )
        elif isinstance(exc, TelegramNotFound) or "chat not found" in text:
            condition = "chat_not_found"
            fix = f"check TAWASUL_STAFF_CHAT_ID ({chat_id}): the bot cannot see that chat"
        elif (
            isinstance(exc, TelegramBadRequest)
            and any(r in text for r in _NO_RIGHTS)
            # no right to manage topics: the cards go to the group itself instead
            and "topic" not in text
        ):
            condition = "no_rights"
            fix = (
                f"give the bot back the right to post messages in the staff group {chat_id} "
                "(TAWASUL_STAFF_CHAT_ID)"
            )
        else:
            return  # a 400 about this one message: the caller decides
        await self.state.report(condition, describe(exc), fix)
        raise RetryAfter(UNREACHABLE_RETRY_S, f"staff group unreachable: {condition}") from None
