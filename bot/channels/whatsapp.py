"""The WhatsApp channel for residents: webhook messages in, neutral events to the dialogue
engine, its replies back out through the Cloud API (pywa's async client).

Three parts, each usable alone, each in its own module:

- :class:`WhatsAppSender` (here) sends replies to a person. Inside WhatsApp's 24-hour
  customer service window (counted from the person's last message, which the channel
  records in Redis) they go out as normal messages; outside it only an approved template
  may be sent, so the template goes out and the replies wait for the person's next
  message. The outbox dispatcher calls :meth:`WhatsAppSender.send` for rows with channel
  "whatsapp". The client, the Redis keys kept per person and the error codes live here too.
- :class:`bot.channels.whatsapp_channel.WhatsAppChannel` handles one inbound message.
- :class:`bot.channels.whatsapp_statuses.StatusRecorder` writes delivery callbacks onto
  the outbox.

Nothing personal is logged: people appear as a short hash of their user key.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx
from pywa.types.callback import Button as WaButton
from pywa.types.callback import Section, SectionList, SectionRow
from pywa.types.templates import TemplateLanguage
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError
from redis.asyncio import Redis

from bot.channels.whatsapp_keys import wa_person_key
from bot.channels.whatsapp_masking import masked as masked
from bot.channels.whatsapp_render import (
    MAX_ROWS,
    MORE_PREFIX,
    Outbound,
    OutButtons,
    OutList,
    OutMedia,
    OutText,
    RenderError,
    list_page,
    plain_of,
    presented,
    render_safely,
    split_for_body,
    validate,
)
from bot.exports import discard_sent
from bot.metrics import RATE_LIMITED
from conversations.events import Option, Reply
from conversations.i18n import DEFAULT_LOCALE, Texts

log = logging.getLogger(__name__)

#: The person's locale (for the «More» and «Options» labels), by user key.
LocaleOf = Callable[[str], Awaitable[str]]

#: WhatsApp's customer service window, and a margin so that a message sent just before
#: it closes is not refused on arrival.
WINDOW_S: Final = 24 * 3600
WINDOW_MARGIN_S: Final = 120
#: The wa_id of a person is kept this long after their last message: long enough for the
#: answer to a request (7 working days, more when an officer asks a question).
WA_ID_TTL_S: Final = 30 * 24 * 3600
#: Replies waiting for the window to open again, and how many of them at most.
PENDING_TTL_S: Final = 30 * 24 * 3600
PENDING_MAX: Final = 20
#: A long list's choices, for its «More» row.
MENU_TTL_S: Final = 24 * 3600
#: Messages the channel answers itself («More», template quick replies) are claimed like
#: the engine claims events, so a redelivery is answered once.
CLAIM_TTL_S: Final = 7 * 24 * 3600
#: Concurrent inbound messages handled in this process (see the Telegram channel).
DEFAULT_MAX_CONCURRENT: Final = 50
#: Sends retried on transient Graph API errors, with this many seconds between.
SEND_ATTEMPTS: Final = 3
RETRY_DELAY_S: Final = 1.0
#: Failed deliveries are retried until the outbox row has this many attempts.
MAX_DELIVERY_ATTEMPTS: Final = 3
DELIVERY_BACKOFF_S: Final = 60

#: Error codes that retrying cannot fix: not a WhatsApp user, unsupported content,
#: a template that does not exist or does not match its parameters, a test number.
PERMANENT_ERRORS: Final = frozenset(
    {131021, 131026, 131030, 131051, 132000, 132001, 132005, 132007, 132012, 132015, 132016}
)
#: "Parameter value is not valid": a message outside WhatsApp's limits.
INVALID_PARAMETER: Final = 131009
#: "Re-engagement message": sent outside the 24-hour window.
WINDOW_CLOSED_ERROR: Final = 131047
#: Graph API throttling: app, account, business number and pair rate limits, counted as
#: 429s in /metrics.
_RATE_LIMITS: Final = frozenset({4, 80007, 130429, 131056})
#: Graph API errors worth another try a second later (rate limits, service hiccups).
_TRANSIENT_ERRORS: Final = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})


def last_inbound_key(user_key: str) -> str:
    return wa_person_key("last_inbound", user_key)


def _wa_id_key(user_key: str) -> str:
    return wa_person_key("wa_id", user_key)


def _pending_key(user_key: str) -> str:
    return wa_person_key("pending", user_key)


def _menu_key(user_key: str, token: str) -> str:
    return f"{wa_person_key('menu', user_key)}:{token}"


def _claim_key(wamid: str) -> str:
    return f"tawasul:wa:evt:{wamid}"


class WindowClosed(RuntimeError):
    """The 24-hour window is closed and no template is configured to reopen it."""


# ------------------------------------------------------------------------ sending


def _reply_to_json(reply: Reply) -> str:
    return json.dumps(
        {
            "text": reply.text,
            "choices": [[o.id, o.label, o.description] for o in reply.choices],
            "media": list(reply.media),
        },
        ensure_ascii=False,
    )


def _reply_from_json(raw: str | bytes) -> Reply:
    data = json.loads(raw)
    return Reply(
        data["text"],
        choices=tuple(Option(*c) for c in data.get("choices", [])),
        media=tuple(data.get("media", [])),
    )


def _transient(exc: Exception) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    if isinstance(exc, WhatsAppError):
        status = exc.status_code
        return bool(exc.is_transient) or exc.code in _TRANSIENT_ERRORS or (status or 0) >= 500
    return False


@dataclass
class WhatsAppSender:
    """Sends replies to a person on WhatsApp (see the module docstring)."""

    wa: WhatsApp
    redis: Redis
    locale_of: LocaleOf | None = None
    template_name: str | None = None
    template_lang: str = DEFAULT_LOCALE
    clock: Callable[[], float] = time.time
    retry_delay_s: float = RETRY_DELAY_S

    async def send(
        self, user_key: str, replies: Sequence[Reply], *, template_params: Sequence[str] = ()
    ) -> str:
        """Send `replies` and return the wamid of the last message sent. Outside the
        24-hour window the configured template goes instead, filled with
        `template_params` (its body parameters, in order), and the replies are kept for
        the person's next message. Raises :class:`WindowClosed` when the window is closed
        and no template is configured, and pywa's ``WhatsAppError`` when the Graph API
        refuses."""
        if await self.window_open(user_key):
            ids = await self.deliver(user_key, replies)
            if not ids:
                raise RenderError("nothing to send")
            return ids[-1]
        if not self.template_name:
            raise WindowClosed(
                "outside the 24-hour window and TAWASUL_WHATSAPP_TEMPLATE_NAME unset"
            )
        wamid = await self.send_template(user_key, template_params)
        await self.defer(user_key, replies)
        return wamid

    async def window_open(self, user_key: str) -> bool:
        raw = await self.redis.get(last_inbound_key(user_key))
        if raw is None:
            return False
        return self.clock() - float(raw) < WINDOW_S - WINDOW_MARGIN_S

    async def recipient(self, user_key: str) -> str:
        """Where to send: the person's number when known (works on every API version and
        business solution provider), else their business-scoped user id."""
        raw = await self.redis.get(_wa_id_key(user_key))
        if raw is None:
            return user_key
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    async def texts_for(self, user_key: str) -> Texts:
        locale = await self.locale_of(user_key) if self.locale_of else DEFAULT_LOCALE
        return Texts(locale)

    async def deliver(
        self, user_key: str, replies: Sequence[Reply], *, to: str | None = None
    ) -> list[str]:
        """Send `replies` as normal messages, in order; the wamids sent. ``to``: the
        number to send to when the caller has it (else the one kept for `user_key`)."""
        if not replies:
            return []
        to = to or await self.recipient(user_key)
        texts = await self.texts_for(user_key)
        sent: list[str] = []
        for reply in replies:
            try:
                sent += await self._deliver_one(user_key, to, reply, texts)
            finally:
                discard_sent(reply.media)  # a «my data» copy is not kept once sent
        return sent

    async def _deliver_one(self, user_key: str, to: str, reply: Reply, texts: Texts) -> list[str]:
        sent: list[str] = []
        text, choices = presented(reply, texts)
        token = uuid.uuid4().hex[:8] if len(choices) > MAX_ROWS else ""
        messages = render_safely(reply, texts, token=token)
        if token and isinstance(messages[-1], OutList):
            await self._save_menu(user_key, token, text, choices)
        for message in messages:
            if not isinstance(message, OutMedia):
                sent.append(await self._send_or_plain(to, message))
                continue
            try:
                sent.append(await self.send_message(to, message))
            except (WhatsAppError, httpx.HTTPError, OSError) as exc:
                # a picture or file is an extra: its failure must not take the words
                # after it (the request number, the next question) with it
                log.warning("a media message to %s failed (%s)", masked(user_key), _describe(exc))
        return sent

    async def _send_or_plain(self, to: str, message: Outbound) -> str:
        """Send `message`; an interactive one WhatsApp refuses as invalid goes again as
        text with numbered options rather than not at all."""
        try:
            return await self.send_message(to, message)
        except WhatsAppError as exc:
            if exc.code != INVALID_PARAMETER or not isinstance(message, OutButtons | OutList):
                raise
            log.warning("Graph API refused an interactive message (%s); sent as text", exc.code)
            return await self.send_message(to, plain_of(message))

    async def send_more(self, user_key: str, choice_id: str) -> str | None:
        """The next page of a long list, for a tap on its «More» row; None when the list
        is no longer known (an old message, or a day later)."""
        token, _, start = choice_id.removeprefix(MORE_PREFIX).partition(":")
        raw = await self.redis.get(_menu_key(user_key, token))
        if raw is None or not start.isdigit():
            return None
        menu = json.loads(raw)
        choices = [Option(*c) for c in menu["choices"]]
        if int(start) >= len(choices):
            return None
        page = list_page(menu["body"], choices, int(start), await self.texts_for(user_key), token)
        return await self.send_message(await self.recipient(user_key), page)

    async def _save_menu(
        self, user_key: str, token: str, text: str, choices: Sequence[Option]
    ) -> None:
        body = split_for_body(text)[1]
        menu = {
            "token": token,
            "body": body,
            "choices": [[o.id, o.label, o.description] for o in choices],
        }
        # one key per list: an older list's «More» still pages that list, not the latest
        await self.redis.set(
            _menu_key(user_key, token), json.dumps(menu, ensure_ascii=False), ex=MENU_TTL_S
        )

    async def send_template(self, user_key: str, params: Sequence[str]) -> str:
        assert self.template_name
        components: list[dict[str, Any]] | None = None
        if params:
            components = [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            ]
        to = await self.recipient(user_key)
        sent = await self._with_retry(
            lambda: self.wa.send_template(
                to=to,
                name=self.template_name,
                language=TemplateLanguage(self.template_lang),
                params=components,
            )
        )
        return str(sent.id)

    async def defer(self, user_key: str, replies: Sequence[Reply]) -> None:
        """Keep `replies` for the person's next message (the window opens with it)."""
        if not replies:
            return
        key = _pending_key(user_key)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, *(_reply_to_json(r) for r in replies))
            pipe.ltrim(key, -PENDING_MAX, -1)
            pipe.expire(key, PENDING_TTL_S)
            await pipe.execute()

    async def take_pending(self, user_key: str) -> list[Reply]:
        """The replies kept for this person, removed atomically (so sent once)."""
        key = _pending_key(user_key)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            raw, _ = await pipe.execute()
        return [_reply_from_json(r) for r in raw]

    async def send_message(self, to: str, message: Outbound) -> str:
        """Send one rendered message (checked against WhatsApp's limits first)."""
        validate(message)
        sent = await self._with_retry(lambda: self._call(to, message))
        return str(sent.id)

    async def _call(self, to: str, message: Outbound) -> Any:
        wa = self.wa
        if isinstance(message, OutText):
            return await wa.send_message(to=to, text=message.body)
        if isinstance(message, OutButtons):
            buttons = [WaButton(title=b.title, callback_data=b.id) for b in message.buttons]
            return await wa.send_message(to=to, text=message.body, buttons=buttons)
        if isinstance(message, OutList):
            rows = [
                SectionRow(title=r.title, callback_data=r.id, description=r.description or None)
                for r in message.rows
            ]
            section_list = SectionList(
                button_title=message.button,
                sections=[Section(title=message.section, rows=rows)],
            )
            return await wa.send_message(to=to, text=message.body, buttons=section_list)
        return await self._send_media(to, message)

    async def _send_media(self, to: str, message: OutMedia) -> Any:
        media = str(message.path) if message.path is not None else message.ref
        if message.kind == "image":
            return await self.wa.send_image(to=to, image=media)
        name = message.path.name if message.path is not None else None
        return await self.wa.send_document(to=to, document=media, filename=name)

    async def _with_retry(self, call: Callable[[], Awaitable[Any]]) -> Any:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return await call()
            except (WhatsAppError, httpx.TransportError) as exc:
                if isinstance(exc, WhatsAppError) and (
                    exc.code in _RATE_LIMITS or exc.status_code == 429
                ):
                    RATE_LIMITED.labels("whatsapp").inc()
                if attempt == SEND_ATTEMPTS or not _transient(exc):
                    raise
                log.warning("Graph API: %s; retrying", _describe(exc))
                await asyncio.sleep(self.retry_delay_s * attempt)
        raise AssertionError("unreachable")


def _describe(exc: Exception) -> str:
    if isinstance(exc, WhatsAppError):
        return f"error {exc.code} (HTTP {exc.status_code})"
    return type(exc).__name__
