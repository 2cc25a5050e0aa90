"""The desk's store on SQL and the outbox (:class:`officers.desk_port.DeskStore`): one write
transaction with the request's row locked, its audit rows, and what is queued for people
in the same transaction, so a crash between "decided" and "sent" loses nothing.

The use cases are :mod:`officers.desk`; the person's say after filing
(:mod:`bot.staff.their_say`) writes through the same transactions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Attachment, OutboxMessage, Request, StaffNote, StatusEvent
from bot.db.requests_repo import RequestRecord
from bot.outbox.queue import notify_person, refresh_staff_card, staff_album, staff_text
from bot.staff.queries import read_record
from bot.staff.their_say import RECONSIDER
from conversations.events import Reply
from conversations.formatting import Digits, present
from conversations.notifications import status_name, status_notice
from conversations.ports import AttachmentInfo
from conversations.their_say import kept_notice, reconsider_hint, reconsider_option, survey_reply
from domain.catalogue import Catalogue, local
from domain.status import RequestStatus
from officers.desk_port import Change, DeskRow, InternalNote, PendingNotice
from officers.failures import RequestNotFound


class SqlDeskUnit:
    """One write transaction (``session``) of the desk; see :class:`officers.desk_port.DeskUnit`.
    Rows handed out are the ``Request`` rows themselves, so what the use cases change on
    them is written when the transaction ends."""

    def __init__(self, session: AsyncSession, catalogue: Catalogue, digits: Digits) -> None:
        self.session = session
        self._catalogue = catalogue
        self._digits: Digits = digits

    async def load(self, number: str) -> Request:
        # the row lock makes two officers' decisions (or a decision and the person's
        # answer) take turns on PostgreSQL; SQLite is serialised by BEGIN IMMEDIATE
        request = await self.session.scalar(
            select(Request).where(Request.number == number).with_for_update()
        )
        if request is None:
            raise RequestNotFound(number)
        return request

    async def changes(self, request: DeskRow) -> list[Change]:
        rows = await self.session.scalars(
            select(StatusEvent)
            .where(StatusEvent.request_id == _row(request).id)
            .order_by(StatusEvent.id)
        )
        return [Change(e.actor, e.from_status, e.to_status, e.kind) for e in rows]

    async def reconsidered(self, request: DeskRow) -> bool:
        found = await self.session.scalar(
            select(StatusEvent.id)
            .where(StatusEvent.request_id == _row(request).id, StatusEvent.kind == RECONSIDER)
            .limit(1)
        )
        return found is not None

    def record(
        self,
        request: DeskRow,
        actor: str,
        from_status: RequestStatus | None,
        to_status: RequestStatus,
        reason: str | None,
        *,
        at: dt.datetime,
        kind: str | None = None,
    ) -> None:
        self.session.add(
            StatusEvent(
                request_id=_row(request).id, actor=actor, at=at,
                from_status=None if from_status is None else from_status.value,
                to_status=to_status.value, reason=reason, kind=kind,
            )
        )  # fmt: skip

    def tell(
        self,
        request: DeskRow,
        status: RequestStatus,
        *,
        not_before: dt.datetime | None,
        reconsider: bool,
        survey: bool,
        why: str | None = None,
    ) -> None:
        row = _row(request)
        replies = status_notice(
            locale=row.locale,
            number=row.number,
            service_name=self.service_name(row.service_id, row.locale),
            status=status,
            due=row.due_date,
            reason=row.decision_reason,
            question=row.pending_question,
            arabic_digits=self._digits,
            reopened=why,
        )
        if reconsider:
            replies = self._with_reconsider(row, replies)
        if survey:
            replies = [*replies, survey_reply(row.locale, row.number, self._digits)]
        notify_person(
            self.session,
            row,
            replies,
            status=status.value,
            status_label=status_name(status.value, row.locale),
            not_before=not_before,
            survey=survey,
        )

    def tell_kept(self, request: DeskRow, why: str | None) -> None:
        row = _row(request)
        notify_person(
            self.session,
            row,
            [
                kept_notice(
                    row.locale, row.number, self.service_name(row.service_id, row.locale),
                    row.decision_reason, why, self._digits,
                )
            ],
            status=row.status,
            status_label=status_name(row.status, row.locale),
        )  # fmt: skip

    def word_to_staff(self, request: DeskRow, html: str) -> None:
        row = _row(request)
        staff_text(
            self.session,
            html,
            reply_to=row.staff_message_id,
            thread=row.staff_thread_id,
            department=self.department(row.service_id),
        )

    async def refresh_card(self, request: DeskRow) -> None:
        await refresh_staff_card(self.session, _row(request))

    def add_internal_note(self, request: DeskRow, note: InternalNote) -> None:
        # its own table, not a status_events row: the person's history and «my data»
        # read those
        self.session.add(
            StaffNote(request_id=_row(request).id, author=note.author, at=note.at, text=note.text)
        )

    async def latest_notice(self, request: DeskRow) -> PendingNotice | None:
        notice = await self.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.request_id == _row(request).id, OutboxMessage.kind == "notify")
            .order_by(OutboxMessage.id.desc())
            .limit(1)
            .with_for_update()
        )
        if notice is None:
            return None
        return PendingNotice(
            id=notice.id,
            told=notice.payload.get("status"),
            sent=notice.sent_at is not None,
            attempts=notice.attempts,
            claimed_until=notice.claimed_until,
            survey=bool(notice.payload.get("survey")),
        )

    async def withdraw(self, notice: PendingNotice) -> None:
        # found (and locked) by latest_notice in this session: no second query
        row = await self.session.get(OutboxMessage, notice.id)
        if row is not None:
            await self.session.delete(row)

    async def add_files(
        self, request: DeskRow, files: Sequence[AttachmentInfo], *, at: dt.datetime
    ) -> int:
        row = _row(request)
        had = await self.session.scalar(
            select(func.count(Attachment.id)).where(Attachment.request_id == row.id)
        )
        for item in files:
            self.session.add(
                Attachment(
                    request_id=row.id, kind=item.kind, channel_ref=item.ref, mime=item.mime,
                    size=item.size, checksum=item.checksum, file_name=item.file_name,
                    caption=item.caption, created_at=at,
                )
            )  # fmt: skip
        return int(had or 0)

    def send_files(self, request: DeskRow, *, first: int, count: int) -> None:
        staff_album(self.session, _row(request), first=first, count=count)

    async def read(self, request: DeskRow, *, refresh_card: bool = True) -> RequestRecord:
        row = _row(request)
        if refresh_card:
            await refresh_staff_card(self.session, row)
        await self.session.flush()
        record = await read_record(self.session, row.id, fresh=True)
        assert record is not None
        return record

    # ---- for the desk's other writers (bot.staff.their_say) -----------------------------

    def department(self, service_id: str) -> str | None:
        """The department of a service, or None for one retired from the catalogue."""
        try:
            return self._catalogue.get(service_id).department
        except KeyError:
            return None

    def service_name(self, service_id: str, locale: str) -> str:
        return local(self._catalogue.get(service_id).name, locale)

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
                text=f"{last.text}\n{present(hint, request.locale, self._digits)}",
                choices=(*last.choices, reconsider_option(request.locale, request.number)),
            ),
        ]


class SqlDeskStore:
    """The desk's transactions on ``sessions`` (see :class:`officers.desk_port.DeskStore`);
    ``catalogue`` names services in the person's notices, ``digits`` writes their numbers."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogue: Catalogue,
        digits: Digits = "arab",
    ) -> None:
        self._sessions = sessions
        self._catalogue = catalogue
        self._digits: Digits = digits

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlDeskUnit]:
        """One write transaction; on SQLite it takes the write lock at BEGIN."""
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield SqlDeskUnit(session, self._catalogue, self._digits)


def _row(request: DeskRow) -> Request:
    """The SQL row behind a row this store handed out (it hands out no other kind)."""
    assert isinstance(request, Request), type(request)
    return request
