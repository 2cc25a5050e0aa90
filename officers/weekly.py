"""The weekly report's use case (issue 14, "Reports people look at"): every Sunday from
08:00 Riyadh time, the directorate's week being Sunday to Saturday, the figures of the
week just ended: requests received and decided per day, the share decided within 7
working days per department, the oldest open requests, the week's satisfaction ratings,
and how many are open and overdue on the Sunday.

What is read comes through a :class:`WeekSource` (``bot.staff.weekly``: SQL, in one
session); the words, the chart's drawing and the queueing are the adapters'. When a late
report is still sent: :func:`report_day`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from typing import Final, Protocol

from domain.sla import RIYADH, riyadh_date
from officers.report_figures import OLDEST, ChartData, DepartmentOf, by_department

#: When on Sunday the report is due (Riyadh time), as the daily digest.
WEEKLY_AT: Final = dt.time(8, 0)
_SUNDAY: Final = 6  # date.weekday()


def report_day(now: dt.datetime) -> dt.date | None:
    """The Sunday whose report is due at ``now`` (aware): that Sunday from 08:00 Riyadh
    time to its end; None at any other time. A worker down at 08:00 sends it at its first
    tick later that Sunday (the figures are the same: the week ended on Saturday); from
    Monday on a missed report is not sent, as it would arrive beside a new week's digest
    and the /stats chart covers the same ground on demand."""
    local = now.astimezone(RIYADH)
    if local.weekday() != _SUNDAY or local.time() < WEEKLY_AT:
        return None
    return local.date()


def week_before(sunday: dt.date) -> tuple[dt.date, dt.date]:
    """The Sunday and the Saturday of the week that ended the day before ``sunday``."""
    return sunday - dt.timedelta(days=7), sunday - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """What the report says. ``chart`` covers the week's seven days (its ``oldest`` aged
    to the report's Sunday, its ``satisfaction`` the ratings given during the week);
    ``oldest`` the same requests as (number, service id, days since filed); ``open_now``
    and ``overdue_now`` count on the report's Sunday (overdue: past the due date and not
    waiting for the person)."""

    sunday: dt.date
    chart: ChartData
    oldest: list[tuple[str, str, int]]
    open_now: int
    overdue_now: int


class WeekReads(Protocol):
    """The reads of one report, from one snapshot of the requests."""

    async def chart(self, last: dt.date, days: int, *, as_of: dt.date) -> ChartData:
        """The chart of the ``days`` Riyadh days ending with ``last``, ages to ``as_of``."""
        ...

    async def ratings(self, start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
        """(service id, rating) of the ratings given in [``start``, ``end``)."""
        ...

    async def open_filed(self) -> list[tuple[str, str, dt.datetime]]:
        """(number, service id, filed at) of every open request, filed longest ago first."""
        ...

    async def overdue(self, day: dt.date) -> int:
        """How many open requests not waiting for the person are due before ``day``."""
        ...


class WeekSource(Protocol):
    """Where a report's reads come from."""

    def reading(self) -> AbstractAsyncContextManager[WeekReads]:
        """One snapshot to read a report from."""
        ...


async def week_figures(
    source: WeekSource, sunday: dt.date, department_of: DepartmentOf
) -> WeekFigures:
    """The figures of the report sent on ``sunday`` (see the module)."""
    first, last = week_before(sunday)
    start = dt.datetime.combine(first, dt.time(), RIYADH)
    end = dt.datetime.combine(sunday, dt.time(), RIYADH)
    async with source.reading() as reads:
        chart = await reads.chart(last, 7, as_of=sunday)
        week_ratings = await reads.ratings(start, end)
        open_rows = await reads.open_filed()
        overdue_now = await reads.overdue(sunday)
    satisfaction = by_department(week_ratings, department_of)
    return WeekFigures(
        sunday=sunday,
        chart=replace(chart, satisfaction=dict(sorted(satisfaction.items()))),
        oldest=[
            (number, service, (sunday - riyadh_date(at)).days)
            for number, service, at in open_rows[:OLDEST]
        ],
        open_now=len(open_rows),
        overdue_now=overdue_now,
    )


async def weekly_report(
    queued: Callable[[dt.date], Awaitable[bool]],
    source: WeekSource,
    now: dt.datetime,
    department_of: DepartmentOf,
    send: Callable[[WeekFigures], Awaitable[bool]],
) -> bool:
    """The report due at ``now`` (:func:`report_day`), handed to ``send`` (which words,
    draws and queues it, once: True when it did) unless ``queued`` says that Sunday's is
    queued already; then nothing is read. True when this call queued it."""
    sunday = report_day(now)
    if sunday is None or await queued(sunday):
        return False
    return await send(await week_figures(source, sunday, department_of))
