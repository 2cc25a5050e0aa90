"""The Telegram channel's single Bot API calls to a resident's chat: a tap's answer, and
one reply's call with its bounded retries (split from bot.channels.telegram); the
edits of a sent message's keyboard are in bot.channels.telegram_keyboards."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Final

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, GetFile, SendMessage
from aiogram.types import CallbackQuery

from bot.channels.telegram_render import OutboundMethod
from bot.channels.telegram_session import answer_unread

log = logging.getLogger("bot.channels.telegram")

#: Bounded retries on 429: a flood wait on one chat must not hold its lock for ever.
MAX_SEND_ATTEMPTS: Final = 3


#: How long a tap's replies wait for its answer, so that the spinner usually stops before
#: they arrive; past it they go out anyway (bot.channels.telegram.TelegramChannel.
#: on_callback): a slow or refused answer must not keep the person waiting (review 16 §1).
ANSWER_GRACE_S: Final = 1.0


async def answer_callback(query: CallbackQuery) -> None:
    """Stops the button's spinner. One try, and a server's or the network's error tried
    once more at once; a 429 is not waited out: a flood wait of seconds would hold the
    tap's replies, and an answer that late is useless (Telegram expires the query). Never
    raises for the Bot API; what stays unanswered is one log line without a traceback:
    "query is too old" after a restart or a slow turn, a 429, a 502 lasting (issue 11).
    The tap still counts either way."""
    if query.bot is None:
        return
    method = AnswerCallbackQuery(callback_query_id=query.id)
    try:
        with answer_unread():  # True, never read
            try:
                await query.bot(method)
            except (TelegramNetworkError, TelegramServerError) as exc:
                log.warning("answerCallbackQuery failed (%s); trying once more", exc.message)
                await query.bot(method)
    except TelegramBadRequest as exc:
        log.info("callback query not answered: %s", exc.message)
    except TelegramAPIError as exc:
        log.warning("callback query not answered: %s", exc.message)


async def answered_or_late(answering: asyncio.Future[None]) -> None:
    """Waits for a tap's answer (:func:`answer_callback`, already under way) at most
    ANSWER_GRACE_S seconds, so it usually reaches Telegram before the tap's replies and a
    slow one does not hold them (nor the chat's lock and slot their sender holds). Never
    raises; the answer goes on after, and its caller still awaits it."""
    await asyncio.wait({answering}, timeout=ANSWER_GRACE_S)


class SendFailed(Exception):
    """One call could not be sent (already logged)."""


async def send_isolated(bot: Bot, method: OutboundMethod) -> None:
    """One call of a turn: a text whose keyboard Telegram refuses goes again without it
    (the person can type the number or label of a choice); a network or server error is
    tried once more. Raises TelegramForbiddenError, or SendFailed when it stays unsent.
    The sent message is not read, so its answer is not validated (bot.channels.
    telegram_session.answer_unread)."""
    with answer_unread():
        await _send_isolated(bot, method)


async def _send_isolated(bot: Bot, method: OutboundMethod) -> None:
    name = method.__api_method__
    try:
        await send_with_retry(bot, method)
        return
    except TelegramForbiddenError:
        raise
    except TelegramBadRequest as exc:
        if not (isinstance(method, SendMessage) and method.reply_markup is not None):
            log.warning("%s to a private chat refused: %s", name, exc.message)
            raise SendFailed from None
        log.warning("%s refused with its keyboard (%s); sent without it", name, exc.message)
        retry: OutboundMethod = method.model_copy(update={"reply_markup": None})
    except (TelegramNetworkError, TelegramServerError) as exc:
        log.warning("%s to a private chat failed (%s); trying once more", name, exc.message)
        retry = method
    except TelegramAPIError as exc:
        log.warning("%s to a private chat failed: %s", name, exc.message)
        raise SendFailed from None
    try:
        await send_with_retry(bot, retry)
    except TelegramForbiddenError:
        raise
    except TelegramAPIError as exc:
        log.warning("%s to a private chat failed again: %s", name, exc.message)
        raise SendFailed from None


Call = OutboundMethod | EditMessageReplyMarkup | GetFile


async def call_with_retry(bot: Bot, method: Call) -> Any:
    """:func:`send_with_retry`, and a server's (5xx) or the network's error tried once
    more, as a reply's call is (:func:`send_isolated`): for calls whose failure is not the
    person's answer lost (a file's path; not a tap's answer, see :func:`answer_callback`). Raises what the last try raised
    (TelegramAPIError); logs the first failure as one line."""
    try:
        return await send_with_retry(bot, method)
    except (TelegramNetworkError, TelegramServerError) as exc:
        log.warning("%s failed (%s); trying once more", method.__api_method__, exc.message)
    return await send_with_retry(bot, method)


async def send_with_retry(bot: Bot, method: Call) -> Any:
    """Send one call, waiting out Telegram's 429 ``retry_after`` a bounded number of times
    (MAX_SEND_ATTEMPTS tries); raises what the last try raised (TelegramAPIError)."""
    for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
        try:
            return await bot(method)
        except TelegramRetryAfter as exc:
            if attempt == MAX_SEND_ATTEMPTS:
                raise
            log.warning("429 on %s; retrying in %s s", method.__api_method__, exc.retry_after)
            await asyncio.sleep(exc.retry_after)
    raise AssertionError("unreachable")
