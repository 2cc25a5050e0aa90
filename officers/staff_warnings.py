"""The reminder and escalation runs: on each working day's scan, the open requests whose
clock runs get a reminder when one working day is left and an escalation once overdue
(the rules: :mod:`officers.due_warnings`), each once per due date, in one message per kind.

What is read, stamped and queued comes through a :class:`WarningQueue` (``bot.staff.
reports.StaffReports``: a compare-and-set stamp on each request, so two workers scanning
at once warn once); the words are the caller's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from domain.status import RequestStatus
from officers.due_warnings import needs_escalation, needs_reminder

WarningKind = Literal["reminder", "escalation"]


@dataclass(frozen=True, slots=True)
class DueItem:
    """An open request as the reminder and escalation scans see it (``id`` the store's)."""

    id: int
    number: str
    service_id: str
    status: RequestStatus
    due_date: dt.date
    assigned_to: str | None
    assigned_name: str | None
    reminded_at: dt.datetime | None
    escalated_at: dt.datetime | None


Render = Callable[[Sequence[DueItem]], str]


class WarningQueue(Protocol):
    """The open requests to scan, and the stamping and queueing of a warning."""

    async def due_items(self) -> list[DueItem]:
        """Open requests whose clock runs (not waiting for the person), soonest due first."""
        ...

    async def queue_warning(
        self, kind: WarningKind, items: Sequence[DueItem], render: Render
    ) -> list[DueItem]:
        """Stamps each item unless another scan did since it was read, and queues one
        message (``render`` of those stamped) in the same transaction; returns them."""
        ...


async def warn(
    queue: WarningQueue,
    today: dt.date,
    *,
    holidays: Collection[dt.date] | None,
    reminder: Render,
    escalation: Render,
) -> tuple[list[DueItem], list[DueItem]]:
    """Today's reminders and escalations (``holidays``: the days the working days skip);
    returns the requests reminded of and escalated by this call."""
    items = await queue.due_items()
    reminded = await queue.queue_warning(
        "reminder",
        [i for i in items if needs_reminder(i.due_date, i.reminded_at, today, holidays)],
        reminder,
    )
    escalated = await queue.queue_warning(
        "escalation",
        [i for i in items if needs_escalation(i.due_date, i.escalated_at, today)],
        escalation,
    )
    return reminded, escalated
