"""The staff desk's part for the person's say after filing (issue 13): a note or document
joining an open request, the satisfaction rating and comment after a decision, a request
to reconsider a rejection (the officers' answer to it, reopen or keep rejected, is a use
case of :mod:`officers.desk`).

Each is one transaction on the request's row lock, like every desk action (see
:mod:`bot.staff.desk_sql`), so two workers taking the same person's taps cannot both rate,
both ask to reconsider, or lose a note. Notes are announced under the card in batches: a
note opens one staff message that waits :data:`NOTE_BATCH_S`, and the notes that follow
within that time join it, so officers get one message, sent at the group's pace by the
outbox, rather than one per line the person types.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OutboxMessage, Request, StatusEvent
from bot.db.requests_repo import RequestRecord
from bot.outbox.queue import STAFF
from bot.staff.say_words import SayWords
from conversations.ports import Note, SayRefused
from domain.status import FINAL, RequestStatus
from domain.their_say import (
    MAX_NOTE,
    is_low,
    may_add_note,
    may_comment,
    may_rate,
    may_reconsider,
)
from officers.officer import resident_actor

if TYPE_CHECKING:
    from bot.staff.desk_sql import SqlDeskStore, SqlDeskUnit

#: How long a note's staff message waits for more notes to join it (seconds).
NOTE_BATCH_S: Final = 60
NOTES_KEY: Final = "notes:"
RECONSIDER: Final = "reconsider"
NOTE: Final = "note"


class TheirSayDesk:
    """Mixed into :class:`bot.staff.desk.StaffDesk`, which gives it the desk's SQL store
    (``_sql``: the transactions of :class:`bot.staff.desk_sql.SqlDeskStore`); the
    officers' answers to a reconsideration are use cases of :mod:`officers.desk`."""

    note_batch_s: int = NOTE_BATCH_S

    if TYPE_CHECKING:
        # provided by the StaffDesk this is mixed into
        _clock: Callable[[], dt.datetime]
        _grace: dt.timedelta
        _say: SayWords
        _sql: SqlDeskStore

    # ---- the person -------------------------------------------------------------------

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        """Raises :class:`SayRefused` when a "note", "recon" or "comment" could not be
        taken now (see :mod:`domain.their_say`)."""
        async with self._sql.transaction() as unit:
            request = await self._owned(unit, number, channel, user_key)
            refusal = self._refusal(
                what, request, await unit.reconsidered(request),
                told=await self._told(unit, request),
            )  # fmt: skip
            if refusal is not None:
                raise SayRefused(number, refusal)

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        """Stores the person's satisfaction (1-5) with the decided request, once."""
        async with self._sql.transaction() as unit:
            request = await self._owned(unit, number, channel, user_key)
            refusal = may_rate(
                RequestStatus(request.status),
                rated=request.satisfaction is not None,
                told=await self._told(unit, request),
            )
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.satisfaction, request.satisfaction_at = rating, self._clock()

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None:
        """The comment that goes with the rating; a low rating's comment is posted under
        the card for the officers."""
        text = text.strip()[:MAX_NOTE]
        async with self._sql.transaction() as unit:
            request = await self._owned(unit, number, channel, user_key)
            refusal = self._refusal("comment", request, False, told=True)
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.satisfaction_comment = text
            if request.satisfaction is not None and is_low(request.satisfaction) and text:
                unit.word_to_staff(
                    request, self._say.low_rating(number, request.satisfaction, text)
                )

    async def add_note(self, note: Note) -> RequestRecord:
        """The note and its files join the open request and its audit trail, and are
        announced under the card with the notes that follow within the batch window."""
        text = note.text.strip()[:MAX_NOTE]
        async with self._sql.transaction() as unit:
            request = await self._owned(unit, note.number, note.channel, note.user_key)
            refusal = may_add_note(RequestStatus(request.status))
            if refusal is not None:
                raise SayRefused(note.number, refusal)
            had = await unit.add_files(request, note.attachments, at=self._clock())
            files = len(note.attachments)
            self._same_status(
                unit, request, resident_actor(note.channel, note.user_key), NOTE,
                self._say.note_audit(text, files),
            )  # fmt: skip
            await self._batch_note(unit, request, text, files)
            record = await unit.read(request, refresh_card=False)
            if files:
                unit.send_files(request, first=had)
            return record

    async def reconsider(self, number: str, channel: str, user_key: str, reason: str) -> None:
        """The person asks, once and with a reason, for the rejection to be reconsidered:
        the card shows it as a proposal to reopen, and a word goes under it."""
        reason = reason.strip()[:MAX_NOTE]
        if not reason:
            raise SayRefused(number, "not_decided")
        async with self._sql.transaction() as unit:
            request = await self._owned(unit, number, channel, user_key)
            refusal = self._refusal(
                "recon", request, await unit.reconsidered(request),
                told=await self._told(unit, request),
            )  # fmt: skip
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.reconsider_reason = reason
            self._same_status(unit, request, resident_actor(channel, user_key), RECONSIDER, reason)
            unit.word_to_staff(request, self._say.reconsider(number, reason))
            await unit.refresh_card(request)

    # ---- internals --------------------------------------------------------------------

    async def _owned(self, unit: SqlDeskUnit, number: str, channel: str, user_key: str) -> Request:
        """The request under its row lock, when this chat filed it. One answer for a
        missing request and someone else's, after the same query."""
        request = await unit.session.scalar(
            select(Request)
            .where(
                Request.number == number, Request.channel == channel, Request.user_key == user_key
            )
            .with_for_update()
        )
        if request is None:
            raise SayRefused(number, "not_theirs")
        return request

    async def _told(self, unit: SqlDeskUnit, request: Request) -> bool:
        """Whether the person has been told of the request's decision, by the rule the
        status look-up shows it by (bot.gateway.told): the decision's notice goes out once
        its grace is over, and until then an officer may take it back unseen."""
        if RequestStatus(request.status) not in FINAL:
            return False
        # the move into the decision (a change of hands since leaves the status as it was)
        decided = await unit.session.scalar(
            select(StatusEvent.at)
            .where(
                StatusEvent.request_id == request.id,
                StatusEvent.kind.is_(None),
                StatusEvent.to_status == request.status,
                StatusEvent.from_status != StatusEvent.to_status,
            )
            .order_by(StatusEvent.id.desc())
            .limit(1)
        )
        return decided is None or self._clock() - decided >= self._grace

    def _refusal(
        self, what: str, request: Request, reconsidered: bool, *, told: bool
    ) -> str | None:
        status = RequestStatus(request.status)
        if what == "note":
            return may_add_note(status)
        if what == "recon":
            return may_reconsider(
                status,
                asked_before=reconsidered,
                pending=bool(request.reconsider_reason),
                told=told,
            )
        return may_comment(
            rated=request.satisfaction is not None,
            commented=request.satisfaction_comment is not None,
        )

    def _same_status(
        self, unit: SqlDeskUnit, request: Request, actor: str, kind: str, reason: str | None
    ) -> None:
        """An audit row that leaves the status as it was (a note, a reconsideration)."""
        now = self._clock()
        request.updated_at = now
        status = RequestStatus(request.status)
        unit.record(request, actor, status, status, reason, at=now, kind=kind)

    async def _batch_note(self, unit: SqlDeskUnit, request: Request, text: str, files: int) -> None:
        """Joins the note to the request's staff message still waiting to go, or opens one
        that waits :attr:`note_batch_s` for more."""
        now = self._clock()
        pending = await unit.session.scalar(
            select(OutboxMessage)
            .where(
                OutboxMessage.kind == "staff_text",
                OutboxMessage.request_id == request.id,
                OutboxMessage.dedupe_key.like(f"{NOTES_KEY}{request.number}:%"),
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
                               "html": self._say.notes(request.number, notes)}  # fmt: skip
            return
        payload: dict[str, Any] = {
            "notes": [entry],
            "html": self._say.notes(request.number, [entry]),
        }
        if request.staff_message_id is not None:
            payload["reply_to"] = request.staff_message_id
            payload["thread"] = request.staff_thread_id
        else:
            department = unit.department(request.service_id)
            if department is not None:
                payload["department"] = department
        unit.session.add(
            OutboxMessage(
                kind="staff_text", channel=STAFF, target=STAFF, request_id=request.id,
                payload=payload, dedupe_key=f"{NOTES_KEY}{request.number}:{uuid.uuid4().hex[:12]}",
                created_at=now, next_attempt_at=now + dt.timedelta(seconds=self.note_batch_s),
            )
        )  # fmt: skip


async def ratings(session: AsyncSession) -> list[tuple[str, int]]:
    """(service id, rating) of every rated request."""
    rows = await session.execute(
        select(Request.service_id, Request.satisfaction).where(Request.satisfaction.is_not(None))
    )
    return [(service, int(rating or 0)) for service, rating in rows]


def by_department(
    rated: Sequence[tuple[str, int]], department_of: Callable[[str], str]
) -> dict[str, tuple[float, int]]:
    """The average rating and how many, per department (a service retired from the
    catalogue since counts under its own id)."""
    sums: dict[str, list[int]] = {}
    for service, rating in rated:
        try:
            department = department_of(service)
        except KeyError:
            department = service
        sums.setdefault(department, []).append(rating)
    return {d: (sum(r) / len(r), len(r)) for d, r in sums.items()}
