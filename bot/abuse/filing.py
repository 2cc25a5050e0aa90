"""New requests a day, per chat and per identity number (``TAWASUL_REQUESTS_PER_DAY``,
``TAWASUL_REQUESTS_PER_IDENTITY_PER_DAY``), counted in moving 24-hour windows in the shared
Redis, so every worker counts into the same windows.

The windows are checked before the request is written and counted once it is, so a
confirmation that files nothing new (a second tap, a compare-and-set retry of the same
turn: the same idempotency key) is never refused or counted twice: the draft's key is
remembered as counted for a day. Two confirmations of *different* drafts of one person in
the same few milliseconds on two workers may both pass the check; the limit is there to
stop floods of requests, and one request over it is not one.
"""

from __future__ import annotations

from typing import Final

from limits import RateLimitItem
from redis.asyncio import Redis

from bot.abuse.windows import Windows, window
from conversations.ports import FilingPaused, Submission

DAY_S: Final = 24 * 3600
_COUNTED_KEY: Final = "tawasul:filed:{key}"


class FilingLimits:
    def __init__(
        self,
        redis: Redis,
        *,
        per_account: int,
        per_identity: int,
        windows: Windows | None = None,
    ) -> None:
        self._redis = redis
        self._account = window(per_account, DAY_S) if per_account else None
        self._identity = window(per_identity, DAY_S) if per_identity else None
        self._windows = windows or Windows(redis)

    def _checks(self, submission: Submission) -> list[tuple[str, RateLimitItem, str]]:
        checks: list[tuple[str, RateLimitItem, str]] = []
        if self._account is not None:
            checks.append(("account", self._account, f"{submission.channel}:{submission.user_key}"))
        if self._identity is not None:
            checks.append(("identity", self._identity, submission.identity_number))
        return checks

    async def counted(self, submission: Submission) -> bool:
        """Whether this draft was already filed and counted (its confirmation repeated)."""
        return bool(await self._redis.exists(_COUNTED_KEY.format(key=submission.idempotency_key)))

    async def check(self, submission: Submission) -> None:
        """Raises :class:`FilingPaused` when the chat or the identity number is at its limit."""
        for per, item, ident in self._checks(submission):
            wait = await self._windows.free(item, "filed", per, ident)
            if wait:
                raise FilingPaused(per, item.amount, wait)

    async def count(self, submission: Submission) -> None:
        """Counts a request just filed."""
        await self._redis.set(_COUNTED_KEY.format(key=submission.idempotency_key), b"1", ex=DAY_S)
        for per, item, ident in self._checks(submission):
            await self._windows.take(item, "filed", per, ident)
