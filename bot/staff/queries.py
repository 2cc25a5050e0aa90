"""What the desk reads for officers: one request, a person's requests, and the lists that
say what needs whom (overdue, waiting for the person, mine, nobody's), and the counts.

Every record handed out carries ``related``: the other open requests of the same identity
number, so an officer deciding one sees the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Request, StaffNote, utcnow
from bot.db.requests_repo import (
    RequestRecord,
    select_requests,
    to_record,
    with_related,
)
from bot.staff import their_say
from bot.staff.chart_data import load_chart_data
from domain.catalogue import Catalogue
from domain.sla import riyadh_date
from domain.status import FINAL, RequestStatus
from officers.desk_port import InternalNote
from officers.report_figures import ChartData, stats_figures
from officers.report_figures import Stats as Stats

#: The most requests a search by identity or mobile number returns.
MAX_FOUND = 20
_OPEN = [s.value for s in RequestStatus if s not in FINAL]


class DeskQueries:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogue: Catalogue,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        holidays: Collection[dt.date] | None = None,
    ) -> None:
        self._sessions = sessions
        self._catalogue = catalogue
        self._clock = clock
        self._holidays = holidays

    def today(self) -> dt.date:
        return riyadh_date(self._clock())

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._sessions

    async def find(self, number: str) -> RequestRecord | None:
        async with self._sessions() as session:
            request = await session.scalar(select_requests().where(Request.number == number))
            if request is None:
                return None
            return (await with_related(session, [to_record(request)]))[0]

    async def internal_notes(self, number: str) -> list[InternalNote]:
        """The officers' internal notes on the request, oldest first."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(StaffNote.author, StaffNote.at, StaffNote.text)
                .join(Request, StaffNote.request_id == Request.id)
                .where(Request.number == number)
                .order_by(StaffNote.id)
            )
            return [InternalNote(author, at, text) for author, at, text in rows]

    async def by_identity(self, identity_number: str) -> list[RequestRecord]:
        """Every request about this identity number (as the person concerned or, for an
        establishment, as its number), newest first."""
        return await self._many(
            (Request.identity_number == identity_number)
            | (Request.establishment_number == identity_number)
        )

    async def by_phone(self, e164: str) -> list[RequestRecord]:
        """Every request filed with this mobile number (E.164), newest first."""
        return await self._many(Request.phone == e164)

    async def open_requests(self) -> list[RequestRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select_requests()
                .where(Request.status.in_(_OPEN))
                .order_by(Request.due_date, Request.id)
            )
            return await with_related(session, [to_record(r) for r in rows])

    async def reconsiderations(self) -> list[RequestRecord]:
        """Rejected requests whose person asked for the rejection to be reconsidered and no
        officer has answered yet (``reopen`` or ``keep``), longest waiting first. A rejected
        request is closed, so :meth:`open_requests` never lists these."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select_requests()
                .where(Request.status == RequestStatus.REJECTED.value)
                .where(Request.reconsider_reason.is_not(None))
                .order_by(Request.updated_at, Request.id)
            )
            return await with_related(session, [to_record(r) for r in rows])

    async def overdue(self, today: dt.date | None = None) -> list[RequestRecord]:
        """Open requests whose due date has passed (a paused clock is not overdue)."""
        today = today or self.today()
        return [
            r
            for r in await self.open_requests()
            if r.due_date < today and r.status is not RequestStatus.NEEDS_INFO
        ]

    async def waiting(self) -> list[RequestRecord]:
        """Requests waiting for the person's answer, longest waiting first."""
        records = [r for r in await self.open_requests() if r.status is RequestStatus.NEEDS_INFO]
        return sorted(records, key=lambda r: (r.paused_since or r.updated_at, r.number))

    async def assigned_to(self, actor: str) -> list[RequestRecord]:
        """Open requests the officer (owner key) has, soonest due first."""
        return [r for r in await self.open_requests() if r.assigned_to == actor]

    async def unassigned(self) -> list[RequestRecord]:
        """Open requests nobody has taken, soonest due first."""
        return [r for r in await self.open_requests() if r.assigned_to is None]

    async def stats(self, today: dt.date | None = None) -> Stats:
        """The ``/stats`` counts (:func:`officers.report_figures.stats_figures`)."""
        today = today or self.today()
        async with self._sessions() as session:
            rows = (await session.execute(select(Request.status, Request.service_id))).all()
            rated = await their_say.ratings(session)
        open_ = await self.open_requests()
        return stats_figures(
            today,
            statuses=[status for status, _service in rows],
            open_=[(r.service_id, r.status, r.due_date) for r in open_],
            rated=rated,
            department_of=lambda s: self._catalogue.get(s).department,
        )

    async def chart_data(self, today: dt.date | None = None) -> ChartData:
        """The numbers of the ``/stats`` chart (the last 14 Riyadh days up to ``today``)."""
        async with self._sessions() as session:
            return await load_chart_data(session, self._catalogue, today or self.today())

    async def _many(self, where: object) -> list[RequestRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select_requests()
                .where(where)  # type: ignore[arg-type]
                .order_by(Request.submitted_at.desc(), Request.id.desc())
                .limit(MAX_FOUND)
            )
            return await with_related(session, [to_record(r) for r in rows])


async def read_record(
    session: AsyncSession, request_id: int, *, fresh: bool = False
) -> RequestRecord | None:
    """One request as officers read it (with ``related``); ``fresh`` reads past the
    session's identity map (what this transaction just wrote)."""
    statement = select_requests().where(Request.id == request_id)
    if fresh:
        statement = statement.execution_options(populate_existing=True)
    request = await session.scalar(statement)
    if request is None:
        return None
    return (await with_related(session, [to_record(request)]))[0]
