"""The person's say after filing (issue 13) on SQL: :class:`TheirSayDesk` is the desk's
door to the use cases of :mod:`officers.their_say`, and :class:`SqlSayUnit` their store,
inside the desk's own transaction (:mod:`bot.staff.desk_sql`) and the outbox.

The batching of notes is kept in SQL: a note joins the request's ``staff_text`` outbox row
that still waits to go (unsent, untried, unclaimed, due later), or opens one due
``wait`` later, so two workers taking notes at once share one row under the request's
lock. The words are :class:`bot.staff.say_words.SayWords`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage, Rating, Request, StatusEvent
from bot.db.requests_repo import RequestRecord
from bot.outbox.queue import STAFF
from bot.staff.say_words import SayWords
from conversations.ports import AttachmentInfo, Note
from domain.status import FINAL, RequestStatus
from officers.desk import KEPT
from officers.say_port import SayRow
from officers.their_say import NOTE as NOTE
from officers.their_say import NOTE_BATCH_S, TheirSay
from officers.their_say import RECONSIDER as RECONSIDER

if TYPE_CHECKING:
    from bot.staff.desk_sql import SqlDeskStore, SqlDeskUnit

NOTES_KEY: Final = "notes:"
_DECIDED: Final = [s.value for s in FINAL]


class TheirSayDesk:
    """Mixed into :class:`bot.staff.desk.StaffDesk`, which gives it the desk's SQL store
    (``_sql``), clock, decision grace and words; each method is the use case of
    :class:`officers.their_say.TheirSay` of the same name. ``note_batch_s``: see
    :data:`officers.their_say.NOTE_BATCH_S`."""

    note_batch_s: int = NOTE_BATCH_S

    if TYPE_CHECKING:
        # provided by the StaffDesk this is mixed into
        _clock: Callable[[], dt.datetime]
        _grace: dt.timedelta
        _say: SayWords
        _sql: SqlDeskStore
        _sessions: async_sessionmaker[AsyncSession]

    @property
    def _their_say(self) -> TheirSay[RequestRecord, AttachmentInfo]:
        return TheirSay(
            SqlSayStore(self._sql, self._say),
            self._say,
            clock=self._clock,
            grace=self._grace,
            note_batch_s=self.note_batch_s,
        )

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        """See :meth:`officers.their_say.TheirSay.may_say`."""
        await self._their_say.may_say(what, number, channel, user_key)

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        """See :meth:`officers.their_say.TheirSay.rate`."""
        await self._their_say.rate(number, channel, user_key, rating)

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None:
        """See :meth:`officers.their_say.TheirSay.comment`."""
        await self._their_say.comment(number, channel, user_key, text)

    async def add_note(self, note: Note) -> RequestRecord:
        """See :meth:`officers.their_say.TheirSay.add_note`."""
        return await self._their_say.add_note(
            note.number, note.channel, note.user_key, note.text, note.attachments
        )

    async def reconsider(
        self,
        number: str,
        channel: str,
        user_key: str,
        reason: str,
        files: Sequence[AttachmentInfo] = (),
    ) -> None:
        """See :meth:`officers.their_say.TheirSay.reconsider`."""
        await self._their_say.reconsider(number, channel, user_key, reason, files)

    async def add_to_reconsideration(
        self, number: str, channel: str, user_key: str, files: Sequence[AttachmentInfo]
    ) -> None:
        """See :meth:`officers.their_say.TheirSay.add_to_reconsideration`."""
        await self._their_say.add_to_reconsideration(number, channel, user_key, files)

    async def untold(self, numbers: Collection[str]) -> frozenset[str]:
        """Which of the decided requests ``numbers`` hold a decision the person has not
        been told of yet (:func:`notice_waiting`): what the status answer leaves out, by
        the same fact a rating or a reconsideration is refused by. One session for all;
        nothing is asked with no grace (a decision is told at once) or no numbers."""
        if self._grace <= dt.timedelta(0) or not numbers:
            return frozenset()
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(Request.id, Request.number, Request.status).where(
                        Request.number.in_(list(numbers)), Request.status.in_(_DECIDED)
                    )
                )
            ).all()
            return frozenset(
                [
                    number
                    for request_id, number, status in rows
                    if await notice_waiting(session, request_id, status)
                ]
            )


class SqlSayStore:
    """The say's transactions (see :class:`officers.say_port.SayStore`): the desk's own
    (``desk``), so the say and the officers' actions lock the same row the same way."""

    def __init__(self, desk: SqlDeskStore, words: SayWords) -> None:
        self._desk = desk
        self._words = words

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlSayUnit]:
        async with self._desk.transaction() as unit:
            yield SqlSayUnit(unit, self._words)


class SqlSayUnit:
    """One desk transaction as :class:`officers.say_port.SayUnit`; rows handed out are the
    ``Request`` rows themselves, so what the use cases change is written at its end."""

    def __init__(self, unit: SqlDeskUnit, words: SayWords) -> None:
        self._unit = unit
        self._say = words

    async def owned(self, number: str, channel: str, user_key: str) -> Request | None:
        """One query for a missing request and someone else's."""
        found: Request | None = await self._unit.session.scalar(
            select(Request)
            .where(
                Request.number == number, Request.channel == channel, Request.user_key == user_key
            )
            .with_for_update()
        )
        return found

    async def decided_at(self, request: SayRow) -> dt.datetime | None:
        decided: dt.datetime | None = await self._unit.session.scalar(
            self._decision(request, StatusEvent.at)
        )
        return decided

    async def decider(self, request: SayRow) -> str | None:
        decider: str | None = await self._unit.session.scalar(
            self._decision(request, StatusEvent.actor)
        )
        return decider

    async def decision(self, request: SayRow) -> int | None:
        decision: int | None = await self._unit.session.scalar(
            self._decision(request, StatusEvent.id)
        )
        return decision

    async def notice_waiting(self, request: SayRow) -> bool:
        """See :func:`notice_waiting`."""
        row = _row(request)
        return await notice_waiting(self._unit.session, row.id, row.status)

    def _decision(self, request: SayRow, column: Any) -> Any:
        """The query of ``column`` of the trail entry that moved the request into the
        status it has now (the latest such entry)."""
        row = _row(request)
        return (
            select(column)
            .where(
                StatusEvent.request_id == row.id,
                StatusEvent.kind.is_(None),
                StatusEvent.to_status == row.status,
                StatusEvent.from_status != StatusEvent.to_status,
            )
            .order_by(StatusEvent.id.desc())
            .limit(1)
        )

    async def reconsidered(self, request: SayRow) -> bool:
        return await self._unit.reconsidered(_row(request))

    def record(
        self,
        request: SayRow,
        actor: str,
        from_status: RequestStatus | None,
        to_status: RequestStatus,
        reason: str | None,
        *,
        at: dt.datetime,
        kind: str | None = None,
    ) -> None:
        self._unit.record(_row(request), actor, from_status, to_status, reason, at=at, kind=kind)

    def keep_rating(
        self, request: SayRow, *, decision: int | None, rating: int, at: dt.datetime
    ) -> None:
        self._unit.session.add(
            Rating(request_id=_row(request).id, decision=decision, rating=rating, rated_at=at)
        )

    async def keep_comment(self, request: SayRow, text: str) -> None:
        # under the request's row lock: no other rating of it is being written
        session = self._unit.session
        latest = await session.scalar(
            select(Rating)
            .where(Rating.request_id == _row(request).id)
            .order_by(Rating.id.desc())
            .limit(1)
        )
        if latest is not None:
            latest.comment = text

    def word_to_staff(self, request: SayRow, html: str) -> None:
        self._unit.word_to_staff(_row(request), html)

    async def refresh_card(self, request: SayRow) -> None:
        await self._unit.refresh_card(_row(request))

    async def add_files(
        self, request: SayRow, files: Sequence[AttachmentInfo], *, at: dt.datetime
    ) -> int:
        return await self._unit.add_files(_row(request), files, at=at)

    def send_files(self, request: SayRow, *, first: int, count: int) -> None:
        self._unit.send_files(_row(request), first=first, count=count)

    async def read(self, request: SayRow) -> RequestRecord:
        return await self._unit.read(_row(request), refresh_card=False)

    async def announce_note(
        self, request: SayRow, text: str, files: int, *, at: dt.datetime, wait: dt.timedelta
    ) -> None:
        """Joins the note to the request's staff message still waiting to go, or opens one
        that waits ``wait`` for more."""
        unit, row, now = self._unit, _row(request), at
        pending = await unit.session.scalar(
            select(OutboxMessage)
            .where(
                OutboxMessage.kind == "staff_text",
                OutboxMessage.request_id == row.id,
                OutboxMessage.dedupe_key.like(f"{NOTES_KEY}{row.number}:%"),
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.attempts == 0,
                OutboxMessage.delivery_status == "queued",
                OutboxMessage.next_attempt_at > now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .with_for_update()
        )
        entry: dict[str, Any] = {"text": text, "files": files}
        if pending is not None:
            notes = [*pending.payload.get("notes", []), entry]
            # a new dict, so the JSON column is seen as changed
            pending.payload = {**pending.payload, "notes": notes,
                               "html": self._say.notes(row.number, notes)}  # fmt: skip
            return
        payload: dict[str, Any] = {
            "notes": [entry],
            "html": self._say.notes(row.number, [entry]),
        }
        if row.staff_message_id is not None:
            payload["reply_to"] = row.staff_message_id
            payload["thread"] = row.staff_thread_id
        else:
            department = unit.department(row.service_id)
            if department is not None:
                payload["department"] = department
        unit.session.add(
            OutboxMessage(
                kind="staff_text", channel=STAFF, target=STAFF, request_id=row.id,
                payload=payload, dedupe_key=f"{NOTES_KEY}{row.number}:{uuid.uuid4().hex[:12]}",
                created_at=now, next_attempt_at=now + wait,
            )
        )  # fmt: skip


def _row(request: SayRow) -> Request:
    """The SQL row behind a row this store handed out (it hands out no other kind)."""
    assert isinstance(request, Request), type(request)
    return request


@dataclass(frozen=True, slots=True)
class DecisionRating:
    """One decision's rating as kept (``ratings``, migration 0011): the request's number
    and service, the decision's trail entry (None for a rating kept before 0010), the
    rating 1-5, whether it came with a comment (its words are the person's, not the
    report's) and when (aware UTC)."""

    number: str
    service_id: str
    decision: int | None
    rating: int
    commented: bool
    rated_at: dt.datetime


async def decision_ratings(
    session: AsyncSession, *, since: dt.datetime | None = None
) -> list[DecisionRating]:
    """Every decision's rating, or those given from ``since`` on (aware UTC), oldest first:
    a request reopened and decided again has one for each decision rated, the first one's
    included (:func:`ratings` counts the decision that stands, once per request)."""
    query = (
        select(Request.number, Request.service_id, Rating)
        .join(Rating, Rating.request_id == Request.id)
        .order_by(Rating.rated_at, Rating.id)
    )
    if since is not None:
        query = query.where(Rating.rated_at >= since)
    return [
        DecisionRating(number, service, row.decision, row.rating, bool(row.comment), row.rated_at)
        for number, service, row in await session.execute(query)
    ]


async def ratings(
    session: AsyncSession, *, since: dt.datetime | None = None
) -> list[tuple[str, int]]:
    """(service id, rating) of every rated request, or of those rated from ``since`` on
    (aware UTC)."""
    # the request's own columns: the decision that stands, once per request, as before
    # ratings were kept per decision (decision_ratings has them all)
    query = select(Request.service_id, Request.satisfaction).where(
        Request.satisfaction.is_not(None)
    )
    if since is not None:
        query = query.where(Request.satisfaction_at >= since)
    rows = await session.execute(query)
    return [(service, int(rating or 0)) for service, rating in rows]


async def notice_waiting(session: AsyncSession, request_id: int, status: str) -> bool:
    """Whether the notice of the decision that put request ``request_id`` in ``status``
    still waits to go, so the person has not been told of it (and an officer may take it
    back unseen). The decision's notice is the request's latest ``notify`` row (as for an
    undo, :meth:`bot.staff.desk_sql.SqlDeskUnit.latest_notice`), unless the rejection was
    kept since (its notice, later, comes after the person was told). Waiting: it tells
    the current status and has no ``sent_at``, no attempt and no sender's claim: facts the
    one sender that took it wrote, read alike by every worker whatever its clock (review
    11, §3). False for a request with no decision."""
    decision = await session.scalar(
        select(StatusEvent.id)
        .where(
            StatusEvent.request_id == request_id,
            StatusEvent.kind.is_(None),
            StatusEvent.to_status == status,
            StatusEvent.from_status != StatusEvent.to_status,
        )
        .order_by(StatusEvent.id.desc())
        .limit(1)
    )
    if decision is None:
        return False
    kept_since = await session.scalar(
        select(StatusEvent.id)
        .where(
            StatusEvent.request_id == request_id,
            StatusEvent.kind == KEPT,
            StatusEvent.id > decision,
        )
        .limit(1)
    )
    if kept_since is not None:
        return False
    notice = await session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.request_id == request_id, OutboxMessage.kind == "notify")
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    if notice is None or notice.payload.get("status") != status:
        return False
    return notice.sent_at is None and notice.attempts == 0 and notice.claimed_until is None
