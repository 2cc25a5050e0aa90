"""What the staff group remembers of the prompts and menus waiting for an officer's reply,
in Redis, for every worker (the handlers are :mod:`bot.staff.prompts`).

- A prompt or menu: its record under (chat, message id), with a TTL
  (:data:`PROMPT_TTL_S`).
- Each officer's waiting prompts, by chat: a sorted set of their message ids, scored by
  when they were offered (Redis's own clock, the same for every worker), so a message the
  officer posts without replying can be matched to the one prompt it may answer
  (:mod:`bot.staff.stray`). Members whose prompt is gone are dropped when read.
- The bot's lines under a prompt while it waits (a re-ask for words, «this prompt is for
  the officer who pressed», how to send a reason): each stands for its prompt, so a reply
  to it is a reply to the prompt; and each is listed with its prompt, so they all go when
  the prompt is answered, cancelled or used up. Found by session 12's notes: the re-asks
  stayed in the group after the exchange was over. Deleting tolerates Telegram's refusals
  (a message already deleted, or too old to delete): it is only tidying.
- When it expires: a prompt or menu waits :data:`PROMPT_TTL_S` for its reply (its record
  says until when, by Redis's clock), then it is swept (:meth:`PromptMemory.sweep_expired`,
  by any worker with a bot, every minute; and at once when someone replies to it): its
  lines go, a proposal made from it goes, and it is edited to say it expired and how to go
  on, its buttons gone. Found by session 13's notes: the lines stayed when a prompt expired,
  and the prompt itself looked live though a reply to it did nothing. Its Redis keys live
  :data:`PROMPT_KEEP_S` longer than that, so the sweep still finds what to tidy; the
  prompt's record is claimed with ``GETDEL`` by the sweep or by whoever answers it, so one
  of them acts.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any, Final, Literal

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

from bot.staff.blocking import BlockHandlers
from bot.staff.outcomes import record_fresh
from bot.staff.views import HTML
from domain.status import FINAL
from officers.desk_rules import held_by_another
from officers.failures import RequestNotFound
from officers.officer import Officer

log = logging.getLogger(__name__)

#: How long an officer has to type the question or reason after pressing the button.
PROMPT_TTL_S: Final = 24 * 3600
#: How much longer Redis keeps a prompt's keys, for the sweep to find it expired and tidy.
PROMPT_KEEP_S: Final = 6 * 3600
PROMPT_KEY: Final = "tawasul:staff:prompt:{chat}:{message}"
#: A line of the bot under a prompt: its value is the message id of the prompt (or menu)
#: it stands for, in the same chat.
AGAIN_KEY: Final = "tawasul:staff:prompt-again:{chat}:{message}"
#: The bot's lines under a prompt (a set of message ids), deleted when it is done with.
LINES_KEY: Final = "tawasul:staff:prompt-lines:{chat}:{message}"
#: An officer's waiting prompts in a chat (a sorted set: message id -> offered at, ms).
WAITING_KEY: Final = "tawasul:staff:waiting:{chat}:{officer}"
#: Every prompt and menu waiting in a chat (a sorted set: message id -> expires at, ms).
EXPIRY_KEY: Final = "tawasul:staff:prompt-expiry:{chat}"


def expired(record: dict[str, Any], now_ms: int) -> bool:
    """Whether the prompt whose ``record`` this is has outlived :data:`PROMPT_TTL_S` at
    ``now_ms`` (Redis's clock); a record from before deadlines lives by its TTL alone."""
    until = record.get("until_ms")
    return isinstance(until, int) and now_ms >= until


PromptKind = Literal["ask", "reject", "reopen", "block", "keep"]


@dataclass(frozen=True, slots=True)
class Waiting:
    """A prompt or menu waiting for an officer's reply: its message ``id``, Redis ``key``,
    ``record`` (as :meth:`PromptMemory._await_reply` wrote it) and ``age_ms``."""

    id: int
    key: str
    record: dict[str, Any]
    age_ms: int


class PromptMemory(BlockHandlers):
    prompt_ttl_s: int = PROMPT_TTL_S

    async def _await_reply(
        self,
        sent: Message,
        kind: PromptKind,
        number: str,
        version: int,
        officer: Officer,
        *,
        menu: bool = False,
    ) -> None:
        """Remembers (in Redis, for every worker) that a reply by ``officer`` to ``sent``
        is the ``kind`` of text for ``number`` at ``version``; ``menu``: ``sent`` is a
        menu, whose reply must have words (:mod:`bot.staff.prompts`)."""
        now = await self._redis_ms()
        until = now + self.prompt_ttl_s * 1000
        record = {
            "kind": kind,
            "number": number,
            "officer": officer.id,
            "version": version,
            "menu": menu,
            "thread": sent.message_thread_id if sent.is_topic_message else None,
            "until_ms": until,
            "ttl_s": self.prompt_ttl_s,
        }
        waiting = WAITING_KEY.format(chat=sent.chat.id, officer=officer.id)
        kept = self.prompt_ttl_s + PROMPT_KEEP_S
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(
                PROMPT_KEY.format(chat=sent.chat.id, message=sent.message_id),
                json.dumps(record),
                ex=kept,
            )
            pipe.zadd(waiting, {str(sent.message_id): now})
            pipe.expire(waiting, kept)
            pipe.zadd(EXPIRY_KEY.format(chat=sent.chat.id), {str(sent.message_id): until})
            await pipe.execute()

    async def _keep_waiting(self, chat: int, prompt_id: int, raw: bytes | str) -> None:
        """The prompt claimed to act on it waits again (the act failed: the officer's words
        must not be lost), until its own deadline."""
        record = json.loads(raw)
        until = record.get("until_ms")
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(
                PROMPT_KEY.format(chat=chat, message=prompt_id),
                raw,
                ex=self.prompt_ttl_s + PROMPT_KEEP_S,
            )
            if isinstance(until, int):
                pipe.zadd(EXPIRY_KEY.format(chat=chat), {str(prompt_id): until})
            await pipe.execute()

    async def _redis_ms(self) -> int:
        """Redis's clock (``TIME``) in milliseconds: the one every worker reads."""
        seconds, micro = await self._redis.time()
        return int(seconds) * 1000 + int(micro) // 1000

    async def _waiting_for(self, chat: int, officer: int) -> list[Waiting]:
        """The prompts and menus still waiting for ``officer``'s reply in ``chat``, newest
        first; those gone (answered, cancelled, expired) are dropped from the index."""
        waiting = WAITING_KEY.format(chat=chat, officer=officer)
        members: list[Any] = await self._redis.zrange(waiting, 0, -1, withscores=True)
        if not members:
            return []
        now = await self._redis_ms()
        found: list[Waiting] = []
        gone: list[Any] = []
        for member, offered in members:
            message_id = int(member)
            key = PROMPT_KEY.format(chat=chat, message=message_id)
            raw = await self._redis.get(key)
            if raw is None:
                gone.append(member)
                continue
            record = json.loads(raw)
            if record.get("officer") == officer and not expired(record, now):
                found.append(Waiting(message_id, key, record, now - int(offered)))
        if gone:
            await self._redis.zrem(waiting, *gone)
        return sorted(found, key=lambda w: w.age_ms)

    async def _prompt_of(self, chat: int, message_id: int) -> tuple[int, str, bytes | str] | None:
        """The prompt (or menu) a reply to the bot's message ``message_id`` answers: its
        message id, Redis key and record; the message is the prompt itself or a line
        standing for it (see the module). None: no prompt waits there."""
        key = PROMPT_KEY.format(chat=chat, message=message_id)
        raw = await self._redis.get(key)
        if raw is not None:
            return message_id, key, raw
        stands_for = await self._redis.get(AGAIN_KEY.format(chat=chat, message=message_id))
        if stands_for is None:
            return None
        prompt_id = int(stands_for)
        key = PROMPT_KEY.format(chat=chat, message=prompt_id)
        raw = await self._redis.get(key)
        return None if raw is None else (prompt_id, key, raw)

    async def _stands_for(self, asked: Message, prompt_id: int, key: str) -> None:
        """Remembers that a reply to the bot's line ``asked`` is a reply to the prompt
        ``prompt_id`` (Redis ``key``), for as long as the prompt waits, and that the line
        goes when the prompt is done with (:meth:`_tidy`)."""
        left = await self._redis.ttl(key)
        ttl = left if left > 0 else self.prompt_ttl_s
        lines = LINES_KEY.format(chat=asked.chat.id, message=prompt_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(
                AGAIN_KEY.format(chat=asked.chat.id, message=asked.message_id),
                str(prompt_id),
                ex=ttl,
            )
            pipe.sadd(lines, str(asked.message_id))
            pipe.expire(lines, ttl)
            await pipe.execute()

    async def _tidy(self, bot: Bot, chat: int, prompt_id: int) -> None:
        """The bot's lines under the prompt ``prompt_id`` go: it is answered, cancelled or
        used up (see the module). Whichever worker gets the list deletes them."""
        lines = LINES_KEY.format(chat=chat, message=prompt_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.smembers(lines)
            pipe.delete(lines)
            pipe.zrem(EXPIRY_KEY.format(chat=chat), str(prompt_id))
            members, _, _ = await pipe.execute()
        for member in sorted(int(m) for m in members):
            await self._delete_by_id(bot, chat, member)

    async def sweep_expired(self, bot: Bot, *, now_ms: int | None = None) -> int:
        """Every prompt and menu of the staff chat past its deadline at ``now_ms`` (by
        default Redis's clock, the same for every worker) is closed: see the module.
        Returns how many this worker closed; the others' are theirs."""
        now = await self._redis_ms() if now_ms is None else now_ms
        chat = self._chat_id
        due: list[Any] = await self._redis.zrangebyscore(EXPIRY_KEY.format(chat=chat), 0, now)
        closed = 0
        for member in due:
            if await self._close_expired(bot, chat, int(member)):
                closed += 1
        # the others: closed too when their request moved on without them
        waiting: list[Any] = await self._redis.zrangebyscore(
            EXPIRY_KEY.format(chat=chat), f"({now}", "+inf"
        )
        for member in waiting:
            if await self._close_overtaken(bot, chat, int(member)):
                closed += 1
        return closed

    async def _close_overtaken(self, bot: Bot, chat: int, prompt_id: int) -> bool:
        """The prompt ``prompt_id`` closed when its request can no longer take its reply:
        decided, changed since it was offered (by a colleague, at the terminal), or taken
        by another officer; its text says so, as the officer's reply would have been told
        (session 14's brief: a prompt looked live after a colleague decided its request).
        A block's prompt is about the person and stays. False when it still applies."""
        key = PROMPT_KEY.format(chat=chat, message=prompt_id)
        raw = await self._redis.get(key)
        if raw is None:
            return False
        record = json.loads(raw)
        kind, number = record.get("kind"), record.get("number")
        if kind == "block" or not isinstance(number, str):
            return False
        officer = Officer(id=int(record.get("officer") or 0), name="")
        try:
            request = await self._record(number)
        except RequestNotFound:
            why = self._not_found(number)
        else:
            if kind in ("ask", "reject") and request.status in FINAL:
                why = self._illegal(number, request.status)
            elif not record_fresh(request, officer, record.get("version")):
                why = self._(
                    "Request %(number)s changed while this waited, so nothing was sent. %(now)s"
                ) % {"number": number, "now": self._cards.preview(request)}
            elif held_by_another(request.assigned_to, officer):
                why = self._taken(number, request.assigned_name)
            else:
                return False
        if await self._redis.getdel(key) is None:
            return False  # answered or closed meanwhile
        await self._tidy(bot, chat, prompt_id)
        await self._drop_earlier(bot, record)
        log.info("request %s: an officer's prompt closed, the request moved on", number)
        await self._edit_at(bot, chat, prompt_id, "↩️ " + HTML.t(why))
        return True

    async def _close_expired(self, bot: Bot, chat: int, prompt_id: int) -> bool:
        """The expired prompt ``prompt_id`` closed, if this worker claims it first (its
        record, ``GETDEL``): lines and proposal gone, the prompt edited to say it expired.
        False when it was answered, cancelled or closed by someone else meanwhile."""
        raw = await self._redis.getdel(PROMPT_KEY.format(chat=chat, message=prompt_id))
        await self._tidy(bot, chat, prompt_id)
        if raw is None:
            return False
        record = json.loads(raw)
        await self._drop_earlier(bot, record)
        log.info("request %s: an officer's prompt expired unanswered", record.get("number"))
        await self._edit_at(bot, chat, prompt_id, "⌛ " + HTML.t(self._expired_text(record)))
        return True

    def _expired_text(self, record: dict[str, Any]) -> str:
        """What an expired prompt or menu says instead: nothing was sent, and the card's
        button that starts again (by its label there)."""
        _ = self._
        kind = record.get("kind")
        if kind == "ask":
            button = "❓ " + _("Ask for information")
        elif kind == "reopen":
            button = "↩️ " + _("Undo or reopen")
        elif kind == "keep":
            button = "🚫 " + _("Keep rejected")
        elif kind == "block":
            button = "⛔ " + _("Block the sender")
        else:
            button = "❌ " + _("Reject")
        # the wait this prompt was given (its record says; an older record: this handler's)
        wait = record.get("ttl_s")
        hours = max(1, math.ceil((wait if isinstance(wait, int) else self.prompt_ttl_s) / 3600))
        ngettext = self._views.texts.ngettext
        if record.get("menu"):
            said = ngettext(
                "This menu has expired (a menu waits %(count)d hour), so nothing was sent. To go on, press «%(button)s» on the request's card again.",
                "This menu has expired (a menu waits %(count)d hours), so nothing was sent. To go on, press «%(button)s» on the request's card again.",
                hours,
            )
        else:
            said = ngettext(
                "This prompt has expired (a prompt waits %(count)d hour), so nothing was sent. To go on, press «%(button)s» on the request's card again.",
                "This prompt has expired (a prompt waits %(count)d hours), so nothing was sent. To go on, press «%(button)s» on the request's card again.",
                hours,
            )
        return said % {"count": hours, "button": button}

    async def _drop_earlier(self, bot: Bot, prompt: dict[str, Any]) -> None:
        """The proposal a reply to the prompt made (:mod:`bot.staff.proposals`) goes."""

    async def _edit_at(self, bot: Bot, chat: int, message_id: int, text: str) -> bool:
        """Turns the bot's message ``message_id`` in ``chat``, known by its id only (a
        prompt answered through a line standing for it), into ``text``, without buttons."""
        try:
            await bot.edit_message_text(
                text=text,
                chat_id=chat,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=None,
            )
        except TelegramAPIError as exc:
            log.info(
                "could not edit staff message %s (%s: %s)",
                message_id,
                type(exc).__name__,
                exc.message,
            )
            return False
        return True

    async def _delete_by_id(self, bot: Bot, chat: int, message_id: int) -> None:
        try:
            await bot.delete_message(chat, message_id)
        except TelegramAPIError as exc:  # gone already, or too old to delete: it is only tidying
            log.info(
                "could not delete staff message %s (%s: %s)",
                message_id,
                type(exc).__name__,
                exc.message,
            )
