"""The Bot API the start-up warm-up's dialogue talks to (bot.warmup), on loopback in the
worker, and the Telegram updates its made-up resident sends.

The warm-up ran the tests' Bot API stand-in (``standins.telegram_botapi`` and its nine
modules of failure policies, forum topics, polling and parked calls), so every production
worker imported test code and ran it (~1.5 MB; issue 12). This answers only what one
resident's dialogue calls, as Telegram does: a sent message is given back with an id and
its inline keyboard, a tap's answer and an edit are acknowledged, a file the script added
is described by ``getFile`` and downloadable. A call it does not know is refused with
Telegram's 404, so a dialogue that starts calling something new stops the warm-up with a
warning (tests/integration/test_warmup.py fails on it) rather than being answered wrongly.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict
from types import TracebackType
from typing import Any, Final

from aiohttp import web

JSON = dict[str, Any]
#: a token of the Bot API's shape (aiogram checks it), known to nobody
TOKEN: Final = "123456789:AAHwarmupTOKENnotForTelegramAtAll000"
_BOT: Final[JSON] = {"id": 123456789, "is_bot": True, "first_name": "Tawasul"}


class WarmUpBotApi:
    """An async context manager serving on 127.0.0.1 (a free port): ``url`` and
    :data:`TOKEN` for :func:`bot.channels.telegram.make_bot`."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._messages: dict[int, list[JSON]] = defaultdict(list)
        self._keyboards: dict[int, JSON] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._ids = itertools.count(10_001)

    async def __aenter__(self) -> WarmUpBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._on_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def add_file(self, file_id: str, data: bytes) -> None:
        """Makes `data` the file `file_id` (getFile, then its download)."""
        self._files[file_id] = (f"files/{len(self._files)}", data)

    def last_message(self, chat_id: int) -> JSON | None:
        """The bot's last message in the chat, as Telegram gives it back."""
        sent = self._messages.get(chat_id)
        return sent[-1] if sent else None

    def last_keyboard(self, chat_id: int) -> JSON | None:
        """The last keyboard (inline or reply) the bot sent in the chat, as it sent it."""
        return self._keyboards.get(chat_id)

    async def _on_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return _refused(401, "Unauthorized")
        params = await _params(request)
        method = request.match_info["method"].lower()
        if method in ("sendmessage", "editmessagetext", "editmessagereplymarkup"):
            return _answer(self._message(params))
        if method in ("answercallbackquery", "deletemessage", "sendchataction"):
            return _answer(True)
        if method == "getme":
            return _answer(_BOT)
        if method == "getfile" and str(params.get("file_id")) in self._files:
            file_id = str(params["file_id"])
            path, data = self._files[file_id]
            return _answer(
                {
                    "file_id": file_id,
                    "file_unique_id": file_id[-16:],
                    "file_size": len(data),
                    "file_path": path,
                }
            )
        return _refused(404, "Not Found: method not found")

    async def _on_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for stored, data in self._files.values():
            if stored == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    def _message(self, params: JSON) -> JSON:
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and ("inline_keyboard" in markup or "keyboard" in markup):
            self._keyboards[chat_id] = markup
        message: JSON = {
            "message_id": int(params.get("message_id") or next(self._ids)),
            "from": _BOT,
            "chat": {"id": chat_id, "type": "private", "first_name": "-"},
            "date": int(time.time()),
            "text": str(params.get("text") or "-"),
        }
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # Telegram echoes inline keyboards only
        self._messages[chat_id].append(message)
        return message


async def _params(request: web.Request) -> JSON:
    if request.content_type == "application/json":
        body: JSON = await request.json()
        return body
    return {key: value for key, value in (await request.post()).items()}


def _answer(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _refused(code: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": code, "description": description}
    return web.json_response(body, status=code)


class Updates:
    """The made-up resident's updates, as Telegram sends them (private chat)."""

    def __init__(self, user_id: int, first_update_id: int) -> None:
        self._user_id = user_id
        self.user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": "تهيئة",
            "language_code": "ar",
        }
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)

    def _message(self, **content: Any) -> JSON:
        chat = {"id": self.user["id"], "type": "private", "first_name": "تهيئة"}
        message = {"message_id": next(self._message_ids), "from": self.user, "chat": chat}
        message |= {"date": int(time.time()), **content}
        return {"update_id": next(self._update_ids), "message": message}

    def text(self, text: str) -> JSON:
        """A text message; a leading /command gets its bot_command entity, as Telegram
        adds it."""
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entity = {"offset": 0, "length": len(command), "type": "bot_command"}
            return self._message(text=text, entities=[entity])
        return self._message(text=text)

    def contact(self, phone_number: str) -> JSON:
        """The resident's own number, as the request_contact button shares it."""
        contact = {"phone_number": phone_number, "first_name": "تهيئة", "user_id": self.user["id"]}
        return self._message(contact=contact)

    def photo(self, file_id: str, size: int, width: int, height: int) -> JSON:
        """A photo in its largest size only (the one the bot downloads)."""
        photo = {"file_id": file_id, "file_unique_id": file_id[-16:], "file_size": size}
        return self._message(photo=[photo | {"width": width, "height": height}])

    def callback(self, data: str, message: JSON | None) -> JSON:
        """A tap on a button of `message` (the bot's message carrying it)."""
        update_id = next(self._update_ids)
        query = {
            "id": str(4 * 10**18 + update_id),
            "from": self.user,
            "chat_instance": str(-self._user_id),
            "data": data,
        }
        if message is not None:
            query["message"] = message
        return {"update_id": update_id, "callback_query": query}
