"""Delivering outbox rows through the Telegram Bot API.

Two handlers:

- :class:`TelegramPersonDelivery` (outbox channel ``"telegram"``): a person's notification,
  rendered by :func:`bot.channels.telegram_render.render_replies` like every other reply
  of the bot (plain text, no markup injectable through what an officer typed).
- :class:`TelegramStaffDelivery` (channel ``"staff"``): the request cards in the staff
  group (HTML, everything escaped by the views), their albums, and staff texts. The first
  delivery of a card sends it and records where it is; later ones edit it in place. When
  more new requests are due than the group's budget (20 a minute) allows now, they go out
  as digests of up to ten with a take button each.

Both ask the shared :class:`~bot.outbox.ratelimit.RateLimiter` for room before every call
and answer :class:`~bot.outbox.handlers.RetryAfter` instead of waiting, and turn Telegram's
own 429 into a pause of that chat for every worker.

A row that takes several calls (a long text split in two, photos and PDFs in separate
albums) records how many went out when it is interrupted (``parts_sent``), so a retry
sends only the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, TypeVar, cast

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    CreateForumTopic,
    DeleteForumTopic,
    EditMessageText,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaDocument,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram_render import RenderError, render_replies
from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, Request, StaffTopic, utcnow
from bot.db.requests_repo import (
    AttachmentRecord,
    RequestRecord,
    record_staff_card,
    select_requests,
    to_record,
    with_related,
)
from bot.media_intake import STORE_REF
from bot.media_store import MediaStore
from bot.outbox.handlers import (
    PARTS_SENT,
    DeliveryError,
    OutboxRow,
    Outcome,
    PermanentFailure,
    RetryAfter,
    Skipped,
    TemporaryFailure,
)
from bot.outbox.queue import STAFF, replies_from_payload
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.staff.cards import DIGEST_SIZE, Button, CardRenderer
from domain.sla import riyadh_date
from domain.status import RequestStatus

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds one Bot API call may take before it counts as failed (well inside the lease).
REQUEST_TIMEOUT_S: Final = 20
_ALBUM_MAX: Final = 10
#: Telegram's limit for a photo's or document's caption.
_CAPTION_MAX: Final = 1024
_NOT_MODIFIED: Final = "message is not modified"
#: Messages of the group's budget that new posts leave for the cards' edits, so an officer's
#: take or decision shows on the card at once even while a burst of new requests goes out.
EDIT_RESERVE: Final = 3
#: Edits that cannot be done, so the card is sent anew.
_EDIT_GONE: Final = ("message to edit not found", "message can't be edited", "message_id_invalid")


def _describe(exc: TelegramAPIError) -> str:
    """Telegram's own description (e.g. "Bad Request: chat not found"): names the fault,
    never the message content."""
    return f"{type(exc).__name__}: {exc.message}"[:160]


class _Sender:
    """A Bot API call behind the shared rate limits, with Telegram's errors mapped to the
    outbox's outcomes."""

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        limits: TelegramLimits,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        self.bot = bot
        self.limiter = limiter
        self.limits = limits
        self.request_timeout = request_timeout

    async def room(self, chat_id: int) -> int:
        return await self.limiter.room(*self.limits.claims(chat_id))

    async def call(
        self,
        chat_id: int,
        method: TelegramMethod[T],
        *,
        cost: int = 1,
        parts_sent: int | None = None,
        reserve: int = 0,
    ) -> T:
        """Take room for `cost` messages in `chat_id`, then call. `parts_sent` goes with
        any failure, for a row whose earlier calls went out in this same attempt. With a
        `reserve`, the call waits unless that many messages would still fit after it: the
        room kept for what must not wait (a card's own edits)."""
        if reserve > 0:
            window = self.limits.chat_claim(chat_id).window
            if await self.room(chat_id) < min(cost + reserve, window.count):
                raise RetryAfter(
                    window.seconds / window.count, "kept for card edits", parts_sent=parts_sent
                )
        wait = await self.limiter.acquire(*self.limits.claims(chat_id, cost))
        if wait > 0:
            raise RetryAfter(wait, "rate limit", parts_sent=parts_sent)
        try:
            return await self.bot(method, request_timeout=self.request_timeout)
        except TelegramRetryAfter as exc:
            # our count and Telegram's disagree (another bot on the token, a restart):
            # Telegram is right, and every worker waits for this chat
            await self.limiter.pause(self.limits.chat_claim(chat_id).key, exc.retry_after)
            log.warning("429 from Telegram for a %s chat", _chat_kind(chat_id))
            raise RetryAfter(exc.retry_after, "429 from Telegram", parts_sent=parts_sent) from None
        except TelegramMigrateToChat as exc:
            log.error(
                "chat %s became supergroup %s: update the settings", chat_id, exc.migrate_to_chat_id
            )
            raise PermanentFailure(_describe(exc), parts_sent=parts_sent) from None
        except (TelegramForbiddenError, TelegramNotFound) as exc:
            raise PermanentFailure(_describe(exc), parts_sent=parts_sent) from None
        except TelegramBadRequest:
            raise  # the caller knows which 400s are fine (e.g. "message is not modified")
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as exc:
            raise TemporaryFailure(type(exc).__name__, parts_sent=parts_sent) from None
        except TelegramAPIError as exc:
            raise TemporaryFailure(_describe(exc), parts_sent=parts_sent) from None


def _chat_kind(chat_id: int) -> str:
    return "private" if chat_id > 0 else "group"


def _message_id(result: object) -> int | None:
    if isinstance(result, Message):
        return result.message_id
    if isinstance(result, list) and result and isinstance(result[0], Message):
        return result[0].message_id
    return None


# ---------------------------------------------------------------------------------- people


class TelegramPersonDelivery:
    """A notification to a person's private chat: ``target`` is the chat id, the payload's
    ``replies`` are rendered like any reply of the dialogue."""

    def __init__(
        self,
        bot: Bot,
        limiter: RateLimiter,
        limits: TelegramLimits | None = None,
        *,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        self._send = _Sender(bot, limiter, limits or TelegramLimits(), request_timeout)

    async def deliver(self, row: OutboxRow) -> str | None:
        try:
            chat_id = int(row.target)
        except ValueError:
            raise PermanentFailure("target is not a Telegram chat id") from None
        replies = replies_from_payload(dict(row.payload))
        if not replies:
            raise PermanentFailure("nothing to send")
        try:
            # a notification arrives between dialogues: no reply keyboard to take away
            methods, _shown = render_replies(chat_id, replies, reply_keyboard_shown=False)
        except RenderError:
            raise PermanentFailure("the notification cannot be rendered for Telegram") from None
        done = int(row.payload.get(PARTS_SENT, 0))
        last: int | None = None
        for index in range(done, len(methods)):
            progress = index if index > done else None
            try:
                result: object = await self._send.call(
                    chat_id, cast(TelegramMethod[Any], methods[index]), parts_sent=progress
                )
            except TelegramBadRequest as exc:
                raise PermanentFailure(_describe(exc), parts_sent=progress) from None
            last = _message_id(result) or last
        return None if last is None else str(last)


# ---------------------------------------------------------------------------- staff group


class SkipStaffDelivery:
    """No staff group is configured: officers use ``tawasul staff``, and staff rows are
    closed as "skipped" rather than left to pile up."""

    async def deliver(self, row: OutboxRow) -> str | None:
        raise Skipped("no staff group configured (TAWASUL_STAFF_CHAT_ID)")


@dataclass(frozen=True, slots=True)
class _Loaded:
    id: int
    record: RequestRecord
    department: str


class TelegramStaffDelivery:
    """Cards, albums and texts in the staff group (a batch handler: see
    :class:`~bot.outbox.handlers.BatchDeliveryHandler`)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bot: Bot,
        limiter: RateLimiter,
        renderer: CardRenderer,
        media: MediaStore,
        *,
        chat_id: int,
        limits: TelegramLimits | None = None,
        forum: bool = False,
        topic_ids: Mapping[str, int] | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
        request_timeout: int = REQUEST_TIMEOUT_S,
    ) -> None:
        self._sessions = sessions
        self._send = _Sender(bot, limiter, limits or TelegramLimits(), request_timeout)
        self._renderer = renderer
        self._media = media
        self.chat_id = chat_id
        self._forum = forum
        self._topics: dict[str, int] = dict(topic_ids or {})
        self._clock = clock

    # ---- the dispatcher's entry points -----------------------------------------------

    async def deliver(self, row: OutboxRow) -> str | None:
        outcomes = [outcome async for _row_id, outcome in self.deliver_batch([row])]
        if not outcomes:
            raise TemporaryFailure("not delivered")
        outcome = outcomes[-1]
        if isinstance(outcome, DeliveryError):
            raise outcome
        return outcome

    async def deliver_batch(self, rows: Sequence[OutboxRow]) -> AsyncIterator[tuple[int, Outcome]]:
        """Edits first (an officer is looking at that card), then first cards of requests
        already in hand, staff texts, new requests (as digests when the budget is short),
        and albums last (they cost one message per file)."""
        loaded = await self._load([row.request_id for row in rows if row.request_id is not None])
        edits: list[tuple[OutboxRow, _Loaded]] = []
        firsts: list[tuple[OutboxRow, _Loaded]] = []
        new: list[tuple[OutboxRow, _Loaded]] = []
        albums: list[tuple[OutboxRow, _Loaded]] = []
        texts: list[OutboxRow] = []
        for row in rows:
            if row.kind == "staff_text":
                texts.append(row)
                continue
            item = loaded.get(row.request_id) if row.request_id is not None else None
            if row.kind not in ("staff_card", "staff_album"):
                yield row.id, PermanentFailure(f"unknown staff row kind {row.kind!r}")
            elif item is None:
                yield row.id, Skipped("the request no longer exists")
            elif row.kind == "staff_album":
                albums.append((row, item))
            elif self._has_card(item.record):
                edits.append((row, item))
            elif item.record.status is RequestStatus.RECEIVED:
                new.append((row, item))
            else:
                firsts.append((row, item))

        blocked: RetryAfter | None = None  # once the group has no room, nothing else fits

        async def settle(job: Callable[[], Awaitable[str | None]]) -> Outcome:
            nonlocal blocked
            if blocked is not None:
                return RetryAfter(blocked.seconds, blocked.reason)
            outcome = await _outcome(job())
            if isinstance(outcome, RetryAfter) and outcome.parts_sent is None:
                blocked = outcome
            return outcome

        for row, item in edits:
            yield row.id, await settle(partial(self._edit_card, item))
        for row, item in firsts:
            yield row.id, await settle(partial(self._first_card, item))
        for row in texts:
            yield row.id, await settle(partial(self._text, row))
        if blocked is not None:
            for row, _item in new:
                yield row.id, RetryAfter(blocked.seconds, blocked.reason)
        elif new:
            async for row_id, outcome in self._announce(new):
                if isinstance(outcome, RetryAfter) and blocked is None:
                    blocked = outcome
                yield row_id, outcome
        for row, item in albums:
            yield row.id, await settle(partial(self._album, row, item))

    # ---- loading ----------------------------------------------------------------------

    async def _load(self, ids: Sequence[int]) -> dict[int, _Loaded]:
        if not ids:
            return {}
        catalogue = self._renderer.views.catalogue
        async with self._sessions() as session:
            requests = list(
                await session.scalars(select_requests().where(Request.id.in_(set(ids))))
            )
            # each card names the other open requests of the same person
            records = await with_related(session, [to_record(r) for r in requests])
            loaded = {}
            for request, record in zip(requests, records, strict=True):
                try:
                    department = catalogue.get(request.service_id).department
                except KeyError:
                    department = "other"
                loaded[request.id] = _Loaded(request.id, record, department)
            return loaded

    def _has_card(self, record: RequestRecord) -> bool:
        return record.staff_message_id is not None and record.staff_chat_id == self.chat_id

    def _today(self) -> dt.date:
        return riyadh_date(self._clock())

    # ---- cards ------------------------------------------------------------------------

    async def _post(
        self, thread: int | None, html: str, buttons: Sequence[Sequence[Button]]
    ) -> Message:
        """A new HTML message with buttons in the staff group (a card or a digest)."""
        method = SendMessage(
            chat_id=self.chat_id,
            message_thread_id=thread,
            text=html,
            parse_mode="HTML",
            reply_markup=_keyboard(buttons),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        try:
            message: Message = await self._send.call(self.chat_id, method, reserve=EDIT_RESERVE)
        except TelegramBadRequest as exc:
            raise PermanentFailure(_describe(exc)) from None
        return message

    async def _first_card(self, item: _Loaded, *, with_album: bool = True) -> str | None:
        thread = await self._thread(item.department)
        card = self._renderer.card(item.record, today=self._today())
        message = await self._post(thread, card.html, card.buttons)
        # where the card is, and its documents to follow, in one transaction: a card never
        # gets its album twice nor loses it
        async with self._transaction() as session:
            await record_staff_card(
                session, item.id, chat_id=self.chat_id, thread_id=thread,
                message_id=message.message_id,
            )  # fmt: skip
            if with_album and item.record.attachments:
                session.add(
                    OutboxMessage(
                        kind="staff_album", channel=STAFF, target=STAFF, request_id=item.id,
                        payload={"number": item.record.number}, next_attempt_at=utcnow(),
                    )
                )  # fmt: skip
        return str(message.message_id)

    async def _edit_card(self, item: _Loaded) -> str | None:
        record = item.record
        assert record.staff_message_id is not None
        card = self._renderer.card(record, today=self._today())
        method = EditMessageText(
            chat_id=self.chat_id,
            message_id=record.staff_message_id,
            text=card.html,
            parse_mode="HTML",
            reply_markup=_keyboard(card.buttons),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        try:
            await self._send.call(self.chat_id, method)
        except TelegramBadRequest as exc:
            description = exc.message.lower()
            if _NOT_MODIFIED in description:
                return str(record.staff_message_id)  # already shows this state
            if any(gone in description for gone in _EDIT_GONE):
                # deleted by someone in the group: the card is sent again, without the
                # album, which was sent with the first one
                log.info("card of request %s is gone; sending it again", record.number)
                return await self._first_card(item, with_album=False)
            raise PermanentFailure(_describe(exc)) from None
        return str(record.staff_message_id)

    async def _text(self, row: OutboxRow) -> str | None:
        html = row.payload.get("html")
        if not isinstance(html, str) or not html.strip():
            raise PermanentFailure("staff text without html")
        department = row.payload.get("department")
        thread = await self._thread(department) if isinstance(department, str) else None
        reply_to, reply = row.payload.get("reply_to"), None
        if isinstance(reply_to, int):
            # under a card, in its topic; sent anyway if the card was deleted
            given = row.payload.get("thread")
            thread = given if isinstance(given, int) else None
            reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
        method = SendMessage(
            chat_id=self.chat_id,
            message_thread_id=thread,
            text=html,
            parse_mode="HTML",
            reply_parameters=reply,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        try:
            message = await self._send.call(self.chat_id, method, reserve=EDIT_RESERVE)
        except TelegramBadRequest as exc:
            raise PermanentFailure(_describe(exc)) from None
        return str(message.message_id)

    # ---- new requests: one card each, or digests --------------------------------------

    async def _announce(
        self, new: list[tuple[OutboxRow, _Loaded]]
    ) -> AsyncIterator[tuple[int, Outcome]]:
        """One card per request while the group has room for them all; otherwise digests
        of up to ten, one message each, so a burst costs a tenth of the budget."""
        room = await self._send.room(self.chat_id) - EDIT_RESERVE
        if len(new) <= 1 or len(new) <= room:
            blocked: RetryAfter | None = None
            for row, item in new:
                if blocked is not None:
                    yield row.id, RetryAfter(blocked.seconds, blocked.reason)
                    continue
                sent = await _outcome(self._first_card(item))
                if isinstance(sent, RetryAfter):
                    blocked = sent
                yield row.id, sent
            return
        by_department: dict[str, list[tuple[OutboxRow, _Loaded]]] = defaultdict(list)
        for row, item in new:
            by_department[item.department if self._forum else ""].append((row, item))
        blocked = None
        for department, items in by_department.items():
            for start in range(0, len(items), DIGEST_SIZE):
                chunk = items[start : start + DIGEST_SIZE]
                if blocked is not None:
                    outcome: Outcome = RetryAfter(blocked.seconds, blocked.reason)
                else:
                    outcome = await _outcome(self._digest(department, chunk))
                    if isinstance(outcome, RetryAfter):
                        blocked = outcome
                for row, _item in chunk:
                    yield row.id, outcome

    async def _digest(self, department: str, chunk: list[tuple[OutboxRow, _Loaded]]) -> str | None:
        if len(chunk) == 1:
            return await self._first_card(chunk[0][1])
        thread = await self._thread(department) if department else None
        digest = self._renderer.digest([item.record for _row, item in chunk], today=self._today())
        message = await self._post(thread, digest.html, digest.buttons)
        log.info("%d new requests announced in one digest", len(chunk))
        return str(message.message_id)

    # ---- albums -----------------------------------------------------------------------

    async def _album(self, row: OutboxRow, item: _Loaded) -> str | None:
        """The request's files under its card: photos in albums of up to ten, documents in
        their own (Telegram does not mix the two in one album). Files that came through
        Telegram go by file_id; others are uploaded from the media store by checksum."""
        record = item.record
        first = int(row.payload.get("first", 0))
        calls = self._album_calls(record, record.attachments[first:])
        if not calls:
            raise Skipped("no attachment can be sent")
        done = int(row.payload.get(PARTS_SENT, 0))
        last: int | None = None
        for index in range(done, len(calls)):
            progress = index if index > done else None
            method, cost = calls[index]
            try:
                result: object = await self._send.call(
                    self.chat_id,
                    cast(TelegramMethod[Any], method),
                    cost=cost,
                    parts_sent=progress,
                    reserve=EDIT_RESERVE,
                )
            except TelegramBadRequest as exc:
                raise PermanentFailure(_describe(exc), parts_sent=progress) from None
            last = _message_id(result) or last
        return None if last is None else str(last)

    def _album_calls(
        self, record: RequestRecord, attachments: Sequence[AttachmentRecord]
    ) -> list[tuple[SendMediaGroup | SendPhoto | SendDocument, int]]:
        # each file with the words the person sent with it (Telegram allows 1024 characters)
        photos: list[tuple[str | InputFile, str | None]] = []
        documents: list[tuple[str | InputFile, str | None]] = []
        for attachment in attachments:
            source = self._source(record, attachment)
            if source is None:
                continue
            caption = (attachment.caption or "").strip()
            if len(caption) > _CAPTION_MAX:
                caption = caption[: _CAPTION_MAX - 1] + "…"
            (photos if attachment.kind == "photo" else documents).append((source, caption or None))
        reply = (
            ReplyParameters(message_id=record.staff_message_id, allow_sending_without_reply=True)
            if record.staff_message_id is not None
            else None
        )
        thread = record.staff_thread_id
        calls: list[tuple[SendMediaGroup | SendPhoto | SendDocument, int]] = []
        for files, is_photo in ((photos, True), (documents, False)):
            for start in range(0, len(files), _ALBUM_MAX):
                chunk = files[start : start + _ALBUM_MAX]
                if len(chunk) == 1:
                    ((file, single_caption),) = chunk
                    single: SendPhoto | SendDocument = (
                        SendPhoto(chat_id=self.chat_id, message_thread_id=thread, photo=file,
                                  caption=single_caption, reply_parameters=reply)
                        if is_photo
                        else SendDocument(chat_id=self.chat_id, message_thread_id=thread,
                                          document=file, caption=single_caption,
                                          reply_parameters=reply)
                    )  # fmt: skip
                    calls.append((single, 1))
                    continue
                media: list[Any] = [
                    InputMediaPhoto(media=f, caption=c)
                    if is_photo
                    else InputMediaDocument(media=f, caption=c)
                    for f, c in chunk
                ]
                calls.append(
                    (
                        SendMediaGroup(
                            chat_id=self.chat_id,
                            message_thread_id=thread,
                            media=media,
                            reply_parameters=reply,
                        ),
                        len(chunk),  # every file of an album counts as a message
                    )
                )
        return calls

    def _source(
        self, record: RequestRecord, attachment: AttachmentRecord
    ) -> str | InputFile | None:
        if record.channel == "telegram" and not attachment.ref.startswith(STORE_REF):
            return attachment.ref  # a file_id of this bot: no upload needed
        # otherwise the bytes are ours (another channel's, or a photo converted to JPEG)
        if attachment.checksum and self._media.exists(attachment.checksum):
            name = attachment.file_name or f"{attachment.kind}-{attachment.checksum[:8]}"
            return BufferedInputFile(self._media.read(attachment.checksum), filename=name)
        log.warning("request %s: an attachment is not in the media store", record.number)
        return None

    # ---- forum topics -----------------------------------------------------------------

    async def _thread(self, department: str) -> int | None:
        """The department's topic when the group is a forum; created on first use."""
        if not self._forum:
            return None
        if department in self._topics:
            return self._topics[department]
        async with self._sessions() as session:
            known = await session.scalar(
                select(StaffTopic.thread_id).where(
                    StaffTopic.chat_id == self.chat_id, StaffTopic.department == department
                )
            )
        if known is not None:
            self._topics[department] = known
            return known
        name = self._renderer.views.department(department)
        try:
            topic = await self._send.call(
                self.chat_id, CreateForumTopic(chat_id=self.chat_id, name=name[:128])
            )
        except TelegramBadRequest as exc:
            # not a forum, or the bot may not manage topics: the group itself will do
            log.warning(
                "cannot create a topic for %s (%s); using the group", department, exc.message
            )
            return None
        thread = topic.message_thread_id
        try:
            async with self._transaction() as session:
                session.add(
                    StaffTopic(chat_id=self.chat_id, department=department, thread_id=thread)
                )
        except IntegrityError:
            # another worker created one at the same moment: use theirs, remove ours
            async with self._sessions() as session:
                winner = await session.scalar(
                    select(StaffTopic.thread_id).where(
                        StaffTopic.chat_id == self.chat_id, StaffTopic.department == department
                    )
                )
            try:
                await self._send.bot(
                    DeleteForumTopic(chat_id=self.chat_id, message_thread_id=thread)
                )
            except TelegramAPIError:
                log.info("could not delete a duplicate topic for %s", department)
            assert winner is not None
            thread = winner
        self._topics[department] = thread
        return thread

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction that takes SQLite's write lock at BEGIN."""
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session


async def _outcome(job: Awaitable[str | None]) -> Outcome:
    try:
        result = await job
    except DeliveryError as error:
        return error
    return result


def _keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.label, callback_data=b.data) for b in row] for row in rows
        ]
    )
