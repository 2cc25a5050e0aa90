"""The numbers behind the ``/stats`` chart, read from SQL: requests received and decided per
Riyadh day over the last days, and per department the share of those decisions made by the
due date (the 7 working days of the seeds, moved on while the request waited for the person).
What is counted, and how, is :func:`officers.report_figures.chart_figures`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Request, StatusEvent
from bot.staff import their_say
from domain.catalogue import Catalogue
from domain.sla import RIYADH
from domain.status import FINAL, RequestStatus
from officers.report_figures import CHART_DAYS as CHART_DAYS
from officers.report_figures import OLDEST as OLDEST
from officers.report_figures import ChartData as ChartData
from officers.report_figures import chart_figures


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
    decisions = await session.execute(
        select(StatusEvent.at, Request.service_id, Request.due_date)
        .join(Request, StatusEvent.request_id == Request.id)
        .where(
            StatusEvent.to_status.in_([s.value for s in FINAL]),
            StatusEvent.kind.is_(None),
            StatusEvent.at >= start,
            StatusEvent.at < end,
        )
    )
    open_rows = await session.execute(
        select(Request.number, Request.submitted_at)
        .where(Request.status.in_([s.value for s in RequestStatus if s not in FINAL]))
        .order_by(Request.submitted_at, Request.id)
        .limit(OLDEST)
    )
    return chart_figures(
        first,
        days,
        filed=list(filed),
        decisions=[(at, service_id, due) for at, service_id, due in decisions],
        oldest_open=[(number, at) for number, at in open_rows],
        as_of=as_of or today,
        rated=await their_say.ratings(session),
        department_of=lambda s: catalogue.get(s).department,
    )
