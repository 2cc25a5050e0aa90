"""Who may act on requests from Telegram: the officers.

An officer is a member of the staff group (getChatMember says creator, administrator or
member) or a Telegram user id listed in ``TAWASUL_OFFICER_IDS``. Membership is the
normal way: adding someone to the group or removing them is how a supervisor grants and
withdraws the right, with no deployment. The configured ids are for people who act on
cards without being in the group (or before it exists).

A button tap costs one getChatMember call at most every ``ttl_s`` seconds per person: the
answer is cached in Redis, shared by every worker. Removal from the group therefore
takes effect within that time, which is short enough for a withdrawn right.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from redis.asyncio import Redis

log = logging.getLogger(__name__)

DEFAULT_CACHE_TTL_S: Final = 60
MEMBER_STATUSES: Final = frozenset(
    {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
)
_KEY: Final = "tawasul:staff:officer:{chat}:{user}"


class OfficerAuth:
    def __init__(
        self,
        redis: Redis,
        *,
        staff_chat_id: int | None,
        officer_ids: frozenset[int] = frozenset(),
        cache_ttl_s: int = DEFAULT_CACHE_TTL_S,
    ) -> None:
        self._redis = redis
        self._chat_id = staff_chat_id
        self._officer_ids = officer_ids
        self._ttl_s = cache_ttl_s

    async def is_officer(self, bot: Bot, user_id: int) -> bool:
        if user_id in self._officer_ids:
            return True
        if self._chat_id is None:
            return False
        key = _KEY.format(chat=self._chat_id, user=user_id)
        cached = await self._redis.get(key)
        if cached is not None:
            return cached == b"1"
        try:
            member = await bot.get_chat_member(self._chat_id, user_id)
        except (TelegramBadRequest, TelegramForbiddenError):
            # "user not found", "member list is inaccessible": a definite no, worth caching
            log.info("membership of user %s in the staff group could not be read", user_id)
            allowed = False
        except TelegramAPIError as exc:
            # a network or server failure says nothing about the person: refuse this time,
            # but ask again on the next tap instead of caching the refusal
            log.warning(
                "getChatMember failed for user %s (%s: %s)",
                user_id,
                type(exc).__name__,
                exc.message,
            )
            return False
        else:
            allowed = member.status in MEMBER_STATUSES
        await self._redis.set(key, b"1" if allowed else b"0", ex=self._ttl_s)
        return allowed
