"""Delivering the staff group's rows through the Telegram Bot API (outbox channel
``"staff"``): the request cards (HTML, everything escaped by the views), their albums,
and staff texts. The first delivery of a card sends it and records where it is; later
ones edit it in place. When more new requests are due than the group's budget (20 a
minute) allows now, they go out as digests of up to ten with a take button each.

Every call asks the shared :class:`~bot.outbox.ratelimit.RateLimiter` for room first and
answers :class:`~bot.outbox.handlers.RetryAfter` instead of waiting. A row that takes
several calls (photos and PDFs in separate albums) records how many went out when it is
interrupted (``parts_sent``), so a retry sends only the rest.

This module decides what goes out and in which order (edits, first cards, texts, new
requests or digests, albums); :mod:`bot.outbox.staff_posts` posts and edits each message.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import partial
from typing import Any, cast

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import TelegramMethod

from bot.db.models import Request
from bot.db.requests_repo import (
    select_requests,
    to_record,
    with_related,
)
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
from bot.outbox.staff_albums import AlbumCall, album_calls
from bot.outbox.staff_posts import EDIT_RESERVE, Loaded, StaffPosts
from bot.outbox.telegram_send import describe, message_id
from bot.outbox.telegram_send import outcome as settled
from bot.staff.cards import DIGEST_SIZE
from domain.status import RequestStatus

log = logging.getLogger(__name__)


class TelegramStaffDelivery(StaffPosts):
    """Cards, albums and texts in the staff group (a batch handler: see
    :class:`~bot.outbox.handlers.BatchDeliveryHandler`)."""

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
        edits: list[tuple[OutboxRow, Loaded]] = []
        firsts: list[tuple[OutboxRow, Loaded]] = []
        new: list[tuple[OutboxRow, Loaded]] = []
        albums: list[tuple[OutboxRow, Loaded]] = []
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

    async def _load(self, ids: Sequence[int]) -> dict[int, Loaded]:
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
                loaded[request.id] = Loaded(request.id, record, department)
            return loaded

    # ---- new requests: one card each, or digests --------------------------------------

    async def _announce(
        self, new: list[tuple[OutboxRow, Loaded]]
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
        by_department: dict[str, list[tuple[OutboxRow, Loaded]]] = defaultdict(list)
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

    async def _digest(self, department: str, chunk: list[tuple[OutboxRow, Loaded]]) -> str | None:
        if len(chunk) == 1:
            return await self._first_card(chunk[0][1])
        digest = self._renderer.digest([item.record for _row, item in chunk], today=self._today())
        message, _thread = await self._post(department or None, digest.html, digest.buttons)
        log.info("%d new requests announced in one digest", len(chunk))
        return str(message.message_id)

    # ---- albums -----------------------------------------------------------------------

    async def _album(self, row: OutboxRow, item: Loaded) -> str | None:
        """The request's files under its card: photos in albums of up to ten, documents in
        their own (Telegram does not mix the two in one album). Files that came through
        Telegram go by file_id; others are uploaded from the media store by checksum."""
        record = item.record
        first = int(row.payload.get("first", 0))
        count = row.payload.get("count")
        files = record.attachments[first : None if count is None else first + int(count)]
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
