"""What numbers the officers' reports hold, channel-neutral and pure: the ``/stats`` and
weekly chart's (:class:`ChartData`), the daily digest's (:class:`DigestFigures`), and the
satisfaction per department they share. The reading is the adapters' (``bot.staff``:
SQL), the words and drawing too; here only what is counted, and how.

A decision is a move to accepted or rejected; a request decided, reopened and decided
again counts on each day it was decided. Overdue: past the due date and not waiting for
the person (their clock is paused). A service since removed from the catalogue still
counts, under its own id.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from domain.sla import riyadh_date
from domain.status import RequestStatus

#: How many Riyadh days the ``/stats`` chart covers, today included.
CHART_DAYS: Final = 14
#: How many of the oldest open requests the charts and the weekly report name.
OLDEST: Final = 5
#: How many overdue requests the digest names (the rest are in /overdue).
DIGEST_OVERDUE: Final = 10

#: A service id to its department id; raises KeyError for a service no longer listed.
DepartmentOf = Callable[[str], str]


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


def department_or_service(department_of: DepartmentOf, service_id: str) -> str:
    """The department of ``service_id``, or the id itself for a service no longer listed."""
    try:
        return department_of(service_id)
    except KeyError:
        return service_id


def by_department(
    rated: Iterable[tuple[str, int]], department_of: DepartmentOf
) -> dict[str, tuple[float, int]]:
    """The average rating and how many, per department, from (service id, rating 1-5)."""
    sums: dict[str, list[int]] = {}
    for service, rating in rated:
        sums.setdefault(department_or_service(department_of, service), []).append(rating)
    return {d: (sum(r) / len(r), len(r)) for d, r in sums.items()}


def chart_figures(
    first: dt.date,
    days: int,
    *,
    filed: Iterable[dt.datetime],
    decisions: Iterable[tuple[dt.datetime, str, dt.date]],
    oldest_open: Iterable[tuple[str, dt.datetime]],
    as_of: dt.date,
    rated: Iterable[tuple[str, int]],
    department_of: DepartmentOf,
) -> ChartData:
    """The chart of the ``days`` Riyadh days from ``first``: ``filed`` the instants
    requests were filed in them, ``decisions`` (when, service id, due date) of the
    decisions made in them, ``oldest_open`` (number, filed at) of the open requests filed
    longest ago (their age counted to ``as_of``), ``rated`` (service id, rating) of the
    ratings to average. Instants are aware."""
    received = Counter(riyadh_date(at) for at in filed)
    decided: Counter[dt.date] = Counter()
    in_time: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for at, service_id, due in decisions:
        day = riyadh_date(at)
        decided[day] += 1
        department = department_or_service(department_of, service_id)
        total[department] += 1
        in_time[department] += day <= due
    span = [first + dt.timedelta(days=i) for i in range(days)]
    return ChartData(
        days=span,
        received=[received[d] for d in span],
        decided=[decided[d] for d in span],
        on_time={d: (in_time[d], total[d]) for d in sorted(total)},
        oldest=[(number, (as_of - riyadh_date(at)).days) for number, at in oldest_open],
        satisfaction=dict(sorted(by_department(rated, department_of).items())),
    )


@dataclass(frozen=True, slots=True)
class DigestFigures:
    """The daily digest's numbers: counts of requests ``new`` since the last digest,
    ``open``, ``due_today``; the ``overdue`` ones (number, service id, due date), soonest
    due first; yesterday's decisions (``accepted``, ``rejected``); WhatsApp notifications
    ``waiting`` for the person to write; ``per_department`` the counts "open", "new",
    "due", "overdue", "decided" per department id, departments with most open requests
    first; ``satisfaction`` per department (average, how many)."""

    new: int
    open: int
    due_today: int
    overdue: list[tuple[str, str, dt.date]]
    accepted: int
    rejected: int
    waiting: int
    per_department: dict[str, dict[str, int]]
    satisfaction: dict[str, tuple[float, int]]


def digest_figures(
    today: dt.date,
    *,
    new: Sequence[tuple[str, str]],
    open_: Sequence[tuple[str, str, RequestStatus, dt.date]],
    decided: Sequence[tuple[str, RequestStatus]],
    waiting: int,
    rated: Sequence[tuple[str, int]],
    department_of: DepartmentOf,
) -> DigestFigures:
    """The digest of ``today`` from ``new`` (number, service id) filed since the last one,
    ``open_`` (number, service id, status, due date) open now, soonest due first,
    ``decided`` (service id, status) yesterday, ``rated`` (service id, rating)."""
    dept = department_of
    overdue = [
        (number, service, due)
        for number, service, status, due in open_
        if due < today and status is not RequestStatus.NEEDS_INFO
    ]
    due_today = [(n, s) for n, s, _status, due in open_ if due == today]
    accepted = sum(1 for _s, status in decided if status is RequestStatus.ACCEPTED)
    per = {
        "open": Counter(dept(s) for _n, s, _st, _d in open_),
        "new": Counter(dept(s) for _n, s in new),
        "due": Counter(dept(s) for _n, s in due_today),
        "overdue": Counter(dept(s) for _n, s, _d in overdue),
        "decided": Counter(dept(s) for s, _st in decided),
    }
    departments = sorted(set().union(*per.values()), key=lambda d: (-per["open"][d], d))
    return DigestFigures(
        new=len(new),
        open=len(open_),
        due_today=len(due_today),
        overdue=overdue,
        accepted=accepted,
        rejected=len(decided) - accepted,
        waiting=waiting,
        per_department={d: {key: counts[d] for key, counts in per.items()} for d in departments},
        satisfaction=by_department(rated, dept) if rated else {},
    )


@dataclass(frozen=True, slots=True)
class Stats:
    """The ``/stats`` counts: every request ``by_status`` (status values), the open ones
    ``by_department``, how many open are ``overdue`` and ``due_today``, and
    ``satisfaction`` per department (average rating 1-5, how many ratings)."""

    by_status: dict[str, int]
    by_department: dict[str, int]
    overdue: int
    due_today: int
    satisfaction: dict[str, tuple[float, int]] = field(default_factory=dict)


def stats_figures(
    today: dt.date,
    *,
    statuses: Iterable[str],
    open_: Sequence[tuple[str, RequestStatus, dt.date]],
    rated: Iterable[tuple[str, int]],
    department_of: DepartmentOf,
) -> Stats:
    """The ``/stats`` counts on ``today`` from the status value of every request, the open
    ones as (service id, status, due date), and (service id, rating) of every rating."""
    return Stats(
        by_status=dict(Counter(statuses)),
        by_department=dict(Counter(department_of(service) for service, _st, _d in open_)),
        overdue=sum(
            1 for _s, status, due in open_ if due < today and status is not RequestStatus.NEEDS_INFO
        ),
        due_today=sum(1 for _s, _st, due in open_ if due == today),
        satisfaction=by_department(rated, department_of),
    )
