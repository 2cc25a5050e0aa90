"""The general apology for a Telegram update that failed outside the dialogue.

The engine answers every failure inside a turn with its apology (conversations.turns). Code
around the turn can fail too: the abuse screen's or an album's Redis calls, a download, the
update's own shape. The webhook worker logged such an update and closed it, and the person
was never answered; WhatsApp's worker apologises (bot.web_whatsapp_work). So the webhook
sends the same apology, in the language the update itself says (the person's language
lives in Redis, which may be what failed: conversations.languages.unstored_locale, from
the sender's ``language_code`` or the message's words; Arabic otherwise), to a private
chat only (never to the staff group), and only when
nothing was sent for the update before it failed (a reply out, then a failure in its
clean-up, is answered already).

Once, not twice on replay: the apology is marked in Redis under the update after it is
sent (like bot.channels.sent_marks: after, never before, so a cut between the two sends it
again rather than never), and a replay of the update (conversations.replays) that fails
again reads the mark first. Redis away, the mark is not written; so is the journal's close,
and the replay once Redis is back is handled normally, the answer following the apology.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final

from aiogram import Bot
from aiogram.methods import SendMessage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.channels.telegram_calls import send_isolated
from conversations.languages import unstored_locale
from conversations.replays import replayed
from conversations.turns import apology

log = logging.getLogger(__name__)

#: How long the mark of an apology is kept (as long as the journal remembers an update).
MARK_TTL_S: Final = 24 * 3600


@dataclass
class _Sent:
    """Whether anything went to the person while one update was handled."""

    count: int = field(default=0)


_SENT: ContextVar[_Sent | None] = ContextVar("tawasul_tg_sent", default=None)


@contextlib.contextmanager
def watching() -> Iterator[_Sent]:
    """Counts, for the block (this task and what it awaits), the messages sent to the
    person (:func:`note_sent`). A mutable holder: aiogram may run handlers in a copied
    context, where a value set would not come back."""
    sent = _Sent()
    token = _SENT.set(sent)
    try:
        yield sent
    finally:
        _SENT.reset(token)


def note_sent() -> None:
    """One message went to the person for the update being handled (if one is watched)."""
    sent = _SENT.get()
    if sent is not None:
        sent.count += 1


def private_chat(update: dict[str, Any]) -> int | None:
    """The private chat of a person an update came from; None for a group's update (the
    staff group) or one without a chat."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value.get("message")
        chat = value.get("chat") or (message.get("chat") if isinstance(message, dict) else None)
        if isinstance(chat, dict):
            if chat.get("type") == "private" and isinstance(chat.get("id"), int):
                chat_id: int = chat["id"]
                return chat_id
            return None
    return None


def said_locale(update: dict[str, Any]) -> str:
    """The language to apologise in for an update whose sender's language cannot be read:
    their app's (``from.language_code``), else their message's words, else Arabic."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        sender = value.get("from")
        code = sender.get("language_code") if isinstance(sender, dict) else None
        text = value.get("text") or value.get("caption")
        return unstored_locale(
            code if isinstance(code, str) else None, text if isinstance(text, str) else None
        )
    return unstored_locale(None, None)


@dataclass
class Apologies:
    """Sends the apology for failed updates through `bot`, marked in `redis`."""

    bot: Bot
    redis: Redis
    prefix: str = "tawasul"

    def _key(self, chat_id: int, update_id: str) -> str:
        # the person's hash tag, as their other keys (one Redis Cluster slot)
        return f"{self.prefix}:apologised:{{tg:{chat_id}}}:{update_id}"

    async def failed(self, update: dict[str, Any], update_id: str, sent: _Sent) -> bool:
        """The update failed outside the dialogue: the apology goes to its private chat
        unless something was sent for it already, or (a replay) the apology was. Returns
        whether it was sent; never raises (a failure to apologise is logged)."""
        chat_id = private_chat(update)
        if chat_id is None or sent.count:
            return False
        key = self._key(chat_id, update_id)
        if replayed():
            with contextlib.suppress(RedisError):
                if await self.redis.exists(key):
                    return False
        try:
            await send_isolated(
                self.bot, SendMessage(chat_id=chat_id, text=apology(said_locale(update)))
            )
        except Exception as exc:
            log.warning(
                "apology for Telegram update %s not sent: %s", update_id, type(exc).__name__
            )
            return False
        with contextlib.suppress(RedisError):
            await self.redis.set(key, b"1", ex=MARK_TTL_S)
        return True
