"""Delivering the staff group's rows through the Telegram Bot API (outbox channel
``"staff"``): the request cards (HTML, everything escaped by the views), their albums,
and staff texts. The first delivery of a card sends it and records where it is; later
ones edit it in place. When more new requests are due than the group's budget (20 a
minute) allows now, they go out as digests of up to ten with a take button each.

Every call asks the shared :class:`~bot.outbox.ratelimit.RateLimiter` for room first and
answers :class:`~bot.outbox.handlers.RetryAfter` instead of waiting. A row that takes
several calls (photos and PDFs in separate albums) records how many went out when it is
interrupted (``parts_sent``), so a retry sends only the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, cast

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, Request, utcnow
from bot.db.requests_repo import (
    RequestRecord,
    record_staff_card,
    select_requests,
    to_record,
    with_related,
)
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
from bot.outbox.queue import STAFF
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.outbox.staff_albums import AlbumCall, album_calls
from bot.outbox.staff_chart import CHART_PART, send_chart
from bot.outbox.staff_group import GroupSender, StaffGroupState
from bot.outbox.staff_topics import StaffTopics, topic_trouble
from bot.outbox.telegram_send import REQUEST_TIMEOUT_S, describe, message_id
from bot.outbox.telegram_send import outcome as settled
from bot.staff.cards import DIGEST_SIZE, Button, CardRenderer
from domain.sla import riyadh_date
from domain.status import RequestStatus

log = logging.getLogger(__name__)

_NOT_MODIFIED: Final = "message is not modified"
#: Messages of the group's budget that new posts leave for the cards' edits, so an officer's
#: take or decision shows on the card at once even while a burst of new requests goes out.
EDIT_RESERVE: Final = 3
#: Edits that cannot be done, so the card is sent anew.
_EDIT_GONE: Final = ("message to edit not found", "message can't be edited", "message_id_invalid")


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
        state: StaffGroupState | None = None,
    ) -> None:
        self._sessions = sessions
        self.state = state or StaffGroupState(limiter.redis)
        self._send = GroupSender(
            bot, limiter, limits or TelegramLimits(), self.state, request_timeout
        )
        self._renderer = renderer
        self._media = media
        #: TAWASUL_STAFF_CHAT_ID; `chat_id` is where the group is now (after a migration)
        self.configured_chat_id = chat_id
        self.chat_id = chat_id
        self._forum = forum
        self._topics = StaffTopics(
            sessions, self._send, self.state, forum=forum, configured=topic_ids
        )
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
        self.chat_id = await self.state.chat_id(self.configured_chat_id)
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

        reached = False  # a card got through: whatever was wrong with the group is over

        async def settle(job: Callable[[], Awaitable[str | None]]) -> Outcome:
            nonlocal blocked, reached
            if blocked is not None:
                return RetryAfter(blocked.seconds, blocked.reason)
            outcome = await settled(job())
            if isinstance(outcome, RetryAfter) and outcome.parts_sent is None:
                blocked = outcome
            if not isinstance(outcome, DeliveryError):
                reached = True
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
                reached = reached or not isinstance(outcome, DeliveryError)
                yield row_id, outcome
        for row, item in albums:
            yield row.id, await settle(partial(self._album, row, item))
        if reached:
            await self.state.resolved()

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
        self, department: str | None, html: str, buttons: Sequence[Sequence[Button]]
    ) -> tuple[Message, int | None]:
        """A new HTML message with buttons in the staff group (a card or a digest), in the
        department's topic; returns it and the topic it went to."""

        def build(thread: int | None) -> SendMessage:
            return SendMessage(
                chat_id=self.chat_id,
                message_thread_id=thread,
                text=html,
                parse_mode="HTML",
                reply_markup=_keyboard(buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )

        try:
            message, thread = await self._in_topic(department, build, reserve=EDIT_RESERVE)
        except TelegramBadRequest as exc:
            raise PermanentFailure(describe(exc)) from None
        assert isinstance(message, Message)
        return message, thread

    async def _in_topic(
        self,
        department: str | None,
        build: Callable[[int | None], TelegramMethod[Any]],
        *,
        thread: int | None = None,
        cost: int = 1,
        parts_sent: int | None = None,
        reserve: int = 0,
    ) -> tuple[Any, int | None]:
        """Send `build(topic)` into the department's topic (or `thread`, when given); a
        topic found deleted or closed is repaired and the call made once more there."""
        if thread is None and department is not None:
            thread = await self._thread(department)
        try:
            result = await self._send.call(
                self.chat_id, build(thread), cost=cost, parts_sent=parts_sent, reserve=reserve
            )
            return result, thread
        except TelegramBadRequest as exc:
            if thread is None or department is None or not topic_trouble(exc):
                raise
            name = self._renderer.views.department(department)
            thread = await self._topics.repair(self.chat_id, department, name, thread, exc)
        result = await self._send.call(
            self.chat_id, build(thread), cost=cost, parts_sent=parts_sent, reserve=reserve
        )
        return result, thread

    async def _first_card(self, item: _Loaded, *, with_album: bool = True) -> str | None:
        card = self._renderer.card(item.record, today=self._today())
        message, thread = await self._post(item.department, card.html, card.buttons)
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
            raise PermanentFailure(describe(exc)) from None
        return str(record.staff_message_id)

    async def _text(self, row: OutboxRow) -> str | None:
        """The text, then its chart when the row carries one (the weekly report)."""
        chart = row.payload.get("chart")
        sent = None
        if int(row.payload.get(PARTS_SENT, 0)) < CHART_PART:
            sent = await self._text_only(row)
        if isinstance(chart, dict):
            department = row.payload.get("department")
            where = department if isinstance(department, str) else None

            async def send(build: Callable[[int | None], Any]) -> Any:
                message, _thread = await self._in_topic(
                    where, build, parts_sent=CHART_PART, reserve=EDIT_RESERVE
                )
                return message

            sent = await send_chart(self.chat_id, chart, self._media, send) or sent
        return sent

    async def _text_only(self, row: OutboxRow) -> str | None:
        html = row.payload.get("html")
        if not isinstance(html, str) or not html.strip():
            raise PermanentFailure("staff text without html")
        department = row.payload.get("department")
        where = department if isinstance(department, str) else None
        reply_to, reply, given = row.payload.get("reply_to"), None, None
        if isinstance(reply_to, int):
            # under a card, in its topic; sent anyway if the card was deleted
            given = row.payload.get("thread")
            given = given if isinstance(given, int) else None
            reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)

        def build(thread: int | None) -> SendMessage:
            return SendMessage(
                chat_id=self.chat_id,
                message_thread_id=thread,
                text=html,
                parse_mode="HTML",
                reply_parameters=reply,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )

        try:
            if reply is not None:
                # the card's own topic; repaired like any other when it is gone
                message, _thread = await self._in_topic(
                    where if given is not None else None,
                    build,
                    thread=given,
                    reserve=EDIT_RESERVE,
                )
            else:
                message, _thread = await self._in_topic(where, build, reserve=EDIT_RESERVE)
        except TelegramBadRequest as exc:
            raise PermanentFailure(describe(exc)) from None
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
                sent = await settled(self._first_card(item))
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
                    outcome = await settled(self._digest(department, chunk))
                    if isinstance(outcome, RetryAfter):
                        blocked = outcome
                for row, _item in chunk:
                    yield row.id, outcome

    async def _digest(self, department: str, chunk: list[tuple[OutboxRow, _Loaded]]) -> str | None:
        if len(chunk) == 1:
            return await self._first_card(chunk[0][1])
        digest = self._renderer.digest([item.record for _row, item in chunk], today=self._today())
        message, _thread = await self._post(department or None, digest.html, digest.buttons)
        log.info("%d new requests announced in one digest", len(chunk))
        return str(message.message_id)

    # ---- albums -----------------------------------------------------------------------

    async def _album(self, row: OutboxRow, item: _Loaded) -> str | None:
        """The request's files under its card: photos in albums of up to ten, documents in
        their own (Telegram does not mix the two in one album). Files that came through
        Telegram go by file_id; others are uploaded from the media store by checksum."""
        record = item.record
        first = int(row.payload.get("first", 0))
        files = record.attachments[first:]
        thread = record.staff_thread_id
        # the calls for each topic tried (a repaired topic needs them again), built once
        by_topic: dict[int | None, list[tuple[AlbumCall, int]]] = {}

        def calls_for(topic: int | None) -> list[tuple[AlbumCall, int]]:
            if topic not in by_topic:
                by_topic[topic] = album_calls(self.chat_id, record, files, topic, self._media)
            return by_topic[topic]

        calls = calls_for(thread)
        if not calls:
            raise Skipped("no attachment can be sent")
        done = int(row.payload.get(PARTS_SENT, 0))
        last: int | None = None
        department = item.department if thread is not None else None
        for index in range(done, len(calls)):
            progress = index if index > done else None

            def build(topic: int | None, index: int = index) -> TelegramMethod[Any]:
                return cast(TelegramMethod[Any], calls_for(topic)[index][0])

            try:
                result, thread = await self._in_topic(
                    department,
                    build,
                    thread=thread,
                    cost=calls[index][1],
                    parts_sent=progress,
                    reserve=EDIT_RESERVE,
                )
            except TelegramBadRequest as exc:
                raise PermanentFailure(describe(exc), parts_sent=progress) from None
            last = message_id(result) or last
        return None if last is None else str(last)

    # ---- forum topics -----------------------------------------------------------------

    async def _thread(self, department: str) -> int | None:
        """The department's topic when the group is a forum (see StaffTopics)."""
        name = self._renderer.views.department(department)
        return await self._topics.thread(self.chat_id, department, name)

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction that takes SQLite's write lock at BEGIN."""
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session


def _keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.label, callback_data=b.data) for b in row] for row in rows
        ]
    )
