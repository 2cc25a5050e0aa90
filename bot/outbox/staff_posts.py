"""Posting into the staff group, one message at a time: a request's card (sent once,
where it is recorded, then edited in place, sent anew when someone deleted it), a staff
text under a card (with the weekly report's chart), in the department's forum topic
(repaired when it was deleted or closed), within the group's budget.
:class:`bot.outbox.telegram_staff.TelegramStaffDelivery` decides what to post and when.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import EditMessageText, SendMessage, TelegramMethod
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, utcnow
from bot.db.requests_repo import (
    RequestRecord,
    record_staff_card,
)
from bot.media_store import MediaStore
from bot.outbox.handlers import (
    PARTS_SENT,
    OutboxRow,
    PermanentFailure,
)
from bot.outbox.queue import STAFF
from bot.outbox.ratelimit import RateLimiter, TelegramLimits
from bot.outbox.staff_chart import CHART_PART, send_chart
from bot.outbox.staff_group import GroupSender, StaffGroupState
from bot.outbox.staff_topics import StaffTopics, topic_trouble
from bot.outbox.telegram_send import REQUEST_TIMEOUT_S, describe
from bot.staff.cards import Button, CardRenderer
from domain.sla import riyadh_date

log = logging.getLogger(__name__)

_NOT_MODIFIED: Final = "message is not modified"
#: Messages of the group's budget that new posts leave for the cards' edits, so an officer's
#: take or decision shows on the card at once even while a burst of new requests goes out.
EDIT_RESERVE: Final = 3
#: Edits that cannot be done, so the card is sent anew.
_EDIT_GONE: Final = ("message to edit not found", "message can't be edited", "message_id_invalid")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A request read for delivery: its row id, its record and its department."""

    id: int
    record: RequestRecord
    department: str


class StaffPosts:
    """The staff group's messages: cards and texts (see the module)."""

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

    async def _first_card(self, item: Loaded, *, with_album: bool = True) -> str | None:
        card = self._renderer.card(item.record, today=self._today())
        message, thread = await self._post(item.department, card.html, card.buttons)
        # where the card is, and its documents to follow, in one transaction: a card never
        # gets its album twice nor loses it
        async with self._transaction() as session:
            await record_staff_card(
                session, item.id, chat_id=self.chat_id, thread_id=thread,
                message_id=message.message_id,
            )  # fmt: skip
            count = await _filed_files(session, item) if with_album else 0
            if count:
                session.add(
                    OutboxMessage(
                        kind="staff_album", channel=STAFF, target=STAFF, request_id=item.id,
                        payload={"number": item.record.number, "first": 0, "count": count},
                        next_attempt_at=utcnow(),
                    )
                )  # fmt: skip
        return str(message.message_id)

    async def _edit_card(self, item: Loaded) -> str | None:
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


async def _filed_files(session: AsyncSession, item: Loaded) -> int:
    """How many of the request's files its card's album carries: those it had when filed,
    i.e. up to the first file an album row of a later batch (an answer, a note) already
    covers. Files added before the card first went out (a note while the group's budget
    held the card back) have their own row; counting them here too posted them twice."""
    count = len(item.record.attachments)
    batches = await session.scalars(
        select(OutboxMessage.payload).where(
            OutboxMessage.kind == "staff_album", OutboxMessage.request_id == item.id
        )
    )
    for payload in batches:
        first = int(payload.get("first") or 0)
        if first > 0:
            count = min(count, first)
    return count
