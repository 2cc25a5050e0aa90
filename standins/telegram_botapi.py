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
one; Telegram's rate limits (429 with ``retry_after``) will be another, added with
:meth:`add_policy` without touching the method handlers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
    }
)
_BOOL_PARAMS: Final = frozenset(
    {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}
)
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

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


#: Consulted before every call: return an ApiError to fail it, None to let it through.
CallPolicy = Callable[[str, JSON], ApiError | None]


@dataclass(slots=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str


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
    _runner: web.AppRunner | None = field(default=None, init=False)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition, init=False)
    _stopping: bool = field(default=False, init=False)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._on_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

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

    def add_file(self, file_id: str, data: bytes, *, file_path: str | None = None) -> None:
        """Make `data` downloadable as `file_id` (getFile, then GET /file/...)."""
        path = file_path or f"files/file_{next(self._ids)}"
        stored = _StoredFile(file_id, _unique_id(file_id), data, path)
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

    # ------------------------------------------------------------------ assertions

    def calls_for(self, chat_id: int, method: str | None = None) -> list[ApiCall]:
        calls = self._calls_by_chat.get(chat_id, [])
        if method is None:
            return list(calls)
        return [c for c in calls if c.method.lower() == method.lower()]

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
        call = ApiCall(method, params, time.monotonic())
        self.calls.append(call)
        self._calls_by_chat[call.chat_id].append(call)
        try:
            return await self._dispatch(method, params)
        finally:
            async with self._changed:
                self._changed.notify_all()

    async def _dispatch(self, method: str, params: JSON) -> web.Response:
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
            message["message_thread_id"] = params["message_thread_id"]
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
        return True

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

    def _m_deletemessage(self, params: JSON) -> bool:
        message = self._stored_message(params)
        del self._messages[message["chat"]["id"]][message["message_id"]]
        return True

    def _m_sendmessage(self, params: JSON) -> JSON:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return self._new_message(params, text=text)

    def _m_editmessagetext(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored_message(params)
        message["text"] = params.get("text", "")
        message["edit_date"] = int(time.time())
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
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
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def _m_getupdates(self, params: JSON) -> list[JSON]:
        offset = params.get("offset")
        if isinstance(offset, int):
            # Like Telegram: asking from `offset` confirms every update before it.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = params.get("timeout")
        wait = min(float(timeout), _MAX_POLL_S) if isinstance(timeout, int) else 0.0
        if not self._updates and wait > 0 and not self._stopping:
            self._updates_added.clear()
            try:
                await asyncio.wait_for(self._updates_added.wait(), wait)
            except TimeoutError:
                pass
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
