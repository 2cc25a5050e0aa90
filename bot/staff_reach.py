"""Whether the staff group can be reached, for ``/readyz`` (bot.health): one ``getChat``
probe at most every ``TAWASUL_READY_STAFF_PROBE_S`` seconds across every worker, its
verdict shared in Redis so that the workers agree and Telegram is not asked once per
worker per health check.

- The probe: ``getChat`` on the staff group (the supergroup it became, when it migrated:
  bot.outbox.staff_group). Forbidden (the bot removed), "chat not found", an unauthorised
  token, and Telegram not answering (a 5xx, the network, no answer within
  :data:`PROBE_TIMEOUT_S`) make the group unreachable; a 429 says nothing about the group
  and leaves the last verdict as it was.
- Who probes: whoever sets :data:`PROBE_KEY` (``SET NX``, lasting the probe interval);
  the verdict is written to :data:`REACH_KEY` for every worker to read. After a failed
  probe the key is shortened to :data:`RETRY_S`, so a group back (or a Telegram blip
  over) makes the workers ready again within seconds, still at one probe at a time.
- Telegram not answering is believed only when it lasts: a failed probe is re-tried within
  :data:`RETRY_S`, and ``telegram_unreachable`` fails readiness from the
  ``failures_needed``-th failed probe in a row (TAWASUL_READY_STAFF_FAILURES, 3), so the Bot
  API's occasional 502 or slow answer is shown in the body without taking every worker
  (which all share the verdict) out of the balancer. What Telegram says outright (the bot
  removed, the chat not found, the token refused) counts at the first probe.
- The right to post: once ``getChat`` answers, ``getChatMember`` on the bot itself says
  whether it may post there (an administrator or the owner may; a member unless the
  group's default permissions forbid members to send messages; a restricted bot only
  with ``can_send_messages``; one that has left or been banned is removed). So a right
  taken away is seen by the probe (``no_rights``), and a right given back too. Before,
  only a card's refusal showed it, and /readyz stayed 503 until a card got through (they
  are tried every minute, note 12). The same one probe for all the workers: two calls
  every ``TAWASUL_READY_STAFF_PROBE_S`` (30 s), or every :data:`RETRY_S` while something
  is wrong, far below the Bot API's limits (about 30 calls a second per bot); a 429 to
  either leaves the verdict as it was.
- The cards' own view: what deliveries learnt (bot.outbox.staff_group: the bot removed,
  its right to post taken away) counts too, since it is what stops the cards now. A probe
  that gets through clears what it contradicts: the bot removed and the chat not found
  when ``getChat`` answers, the lost right to post when ``getChatMember`` shows it back.
  While the deliveries report a problem, the next probe comes within :data:`RETRY_S`.

An health check does not wait for Telegram longer than the readiness bound: the probe
goes on in the background and the check answers with the last verdict.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable
from typing import Final, Literal

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
)
from redis.asyncio import Redis

from bot.outbox.staff_group import StaffGroupState
from bot.outbox.telegram_send import describe

log = logging.getLogger(__name__)

#: The shared verdict: a hash (ok "1"/"0", condition, detail, fix, since, checked: Unix s;
#: failures: failed probes in a row).
REACH_KEY: Final = "tawasul:staff:reach"
#: Held (SET NX PX) by the worker probing now, for the probe interval.
PROBE_KEY: Final = "tawasul:staff:reach:probe"
#: How long a probe may wait for Telegram (seconds).
PROBE_TIMEOUT_S: Final = 10
#: How soon a failed probe is tried again, at most (seconds).
RETRY_S: Final = 5.0
#: The one condition that may be a blip, believed only after several probes in a row.
TRANSIENT: Final = "telegram_unreachable"
#: What ``getChat`` proves wrong when it answers (deliveries' conditions).
_SEEN_BY_GETCHAT: Final = ("bot_removed", "chat_not_found")
#: What ``getChatMember`` proves wrong when it shows the bot may post.
NO_RIGHTS: Final = "no_rights"

Mode = Literal["required", "report"]


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class StaffReach:
    """The staff group's reachability as /readyz sees it (see the module docstring).

    `every_s` is the probe interval (TAWASUL_READY_STAFF_PROBE_S); `mode` "required"
    makes an unreachable group fail readiness, "report" only shows it
    (TAWASUL_READY_STAFF_GROUP); `failures_needed` failed probes in a row make Telegram
    not answering count (TAWASUL_READY_STAFF_FAILURES). `bot` None (no Telegram token): no probe, only what
    deliveries reported."""

    def __init__(
        self,
        redis: Redis,
        bot: Bot | None,
        chat_id: int,
        *,
        every_s: float,
        mode: Mode = "required",
        failures_needed: int = 3,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis = redis
        self.bot = bot
        self.chat_id = chat_id
        self.every_s = every_s
        self.mode: Mode = mode
        self.failures_needed = failures_needed
        self.state = StaffGroupState(redis, clock=clock)
        self._clock = clock
        self._probing: asyncio.Task[None] | None = None

    @property
    def required(self) -> bool:
        """Whether an unreachable staff group makes the worker not ready."""
        return self.mode == "required"

    def fails(self, problem: dict[str, str]) -> bool:
        """Whether `problem` (from :meth:`problem`) makes the worker not ready: in
        "required" mode, a known condition, and Telegram not answering only once
        `failures_needed` probes in a row have failed."""
        if not self.required or problem.get("condition") == "unknown":
            return False
        if problem.get("condition") != TRANSIENT or "failures" not in problem:
            return True  # Telegram said so outright, or the cards' deliveries did
        return int(problem["failures"]) >= self.failures_needed

    async def problem(self, wait_s: float) -> dict[str, str] | None:
        """What is wrong with the staff group now (condition, detail, fix, since; Unix
        seconds), None when nothing is known to be. Probes when it is this worker's turn,
        waiting for it at most `wait_s` seconds (else the last verdict stands). Raises
        what Redis raises."""
        if self.bot is not None and (self._probing is None or self._probing.done()):
            holder = str(os.getpid())
            if await self.redis.set(PROBE_KEY, holder, nx=True, px=int(self.every_s * 1000)):
                self._probing = asyncio.create_task(self._logged(), name="staff-group-probe")
        if self._probing is not None and not self._probing.done():
            # the probe goes on if this look stops waiting (shielded)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._probing), wait_s)
        raw = await self.redis.hgetall(REACH_KEY)
        verdict = {_str(k): _str(v) for k, v in raw.items()}
        if verdict.get("ok") == "0":
            return {k: v for k, v in verdict.items() if k != "ok"}
        reported = await self.state.problem()
        if reported is not None and self.bot is not None:
            # the cards met a problem the last probe did not: the next probe comes soon
            # (LT: never later than it was due)
            await self.redis.pexpire(PROBE_KEY, int(min(self.every_s, RETRY_S) * 1000), lt=True)
        return reported

    async def _logged(self) -> None:
        try:
            await self._probe()
        except Exception as exc:  # Redis gone meanwhile: /readyz says so by itself
            log.warning("the staff group's probe was not recorded: %s", type(exc).__name__)

    async def _probe(self) -> None:
        """One getChat; the verdict written for every worker (a 429 or a migration: nothing
        learnt, the last verdict stands)."""
        assert self.bot is not None
        chat_id = await self.state.chat_id(self.chat_id)
        chat: ChatFullInfo | None = None
        try:
            chat = await self.bot.get_chat(chat_id, request_timeout=PROBE_TIMEOUT_S)
            posting = await self._posting(chat_id, chat)
        except TelegramRetryAfter:
            return  # Telegram is there and busy: says nothing about the group
        except TelegramMigrateToChat as exc:
            await self.state.migrated(chat_id, exc.migrate_to_chat_id)
            await self.redis.delete(PROBE_KEY)  # the new chat is probed at the next look
            return
        except ClientDecodeError as exc:
            # "ok": true with a chat aiogram's model does not take (a field Telegram has
            # not sent, or sends since): the group answered all the same. Anything else
            # (a proxy's HTML error page) is Telegram not answering.
            if not (isinstance(exc.data, dict) and exc.data.get("ok") is True):
                await self._failed(*_why(exc, chat_id))
                return
            try:  # the chat's default permissions unread: an administrator is sure
                posting = await self._posting(chat_id, chat)
            except TelegramRetryAfter:
                return
            except (TelegramAPIError, TimeoutError, OSError) as again:
                await self._failed(*_why(again, chat_id))
                return
        except (TelegramAPIError, TimeoutError, OSError) as exc:
            await self._failed(*_why(exc, chat_id))
            return
        if posting is not None:
            await self._failed(*posting)
            return
        await self._reached()

    async def _posting(
        self, chat_id: int, chat: ChatFullInfo | None
    ) -> tuple[str, str, str] | None:
        """Why the bot may not post in `chat_id` (condition, detail, fix), None when it
        may: ``getChatMember`` on itself, read with `chat`'s default permissions (None when
        unread). Raises what the call raises."""
        assert self.bot is not None
        member = await self.bot.get_chat_member(
            chat_id, self.bot.id, request_timeout=PROBE_TIMEOUT_S
        )
        if isinstance(member, ChatMemberOwner):
            return None
        if isinstance(member, ChatMemberAdministrator):
            # a channel's administrators post only with the right to (a group's always may)
            if chat is None or chat.type != ChatType.CHANNEL or member.can_post_messages:
                return None
            why = "an administrator of the channel without can_post_messages"
        elif isinstance(member, ChatMemberMember):
            permissions = chat.permissions if chat is not None else None
            if chat is None or permissions is None or permissions.can_send_messages is not False:
                return None
            why = "a member, and the group's permissions forbid members to send messages"
        elif isinstance(member, ChatMemberRestricted):
            if member.can_send_messages and member.is_member:
                return None
            why = "restricted (can_send_messages false)"
        else:  # left or banned: getChat answered all the same (a public group)
            return (
                "bot_removed",
                f"getChatMember: the bot's status is {member.status}",
                f"add the bot back to the staff group {chat_id} (TAWASUL_STAFF_CHAT_ID) as "
                "an administrator allowed to post messages and manage topics",
            )
        return (
            NO_RIGHTS,
            f"getChatMember: the bot is {why}",
            f"give the bot back the right to post messages in the staff group {chat_id} "
            "(TAWASUL_STAFF_CHAT_ID), or make it an administrator",
        )

    async def _failed(self, condition: str, detail: str, fix: str) -> None:
        now = str(int(self._clock()))
        before = {_str(k): _str(v) for k, v in (await self.redis.hgetall(REACH_KEY)).items()}
        same = before.get("ok") == "0" and before.get("condition") == condition
        since = before.get("since", now) if same else now
        failures = int(before.get("failures", "0")) + 1 if same else 1
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(REACH_KEY)
            pipe.hset(
                REACH_KEY,
                mapping={
                    "ok": "0",
                    "condition": condition,
                    "detail": detail,
                    "fix": fix,
                    "since": since,
                    "checked": now,
                    "failures": str(failures),
                },
            )
            # tried again soon: a group back, or a blip over, is seen within seconds
            pipe.pexpire(PROBE_KEY, int(min(self.every_s, RETRY_S) * 1000))
            await pipe.execute()
        if not same:
            log.error("the staff group cannot be reached (%s: %s): %s", condition, detail, fix)

    async def _reached(self) -> None:
        now = str(int(self._clock()))
        before = await self.redis.hget(REACH_KEY, "ok")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(REACH_KEY)
            pipe.hset(REACH_KEY, mapping={"ok": "1", "checked": now})
            await pipe.execute()
        if before is not None and _str(before) == "0":
            log.warning("the staff group answers again")
        reported = await self.state.problem()
        if reported is not None and reported.get("condition") in (*_SEEN_BY_GETCHAT, NO_RIGHTS):
            # getChat answered and getChatMember shows the bot may post: the bot is in
            # the group, which exists, with its right; the waiting cards go out at their
            # next try
            await self.state.cleared(reported.get("condition", ""))

    async def close(self) -> None:
        """Ends a probe still running (the server stops)."""
        if self._probing is not None:
            self._probing.cancel()
            await asyncio.gather(self._probing, return_exceptions=True)


def _why(exc: BaseException, chat_id: int) -> tuple[str, str, str]:
    """The condition, Telegram's detail and the fix for a probe of `chat_id` refused or
    unanswered with `exc`."""
    detail = describe(exc) if isinstance(exc, TelegramAPIError) else type(exc).__name__
    if isinstance(exc, TelegramForbiddenError):
        return (
            "bot_removed",
            detail,
            f"add the bot back to the staff group {chat_id} (TAWASUL_STAFF_CHAT_ID) as an "
            "administrator allowed to post messages and manage topics",
        )
    if isinstance(exc, TelegramUnauthorizedError):
        return (
            "token_rejected",
            detail,
            "Telegram refuses the bot's token: check TAWASUL_TELEGRAM_TOKEN (revoked?)",
        )
    if isinstance(exc, TelegramNotFound) or (
        isinstance(exc, TelegramBadRequest) and "chat not found" in exc.message.lower()
    ):
        return (
            "chat_not_found",
            detail,
            f"check TAWASUL_STAFF_CHAT_ID ({chat_id}): the bot cannot see that chat",
        )
    if isinstance(
        exc,
        (TelegramServerError, TelegramNetworkError, ClientDecodeError, TimeoutError, OSError),
    ):
        return (
            "telegram_unreachable",
            detail,
            "the Bot API (TAWASUL_TELEGRAM_API_URL, or Telegram's) does not answer: check "
            "this machine's network and proxy, and Telegram's status; to keep WhatsApp "
            "served meanwhile, set TAWASUL_READY_STAFF_GROUP=report",
        )
    return ("refused", detail, "Telegram refused getChat on the staff group: see the detail")
