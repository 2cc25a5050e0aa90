"""The staff desk's part for the person's say after filing (issue 13): a note or document
joining an open request, the satisfaction rating and comment after a decision, a request
to reconsider a rejection, and the officers' answer to it (reopen, or keep rejected).

Each is one transaction on the request's row lock, like every desk action (see
:mod:`bot.staff.desk`), so two workers taking the same person's taps cannot both rate,
both ask to reconsider, or lose a note. Notes are announced under the card in batches: a
note opens one staff message that waits :data:`NOTE_BATCH_S`, and the notes that follow
within that time join it, so officers get one message, sent at the group's pace by the
outbox, rather than one per line the person types.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Attachment, OutboxMessage, Request, StatusEvent
from bot.db.requests_repo import RequestRecord, resident_actor
from bot.outbox.queue import STAFF, notify_person, refresh_staff_card, staff_album
from bot.staff.actors import Officer
from bot.staff.say_words import SayWords
from conversations.events import Reply
from conversations.formatting import Digits, present
from conversations.notifications import status_name
from conversations.ports import Note, SayRefused
from conversations.their_say import kept_notice, reconsider_hint, reconsider_option, survey_reply
from domain.status import FINAL, RequestStatus
from domain.their_say import (
    MAX_NOTE,
    is_low,
    may_add_note,
    may_comment,
    may_rate,
    may_reconsider,
    survey_due,
)

#: How long a note's staff message waits for more notes to join it (seconds).
NOTE_BATCH_S: Final = 60
NOTES_KEY: Final = "notes:"
RECONSIDER: Final = "reconsider"
KEPT: Final = "kept"
NOTE: Final = "note"


class TheirSayDesk:
    """Mixed into :class:`bot.staff.desk.StaffDesk` (a mixin, not a
    :class:`bot.staff.desk_core.DeskCore`: the desk's queries read this module's ratings)."""

    note_batch_s: int = NOTE_BATCH_S

    if TYPE_CHECKING:
        # provided by the StaffDesk this is mixed into (bot.staff.desk_core.DeskCore)
        _clock: Callable[[], dt.datetime]
        _grace: dt.timedelta
        _arabic_digits: Digits
        _say: SayWords

        def _transaction(self) -> AbstractAsyncContextManager[AsyncSession]: ...
        async def _load(self, session: AsyncSession, number: str) -> Request: ...
        async def _claim(
            self,
            session: AsyncSession,
            request: Request,
            officer: Officer,
            offered: int | None,
            *,
            over: bool,
            ownership_first: bool = False,
        ) -> bool: ...
        def _staff_word(self, session: AsyncSession, request: Request, html: str) -> None: ...
        def _department(self, service_id: str) -> str | None: ...
        async def _reloaded(
            self, session: AsyncSession, request: Request, *, refresh: bool = True
        ) -> RequestRecord: ...
        def service_name(self, service_id: str, locale: str) -> str: ...
        async def reopen(
            self,
            number: str,
            officer: Officer,
            reason: str,
            *,
            offered: int | None = None,
            over: bool = False,
        ) -> RequestRecord: ...

    # ---- the person -------------------------------------------------------------------

    async def may_say(self, what: str, number: str, channel: str, user_key: str) -> None:
        """Raises :class:`SayRefused` when a "note", "recon" or "comment" could not be
        taken now (see :mod:`domain.their_say`)."""
        async with self._transaction() as session:
            request = await self._owned(session, number, channel, user_key)
            refusal = self._refusal(
                what, request, await self._reconsidered(session, request),
                told=await self._told(session, request),
            )  # fmt: skip
            if refusal is not None:
                raise SayRefused(number, refusal)

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        """Stores the person's satisfaction (1-5) with the decided request, once."""
        async with self._transaction() as session:
            request = await self._owned(session, number, channel, user_key)
            refusal = may_rate(
                RequestStatus(request.status),
                rated=request.satisfaction is not None,
                told=await self._told(session, request),
            )
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.satisfaction, request.satisfaction_at = rating, self._clock()

    async def comment(self, number: str, channel: str, user_key: str, text: str) -> None:
        """The comment that goes with the rating; a low rating's comment is posted under
        the card for the officers."""
        text = text.strip()[:MAX_NOTE]
        async with self._transaction() as session:
            request = await self._owned(session, number, channel, user_key)
            refusal = self._refusal("comment", request, False, told=True)
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.satisfaction_comment = text
            if request.satisfaction is not None and is_low(request.satisfaction) and text:
                self._staff_word(
                    session, request, self._say.low_rating(number, request.satisfaction, text)
                )

    async def add_note(self, note: Note) -> RequestRecord:
        """The note and its files join the open request and its audit trail, and are
        announced under the card with the notes that follow within the batch window."""
        text = note.text.strip()[:MAX_NOTE]
        async with self._transaction() as session:
            request = await self._owned(session, note.number, note.channel, note.user_key)
            refusal = may_add_note(RequestStatus(request.status))
            if refusal is not None:
                raise SayRefused(note.number, refusal)
            now = self._clock()
            had = await session.scalar(
                select(func.count(Attachment.id)).where(Attachment.request_id == request.id)
            )
            for item in note.attachments:
                session.add(
                    Attachment(
                        request_id=request.id, kind=item.kind, channel_ref=item.ref,
                        mime=item.mime, size=item.size, checksum=item.checksum,
                        file_name=item.file_name, caption=item.caption, created_at=now,
                    )
                )  # fmt: skip
            files = len(note.attachments)
            self._same_status(
                session, request, resident_actor(note.channel, note.user_key), NOTE,
                self._say.note_audit(text, files),
            )  # fmt: skip
            await self._batch_note(session, request, text, files)
            record = await self._reloaded(session, request, refresh=False)
            if files:
                staff_album(session, request, first=int(had or 0))
            return record

    async def reconsider(self, number: str, channel: str, user_key: str, reason: str) -> None:
        """The person asks, once and with a reason, for the rejection to be reconsidered:
        the card shows it as a proposal to reopen, and a word goes under it."""
        reason = reason.strip()[:MAX_NOTE]
        if not reason:
            raise SayRefused(number, "not_decided")
        async with self._transaction() as session:
            request = await self._owned(session, number, channel, user_key)
            refusal = self._refusal(
                "recon", request, await self._reconsidered(session, request),
                told=await self._told(session, request),
            )  # fmt: skip
            if refusal is not None:
                raise SayRefused(number, refusal)
            request.reconsider_reason = reason
            self._same_status(
                session, request, resident_actor(channel, user_key), RECONSIDER, reason
            )
            self._staff_word(session, request, self._say.reconsider(number, reason))
            await refresh_staff_card(session, request)

    # ---- the officers -----------------------------------------------------------------

    async def keep_rejected(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> RequestRecord:
        """Answers a reconsideration by keeping the rejection; the person is told. Another
        officer's request needs ``over`` (see :meth:`bot.staff.desk_core.DeskCore._claim`)."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            await self._claim(session, request, officer, offered, over=over)
            if request.status != RequestStatus.REJECTED.value or not request.reconsider_reason:
                raise SayRefused(number, "not_rejected")
            request.reconsider_reason = None
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            self._same_status(session, request, officer.signature, KEPT, None)
            notify_person(
                session,
                request,
                [
                    kept_notice(
                        request.locale, number,
                        self.service_name(request.service_id, request.locale),
                        request.decision_reason, self._arabic_digits,
                    )
                ],
                status=request.status,
                status_label=status_name(request.status, request.locale),
            )  # fmt: skip
            return await self._reloaded(session, request)

    async def reopen_on_request(
        self, number: str, officer: Officer, *, offered: int | None = None, over: bool = False
    ) -> RequestRecord:
        """Answers a reconsideration by reopening, with the person's reason as the why;
        the person is told it is being reviewed again."""
        record = await self.find_record(number)
        reason = record.reconsider_reason
        if record.status is not RequestStatus.REJECTED or not reason:
            raise SayRefused(number, "not_rejected")
        return await self.reopen(number, officer, reason, offered=offered, over=over)

    async def find_record(self, number: str) -> RequestRecord:
        """The request as it stands (raises RequestNotFound)."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            return await self._reloaded(session, request, refresh=False)

    # ---- internals --------------------------------------------------------------------

    def _survey_due(self, request: Request, to: RequestStatus) -> list[Reply]:
        """The satisfaction question after a decision, once per request (issue 13)."""
        if not survey_due(
            to,
            asked_before=request.survey_asked_at is not None,
            rated=request.satisfaction is not None,
        ):
            return []
        request.survey_asked_at = self._clock()
        return [survey_reply(request.locale, request.number, self._arabic_digits)]

    def _with_reconsider(self, request: Request, replies: list[Reply]) -> list[Reply]:
        """A rejection's notice offers to ask for it to be reconsidered (given only while
        the person has not asked once already)."""
        if not replies:
            return replies
        last = replies[-1]
        hint = reconsider_hint(request.locale)
        return [
            *replies[:-1],
            dataclasses.replace(
                last,
                text=f"{last.text}\n{present(hint, request.locale, self._arabic_digits)}",
                choices=(*last.choices, reconsider_option(request.locale, request.number)),
            ),
        ]

    async def _owned(
        self, session: AsyncSession, number: str, channel: str, user_key: str
    ) -> Request:
        """The request under its row lock, when this chat filed it. One answer for a
        missing request and someone else's, after the same query."""
        request = await session.scalar(
            select(Request)
            .where(
                Request.number == number, Request.channel == channel, Request.user_key == user_key
            )
            .with_for_update()
        )
        if request is None:
            raise SayRefused(number, "not_theirs")
        return request

    async def _reconsidered(self, session: AsyncSession, request: Request) -> bool:
        found = await session.scalar(
            select(StatusEvent.id)
            .where(StatusEvent.request_id == request.id, StatusEvent.kind == RECONSIDER)
            .limit(1)
        )
        return found is not None

    async def _told(self, session: AsyncSession, request: Request) -> bool:
        """Whether the person has been told of the request's decision, by the rule the
        status look-up shows it by (bot.gateway.told): the decision's notice goes out once
        its grace is over, and until then an officer may take it back unseen."""
        if RequestStatus(request.status) not in FINAL:
            return False
        # the move into the decision (a change of hands since leaves the status as it was)
        decided = await session.scalar(
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
        self, session: AsyncSession, request: Request, actor: str, kind: str, reason: str | None
    ) -> None:
        """An audit row that leaves the status as it was (a note, a reconsideration)."""
        now = self._clock()
        request.updated_at = now
        session.add(
            StatusEvent(
                request_id=request.id, actor=actor, at=now, from_status=request.status,
                to_status=request.status, reason=reason, kind=kind,
            )
        )  # fmt: skip

    async def _batch_note(
        self, session: AsyncSession, request: Request, text: str, files: int
    ) -> None:
        """Joins the note to the request's staff message still waiting to go, or opens one
        that waits :attr:`note_batch_s` for more."""
        now = self._clock()
        pending = await session.scalar(
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
            department = self._department(request.service_id)
            if department is not None:
                payload["department"] = department
        session.add(
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
