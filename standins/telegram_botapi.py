"""A local stand-in for the Telegram Bot API.

An aiohttp server on 127.0.0.1 (a free port) that answers the methods the bot uses with
the JSON Telegram would send, and records every call. aiogram uses it unchanged::

    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)       # TelegramAPIServer.from_base(api.url)
        api.add_file("AgACAg...", jpeg_bytes)    # what getFile + download will serve
        api.queue_update(update_json)            # what getUpdates will return
        ...
        api.calls_for(chat_id, "sendMessage")    # what the bot sent there
        api.last_keyboard(chat_id)               # the inline keyboard it last offered

Failures are injected by *policies*: callables consulted before each call that may
return an :class:`ApiError` instead of letting the call through. :meth:`fail_next` is
one; :class:`RateLimitPolicy` is Telegram's rate limits (429 with ``retry_after``), opt-in
with :meth:`add_policy` and scalable in time so a test of "20 a minute" runs in seconds.

Text sent with ``parse_mode="HTML"`` is parsed the way Telegram does: the stored message
holds the visible text and its entities, an unknown or unbalanced tag is a 400 "can't
parse entities", and the 4096 limit counts the visible text. So a test sees what an
officer would see, e.g. a description typed as ``<b>`` shown literally or turned bold.

:meth:`hold` parks the next matching call (before or after Telegram "accepts" it) until
released, so a test can kill the bot at a precise point of a send.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Final

from aiohttp import web

DEFAULT_TOKEN: Final = "123456789:AAHstandinTOKENforTawasulTests0000000"
#: getFile refuses bigger files on the public Bot API.
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024

JSON = dict[str, Any]

# Parameters that arrive JSON-serialised in form data (aiogram sends every call as a form).
_JSON_PARAMS: Final = frozenset(
    {
        "reply_markup",
        "media",
        "entities",
        "caption_entities",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "commands",
        "scope",
    }
)
_INT_PARAMS: Final = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "from_chat_id",
        "message_thread_id",
        "user_id",
        "max_connections",
    }
)
_BOOL_PARAMS: Final = frozenset(
    {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}
)
# The request being answered (each runs in a task of its own), for a method that needs
# to know whether its caller is still connected.
_REQUEST: ContextVar[web.Request | None] = ContextVar("standin_request", default=None)

# Upper bound on one getUpdates long poll, so a test never hangs on a forgotten poller.
_MAX_POLL_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One call as the server saw it: the method name as called and decoded params
    (an uploaded file becomes ``{"upload": filename, "size": n, "data": bytes}``)."""

    method: str
    params: JSON
    at: float

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int) else None


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
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    # what getFile says of the size: None for the truth, 0 to say nothing (Telegram may
    # leave it out), another number to misstate it
    claimed_size: int | None = None


@dataclass(slots=True)
class _FailNext:
    method: str
    error: ApiError
    remaining: int

    def __call__(self, method: str, params: JSON) -> ApiError | None:
        if self.remaining > 0 and method.lower() == self.method.lower():
            self.remaining -= 1
            return self.error
        return None


#: Calls that put a message in a chat, and so count against Telegram's rate limits.
_SENDING: Final = frozenset(
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
            cost = 1 if name in _SENDING else 0
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
        if method.lower() in _SENDING | {"sendmediagroup"} and params.get("chat_id") in self.chats:
            return ApiError(403, "Forbidden: bot was blocked by the user")
        return None


@dataclass
class Gate:
    """A parked call (see :meth:`TelegramBotAPIStandin.hold`)."""

    method: str
    chat_id: int | None
    after: bool
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    used: bool = False
    #: True when the caller had gone by the time the gate opened, so the call was dropped
    dropped: bool = False
    #: the parked caller's connection (a gate before Telegram has the call)
    transport: asyncio.BaseTransport | None = None
    #: matching calls to let through before the one parked
    skip: int = 0

    def caller_gone(self) -> bool:
        """Whether the parked caller's connection has closed (its process ended): released
        now, the call is dropped. The server sees a peer's close only when its loop runs,
        so a test that killed the caller waits for this before releasing."""
        return self.transport is not None and self.transport.is_closing()

    def matches(self, method: str, params: JSON) -> bool:
        if self.used or method.lower() != self.method.lower():
            return False
        if self.chat_id is not None and params.get("chat_id") != self.chat_id:
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        return True

    def release(self) -> None:
        self.released.set()


#: Telegram's HTML tags (https://core.telegram.org/bots/api#html-style) and their entities.
_HTML_ENTITIES: Final = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip


class _TelegramHTML(HTMLParser):
    """Telegram's HTML parse mode: visible text plus entities (offsets in UTF-16 units).

    The running position is ``_utf16``: ``HTMLParser`` keeps its own ``offset`` (the
    column in the source) and overwrites it as it parses, so it cannot be ours."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._utf16 = 0
        self.open: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[JSON] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_ENTITIES:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"'
            )
        self.open.append((tag, self._utf16, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        _tag, start, attrs = self.open.pop()
        if self._utf16 > start:
            entity: JSON = {
                "type": _HTML_ENTITIES[tag],
                "offset": start,
                "length": self._utf16 - start,
            }
            if tag == "a":
                entity["url"] = attrs.get("href") or ""
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self._utf16 += len(data.encode("utf-16-le")) // 2

    def parsed(self, text: str) -> tuple[str, list[JSON]]:
        self.feed(text)
        self.close()
        if self.open:
            raise ApiError(
                400, "Bad Request: can't parse entities: Can't find end tag corresponding to "
                f'start tag "{self.open[-1][0]}"',
            )  # fmt: skip
        return "".join(self.parts), sorted(self.entities, key=lambda e: e["offset"])


def _visible(params: JSON, text: str) -> tuple[str, list[JSON]]:
    """What Telegram shows for `text` under the call's parse_mode."""
    if str(params.get("parse_mode") or "").upper() == "HTML":
        return _TelegramHTML().parsed(text)
    return text, []


def _unique_id(file_id: str) -> str:
    digest = hashlib.sha256(file_id.encode()).digest()[:12]
    return "AQAD" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass
class TelegramBotAPIStandin:
    """The stand-in server. Start with ``async with`` (or :meth:`start` / :meth:`stop`)."""

    token: str = DEFAULT_TOKEN
    bot_username: str = "tawasul_test_bot"
    host: str = "127.0.0.1"
    port: int = 0

    calls: list[ApiCall] = field(default_factory=list, init=False)
    # The same calls by chat, so per-chat look-ups stay cheap in long benchmarks.
    _calls_by_chat: dict[int | None, list[ApiCall]] = field(
        default_factory=lambda: defaultdict(list), init=False
    )
    #: file paths downloaded through /file/bot<token>/<path>, in order.
    downloads: list[str] = field(default_factory=list, init=False)
    policies: list[CallPolicy] = field(default_factory=list, init=False)

    _files: dict[str, _StoredFile] = field(default_factory=dict, init=False)
    _files_by_path: dict[str, _StoredFile] = field(default_factory=dict, init=False)
    _messages: dict[int, dict[int, JSON]] = field(
        default_factory=lambda: defaultdict(dict), init=False
    )
    _message_ids: dict[int, Iterator[int]] = field(default_factory=dict, init=False)
    _updates: list[JSON] = field(default_factory=list, init=False)
    # (chat id, user id) -> getChatMember status; anyone else has "left"
    _members: dict[tuple[int, int], str] = field(default_factory=dict, init=False)
    _updates_added: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _gates: list[Gate] = field(default_factory=list, init=False)
    _drops: list[_FailNext] = field(default_factory=list, init=False)
    #: forum topics created through the API: chat id -> {message_thread_id: name}
    topics: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict), init=False)
    #: what admins did to the staff group (see "the group changes" below)
    closed_topics: set[tuple[int, int]] = field(default_factory=set, init=False)
    deleted_topics: set[tuple[int, int]] = field(default_factory=set, init=False)
    migrated: dict[int, int] = field(default_factory=dict, init=False)
    removed_from: set[int] = field(default_factory=set, init=False)
    muted_in: set[int] = field(default_factory=set, init=False)
    _runner: web.AppRunner | None = field(default=None, init=False)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition, init=False)
    _stopping: bool = field(default=False, init=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False)
    #: the registered webhook (setWebhook's parameters, secret included), None when unset;
    #: getUpdates answers 409 while one is set, as Telegram does
    webhook: JSON | None = field(default=None, init=False)
    #: what getWebhookInfo reports as the last delivery error (a test sets it)
    webhook_last_error: str | None = None
    #: getUpdates calls ended with 409 because another began while they ran (two pollers
    #: at once, which Telegram refuses the same way); a caller that had gone away before
    #: does not count
    poll_conflicts: int = field(default=0, init=False)
    _poll_waiter: tuple[asyncio.Event, web.Request | None] | None = field(default=None, init=False)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def _add_routes(self, app: web.Application) -> None:
        """The Bot API's routes; the stand-alone server (standins.botapi_server) adds its
        control routes here."""
        app.router.add_route("*", "/bot{token}/{method}", self._on_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file)

    async def stop(self) -> None:
        # Release pending long polls now rather than after their timeout.
        self._stopping = True
        self._updates_added.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramBotAPIStandin:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """Base URL for ``TelegramAPIServer.from_base`` / TAWASUL_TELEGRAM_API_URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def bot_id(self) -> int:
        return int(self.token.split(":", 1)[0])

    @property
    def bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Tawasul",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    # ------------------------------------------------------------------ test set-up

    def add_file(
        self,
        file_id: str,
        data: bytes,
        *,
        file_path: str | None = None,
        claimed_size: int | None = None,
    ) -> None:
        """Make `data` downloadable as `file_id` (getFile, then GET /file/...);
        `claimed_size` is what getFile says of its size (0: nothing; None: the truth)."""
        path = file_path or f"files/file_{next(self._ids)}"
        stored = _StoredFile(file_id, _unique_id(file_id), data, path, claimed_size)
        self._files[file_id] = stored
        self._files_by_path[path] = stored

    def queue_update(self, update: JSON) -> None:
        """Queue a raw Update for getUpdates (polling)."""
        self._updates.append(update)
        self._updates_added.set()

    def set_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """What getChatMember answers for `user_id` in `chat_id` ("creator",
        "administrator", "member", "restricted", "left", "kicked")."""
        self._members[(chat_id, user_id)] = status

    def add_policy(self, policy: CallPolicy) -> None:
        self.policies.append(policy)

    def hold(
        self, method: str, *, chat_id: int | None = None, after: bool = False, skip: int = 0
    ) -> Gate:
        """Park the next call of `method` (to `chat_id`, if given), after letting `skip`
        such calls through, until the gate is released. ``after=False``: parked before Telegram has it; if the caller is gone
        when released (the process was killed), the call is dropped, never performed.
        ``after=True``: performed and recorded first, only the answer is parked (the
        platform accepted a message the caller never heard about)."""
        gate = Gate(method, chat_id, after, skip=skip)
        self._gates.append(gate)
        return gate

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next `count` calls of `method` with an error (by default a 429)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after or 1}"
                if error_code == 429
                else "Bad Request"
            )
        if error_code == 429 and retry_after is None:
            retry_after = 1
        self.add_policy(_FailNext(method, ApiError(error_code, description, retry_after), count))

    def drop_next(self, method: str, *, count: int = 1) -> None:
        """Cut the connection of the next `count` calls of `method` before answering, as a
        network that drops during an upload: the caller sees a disconnection, and Telegram
        never performed the call (it is not recorded)."""
        self._drops.append(_FailNext(method, ApiError(0, "dropped"), count))

    # ------------------------------------------------------------------ the group changes
    # What admins do to a group under the bot, answered the way Telegram answers the
    # bot's next call there.

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin deletes a forum topic: sends into it get "message thread not found"."""
        self.topics[chat_id].pop(thread_id, None)
        self.deleted_topics.add((chat_id, thread_id))

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin closes a topic: sends into it get TOPIC_CLOSED until it is reopened."""
        self.closed_topics.add((chat_id, thread_id))

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """The group is upgraded to a supergroup: every call to the old id gets a 400 with
        ``migrate_to_chat_id``."""
        self.migrated[chat_id] = new_chat_id

    def remove_bot(self, chat_id: int) -> None:
        """The bot is removed from the group (403 on every call) until :meth:`add_bot`."""
        self.removed_from.add(chat_id)

    def add_bot(self, chat_id: int) -> None:
        self.removed_from.discard(chat_id)
        self.muted_in.discard(chat_id)

    def mute_bot(self, chat_id: int) -> None:
        """The bot's rights are reduced: it may no longer post in the group."""
        self.muted_in.add(chat_id)

    def _group_refusal(self, method: str, params: JSON) -> ApiError | None:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id > 0:
            return None
        if chat_id in self.migrated:
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[chat_id],
            )
        if chat_id in self.removed_from:
            return ApiError(403, "Forbidden: bot was kicked from the supergroup chat")
        name = method.lower()
        if chat_id in self.muted_in and name in _SENDING:
            return ApiError(400, "Bad Request: not enough rights to send text messages to the chat")
        thread = params.get("message_thread_id")
        if isinstance(thread, int) and name in _SENDING:
            if (chat_id, thread) in self.deleted_topics:
                return ApiError(400, "Bad Request: message thread not found")
            if (chat_id, thread) in self.closed_topics and name != "reopenforumtopic":
                return ApiError(400, "Bad Request: TOPIC_CLOSED")
        return None

    # ------------------------------------------------------------------ assertions

    def calls_for(self, chat_id: int, method: str | None = None) -> list[ApiCall]:
        calls = self._calls_by_chat.get(chat_id, [])
        if method is None:
            return list(calls)
        return [c for c in calls if c.method.lower() == method.lower()]

    @property
    def long_poll_pending(self) -> bool:
        """Whether a getUpdates is waiting for updates now (a long poll in flight)."""
        return self._poll_waiter is not None

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def messages(self, chat_id: int) -> list[JSON]:
        """The bot's messages in a chat as Telegram holds them now (after edits)."""
        return list(self._messages[chat_id].values())

    def last_message(self, chat_id: int) -> JSON | None:
        stored = self._messages.get(chat_id)
        if not stored:
            return None
        return stored[max(stored)]

    def last_keyboard(self, chat_id: int) -> JSON | None:
        """The reply_markup (inline or reply keyboard) of the last call that sent one in
        this chat, as the bot sent it."""
        for call in reversed(self._calls_by_chat.get(chat_id, [])):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and ("inline_keyboard" in markup or "keyboard" in markup):
                return markup
        return None

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate()` holds, checked after every answered call (for bots
        running on their own, e.g. polling). Bound it with ``asyncio.timeout``."""
        async with self._changed:
            await self._changed.wait_for(predicate)

    def texts(self, chat_id: int) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.calls_for(chat_id, "sendMessage")]

    # ------------------------------------------------------------------ HTTP

    async def _on_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._read_params(request)
        if request.match_info["token"] != self.token:
            return _answer(ApiError(401, "Unauthorized").body(), 401)
        if any(drop(method, params) is not None for drop in self._drops):
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # the handler ends with the connection
        gate = next((g for g in self._gates if g.matches(method, params)), None)
        if gate is not None:
            gate.used = True
            if not gate.after:
                gate.transport = request.transport
                gate.arrived.set()
                await gate.released.wait()
                if request.transport is None or request.transport.is_closing():
                    gate.dropped = True  # the caller died waiting: Telegram never got it
                    return _answer(ApiError(500, "Internal Server Error").body(), 500)
        _REQUEST.set(request)
        call = ApiCall(method, params, time.monotonic())
        self.calls.append(call)
        self._calls_by_chat[call.chat_id].append(call)
        try:
            response = await self._dispatch(method, params)
        finally:
            async with self._changed:
                self._changed.notify_all()
        if gate is not None and gate.after:
            gate.arrived.set()
            await gate.released.wait()
        return response

    async def _dispatch(self, method: str, params: JSON) -> web.Response:
        refusal = self._group_refusal(method, params)
        if refusal is not None:
            return _answer(refusal.body(), refusal.error_code)
        for policy in self.policies:
            error = policy(method, params)
            if error is not None:
                return _answer(error.body(), error.error_code)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _answer(ApiError(404, "Not Found: method not found").body(), 404)
        try:
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            return _answer(error.body(), error.error_code)
        return _answer({"ok": True, "result": result}, 200)

    async def _read_params(self, request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            raw.update(await request.json())
            return raw
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    raw[key] = {"upload": value.filename, "size": len(data), "data": data}
                else:
                    raw[key] = value
        params: JSON = {}
        for key, value in raw.items():
            if isinstance(value, str) and key in _JSON_PARAMS:
                params[key] = json.loads(value)
            elif isinstance(value, str) and key in _INT_PARAMS and _is_int(value):
                params[key] = int(value)
            elif isinstance(value, str) and key in _BOOL_PARAMS:
                params[key] = value == "true"
            else:
                params[key] = value
        return params

    async def _on_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        stored = self._files_by_path.get(path)
        if stored is None:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(path)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # ------------------------------------------------------------------ messages

    def _chat(self, chat_id: int) -> JSON:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        return {"id": chat_id, "type": "supergroup", "title": "Staff", "is_forum": True}

    def _new_message(self, params: JSON, **content: Any) -> JSON:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        counter = self._message_ids.setdefault(chat_id, itertools.count(10_001))
        message: JSON = {
            "message_id": next(counter),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        markup = params.get("reply_markup")
        # Telegram echoes only inline keyboards back in the Message.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if "message_thread_id" in params:
            # sent into a forum topic (the staff group's department topics)
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        self._messages[chat_id][message["message_id"]] = message
        return message

    def _stored_message(self, params: JSON) -> JSON:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _file_ref(self, params: JSON, value: Any, kind: str) -> _StoredFile:
        """A sent file: a known file_id, an upload ("attach://key" or the field itself),
        or a URL / unknown id, which gets a fresh id with empty content."""
        upload: JSON | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = params.get(value.removeprefix("attach://"))
        elif isinstance(value, dict) and "upload" in value:
            upload = value
        if upload is None and isinstance(value, str) and value in self._files:
            return self._files[value]
        data = bytes(upload["data"]) if upload is not None else b""
        file_id = fake_file_id(kind)
        self.add_file(file_id, data, file_path=f"{kind}s/file_{next(self._ids)}")
        return self._files[file_id]

    def _photo_sizes(self, stored: _StoredFile) -> list[JSON]:
        return [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data),
                "width": 1280,
                "height": 960,
            }
        ]

    # ------------------------------------------------------------------ methods
    # One `_m_<lowercased method>` per Bot API method; each returns the `result`.

    def _m_getme(self, params: JSON) -> JSON:
        return self.bot_user

    def _m_deletewebhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    def _m_setwebhook(self, params: JSON) -> bool:
        url = params.get("url", "")
        if url and not str(url).startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = dict(params) if url else None
        return True

    def _m_getwebhookinfo(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if "allowed_updates" in self.webhook:
                info["allowed_updates"] = self.webhook["allowed_updates"]
            if self.webhook_last_error:
                info["last_error_date"] = int(time.time())
                info["last_error_message"] = self.webhook_last_error
        return info

    def _m_setmycommands(self, params: JSON) -> bool:
        return True

    def _m_sendchataction(self, params: JSON) -> bool:
        return True

    def _m_answercallbackquery(self, params: JSON) -> bool:
        return True

    def _m_getchatmember(self, params: JSON) -> JSON:
        chat_id, user_id = params.get("chat_id"), params.get("user_id")
        if not isinstance(chat_id, int) or not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        status = self._members.get((chat_id, user_id), "left")
        user = {"id": user_id, "is_bot": False, "first_name": "User"}
        member: JSON = {"status": status, "user": user}
        if status == "administrator":
            member |= {
                "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                "can_delete_messages": True, "can_manage_video_chats": True,
                "can_restrict_members": True, "can_promote_members": False,
                "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
                "can_edit_stories": False, "can_delete_stories": False,
                "can_send_welcome_messages": False,
            }  # fmt: skip
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "restricted":
            member |= {
                "is_member": True, "can_send_messages": False, "can_send_audios": False,
                "can_send_documents": False, "can_send_photos": False,
                "can_send_videos": False, "can_send_video_notes": False,
                "can_send_voice_notes": False, "can_send_polls": False,
                "can_send_other_messages": False, "can_add_web_page_previews": False,
                "can_react_to_messages": False, "can_edit_tag": False, "can_change_info": False, "can_invite_users": False,
                "can_pin_messages": False, "can_manage_topics": False, "until_date": 0,
            }  # fmt: skip
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _m_getchat(self, params: JSON) -> JSON:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return {**self._chat(chat_id), "accent_color_id": 0, "max_reaction_count": 11}

    def _m_createforumtopic(self, params: JSON) -> JSON:
        chat_id, name = params.get("chat_id"), params.get("name")
        if not isinstance(chat_id, int) or chat_id > 0:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        if not isinstance(name, str) or not 1 <= len(name) <= 128:
            raise ApiError(400, "Bad Request: TOPIC_NAME_INVALID")
        thread_id = next(self._message_ids.setdefault(chat_id, itertools.count(10_001)))
        self.topics[chat_id][thread_id] = name
        return {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}

    def _m_reopenforumtopic(self, params: JSON) -> bool:
        chat_id, thread_id = params.get("chat_id"), params.get("message_thread_id")
        if not isinstance(chat_id, int) or not isinstance(thread_id, int):
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        if (chat_id, thread_id) in self.deleted_topics:
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        if (chat_id, thread_id) not in self.closed_topics:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        self.closed_topics.discard((chat_id, thread_id))
        return True

    def _m_deleteforumtopic(self, params: JSON) -> bool:
        chat_id, thread_id = params.get("chat_id"), params.get("message_thread_id")
        if not isinstance(chat_id, int) or thread_id not in self.topics.get(chat_id, {}):
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        del self.topics[chat_id][thread_id]
        return True

    def _m_deletemessage(self, params: JSON) -> bool:
        message = self._stored_message(params)
        del self._messages[message["chat"]["id"]][message["message_id"]]
        return True

    def _m_sendmessage(self, params: JSON) -> JSON:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        visible, entities = _visible(params, text)
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        if entities:
            return self._new_message(params, text=visible, entities=entities)
        return self._new_message(params, text=visible)

    def _m_editmessagetext(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored_message(params)
        visible, entities = _visible(params, str(params.get("text", "")))
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        markup = (
            params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        )
        if (
            visible == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise ApiError(
                400, "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of "
                "the message",
            )  # fmt: skip
        message["text"] = visible
        if entities:
            message["entities"] = entities
        else:
            message.pop("entities", None)
        message["edit_date"] = int(time.time())
        if markup is not None:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editmessagereplymarkup(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored_message(params)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return message

    def _m_sendphoto(self, params: JSON) -> JSON:
        stored = self._file_ref(params, params.get("photo"), "photo")
        content: JSON = {"photo": self._photo_sizes(stored)}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _m_senddocument(self, params: JSON) -> JSON:
        value = params.get("document")
        name = "document"
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, dict):
            name = str(value.get("upload") or name)
        stored = self._file_ref(params, value, "document")
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": name,
            "mime_type": "application/octet-stream",
            "file_size": len(stored.data),
        }
        content: JSON = {"document": document}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _m_sendmediagroup(self, params: JSON) -> list[JSON]:
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media items (2-10)")
        group_id = str(10**17 + next(self._ids))
        sent = []
        for item in media:
            kind = item.get("type", "photo")
            stored = self._file_ref(params, item.get("media"), kind)
            content: JSON = {"media_group_id": group_id}
            if kind == "photo":
                content["photo"] = self._photo_sizes(stored)
            else:
                content[kind] = {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": len(stored.data),
                }
            if item.get("caption"):
                content["caption"] = item["caption"]
            sent.append(self._new_message({**params, "reply_markup": None}, **content))
        return sent

    def _m_getfile(self, params: JSON) -> JSON:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        answer: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data) if stored.claimed_size is None else stored.claimed_size,
            "file_path": stored.file_path,
        }
        if answer["file_size"] == 0:
            del answer["file_size"]
        return answer

    async def _m_getupdates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int):
            # Like Telegram: asking from `offset` confirms every update before it.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # Like Telegram: a getUpdates while another still runs ends the older one with 409
        superseded = asyncio.Event()
        before, self._poll_waiter = self._poll_waiter, (superseded, _REQUEST.get())
        if before is not None:
            before[0].set()
            caller = before[1]
            if caller is not None and caller.transport is not None:
                if not caller.transport.is_closing():
                    self.poll_conflicts += 1
        timeout = params.get("timeout")
        wait = min(float(timeout), _MAX_POLL_S) if isinstance(timeout, int) else 0.0
        try:
            if not self._updates and wait > 0 and not self._stopping:
                self._updates_added.clear()
                waits = {
                    asyncio.ensure_future(self._updates_added.wait()),
                    asyncio.ensure_future(superseded.wait()),
                }
                try:
                    await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiting in waits:
                        waiting.cancel()
            if superseded.is_set():
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
        finally:
            if self._poll_waiter is not None and self._poll_waiter[0] is superseded:
                self._poll_waiter = None
        limit = params.get("limit")
        count = limit if isinstance(limit, int) and 0 < limit <= 100 else 100
        return self._updates[:count]


def _answer(body: JSON | list[JSON], status: int) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_no_bytes)


def _no_bytes(value: Any) -> Any:
    if isinstance(value, bytes):
        return None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _is_int(value: str) -> bool:
    return value.lstrip("-").isdigit()


_FILE_ID_PREFIX: Final[dict[str, str]] = {
    "photo": "AgACAgQAAxkBAAI",
    "document": "BQACAgQAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
    "voice": "AwACAgQAAxkBAAI",
    "video": "BAACAgQAAxkBAAI",
    "audio": "CQACAgQAAxkBAAI",
}
_file_counter = itertools.count(1)


def fake_file_id(kind: str = "photo") -> str:
    """A file_id shaped like Telegram's (a type-specific prefix and url-safe base64)."""
    tail = base64.urlsafe_b64encode(
        hashlib.sha256(f"{kind}-{next(_file_counter)}-{time.time_ns()}".encode()).digest()
    )
    return _FILE_ID_PREFIX.get(kind, "BQACAgQAAxkBAAI") + tail.decode().rstrip("=")[:40]


if __name__ == "__main__":
    # python -m standins.telegram_botapi --port P: the stand-in on its own (a benchmark's
    # Bot API in a separate process); see standins.botapi_server.
    from standins.botapi_server import main

    main()
