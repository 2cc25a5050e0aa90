"""The WhatsApp channel for residents: webhook messages in, neutral events to the dialogue
engine, its replies back out through the Cloud API (pywa's async client).

Three parts, each usable alone:

- :class:`WhatsAppSender` sends replies to a person. Inside WhatsApp's 24-hour customer
  service window (counted from the person's last message, which the channel records in
  Redis) they go out as normal messages; outside it only an approved template may be
  sent, so the template goes out and the replies wait in Redis for the person's next
  message. The outbox dispatcher calls :meth:`WhatsAppSender.send` for rows with channel
  "whatsapp".
- :class:`WhatsAppChannel` handles one inbound message: records the window and the
  person's number, downloads media while its URL is valid (5 minutes), asks the engine,
  answers the «More» row of long lists itself, and answers the engine's request for a
  phone number itself (below).
- :class:`StatusRecorder` writes sent / delivered / read / failed callbacks onto the
  outbox row whose ``provider_message_id`` is the message's wamid, and schedules a retry
  of failed deliveries (a few times) before reporting them failed.

The phone number: on Telegram the person taps «share my number». On WhatsApp the number
*is* the account: WhatsApp vouches for ``wa_id``, so when the engine asks for a contact
(``Reply.ask_contact``) the channel does not show that question; it feeds the engine a
``Contact(phone="+<wa_id>", is_own=True)`` at once and sends what follows ("thank you,
your number is saved" and the next question). A person who hides their number behind a
WhatsApp username has no wa_id in the payload and none is known: their events carry
``Origin.phone_unverified``, so the phone step asks them to type it and keeps it as not
verified. A ``system`` notice that the person changed number moves what the channel keeps
for them, then calls ``renumbered`` for the account and the dialogue.

Nothing personal is logged: people appear as a short hash of their user key.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
from pywa.types.callback import Button as WaButton
from pywa.types.callback import Section, SectionList, SectionRow
from pywa.types.templates import TemplateLanguage
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.keyed_locks import KeyedLocks
from bot.channels.whatsapp_inbound import (
    CHANNEL,
    DeliveryStatus,
    Inbound,
    NumberChange,
    sha256_matches,
)
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
from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, utcnow
from bot.media_store import MediaStore
from bot.settings import Settings
from conversations.events import Choice, Contact, Event, Media, Option, Origin, Reply
from conversations.i18n import DEFAULT_LOCALE, Texts
from domain.attachments import MAX_FILE_BYTES, check_attachment

log = logging.getLogger(__name__)

#: The dialogue engine as the channel sees it (see bot.channels.telegram.Handle).
Handle = Callable[[Event], Awaitable[list[Reply]]]
#: Sends the notifications that waited for the person's window (see
#: bot.outbox.whatsapp_delivery); returns how many went.
DeliverWaiting = Callable[[str], Awaitable[int]]
#: Told when a person moved to another number, to move their account and dialogue.
Renumbered = Callable[[NumberChange], Awaitable[None]]
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
#: Graph API errors worth another try a second later (rate limits, service hiccups).
_TRANSIENT_ERRORS: Final = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})

_STATUS_RANK: Final = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}
_API_VERSION = re.compile(r"/v(\d+\.\d+)/?$")

# SET the last-inbound time only forward: a redelivered old message must not move it back.
_SET_MAX = """
local cur = redis.call('GET', KEYS[1])
if (not cur) or tonumber(cur) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
  return 1
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return 0
"""


def last_inbound_key(user_key: str) -> str:
    return f"tawasul:wa:last_inbound:{user_key}"


def _wa_id_key(user_key: str) -> str:
    return f"tawasul:wa:wa_id:{user_key}"


def _pending_key(user_key: str) -> str:
    return f"tawasul:wa:pending:{user_key}"


def _menu_key(user_key: str, token: str) -> str:
    return f"tawasul:wa:menu:{user_key}:{token}"


def _claim_key(wamid: str) -> str:
    return f"tawasul:wa:evt:{wamid}"


async def _move_string(redis: Redis, old: str, new: str) -> None:
    """Copies a key to its new name unless that exists already (the new number wrote
    first: its value is the newer), keeping the expiry; one key at a time, so it works on
    a Redis Cluster where the two names live on different nodes."""
    raw = await redis.get(old)
    if raw is None:
        return
    ttl = await redis.pttl(old)
    await redis.set(new, raw, nx=True, px=ttl if ttl > 0 else None)
    await redis.delete(old)


async def _move_list(redis: Redis, old: str, new: str) -> None:
    items = await redis.lrange(old, 0, -1)
    if not items:
        return
    ttl = await redis.pttl(old)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.rpush(new, *items)
        if ttl > 0:
            pipe.pexpire(new, ttl)
        pipe.delete(old)
        await pipe.execute()


def masked(value: str) -> str:
    """A person (or a wamid, which embeds their number) as logs may name them: a short
    hash, enough to follow one conversation."""
    return "wa:" + hashlib.sha256(value.encode()).hexdigest()[:10]


class WindowClosed(RuntimeError):
    """The 24-hour window is closed and no template is configured to reopen it."""


# ------------------------------------------------------------------------ the client


def make_client(settings: Settings, *, timeout_s: float = 30.0) -> WhatsApp:
    """pywa's async client for the configured business number, talking to
    TAWASUL_WHATSAPP_API_URL (Meta's Graph API, a business solution provider or a local
    stand-in). pywa always points its session at graph.facebook.com, so the base URL is
    set back on our own session afterwards. Close it with :func:`close_client`."""
    if not settings.whatsapp_enabled:
        raise ValueError("WhatsApp is not configured")
    # pywa logs whole requests and responses (numbers, message texts) at DEBUG; keep it
    # at INFO whatever the root level.
    for name in ("pywa", "pywa_async"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))
    match = _API_VERSION.search(settings.whatsapp_api_url)
    session = httpx.AsyncClient(timeout=timeout_s)
    wa = WhatsApp(
        phone_id=settings.whatsapp_phone_id,
        token=settings.whatsapp_token,
        session=session,
        app_secret=settings.whatsapp_app_secret,
        verify_token=settings.whatsapp_verify_token,
        api_version=match.group(1) if match else "23.0",
        validate_updates=False,  # the web app checks signatures on the raw body itself
    )
    session.base_url = httpx.URL(settings.whatsapp_api_url + "/")
    return wa


async def close_client(wa: WhatsApp) -> None:
    await wa.api._session.aclose()


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

    async def deliver(self, user_key: str, replies: Sequence[Reply]) -> list[str]:
        """Send `replies` as normal messages, in order; the wamids sent."""
        if not replies:
            return []
        to = await self.recipient(user_key)
        texts = await self.texts_for(user_key)
        sent: list[str] = []
        for reply in replies:
            text, choices = presented(reply, texts)
            token = uuid.uuid4().hex[:8] if len(choices) > MAX_ROWS else ""
            messages = render_safely(reply, texts, token=token)
            if token and isinstance(messages[-1], OutList):
                await self._save_menu(user_key, token, text, choices)
            for message in messages:
                sent.append(await self._send_or_plain(to, message))
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
                if attempt == SEND_ATTEMPTS or not _transient(exc):
                    raise
                log.warning("Graph API: %s; retrying", _describe(exc))
                await asyncio.sleep(self.retry_delay_s * attempt)
        raise AssertionError("unreachable")


def _describe(exc: Exception) -> str:
    if isinstance(exc, WhatsAppError):
        return f"error {exc.code} (HTTP {exc.status_code})"
    return type(exc).__name__


# ------------------------------------------------------------------------ inbound


async def fetch_media(
    wa: WhatsApp, media: Media, announced: str | None, store: MediaStore
) -> Media:
    """Download a photo or document now (its URL lives 5 minutes; the media id 7 days),
    check it against the checksum the webhook announced, store it and return the event
    with checksum, real size and MIME type. Kinds the flow refuses, types outside
    domain.attachments and files over its size limit are not downloaded: the event goes
    on with what the Graph API said, and the flow refuses it. A download that fails twice
    goes on without a checksum (the media id stays valid for a week)."""
    if media.kind not in ("photo", "document"):
        return media
    corrupt = False
    for attempt in (1, 2):
        try:
            info = await wa.get_media_url(media.ref)
        except (WhatsAppError, httpx.TransportError) as exc:
            log.warning("media %s: no URL (%s)", media.ref, _describe(exc))
            continue
        mime = info.mime_type or media.mime
        size = int(info.file_size or 0)
        described = dataclasses.replace(media, mime=mime, size=size)
        if check_attachment(media.kind, mime, size, 0) is not None:
            return described
        try:
            data = await _download(wa, info.url)
        except (WhatsAppError, httpx.HTTPError) as exc:
            log.warning("media %s: download failed (%s)", media.ref, _describe(exc))
            continue
        if data is None:
            return dataclasses.replace(described, size=max(size, MAX_FILE_BYTES + 1))
        expected = announced or info.sha256
        if expected and not sha256_matches(expected, data):
            log.warning("media %s: checksum mismatch (attempt %d)", media.ref, attempt)
            corrupt = True
            continue
        # writing and fsyncing up to 10 MB would block the event loop for everyone else
        checksum = await asyncio.to_thread(store.save, data)
        return dataclasses.replace(described, checksum=checksum, size=len(data))
    if corrupt:
        # bytes that are not what WhatsApp announced are never accepted: the flow refuses
        # a file of no usable type, and the person is asked to send it again
        return dataclasses.replace(media, mime="application/octet-stream", checksum=None)
    return media


async def _download(wa: WhatsApp, url: str) -> bytes | None:
    """The file's bytes, or None as soon as it proves larger than the attachment limit."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in wa.stream_media(url):
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class WhatsAppChannel:
    """Turns inbound messages into events for `handle` and sends its replies.

    Messages of one person are handled one at a time in this process, in the order the
    web app queued them; across processes the engine's compare-and-set keeps answers
    from being lost and its SET NX on the wamid keeps a redelivery from being handled
    twice.
    """

    def __init__(
        self,
        handle: Handle,
        sender: WhatsAppSender,
        media_store: MediaStore,
        *,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        clock: Callable[[], float] = time.time,
        deliver_waiting: DeliverWaiting | None = None,
        renumbered: Renumbered | None = None,
    ) -> None:
        self._handle = handle
        self._deliver_waiting = deliver_waiting
        self._renumbered = renumbered
        self.sender = sender
        self._media_store = media_store
        self._slots = asyncio.Semaphore(max_concurrent)
        self._locks: KeyedLocks[str] = KeyedLocks()
        self._clock = clock
        self._set_max = sender.redis.register_script(_SET_MAX)

    async def on_message(self, item: Inbound) -> None:
        user_key = item.sender.user_key
        async with self._locks.hold(user_key), self._slots:
            if item.change is not None:
                await self._renumber(item, item.change)
                return
            await self._remember(item)
            await self._waiting(user_key)
            pending = await self.sender.take_pending(user_key)
            if pending:
                await self.sender.deliver(user_key, pending)
                if item.quick_reply:
                    return  # "show me" on the template: the waiting replies are the answer
            event = item.event
            if event is None:
                return
            if isinstance(event, Choice) and event.id.startswith(MORE_PREFIX):
                await self._more(item, event.id)
                return
            if isinstance(event, Media) and event.origin.edits is None:
                event = await fetch_media(self.sender.wa, event, item.sha256, self._media_store)
            if not (item.sender.wa_id or await self._known_wa_id(user_key)):
                # a username without a number: nothing to vouch for, the person types it
                origin = dataclasses.replace(event.origin, phone_unverified=True)
                event = dataclasses.replace(event, origin=origin)
            replies = await self._handle(event)
            replies = await self._answer_contact(item, replies)
            await self.sender.deliver(user_key, replies)

    async def _waiting(self, user_key: str) -> None:
        """Notifications that waited for the window go first, before any answer."""
        if self._deliver_waiting is None:
            return
        try:
            await self._deliver_waiting(user_key)
        except Exception:
            # the database is away for a moment: the rows stay queued for the dispatcher,
            # and the person still gets an answer to what they wrote
            log.exception("waiting notifications for %s not delivered now", masked(user_key))

    async def _remember(self, item: Inbound) -> None:
        """The window opens with the person's message (its own time, never later than
        now); their number is kept for sending and for the phone step."""
        now = self._clock()
        at = min(float(item.timestamp), now) if item.timestamp > 0 else now
        user_key = item.sender.user_key
        await self._set_max(keys=[last_inbound_key(user_key)], args=[int(at), 2 * WINDOW_S])
        if item.sender.wa_id:
            await self.sender.redis.set(_wa_id_key(user_key), item.sender.wa_id, ex=WA_ID_TTL_S)

    async def _renumber(self, item: Inbound, change: NumberChange) -> None:
        """The person moved to another number (and user id): what the channel keeps for
        them moves along, then their account, requests and dialogue (`renumber`)."""
        claimed = await self.sender.redis.set(_claim_key(item.wamid), b"1", nx=True, ex=CLAIM_TTL_S)
        if not claimed:
            return
        redis = self.sender.redis
        if change.new_key != change.old_key:
            for key in (last_inbound_key, _wa_id_key):
                await _move_string(redis, key(change.old_key), key(change.new_key))
            await _move_list(redis, _pending_key(change.old_key), _pending_key(change.new_key))
        if change.new_wa_id:
            await redis.set(_wa_id_key(change.new_key), change.new_wa_id, ex=WA_ID_TTL_S)
        if self._renumbered is not None:
            await self._renumbered(change)
        log.info("WhatsApp user %s is now %s", masked(change.old_key), masked(change.new_key))

    async def _more(self, item: Inbound, choice_id: str) -> None:
        claimed = await self.sender.redis.set(_claim_key(item.wamid), b"1", nx=True, ex=CLAIM_TTL_S)
        if not claimed:
            return
        user_key = item.sender.user_key
        if await self.sender.send_more(user_key, choice_id) is None:
            # a list of a day ago (or a forged id): say so rather than stay silent
            _ = (await self.sender.texts_for(user_key)).gettext
            stale = _("That list is out of date. Please answer the last question I asked.")
            await self.sender.deliver(user_key, [Reply(stale)])

    async def _answer_contact(self, item: Inbound, replies: list[Reply]) -> list[Reply]:
        """Answer the engine's "share your number" with the person's WhatsApp number."""
        out: list[Reply] = []
        answered = False
        for reply in replies:
            if not reply.ask_contact:
                out.append(reply)
                continue
            wa_id = item.sender.wa_id or await self._known_wa_id(item.sender.user_key)
            if wa_id is None or answered:
                # no number to vouch for (a username), or it was refused: ask in words
                if answered:
                    log.warning(
                        "phone step refused the WhatsApp number of %s", masked(item.sender.user_key)
                    )
                out.append(Reply(reply.text, choices=reply.choices, media=reply.media))
                continue
            answered = True
            origin = Origin(CHANNEL, item.sender.user_key, f"{item.wamid}:contact")
            contact = Contact(origin=origin, phone="+" + wa_id, is_own=True)
            out.extend(await self._handle(contact))
        # A reply of the follow-up that asks again (the number was refused) is shown as words.
        return [
            Reply(r.text, choices=r.choices, media=r.media) if r.ask_contact else r for r in out
        ]

    async def _known_wa_id(self, user_key: str) -> str | None:
        raw = await self.sender.redis.get(_wa_id_key(user_key))
        if raw is None:
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)


# ------------------------------------------------------------------------ statuses


@dataclass
class StatusRecorder:
    """Delivery callbacks onto the outbox (see the module docstring)."""

    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    clock: Callable[[], dt.datetime] = field(default=utcnow)
    max_attempts: int = MAX_DELIVERY_ATTEMPTS

    async def record(self, status: DeliveryStatus) -> None:
        async with self.sessions.begin() as session:
            # read then write: take SQLite's write lock up front (a deferred BEGIN fails at
            # once when another worker wrote meanwhile); PostgreSQL locks the row instead
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            row = await session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.provider_message_id == status.wamid)
                .with_for_update()
            )
            if row is None:
                # a direct reply in a conversation: those are not tracked in the outbox
                return
            if status.status == "failed":
                await self._failed(row, status)
            elif _STATUS_RANK.get(status.status, 0) > _STATUS_RANK.get(row.delivery_status, 0):
                # callbacks come out of order ("read" before "delivered"): only move forward
                row.delivery_status = status.status

    async def _failed(self, row: OutboxMessage, status: DeliveryStatus) -> None:
        codes = {e.code for e in status.errors}
        row.last_error = (
            "; ".join(f"{e.code} {e.title}".strip() for e in status.errors)[:500] or "failed"
        )
        if WINDOW_CLOSED_ERROR in codes:
            # our clock thought the window open; forget it so the retry is a template
            await self.redis.delete(last_inbound_key(row.target))
        # a send the platform accepted then failed is an attempt too: the dispatcher only
        # counts the ones that failed on the spot, and without this a row would requeue
        # for ever
        row.attempts += 1
        if row.attempts < self.max_attempts and not codes & PERMANENT_ERRORS:
            delay = DELIVERY_BACKOFF_S * 2 ** max(row.attempts - 1, 0)
            row.sent_at = None
            row.claimed_until = None
            row.next_attempt_at = self.clock() + dt.timedelta(seconds=delay)
            row.delivery_status = "queued"
            log.info(
                "outbox %s: delivery failed (%s); retry in %s s", row.id, row.last_error, delay
            )
        else:
            row.delivery_status = "failed"
            log.warning("outbox %s: delivery failed for good (%s)", row.id, row.last_error)
