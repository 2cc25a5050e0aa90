"""What the officers' reports count (:mod:`officers.report_figures`): the chart's days,
decisions on time per department, the oldest open requests, satisfaction per department,
and the daily digest's counts. (Read from SQL and worded: tests/integration/test_stats*.py,
test_staff_schedule*.py.)"""

from __future__ import annotations

import datetime as dt

from domain.sla import RIYADH
from domain.status import RequestStatus
from officers.report_figures import by_department, chart_figures, digest_figures, stats_figures

DEPARTMENTS = {"passport_renew": "passports", "iqama_renew": "residency"}
dept = DEPARTMENTS.__getitem__
MONDAY = dt.date(2026, 11, 23)


def riyadh(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), RIYADH).astimezone(dt.UTC)


def test_satisfaction_is_averaged_per_department_a_retired_service_under_its_id() -> None:
    rated = [("passport_renew", 5), ("passport_renew", 2), ("iqama_renew", 4), ("gone", 1)]
    assert by_department(rated, dept) == {
        "passports": (3.5, 2),
        "residency": (4.0, 1),
        "gone": (1.0, 1),
    }
    assert by_department([], dept) == {}


def test_the_chart_counts_riyadh_days_and_decisions_by_their_due_date() -> None:
    # 23:30 UTC on Sunday is already Monday in Riyadh
    late_sunday = dt.datetime.combine(MONDAY - dt.timedelta(days=1), dt.time(23, 30), dt.UTC)
    chart = chart_figures(
        MONDAY,
        3,
        filed=[late_sunday, riyadh(MONDAY, 9), riyadh(MONDAY + dt.timedelta(days=2), 9)],
        decisions=[
            (riyadh(MONDAY, 10), "passport_renew", MONDAY),  # on the due date: in time
            (riyadh(MONDAY + dt.timedelta(days=1), 10), "passport_renew", MONDAY),  # late
            (riyadh(MONDAY + dt.timedelta(days=2), 10), "gone", MONDAY + dt.timedelta(days=5)),
        ],
        oldest_open=[("4512345671", riyadh(MONDAY - dt.timedelta(days=10), 23))],
        as_of=MONDAY + dt.timedelta(days=2),
        rated=[("iqama_renew", 3)],
        department_of=dept,
    )
    assert chart.days == [MONDAY + dt.timedelta(days=i) for i in range(3)]
    assert chart.received == [2, 0, 1]
    assert chart.decided == [1, 1, 1]
    assert chart.on_time == {"gone": (1, 1), "passports": (1, 2)}
    assert chart.oldest == [("4512345671", 12)]
    assert chart.satisfaction == {"residency": (3.0, 1)}


def test_the_digest_counts_overdue_but_not_what_waits_for_the_person() -> None:
    today = MONDAY
    yesterday = today - dt.timedelta(days=1)
    figures = digest_figures(
        today,
        new=[("4500000001", "iqama_renew")],
        open_=[
            ("4500000002", "passport_renew", RequestStatus.UNDER_REVIEW, yesterday),
            ("4500000003", "passport_renew", RequestStatus.NEEDS_INFO, yesterday),  # paused
            ("4500000004", "iqama_renew", RequestStatus.RECEIVED, today),
            ("4500000001", "iqama_renew", RequestStatus.RECEIVED, today + dt.timedelta(7)),
            ("4500000005", "passport_renew", RequestStatus.RECEIVED, today + dt.timedelta(3)),
        ],
        decided=[
            ("passport_renew", RequestStatus.ACCEPTED),
            ("iqama_renew", RequestStatus.REJECTED),
            ("iqama_renew", RequestStatus.ACCEPTED),
        ],
        waiting=2,
        rated=[],
        department_of=dept,
    )
    assert (figures.new, figures.open, figures.due_today, figures.waiting) == (1, 5, 1, 2)
    assert figures.overdue == [("4500000002", "passport_renew", yesterday)]
    assert (figures.accepted, figures.rejected) == (2, 1)
    # most open first; a tie by department id
    assert list(figures.per_department) == ["passports", "residency"]
    assert figures.per_department["passports"] == {
        "open": 3, "new": 0, "due": 0, "overdue": 1, "decided": 1,
    }  # fmt: skip
    assert figures.per_department["residency"] == {
        "open": 2, "new": 1, "due": 1, "overdue": 0, "decided": 2,
    }  # fmt: skip
    assert figures.satisfaction == {}


def test_stats_count_every_status_and_the_open_per_department() -> None:
    today = MONDAY
    stats = stats_figures(
        today,
        statuses=["received", "under_review", "accepted", "accepted", "needs_info"],
        open_=[
            ("passport_renew", RequestStatus.RECEIVED, today),
            ("passport_renew", RequestStatus.UNDER_REVIEW, today - dt.timedelta(days=2)),
            ("iqama_renew", RequestStatus.NEEDS_INFO, today - dt.timedelta(days=5)),  # paused
        ],
        rated=[("passport_renew", 5), ("passport_renew", 4)],
        department_of=dept,
    )
    assert stats.by_status == {"received": 1, "under_review": 1, "accepted": 2, "needs_info": 1}
    assert stats.by_department == {"passports": 2, "residency": 1}
    assert (stats.overdue, stats.due_today) == (1, 1)
    assert stats.satisfaction == {"passports": (4.5, 2)}
