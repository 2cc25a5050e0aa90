"""The daily digest's use case (:mod:`officers.digest`) against an in-memory source: once
a day, "new" counted from the last digest, yesterday's decisions, and nothing read when it
is queued already. (On SQL, with two workers: tests/integration/test_staff_schedule.py.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from domain.status import RequestStatus
from officers.digest import daily_digest
from officers.report_figures import DigestFigures

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # 08:00 in Riyadh
DEPARTMENTS = {"passport_renew": "passports", "iqama_renew": "residency"}


@dataclass(frozen=True)
class Listed:
    number: str
    service_id: str
    status: RequestStatus
    due_date: dt.date
    filed_at: dt.datetime


@dataclass(frozen=True)
class Decided:
    service_id: str
    status: RequestStatus
    day: dt.date


@dataclass
class Source:
    requests: list[Listed] = field(default_factory=list)
    decisions: list[Decided] = field(default_factory=list)
    #: day -> when that day's digest was queued, and its text
    queued: dict[dt.date, tuple[dt.datetime, str]] = field(default_factory=dict)
    reads: int = 0
    #: (service id, rating, when it was given)
    ratings: list[tuple[str, int, dt.datetime]] = field(
        default_factory=lambda: [("iqama_renew", 4, NOW - dt.timedelta(hours=2))]
    )

    async def digest_queued(self, day: dt.date) -> bool:
        return day in self.queued

    async def previous_digest_at(self, day: dt.date) -> dt.datetime | None:
        return max((at for d, (at, _h) in self.queued.items() if d < day), default=None)

    async def filed_since(self, since: dt.datetime) -> list[Listed]:
        self.reads += 1
        return [r for r in self.requests if r.filed_at >= since]

    async def open_requests(self) -> list[Listed]:
        return sorted(self.requests, key=lambda r: r.due_date)

    async def decided_on(self, day: dt.date) -> list[Decided]:
        return [d for d in self.decisions if d.day == day]

    async def waiting_for_window(self) -> int:
        return 1

    async def rated_since(self, since: dt.datetime) -> list[tuple[str, int]]:
        return [(service, rating) for service, rating, at in self.ratings if at >= since]

    async def queue_digest(self, day: dt.date, html: str) -> bool:
        if day in self.queued:
            return False
        self.queued[day] = (NOW, html)
        return True


def render(day: dt.date, figures: DigestFigures) -> str:
    return f"{day} new={figures.new} open={figures.open} acc={figures.accepted} " + (
        f"rej={figures.rejected} wait={figures.waiting} sat={figures.satisfaction}"
    )


def listed(number: str, filed_at: dt.datetime) -> Listed:
    return Listed(number, "iqama_renew", RequestStatus.RECEIVED, TODAY, filed_at)


async def test_new_counts_from_the_last_digest_and_the_digest_goes_once() -> None:
    last_digest = NOW - dt.timedelta(hours=30)  # a day was missed: still from the last one
    source = Source(
        requests=[
            listed("4500000001", NOW - dt.timedelta(hours=31)),
            listed("4500000002", NOW - dt.timedelta(hours=29)),
            listed("4500000003", NOW - dt.timedelta(hours=1)),
        ],
        decisions=[
            Decided("passport_renew", RequestStatus.ACCEPTED, TODAY - dt.timedelta(days=1)),
            Decided("passport_renew", RequestStatus.REJECTED, TODAY - dt.timedelta(days=2)),
        ],
        queued={TODAY - dt.timedelta(days=2): (last_digest, "…")},
    )
    assert await daily_digest(source, TODAY, NOW, DEPARTMENTS.__getitem__, render)
    _at, html = source.queued[TODAY]
    assert html == (f"{TODAY} new=2 open=3 acc=1 rej=0 wait=1 sat={{'residency': (4.0, 1)}}")
    reads = source.reads
    assert not await daily_digest(source, TODAY, NOW, DEPARTMENTS.__getitem__, render)
    assert source.reads == reads  # queued already: nothing read, nothing rendered


async def test_the_first_digest_counts_a_day_back() -> None:
    source = Source(
        requests=[
            listed("4500000001", NOW - dt.timedelta(hours=25)),
            listed("4500000002", NOW - dt.timedelta(hours=23)),
        ]
    )
    assert await daily_digest(source, TODAY, NOW, DEPARTMENTS.__getitem__, render)
    assert "new=1 open=2" in source.queued[TODAY][1]


async def test_ratings_count_from_the_last_digest_so_a_quiet_day_is_one_line_again() -> None:
    # found by the review of session 10: the digest counted every rating ever given, so
    # once anyone had rated, no later quiet day got the one-line digest
    last_digest = NOW - dt.timedelta(days=1)
    source = Source(
        queued={TODAY - dt.timedelta(days=1): (last_digest, "…")},
        ratings=[
            ("iqama_renew", 5, last_digest - dt.timedelta(days=3)),
            ("passport_renew", 2, last_digest - dt.timedelta(minutes=1)),
        ],
    )
    assert await daily_digest(source, TODAY, NOW, DEPARTMENTS.__getitem__, render)
    assert source.queued[TODAY][1].endswith("sat={}")

    source.ratings.append(("passport_renew", 3, NOW + dt.timedelta(hours=3)))
    tomorrow, later = TODAY + dt.timedelta(days=1), NOW + dt.timedelta(days=1)
    assert await daily_digest(source, tomorrow, later, DEPARTMENTS.__getitem__, render)
    assert source.queued[tomorrow][1].endswith("sat={'passports': (3.0, 1)}")
