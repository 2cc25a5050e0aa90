"""The Bot API session the bot talks through: aiogram's aiohttp session, with two costs of
every call taken off the update path.

- A call without a file goes as one JSON body (``application/json``, which the Bot API
  takes for every method except uploads) instead of aiogram's ``FormData``: aiohttp
  url-encodes a form field by field, percent-escaping every byte of an Arabic text, and
  builds a payload object per call (5.2% of a turn in the fourth pass's profile). The
  values are prepared by aiogram's own ``prepare_value`` (defaults, enums, dates, nested
  objects), so what Telegram receives means the same; a call with a file still goes as
  aiogram's multipart form.
- A call sent as JSON goes over the bot's own kept-alive HTTP/1.1 connections
  (:mod:`bot.channels.telegram_http`), not aiohttp's client: ~80 µs of CPU a call instead
  of ~330 µs. Uploads and downloads still go through aiohttp.
- An answer the caller has said it will not read (:func:`answer_unread`: a resident's
  reply, whose ``Message`` nothing looks at) is checked for ``"ok": true`` and returned as
  the Bot API's JSON ``result`` (a dict for a message), not validated into aiogram's
  ``Message`` (pydantic: 7.1% of a turn in that profile). Anything but a 2xx answer with
  ``"ok": true`` goes through aiogram's ``check_response`` as before, so every error (429
  with ``retry_after``, 400, 403, 5xx, an undecodable body) raises the same aiogram
  exception.

aiogram offers neither (its ``AiohttpSession.make_request`` always builds a form and always
validates the answer), so ``make_request`` is aiogram's, with these two branches added.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any, cast

from aiogram import Bot
from aiogram.__meta__ import __version__ as AIOGRAM_VERSION
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError, ClientTimeout
from aiohttp.http import SERVER_SOFTWARE

from bot.channels.telegram_http import BotApiUnreachable, KeepAliveClient
from bot.channels.telegram_json import call_fields

#: Set (by :func:`answer_unread`) while the answers of the calls made are not read.
_UNREAD: ContextVar[bool] = ContextVar("tawasul_bot_api_answer_unread", default=False)


@contextmanager
def answer_unread() -> Iterator[None]:
    """Within it, a successful Bot API call made through a :class:`BotApiSession` returns
    the Bot API's JSON ``result`` (a dict for a sent message), not aiogram's validated type.
    For callers that do not read the answer; errors raise as ever."""
    token = _UNREAD.set(True)
    try:
        yield
    finally:
        _UNREAD.reset(token)


class BotApiSession(AiohttpSession):
    """aiogram's ``AiohttpSession`` sending JSON bodies over its own kept-alive connections
    and leaving unread answers unvalidated (see the module's text). Raises what aiogram's
    session raises."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._http = KeepAliveClient(
            ssl_context=self._connector_init.get("ssl"),
            limit=int(self._connector_init.get("limit") or 100),
            user_agent=f"{SERVER_SOFTWARE} aiogram/{AIOGRAM_VERSION}",
        )

    async def close(self) -> None:
        """Closes aiohttp's session (uploads, downloads) and the kept-alive connections."""
        await self._http.close()
        await super().close()

    def json_body(self, bot: Bot, method: TelegramMethod[TelegramType]) -> bytes | None:
        """The call as a JSON body, or None when it carries a file (multipart then).
        Fields are those aiogram's form would have: a None or empty value is left out."""
        fast = call_fields(bot, method)  # the usual replies' shapes (bot.channels.telegram_json)
        if fast is not None:
            return self.json_dumps(fast).encode()
        files: dict[str, InputFile] = {}
        fields: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            # aiogram's form leaves out what prepares to None or "" (its `if not value`
            # sees every other value as a non-empty JSON string)
            if prepared is None or prepared == "":
                continue
            fields[key] = prepared
        if files:
            return None
        return self.json_dumps(fields).encode()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> TelegramType:
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        body = self.json_body(bot, method)
        seconds = self.timeout if timeout is None else timeout
        if body is not None:
            try:
                sent = await self._http.post_json(url, body, float(seconds))
            except BotApiUnreachable as e:
                raise TelegramNetworkError(method=method, message=str(e)) from e
            status, raw_result = sent.status, sent.text
        else:
            status, raw_result = await self._form_request(bot, method, url, seconds)
        if _UNREAD.get() and HTTPStatus.OK <= status <= HTTPStatus.IM_USED:
            try:
                answer = self.json_loads(raw_result)
            except ValueError:
                answer = None  # check_response raises aiogram's ClientDecodeError for it
            if isinstance(answer, dict) and answer.get("ok") is True and "result" in answer:
                return cast(TelegramType, answer["result"])
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=raw_result
        )
        return cast(TelegramType, response.result)

    async def _form_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], url: str, seconds: float
    ) -> tuple[int, str]:
        """A call with a file, as aiogram's multipart form through aiohttp: the status and
        the answer's text. Raises TelegramNetworkError as aiogram's session does."""
        session = await self.create_session()
        try:
            async with session.post(
                url,
                data=self.build_form_data(bot=bot, method=method),
                # aiogram gives aiohttp the seconds, which it reads as this
                timeout=_timeout(seconds),
            ) as resp:
                return resp.status, await resp.text()
        except TimeoutError as e:
            raise TelegramNetworkError(method=method, message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e


@functools.lru_cache(maxsize=16)
def _timeout(seconds: float) -> ClientTimeout:
    """aiohttp's timeout of `seconds` in all, made once per value (it is immutable; making
    one per call was ~2.5 µs of every Bot API call)."""
    return ClientTimeout(total=seconds)
