"""New requests a day, per chat and per identity number (``TAWASUL_REQUESTS_PER_DAY``,
``TAWASUL_REQUESTS_PER_IDENTITY_PER_DAY``), counted in moving 24-hour windows in the shared
Redis, so every worker counts into the same windows.

**Checked and counted in one step.** A filing takes its entry of each window before the
request is written, by one Lua script per window that trims it, looks and adds at once, so
two confirmations arriving together on two workers cannot both pass a window with one free
entry (checking first and counting after the write, as before, let the day's limit be
exceeded by one). When the request is then not written (the database failed, or the draft
had been filed before and its entry is gone), the entries taken are given back.

Each window is a sorted set whose members are the drafts' idempotency keys, scored by the
time they were filed: a confirmation repeated (a second tap, a compare-and-set retry of the
same turn: the same key) finds its draft already there and is neither refused nor counted
twice. This is why the windows are our own script and not the ``limits`` library's moving
window (used for the messages a minute): its entries are bare timestamps, so it can neither
recognise a draft already counted nor give one entry back.

The chat's window carries the person's hash tag; the identity number's window is named by
a hash of the number (a Redis key listing or MONITOR shows no identity number in clear),
with the establishment's number for an establishment's filings: an employer's requests
for a worker are counted apart from the worker's own.
Each script touches one key, so it runs on a Redis Cluster too.

**Through a failover** the script is retried like any command (bot/redis_ha.py): a write
it makes on a demoted master comes back with the server's own prefix (``READONLY …``,
``NOREPLICAS …``, checked on Redis 7.0), which the Sentinel connection turns into a
ConnectionError to retry; and a master that has not got the script (restarted, promoted,
``SCRIPT FLUSH``) is given it again by redis-py's Script on ``NOSCRIPT``
(tests/integration/test_filing_limits_scripts.py).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from redis.asyncio import Redis

from conversations.keys import person_tag
from conversations.ports import FilingPaused, Submission

DAY_S: Final = 24 * 3600
ACCOUNT_KEY: Final = "tawasul:filings:{tag}"
IDENTITY_KEY: Final = "tawasul:filings:id:{digest}"

# KEYS[1] the window; ARGV: now (ms), window (ms), the limit, the draft's key.
# Returns {1, 1} taken now, {1, 0} the draft was counted already, {0, ms} full: ms until the
# oldest entry leaves the window.
_TAKE = """
local now, span, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return {1, 0} end
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + span - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], span)
return {1, 1}
"""


def _filer_of(submission: Submission) -> str:
    """What the identity window counts: the identity number for a person's own filings;
    with the establishment's number for an establishment's, so an employer's requests
    for a worker do not use up the worker's own (helper 233: they shared one window)."""
    if submission.applicant_kind == "establishment" and submission.establishment_number:
        return f"{submission.establishment_number}:{submission.identity_number}"
    return submission.identity_number


@dataclass(frozen=True, slots=True)
class Taken:
    """The entries a filing took (window keys), to give back if nothing was written."""

    member: str
    keys: tuple[str, ...]


class FilingLimits:
    def __init__(
        self,
        redis: Redis,
        *,
        per_account: int,
        per_identity: int,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._per_account = per_account
        self._per_identity = per_identity
        self._now = now
        self._take = redis.register_script(_TAKE)

    def _windows(self, submission: Submission) -> list[tuple[str, int, str]]:
        """(per, limit, key) of each window this filing counts in; a limit of 0 is off."""
        windows: list[tuple[str, int, str]] = []
        if self._per_account:
            tag = person_tag(submission.channel, submission.user_key)
            windows.append(("account", self._per_account, ACCOUNT_KEY.format(tag=tag)))
        if self._per_identity:
            digest = hashlib.sha256(_filer_of(submission).encode()).hexdigest()[:32]
            windows.append(("identity", self._per_identity, IDENTITY_KEY.format(digest=digest)))
        return windows

    async def take(self, submission: Submission) -> Taken:
        """Takes this draft's entry of each window. Raises :class:`FilingPaused` (with the
        seconds to wait, at least 1) when one is full; the entries taken before it are
        given back then. A draft counted already takes nothing and is never refused."""
        member = submission.idempotency_key
        taken: list[str] = []
        for per, limit, key in self._windows(submission):
            now_ms = int(self._now() * 1000)
            granted, value = await self._take(
                keys=[key], args=[now_ms, DAY_S * 1000, limit, member]
            )
            if not granted:
                await self.give_back(Taken(member, tuple(taken)))
                raise FilingPaused(per, limit, max(1, math.ceil(int(value) / 1000)))
            if value:
                taken.append(key)
        return Taken(member, tuple(taken))

    async def give_back(self, taken: Taken) -> None:
        """Removes the entries ``taken`` added (the request was not written after all)."""
        for key in taken.keys:
            await self._redis.zrem(key, taken.member)
