"""The staff desk's decisions: take, ask for more information, accept, reject, reopen,
and the person's answer. Each is one transaction that moves the status along a legal
path, writes the audit row, and queues what must be sent (the person's notification and
the refreshed staff card) in the outbox.

Every channel the officers use (the Telegram staff group, ``tawasul staff``) calls this;
none of them changes a request any other way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import Attachment, Request, StatusEvent, utcnow
from bot.db.requests_repo import RequestRecord, resident_actor, select_requests, to_record
from bot.outbox.queue import notify_person, refresh_staff_card, staff_album
from conversations.formatting import Digits
from conversations.notifications import status_name, status_notice
from conversations.ports import AttachmentInfo
from domain.catalogue import Catalogue, local
from domain.sla import add_working_days, riyadh_date, working_days_between
from domain.status import FINAL, IllegalTransition, RequestStatus, can_move

log = logging.getLogger(__name__)

MAX_QUESTION = 1000
MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class Officer:
    id: int
    name: str

    @property
    def actor(self) -> str:
        return f"officer:{self.id}"


class RequestNotFound(LookupError):
    pass


class NotTheOwner(PermissionError):
    """The person answering is not the one who filed the request."""


class MissingReason(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Stats:
    by_status: dict[str, int]
    by_department: dict[str, int]
    overdue: int
    due_today: int


class StaffDesk:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogue: Catalogue,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        holidays: Collection[dt.date] | None = None,
        arabic_digits: Digits = "arab",
    ) -> None:
        self._arabic_digits: Digits = arabic_digits
        self._sessions = sessions
        self._catalogue = catalogue
        self._clock = clock
        self._holidays = holidays

    # ---- officers ---------------------------------------------------------------------

    async def take(self, number: str, officer: Officer) -> RequestRecord:
        """Assigns the request; a first take moves it to "under review"."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            status = RequestStatus(request.status)
            if status in FINAL:
                raise IllegalTransition(status, RequestStatus.UNDER_REVIEW)
            previous = request.assigned_name
            request.assigned_to, request.assigned_name = officer.actor, officer.name
            if status is RequestStatus.RECEIVED:
                self._move(session, request, RequestStatus.UNDER_REVIEW, officer.actor)
            else:
                # a change of hands is part of the audit trail too, with the status unchanged
                session.add(
                    StatusEvent(
                        request_id=request.id, actor=officer.actor, at=self._clock(),
                        from_status=status.value, to_status=status.value,
                        reason=f"taken over from {previous}" if previous else "taken",
                    )
                )  # fmt: skip
                await refresh_staff_card(session, request)
            return await self._reloaded(session, request)

    async def ask(self, number: str, officer: Officer, question: str) -> RequestRecord:
        question = question.strip()
        if not question:
            raise MissingReason("a question is required")
        async with self._transaction() as session:
            request = await self._load(session, number)
            request.pending_question = question[:MAX_QUESTION]
            request.paused_since = self._clock()
            request.assigned_to = request.assigned_to or officer.actor
            request.assigned_name = request.assigned_name or officer.name
            self._move(session, request, RequestStatus.NEEDS_INFO, officer.actor, question)
            return await self._reloaded(session, request)

    async def accept(self, number: str, officer: Officer, note: str | None = None) -> RequestRecord:
        async with self._transaction() as session:
            request = await self._load(session, number)
            self._resume_clock(request)
            request.pending_question = None
            request.decision_reason = (note or "").strip()[:MAX_REASON] or None
            self._move(
                session, request, RequestStatus.ACCEPTED, officer.actor, request.decision_reason
            )
            return await self._reloaded(session, request)

    async def reject(self, number: str, officer: Officer, reason: str) -> RequestRecord:
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to reject")
        async with self._transaction() as session:
            request = await self._load(session, number)
            self._resume_clock(request)
            request.pending_question = None
            request.decision_reason = reason[:MAX_REASON]
            self._move(session, request, RequestStatus.REJECTED, officer.actor, reason)
            return await self._reloaded(session, request)

    async def reopen(self, number: str, officer: Officer, reason: str) -> RequestRecord:
        """Takes a decided request back to review, on purpose and with a reason."""
        reason = reason.strip()
        if not reason:
            raise MissingReason("a reason is required to reopen")
        async with self._transaction() as session:
            request = await self._load(session, number)
            self._move(
                session, request, RequestStatus.UNDER_REVIEW, officer.actor, reason, reopen=True
            )
            request.decision_reason = None
            return await self._reloaded(session, request)

    # ---- the person -------------------------------------------------------------------

    async def answer(
        self,
        number: str,
        *,
        channel: str,
        user_key: str,
        text: str,
        attachments: Sequence[AttachmentInfo] = (),
    ) -> RequestRecord:
        """The person's answer to the officer's question: joins the request, restarts the
        clock where it stopped, and puts the request back in review."""
        async with self._transaction() as session:
            request = await self._load(session, number)
            if (request.channel, request.user_key) != (channel, user_key):
                raise NotTheOwner(number)
            now = self._clock()
            had = await session.scalar(
                select(func.count(Attachment.id)).where(Attachment.request_id == request.id)
            )
            for item in attachments:
                session.add(
                    Attachment(
                        request_id=request.id, kind=item.kind, channel_ref=item.ref,
                        mime=item.mime, size=item.size, checksum=item.checksum,
                        file_name=item.file_name, caption=item.caption, created_at=now,
                    )
                )  # fmt: skip
            self._resume_clock(request)
            request.pending_question = None
            self._move(
                session,
                request,
                RequestStatus.UNDER_REVIEW,
                resident_actor(channel, user_key),
                text.strip() or None,
                notify=False,  # the person is told in the chat they answered from
            )
            if attachments:
                # the new files follow under the card, after its refresh
                record = await self._reloaded(session, request)
                staff_album(session, request, first=int(had or 0))
                return record
            return await self._reloaded(session, request)

    # ---- reading ----------------------------------------------------------------------

    async def find(self, number: str) -> RequestRecord | None:
        async with self._sessions() as session:
            request = await session.scalar(select_requests().where(Request.number == number))
            return None if request is None else to_record(request)

    async def open_requests(self) -> list[RequestRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select_requests()
                .where(Request.status.not_in([s.value for s in FINAL]))
                .order_by(Request.due_date, Request.id)
            )
            return [to_record(r) for r in rows]

    async def overdue(self, today: dt.date | None = None) -> list[RequestRecord]:
        """Open requests whose due date has passed (a paused clock is not overdue)."""
        today = today or riyadh_date(self._clock())
        return [
            r
            for r in await self.open_requests()
            if r.due_date < today and r.status is not RequestStatus.NEEDS_INFO
        ]

    async def stats(self, today: dt.date | None = None) -> Stats:
        today = today or riyadh_date(self._clock())
        async with self._sessions() as session:
            rows = (await session.execute(select(Request.status, Request.service_id))).all()
        by_status = Counter(status for status, _ in rows)
        open_ = await self.open_requests()
        by_department = Counter(self._catalogue.get(r.service_id).department for r in open_)
        return Stats(
            by_status=dict(by_status),
            by_department=dict(by_department),
            overdue=len(await self.overdue(today)),
            due_today=sum(1 for r in open_ if r.due_date == today),
        )

    def service_name(self, service_id: str, locale: str) -> str:
        return local(self._catalogue.get(service_id).name, locale)

    # ---- internals --------------------------------------------------------------------

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """One write transaction; on SQLite it takes the write lock at BEGIN."""
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session

    async def _load(self, session: AsyncSession, number: str) -> Request:
        # the row lock makes two officers' decisions (or a decision and the person's
        # answer) take turns on PostgreSQL; SQLite is serialised by BEGIN IMMEDIATE
        request = await session.scalar(
            select(Request).where(Request.number == number).with_for_update()
        )
        if request is None:
            raise RequestNotFound(number)
        return request

    def _resume_clock(self, request: Request) -> None:
        """The days spent waiting for the person are added back to the due date."""
        if request.paused_since is None:
            return
        waited = working_days_between(
            riyadh_date(request.paused_since), riyadh_date(self._clock()), self._holidays
        )
        if waited > 0:
            request.due_date = add_working_days(request.due_date, waited, self._holidays)
        request.paused_since = None

    def _move(
        self,
        session: AsyncSession,
        request: Request,
        to: RequestStatus,
        actor: str,
        reason: str | None = None,
        *,
        reopen: bool = False,
        notify: bool = True,
    ) -> None:
        current = RequestStatus(request.status)
        if not can_move(current, to, reopen=reopen):
            raise IllegalTransition(current, to)
        now = self._clock()
        request.status = to.value
        request.updated_at = now
        session.add(
            StatusEvent(
                request_id=request.id, actor=actor, at=now,
                from_status=current.value, to_status=to.value, reason=reason,
            )
        )  # fmt: skip
        if notify:
            notify_person(
                session,
                request,
                status_notice(
                    locale=request.locale,
                    number=request.number,
                    service_name=self.service_name(request.service_id, request.locale),
                    status=to,
                    due=request.due_date,
                    reason=request.decision_reason,
                    question=request.pending_question,
                    arabic_digits=self._arabic_digits,
                ),
                status=to.value,
                status_label=status_name(to.value, request.locale),
            )
        log.info("request %s: %s -> %s by %s", request.number, current, to, actor.split(":")[0])

    async def _reloaded(self, session: AsyncSession, request: Request) -> RequestRecord:
        await refresh_staff_card(session, request)
        await session.flush()
        fresh = await session.scalar(
            select_requests()
            .where(Request.id == request.id)
            .execution_options(populate_existing=True)
        )
        assert fresh is not None
        return to_record(fresh)
