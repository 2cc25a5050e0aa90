"""Reading requests for the daily digest, the reminders and the escalations, and queueing
those messages: the SQL side of :mod:`officers.digest` (a
:class:`~officers.digest.DigestSource`) and :mod:`officers.staff_warnings` (a
:class:`~officers.staff_warnings.WarningQueue`).

Nothing here changes a request's status (that is the desk's job); it only stamps
``reminded_at`` / ``escalated_at`` so each warning goes out once, and writes ``staff_text``
outbox rows. Every stamp is a compare-and-set on the value read, so two workers scanning
at the same moment cannot both warn about the same request; the digest relies on the
outbox's unique ``dedupe_key`` for the same reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import OutboxMessage, Request, StatusEvent, utcnow
from bot.db.requests_repo import RequestRecord, select_requests, to_record
from bot.outbox.queue import refresh_staff_card, staff_text
from bot.outbox.window_wait import count_waiting
from bot.staff.their_say import ratings
from domain.sla import RIYADH
from domain.status import FINAL, RequestStatus
from officers.due_warnings import needs_escalation, needs_reminder
from officers.staff_warnings import DueItem as DueItem
from officers.staff_warnings import Render, WarningKind

log = logging.getLogger(__name__)

DIGEST_KEY_PREFIX = "digest:"

_OPEN = [s.value for s in RequestStatus if s not in FINAL]


def digest_key(day: dt.date) -> str:
    return f"{DIGEST_KEY_PREFIX}{day.isoformat()}"


@dataclass(frozen=True, slots=True)
class Decision:
    number: str
    service_id: str
    status: RequestStatus


class StaffReports:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        holidays: Collection[dt.date] | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._holidays = holidays
        self._clock = clock

    # ---- the digest -------------------------------------------------------------------

    async def digest_queued(self, day: dt.date) -> bool:
        async with self._sessions() as session:
            found = await session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.dedupe_key == digest_key(day))
            )
            return found is not None

    async def previous_digest_at(self, day: dt.date) -> dt.datetime | None:
        """When the last digest before ``day``'s was queued (the start of "new since")."""
        async with self._sessions() as session:
            latest: dt.datetime | None = await session.scalar(
                select(func.max(OutboxMessage.created_at)).where(
                    OutboxMessage.dedupe_key.like(f"{DIGEST_KEY_PREFIX}%"),
                    OutboxMessage.dedupe_key < digest_key(day),
                )
            )
            return latest

    async def open_requests(self) -> list[RequestRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select_requests()
                .where(Request.status.in_(_OPEN))
                .order_by(Request.due_date, Request.id)
            )
            return [to_record(r) for r in rows]

    async def filed_since(self, since: dt.datetime) -> list[RequestRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select_requests().where(Request.submitted_at >= since).order_by(Request.id)
            )
            return [to_record(r) for r in rows]

    async def decided_on(self, day: dt.date) -> list[Decision]:
        """Accepted and rejected decisions made on the Riyadh day ``day`` (a decision
        reopened since still counts: it was made that day)."""
        start = dt.datetime.combine(day, dt.time(), RIYADH)
        end = start + dt.timedelta(days=1)
        async with self._sessions() as session:
            rows = await session.execute(
                select(Request.number, Request.service_id, StatusEvent.to_status)
                .join(Request, StatusEvent.request_id == Request.id)
                .where(
                    StatusEvent.to_status.in_([s.value for s in FINAL]),
                    StatusEvent.at >= start,
                    StatusEvent.at < end,
                )
                .order_by(StatusEvent.id)
            )
            return [Decision(n, s, RequestStatus(t)) for n, s, t in rows]

    async def rated_since(self, since: dt.datetime) -> list[tuple[str, int]]:
        """(service id, satisfaction 1-5) of the ratings given from ``since`` on (issue 13)."""
        async with self._sessions() as session:
            return await ratings(session, since=since)

    async def waiting_for_window(self) -> int:
        """Notifications to WhatsApp users that wait for them to write again."""
        async with self._sessions() as session:
            return await count_waiting(session)

    async def queue_digest(self, day: dt.date, html: str) -> bool:
        """Queues ``day``'s digest unless one is already queued; True when this call did."""
        try:
            async with self._transaction() as session:
                staff_text(session, html, dedupe_key=digest_key(day))
        except IntegrityError:
            log.info("digest for %s already queued by another worker", day)
            return False
        log.info("digest for %s queued", day)
        return True

    # ---- reminders and escalations ----------------------------------------------------

    async def due_items(self) -> list[DueItem]:
        """Open requests whose clock runs (not waiting for the person), soonest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Request)
                .where(
                    Request.status.in_(_OPEN),
                    Request.status != RequestStatus.NEEDS_INFO.value,
                )
                .order_by(Request.due_date, Request.id)
            )
            return [
                DueItem(
                    id=r.id,
                    number=r.number,
                    service_id=r.service_id,
                    status=RequestStatus(r.status),
                    due_date=r.due_date,
                    assigned_to=r.assigned_to,
                    assigned_name=r.assigned_name,
                    reminded_at=r.reminded_at,
                    escalated_at=r.escalated_at,
                )
                for r in rows
            ]

    def needs_reminder(self, item: DueItem, today: dt.date) -> bool:
        """:func:`officers.due_warnings.needs_reminder` for the item, on this calendar."""
        return needs_reminder(item.due_date, item.reminded_at, today, self._holidays)

    def needs_escalation(self, item: DueItem, today: dt.date) -> bool:
        """:func:`officers.due_warnings.needs_escalation` for the item."""
        return needs_escalation(item.due_date, item.escalated_at, today)

    async def queue_warning(
        self,
        kind: WarningKind,
        items: Sequence[DueItem],
        render: Render,
    ) -> list[DueItem]:
        """Stamps each item (compare-and-set on the value read) and queues one message for
        those this call stamped, in one transaction. Returns them."""
        column = Request.reminded_at if kind == "reminder" else Request.escalated_at
        now = self._clock()
        stamped: list[DueItem] = []
        async with self._transaction() as session:
            for item in items:
                seen = item.reminded_at if kind == "reminder" else item.escalated_at
                guard = column.is_(None) if seen is None else column == seen
                result = await session.execute(
                    update(Request)
                    .where(Request.id == item.id, guard)
                    .values({column: now})
                    .execution_options(synchronize_session=False)
                )
                if getattr(result, "rowcount", 0) == 1:
                    stamped.append(item)
            if stamped:
                staff_text(session, render(stamped))
            if kind == "escalation":
                # the cards themselves show that they are late, not only the message
                for item in stamped:
                    request = await session.get(Request, item.id)
                    if request is not None:
                        await refresh_staff_card(session, request)
        if stamped:
            log.info("%s queued for %d requests", kind, len(stamped))
        return stamped

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session
