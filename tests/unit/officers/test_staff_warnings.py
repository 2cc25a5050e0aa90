"""The reminder and escalation runs (:mod:`officers.staff_warnings`) against an in-memory
queue: which requests are warned of on a day, each kind in its own message, and a request
stamped by another scan meanwhile left out. (On SQL: tests/integration/test_staff_schedule.py.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from domain.status import RequestStatus
from officers.staff_warnings import DueItem, Render, WarningKind, warn

MONDAY = dt.date(2026, 11, 23)


def item(n: int, due: dt.date, **stamps: dt.datetime) -> DueItem:
    return DueItem(
        id=n, number=f"450000000{n}", service_id="iqama_renew",
        status=RequestStatus.UNDER_REVIEW, due_date=due, assigned_to=None,
        assigned_name=None, reminded_at=stamps.get("reminded_at"),
        escalated_at=stamps.get("escalated_at"),
    )  # fmt: skip


class Queue:
    def __init__(self, items: list[DueItem], stamped_elsewhere: Collection[int] = ()) -> None:
        self.items = items
        self.elsewhere = stamped_elsewhere
        self.messages: list[tuple[WarningKind, str]] = []

    async def due_items(self) -> list[DueItem]:
        return list(self.items)

    async def queue_warning(
        self, kind: WarningKind, items: Sequence[DueItem], render: Render
    ) -> list[DueItem]:
        stamped = [i for i in items if i.id not in self.elsewhere]
        if stamped:
            self.messages.append((kind, render(stamped)))
        return stamped


def numbers(items: Sequence[DueItem]) -> str:
    return ",".join(i.number for i in items)


async def test_due_tomorrow_is_reminded_of_and_overdue_escalated_each_once() -> None:
    already = dt.datetime(2026, 11, 23, 5, tzinfo=dt.UTC)
    queue = Queue(
        [
            item(1, MONDAY + dt.timedelta(days=1)),  # one working day left
            item(2, MONDAY + dt.timedelta(days=1), reminded_at=already),  # reminded today
            item(3, MONDAY + dt.timedelta(days=9)),  # plenty of time
            item(4, MONDAY - dt.timedelta(days=1)),  # overdue
            item(5, MONDAY - dt.timedelta(days=3), escalated_at=already),  # escalated
        ]
    )
    reminded, escalated = await warn(
        queue, MONDAY, holidays=(), reminder=numbers, escalation=numbers
    )
    assert [i.id for i in reminded] == [1] and [i.id for i in escalated] == [4]
    assert queue.messages == [("reminder", "4500000001"), ("escalation", "4500000004")]


async def test_stamped_elsewhere_is_left_out_and_the_weekend_is_not_counted() -> None:
    queue = Queue([item(1, MONDAY), item(2, MONDAY)], stamped_elsewhere={1, 2})
    reminded, escalated = await warn(
        queue, MONDAY, holidays=(), reminder=numbers, escalation=numbers
    )
    assert (reminded, escalated, queue.messages) == ([], [], [])
    # the weekend between today and the due date holds no working day
    friday = dt.date(2026, 11, 27)
    thursday = friday - dt.timedelta(days=1)
    sunday = friday + dt.timedelta(days=2)
    queue = Queue([item(3, sunday)])
    reminded, _ = await warn(queue, thursday, holidays=(), reminder=numbers, escalation=numbers)
    assert [i.id for i in reminded] == [3]  # Friday and Saturday are the weekend
