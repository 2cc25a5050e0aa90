"""The Bot API stand-in's error answers and the policies that inject them.

A policy is consulted before each call and may return an :class:`ApiError` instead of
letting the call through: :class:`FailNext` (the stand-in's ``fail_next``), Telegram's
rate limits (:class:`RateLimitPolicy`) and people who blocked the bot (:class:`BlockedChats`).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

JSON = dict[str, Any]


@dataclass
class ApiError(Exception):
    """An error answer: ``{"ok": false, "error_code", "description", "parameters"}``."""

    error_code: int
    description: str
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


#: Consulted before every call: return an ApiError to fail it, None to let it through.
CallPolicy = Callable[[str, JSON], ApiError | None]


@dataclass(slots=True)
class FailNext:
    """Fails the next `remaining` calls of `method` with `error`."""

    method: str
    error: ApiError
    remaining: int

    def __call__(self, method: str, params: JSON) -> ApiError | None:
        if self.remaining > 0 and method.lower() == self.method.lower():
            self.remaining -= 1
            return self.error
        return None


#: Calls that put a message in a chat, and so count against Telegram's rate limits.
SENDING: Final = frozenset(
    {
        "sendmessage", "sendphoto", "senddocument", "sendvideo", "sendanimation", "sendaudio",
        "sendvoice", "sendsticker", "sendlocation", "sendcontact", "sendpoll", "copymessage",
        "forwardmessage", "editmessagetext", "editmessagecaption", "editmessagereplymarkup",
        "editmessagemedia", "createforumtopic",
    }
)  # fmt: skip


@dataclass
class RateLimitPolicy:
    """Telegram's flood limits: at most `private_chat` messages per window in a private
    chat, `group` in a group, `overall` across all chats; beyond that a 429 with
    ``retry_after`` (whole seconds, like Telegram). Every window is multiplied by `scale`.

    Counts as a message: each send or edit, and each item of an album. Only calls let
    through are counted, so the log is what Telegram would have accepted; `rejected`
    lists the calls refused with 429 as (method, chat_id).
    """

    private_chat: tuple[int, float] = (1, 1.0)
    group: tuple[int, float] = (20, 60.0)
    overall: tuple[int, float] = (30, 1.0)
    scale: float = 1.0
    clock: Callable[[], float] = time.monotonic
    rejected: list[tuple[str, int | None]] = field(default_factory=list)
    _log: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def __call__(self, method: str, params: JSON) -> ApiError | None:
        name = method.lower()
        if name == "sendmediagroup":
            media = params.get("media")
            cost = len(media) if isinstance(media, list) else 1
        else:
            cost = 1 if name in SENDING else 0
        if cost == 0:
            return None
        chat_id = params.get("chat_id")
        limits: list[tuple[str, tuple[int, float]]] = [("all", self.overall)]
        if isinstance(chat_id, int):
            limits.append((f"chat:{chat_id}", self.private_chat if chat_id > 0 else self.group))
        now = self.clock()
        wait = 0.0
        for key, (count, seconds) in limits:
            window = seconds * self.scale
            log = self._log[key]
            while log and log[0] <= now - window:
                log.popleft()
            excess = len(log) + cost - count
            if excess > 0:
                oldest = log[min(excess, len(log)) - 1] if log else now
                wait = max(wait, oldest + window - now)
        if wait > 0:
            self.rejected.append((method, chat_id if isinstance(chat_id, int) else None))
            retry_after = max(1, math.ceil(wait))
            return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        for key, _limit in limits:
            self._log[key].extend([now] * cost)
        return None


@dataclass
class BlockedChats:
    """People who blocked the bot: every send to their private chat is refused with 403,
    as Telegram refuses it (opt-in with :meth:`TelegramBotAPIStandin.add_policy`)."""

    chats: set[int] = field(default_factory=set)

    def __call__(self, method: str, params: JSON) -> ApiError | None:
        if method.lower() in SENDING | {"sendmediagroup"} and params.get("chat_id") in self.chats:
            return ApiError(403, "Forbidden: bot was blocked by the user")
        return None
