"""The weekly report's use case (:mod:`officers.weekly`): when it is due (Sunday from 08:00
Riyadh time, that Sunday only), which week it covers, and what it holds, read through an
in-memory source. (On SQL: tests/integration/test_weekly_report*.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from domain.sla import RIYADH
from officers.report_figures import ChartData
from officers.weekly import WeekFigures, report_day, week_before, week_figures, weekly_report

SUNDAY = dt.date(2026, 11, 29)


def riyadh(day: dt.date, hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm, ss), RIYADH).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (riyadh(SUNDAY, 7, 59, 59), None),
        (riyadh(SUNDAY, 8, 0), SUNDAY),
        (riyadh(SUNDAY, 8, 1), SUNDAY),
        (riyadh(SUNDAY, 15, 30), SUNDAY),  # down at 08:00: caught up that afternoon
        (riyadh(SUNDAY, 23, 59, 59), SUNDAY),
        (riyadh(SUNDAY + dt.timedelta(days=1), 0, 0), None),  # not on Monday
        (riyadh(SUNDAY + dt.timedelta(days=1), 8, 0), None),
        (riyadh(SUNDAY - dt.timedelta(days=1), 8, 0), None),  # Saturday
        (riyadh(SUNDAY - dt.timedelta(days=2), 8, 0), None),  # Friday
    ],
)
def test_due_on_sunday_from_eight_riyadh_time(now: dt.datetime, due: dt.date | None) -> None:
    assert report_day(now) == due


def test_riyadh_time_not_the_servers() -> None:
    # 05:00 UTC is 08:00 in Riyadh; 04:59 UTC is not yet, whatever zone the host is in
    assert report_day(dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)) == SUNDAY
    assert report_day(dt.datetime(2026, 11, 29, 4, 59, tzinfo=dt.UTC)) is None
    # Saturday 23:30 UTC is already Sunday 02:30 in Riyadh: too early still
    assert report_day(dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC)) is None
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert report_day(dt.datetime(2026, 11, 29, 0, 0, tzinfo=new_york)) == SUNDAY


def test_the_week_is_sunday_to_saturday_before_the_report() -> None:
    first, last = week_before(SUNDAY)
    assert (first, last) == (dt.date(2026, 11, 22), dt.date(2026, 11, 28))
    assert first.strftime("%A") == "Sunday" and last.strftime("%A") == "Saturday"


class Source:
    """The week's reads from lists (an :class:`officers.weekly.WeekSource`); it records
    what was asked and how many snapshots were taken."""

    def __init__(
        self,
        ratings: list[tuple[dt.datetime, str, int]],
        open_filed: list[tuple[str, str, dt.datetime]],
        overdue: int,
    ) -> None:
        self._ratings = ratings
        self._open = open_filed
        self._overdue = overdue
        self.asked: list[object] = []
        self.snapshots = 0

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Source]:
        self.snapshots += 1
        yield self

    async def chart(self, last: dt.date, days: int, *, as_of: dt.date) -> ChartData:
        self.asked.append(("chart", last, days, as_of))
        span = [last - dt.timedelta(days=days - 1 - i) for i in range(days)]
        # the chart's own all-time satisfaction, which the week's replaces
        return ChartData(span, [1] * days, [0] * days, satisfaction={"old": (1.0, 9)})

    async def ratings(self, start: dt.datetime, end: dt.datetime) -> list[tuple[str, int]]:
        self.asked.append(("ratings", start, end))
        return [(service, r) for at, service, r in self._ratings if start <= at < end]

    async def open_filed(self) -> list[tuple[str, str, dt.datetime]]:
        return list(self._open)

    async def overdue(self, day: dt.date) -> int:
        self.asked.append(("overdue", day))
        return self._overdue


DEPARTMENTS = {"passport_renew": "passports", "iqama_renew": "residency"}


async def test_the_figures_cover_the_week_before_and_count_on_the_sunday() -> None:
    saturday_night = riyadh(SUNDAY - dt.timedelta(days=1), 23, 59)
    source = Source(
        ratings=[
            (saturday_night, "passport_renew", 5),
            (riyadh(SUNDAY - dt.timedelta(days=7), 0, 0), "passport_renew", 2),
            (riyadh(SUNDAY, 8, 0), "iqama_renew", 1),  # the Sunday itself: next week's
            (riyadh(SUNDAY - dt.timedelta(days=3), 9), "retired_service", 4),
        ],
        open_filed=[
            (f"45000000{i:02d}", "iqama_renew", riyadh(dt.date(2026, 11, 1 + i), 9))
            for i in range(7)
        ],
        overdue=3,
    )
    figures = await week_figures(source, SUNDAY, DEPARTMENTS.__getitem__)
    assert source.snapshots == 1  # one snapshot for the whole report
    first, last = week_before(SUNDAY)
    assert ("chart", last, 7, SUNDAY) in source.asked
    assert ("overdue", SUNDAY) in source.asked
    assert figures.chart.days[0] == first and figures.chart.days[-1] == last
    # the week's ratings only; a retired service counts under its own id
    assert figures.chart.satisfaction == {"passports": (3.5, 2), "retired_service": (4.0, 1)}
    assert (figures.open_now, figures.overdue_now) == (7, 3)
    # the five filed longest ago, aged to the Sunday
    assert figures.oldest == [
        ("4500000000", "iqama_renew", 28),
        ("4500000001", "iqama_renew", 27),
        ("4500000002", "iqama_renew", 26),
        ("4500000003", "iqama_renew", 25),
        ("4500000004", "iqama_renew", 24),
    ]


async def test_the_report_is_sent_on_its_sunday_once_and_nothing_read_otherwise() -> None:
    source = Source(ratings=[], open_filed=[], overdue=0)
    queued: set[dt.date] = set()
    sent: list[WeekFigures] = []

    async def is_queued(sunday: dt.date) -> bool:
        return sunday in queued

    async def send(figures: WeekFigures) -> bool:
        sent.append(figures)
        queued.add(figures.sunday)
        return True

    async def tick(now: dt.datetime) -> bool:
        return await weekly_report(is_queued, source, now, DEPARTMENTS.__getitem__, send)

    assert not await tick(riyadh(SUNDAY, 7, 59))  # not yet
    assert not await tick(riyadh(SUNDAY - dt.timedelta(days=1), 9))  # Saturday
    assert source.snapshots == 0 and sent == []
    assert await tick(riyadh(SUNDAY, 8, 0))
    assert [f.sunday for f in sent] == [SUNDAY] and source.snapshots == 1
    assert not await tick(riyadh(SUNDAY, 8, 1))  # queued already: nothing read again
    assert source.snapshots == 1 and len(sent) == 1
