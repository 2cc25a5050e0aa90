"""One Bot API call of the outbox: behind the shared rate limits, with Telegram's errors
mapped to the outbox's outcomes (:mod:`bot.outbox.handlers`). Used by the person, card
and staff-group deliveries."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Final, TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.types import Message

from bot.outbox.handlers import (
    DeliveryError,
    Outcome,
    PermanentFailure,
    RetryAfter,
    TemporaryFailure,
)
from bot.outbox.ratelimit import RateLimiter, TelegramLimits

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds one Bot API call may take before it counts as failed (well inside the lease).
REQUEST_TIMEOUT_S: Final = 20


def describe(exc: TelegramAPIError) -> str:
    """Telegram's own description (e.g. "Bad Request: chat not found"): names the fault,
    never the message content."""
    return f"{type(exc).__name__}: {exc.message}"[:160]


class Sender:
    """A Bot API call behind the shared rate limits, with Telegram's errors mapped to the
    outbox's outcomes."""

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        limits: TelegramLimits,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        self.bot = bot
        self.limiter = limiter
        self.limits = limits
        self.request_timeout = request_timeout

    async def room(self, chat_id: int) -> int:
        return await self.limiter.room(*self.limits.claims(chat_id))

    async def call(
        self,
        chat_id: int,
        method: TelegramMethod[T],
        *,
        cost: int = 1,
        parts_sent: int | None = None,
        reserve: int = 0,
    ) -> T:
        """Take room for `cost` messages in `chat_id`, then call. `parts_sent` goes with
        any failure, for a row whose earlier calls went out in this same attempt. With a
        `reserve`, the call waits unless that many messages would still fit after it: the
        room kept for what must not wait (a card's own edits).

        Raises RetryAfter, TemporaryFailure or PermanentFailure; a 400 is raised as
        aiogram's TelegramBadRequest (the caller knows which 400s are fine, e.g. "message
        is not modified")."""
        if reserve > 0:
            window = self.limits.chat_claim(chat_id).window
            if await self.room(chat_id) < min(cost + reserve, window.count):
                raise RetryAfter(
                    window.seconds / window.count, "kept for card edits", parts_sent=parts_sent
                )
        wait = await self.limiter.acquire(*self.limits.claims(chat_id, cost))
        if wait > 0:
            raise RetryAfter(wait, "rate limit", parts_sent=parts_sent)
        try:
            return await self.bot(method, request_timeout=self.request_timeout)
        except TelegramRetryAfter as exc:
            # our count and Telegram's disagree (another bot on the token, a restart):
            # Telegram is right, and every worker waits for this chat
            await self.limiter.pause(self.limits.chat_claim(chat_id).key, exc.retry_after)
            log.warning("429 from Telegram for a %s chat", chat_kind(chat_id))
            raise RetryAfter(exc.retry_after, "429 from Telegram", parts_sent=parts_sent) from None
        except (TelegramMigrateToChat, TelegramForbiddenError, TelegramNotFound) as exc:
            await self.refused(chat_id, exc, parts_sent)
            raise PermanentFailure(describe(exc), parts_sent=parts_sent) from None
        except TelegramBadRequest as exc:
            await self.refused(chat_id, exc, parts_sent)
            raise  # the caller knows which 400s are fine (e.g. "message is not modified")
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as exc:
            raise TemporaryFailure(type(exc).__name__, parts_sent=parts_sent) from None
        except TelegramAPIError as exc:
            raise TemporaryFailure(describe(exc), parts_sent=parts_sent) from None

    async def refused(self, chat_id: int, exc: TelegramAPIError, parts_sent: int | None) -> None:
        """Telegram refused a call to `chat_id` (a 400, 403 or 404, or the chat migrated).
        Here nothing more is done: a private chat that is gone or blocked the bot fails
        the row. A subclass may raise another outcome instead (the staff group, whose
        rows must wait for the group to be reachable again rather than fail)."""
        if isinstance(exc, TelegramMigrateToChat):
            log.error("chat %s became supergroup %s", chat_id, exc.migrate_to_chat_id)


def chat_kind(chat_id: int) -> str:
    return "private" if chat_id > 0 else "group"


def message_id(result: object) -> int | None:
    if isinstance(result, Message):
        return result.message_id
    if isinstance(result, list) and result and isinstance(result[0], Message):
        return result[0].message_id
    return None


async def outcome(job: Awaitable[str | None]) -> Outcome:
    """The job's message id, or the error it ended with. An unexpected exception is one
    row's failure (logged, retried later), never the batch's."""
    try:
        result = await job
    except DeliveryError as error:
        return error
    except Exception as exc:
        log.warning("outbox delivery: unexpected %s", type(exc).__name__, exc_info=True)
        return TemporaryFailure(type(exc).__name__)
    return result
