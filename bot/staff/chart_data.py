"""The numbers behind the ``/stats`` chart, read from SQL: requests received and decided per
Riyadh day over the last days, and per department the share of those decisions made by the
due date (the 7 working days of the seeds, moved on while the request waited for the person).

A decision is an accepted or rejected status event; a request decided, reopened and decided
again counts on each day it was decided, as in the daily digest (:meth:`StaffReports.decided_on`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Request, StatusEvent
from bot.staff import their_say
from domain.catalogue import Catalogue
from domain.sla import RIYADH, riyadh_date
from domain.status import FINAL, RequestStatus

#: How many Riyadh days the chart covers, today included.
CHART_DAYS = 14
#: How many of the oldest open requests the chart names.
OLDEST = 5


@dataclass(frozen=True, slots=True)
class ChartData:
    """``days`` oldest first; ``received`` and ``decided`` count per day, same order;
    ``on_time`` maps a department id to (decided by the due date, decided) in those days;
    ``oldest`` the open requests filed longest ago as (number, days since filed), oldest
    first; ``satisfaction`` per department (average rating 1-5, how many), empty when none."""

    days: list[dt.date]
    received: list[int]
    decided: list[int]
    on_time: dict[str, tuple[int, int]] = field(default_factory=dict)
    oldest: list[tuple[str, int]] = field(default_factory=list)
    satisfaction: dict[str, tuple[float, int]] = field(default_factory=dict)


async def load_chart_data(
    session: AsyncSession,
    catalogue: Catalogue,
    today: dt.date,
    days: int = CHART_DAYS,
    *,
    as_of: dt.date | None = None,
) -> ChartData:
    """The ``days`` Riyadh days ending with ``today``; the open requests' ages counted to
    ``as_of`` (default ``today``: the weekly report covers the week up to Saturday and is
    read on Sunday)."""
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time(), RIYADH)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), RIYADH)
    filed = await session.scalars(
        select(Request.submitted_at).where(
            Request.submitted_at >= start, Request.submitted_at < end
        )
    )
    received = Counter(riyadh_date(at) for at in filed)
    rows = await session.execute(
        select(StatusEvent.at, Request.service_id, Request.due_date)
        .join(Request, StatusEvent.request_id == Request.id)
        .where(
            StatusEvent.to_status.in_([s.value for s in FINAL]),
            StatusEvent.kind.is_(None),
            StatusEvent.at >= start,
            StatusEvent.at < end,
        )
    )
    decided: Counter[dt.date] = Counter()
    in_time: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for at, service_id, due in rows:
        day = riyadh_date(at)
        decided[day] += 1
        department = _department(catalogue, service_id)
        total[department] += 1
        in_time[department] += day <= due
    open_rows = await session.execute(
        select(Request.number, Request.submitted_at)
        .where(Request.status.in_([s.value for s in RequestStatus if s not in FINAL]))
        .order_by(Request.submitted_at, Request.id)
        .limit(OLDEST)
    )
    oldest = [(number, ((as_of or today) - riyadh_date(at)).days) for number, at in open_rows]
    rated = their_say.by_department(
        await their_say.ratings(session), lambda s: catalogue.get(s).department
    )
    span = [first + dt.timedelta(days=i) for i in range(days)]
    return ChartData(
        days=span,
        received=[received[d] for d in span],
        decided=[decided[d] for d in span],
        on_time={d: (in_time[d], total[d]) for d in sorted(total)},
        oldest=oldest,
        satisfaction=dict(sorted(rated.items())),
    )


def _department(catalogue: Catalogue, service_id: str) -> str:
    """A service since removed from the catalogue still counts, under its own id."""
    try:
        return catalogue.get(service_id).department
    except KeyError:
        return service_id
