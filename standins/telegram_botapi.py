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
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

from standins.loopback import LoopbackServer, ParkedCall
from standins.telegram_files import MAX_DOWNLOAD_BYTES, fake_file_id
from standins.telegram_group import GroupChanges
from standins.telegram_policies import (
    ApiError,
    BlockedChats,
    CallPolicy,
    FailNext,
    RateLimitPolicy,
)
from standins.telegram_polling import CURRENT_REQUEST, Polling
from standins.telegram_wire import answer, read_params

JSON = dict[str, Any]

# What other code imports from here, wherever it now lives.
__all__ = [
    "DEFAULT_TOKEN",
    "JSON",
    "MAX_DOWNLOAD_BYTES",
    "ApiCall",
    "ApiError",
    "BlockedChats",
    "CallPolicy",
    "Gate",
    "RateLimitPolicy",
    "TelegramBotAPIStandin",
    "fake_file_id",
]

DEFAULT_TOKEN: Final = "123456789:AAHstandinTOKENforTawasulTests0000000"


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
class Gate(ParkedCall):
    """A parked call (see :meth:`TelegramBotAPIStandin.hold`)."""

    method: str
    chat_id: int | None
    after: bool

    def matches(self, method: str, params: JSON) -> bool:
        if self.used or method.lower() != self.method.lower():
            return False
        if self.chat_id is not None and params.get("chat_id") != self.chat_id:
            return False
        return not self._let_through()


@dataclass
class TelegramBotAPIStandin(GroupChanges, Polling, LoopbackServer):
    """The stand-in server. Start with ``async with`` (or :meth:`start` / :meth:`stop`).

    Its parts, each in a module of its own: the files (standins.telegram_files), the
    chats' messages (standins.telegram_messages), the staff group (standins.telegram_group)
    and updates with the webhook (standins.telegram_polling)."""

    token: str = DEFAULT_TOKEN
    bot_username: str = "tawasul_test_bot"

    calls: list[ApiCall] = field(default_factory=list, init=False)
    # The same calls by chat, so per-chat look-ups stay cheap in long benchmarks.
    _calls_by_chat: dict[int | None, list[ApiCall]] = field(
        default_factory=lambda: defaultdict(list), init=False
    )
    policies: list[CallPolicy] = field(default_factory=list, init=False)
    _gates: list[Gate] = field(default_factory=list, init=False)
    _drops: list[FailNext] = field(default_factory=list, init=False)
    # the next downloads' faults, in order: an HTTP status to answer, or None to cut the line
    _download_faults: list[int | None] = field(default_factory=list, init=False)

    # ------------------------------------------------------------------ lifecycle

    def _add_routes(self, app: web.Application) -> None:
        """The Bot API's routes; the stand-alone server (standins.botapi_server) adds its
        control routes here."""
        app.router.add_route("*", "/bot{token}/{method}", self._on_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file)

    async def stop(self) -> None:
        self._end_polls()
        await super().stop()

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
        self.add_policy(FailNext(method, ApiError(error_code, description, retry_after), count))

    def drop_next(self, method: str, *, count: int = 1) -> None:
        """Cut the connection of the next `count` calls of `method` before answering, as a
        network that drops during an upload: the caller sees a disconnection, and Telegram
        never performed the call (it is not recorded)."""
        self._drops.append(FailNext(method, ApiError(0, "dropped"), count))

    def fail_downloads(self, *, count: int = 1, status: int | None = None) -> None:
        """Make the next `count` file downloads fail: answered with HTTP `status`, or with
        the connection cut before any byte when `status` is None (a network that drops)."""
        self._download_faults.extend([status] * count)

    def heal_downloads(self) -> None:
        """Downloads succeed again (the faults not yet met are forgotten)."""
        self._download_faults.clear()

    # ------------------------------------------------------------------ assertions

    def calls_for(self, chat_id: int, method: str | None = None) -> list[ApiCall]:
        calls = self._calls_by_chat.get(chat_id, [])
        if method is None:
            return list(calls)
        return [c for c in calls if c.method.lower() == method.lower()]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def last_keyboard(self, chat_id: int) -> JSON | None:
        """The reply_markup (inline or reply keyboard) of the last call that sent one in
        this chat, as the bot sent it."""
        for call in reversed(self._calls_by_chat.get(chat_id, [])):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and ("inline_keyboard" in markup or "keyboard" in markup):
                return markup
        return None

    def texts(self, chat_id: int) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.calls_for(chat_id, "sendMessage")]

    # ------------------------------------------------------------------ HTTP

    async def _on_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await read_params(request)
        if request.match_info["token"] != self.token:
            return answer(ApiError(401, "Unauthorized").body(), 401)
        if any(drop(method, params) is not None for drop in self._drops):
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # the handler ends with the connection
        gate = next((g for g in self._gates if g.matches(method, params)), None)
        if gate is not None:
            gate.used = True
            if not gate.after and not await gate.park(request):
                # the caller died waiting: Telegram never got it
                return answer(ApiError(500, "Internal Server Error").body(), 500)
        CURRENT_REQUEST.set(request)
        call = ApiCall(method, params, time.monotonic())
        self.calls.append(call)
        self._calls_by_chat[call.chat_id].append(call)
        try:
            response = await self._dispatch(method, params)
        finally:
            await self._notify()
        if gate is not None and gate.after:
            gate.arrived.set()
            await gate.released.wait()
        return response

    async def _dispatch(self, method: str, params: JSON) -> web.Response:
        refusal = self._group_refusal(method, params)
        if refusal is not None:
            return answer(refusal.body(), refusal.error_code)
        for policy in self.policies:
            error = policy(method, params)
            if error is not None:
                return answer(error.body(), error.error_code)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return answer(ApiError(404, "Not Found: method not found").body(), 404)
        try:
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            return answer(error.body(), error.error_code)
        return answer({"ok": True, "result": result}, 200)

    async def _on_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        if self._download_faults:
            status = self._download_faults.pop(0)
            if status is not None:
                return web.Response(status=status, text="Bad Gateway")
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # the handler ends with the connection
        path = request.match_info["path"]
        stored = self._files_by_path.get(path)
        if stored is None:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(path)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # ------------------------------------------------------------------ methods
    # One `_m_<lowercased method>` per Bot API method; each returns the `result`.

    def _m_getme(self, params: JSON) -> JSON:
        return self.bot_user

    def _m_setmycommands(self, params: JSON) -> bool:
        return True

    def _m_sendchataction(self, params: JSON) -> bool:
        return True

    def _m_answercallbackquery(self, params: JSON) -> bool:
        return True


if __name__ == "__main__":
    # python -m standins.telegram_botapi --port P: the stand-in on its own (a benchmark's
    # Bot API in a separate process); see standins.botapi_server.
    from standins.botapi_server import main

    main()
