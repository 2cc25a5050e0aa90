"""The aiogram models a worker uses, built at start-up, and their ``Response[...]`` kept alive
for the life of the process.

aiogram's models build their schemas on first use (bot.aiogram_lazy): these are the ones
the bot receives, builds or sends, by name, so none is built during a resident's update
(tens of milliseconds each; issue 12 forbids a first update over 50 ms).
tests/unit/test_aiogram_lazy.py checks every aiogram type and method the bot's code
imports or calls (``bot.send_message(...)``) is named here.

aiogram reads every Bot API answer with ``Response[method.__returning__]`` (in
``BaseSession.check_response``). pydantic builds such a parametrised generic model on first
use (a class, its core schema, a validator) and caches it in a ``WeakValueDictionary``
(pydantic/_internal/_generics.py): nothing else holds the class, so the next garbage
collection drops it and a later call builds it again. Profiling bench/dialogue.py showed
exactly that: ``create_generic_submodel`` 6 times in 33 warm updates, ~60 ms each, at
random updates. Holding one reference to each the bot's methods return stops it; a method
not named here still works, its answer's model built on use.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import aiogram.methods
import aiogram.types
from aiogram.methods import Response

from bot import aiogram_lazy

log = logging.getLogger(__name__)

#: The Bot API methods the bot calls (resident replies, the staff group and its topics, the
#: outbox, polling, start-up checks); `tawasul webhook`'s own are built when it runs.
USED_METHODS: Final = (
    "AnswerCallbackQuery",
    "CreateForumTopic",
    "DeleteForumTopic",
    "DeleteMessage",
    "DeleteWebhook",
    "EditMessageReplyMarkup",
    "EditMessageText",
    "GetChat",
    "GetChatMember",
    "GetFile",
    "GetMe",
    "GetUpdates",
    "ReopenForumTopic",
    "SendDocument",
    "SendMediaGroup",
    "SendMessage",
    "SendPhoto",
)
#: The types the bot reads or makes itself (an Update holds what it receives; these are
#: built as their own models when made or read apart from it).
USED_TYPES: Final = (
    "Update",
    "Message",
    "CallbackQuery",
    "ChatFullInfo",
    "ChatMemberAdministrator",
    "ChatMemberMember",
    "ChatMemberOwner",
    "ChatMemberRestricted",
    "ChatMemberUpdated",
    # what aiogram's ErrorsMiddleware makes when a handler raises: built on a worker's first
    # error otherwise, ~16 ms on top of it (review 16)
    "ErrorEvent",
    "File",
    "ForceReply",
    "InlineKeyboardButton",
    "InlineKeyboardMarkup",
    "InputMediaDocument",
    "InputMediaPhoto",
    "KeyboardButton",
    "LinkPreviewOptions",
    "PhotoSize",
    "ReplyKeyboardMarkup",
    "ReplyKeyboardRemove",
    "ReplyParameters",
    "User",
)

_PINNED: list[Any] = []


def pin_response_models() -> int:
    """Builds :data:`USED_TYPES` and :data:`USED_METHODS`, and ``Response[T]`` for what each
    of those methods returns, keeping the latter; returns how many responses are held. Once
    per process; later calls return at once. Raises AttributeError for a name aiogram no
    longer has."""
    if not _PINNED:
        if aiogram_lazy.skipped:
            log.warning(
                "aiogram's models are built at import (%s): more memory a worker",
                aiogram_lazy.skipped,
            )
        for name in USED_TYPES:
            getattr(aiogram.types, name).model_rebuild()
        seen: dict[str, Any] = {}
        for name in USED_METHODS:
            method = getattr(aiogram.methods, name)
            method.model_rebuild()
            seen.setdefault(repr(method.__returning__), method.__returning__)
        generic: Any = Response
        _PINNED.extend(generic[returning] for returning in seen.values())
    return len(_PINNED)
