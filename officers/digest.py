"""The daily digest's use case: once a day from 08:00 Riyadh time, what is new since the
last digest, open, due today, overdue, decided yesterday, waiting for WhatsApp users to
write, and the satisfaction per department of the ratings given since the last digest,
queued once for the staff group.

What is read and queued comes through a :class:`DigestSource` (``bot.staff.reports.
StaffReports``: SQL and the outbox, whose unique key keeps the digest to one even when two
workers queue it at once); what is counted is :func:`officers.report_figures.
digest_figures`; the words are the caller's ``render``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol

from domain.status import RequestStatus
from officers.report_figures import DepartmentOf, DigestFigures, digest_figures


class Listed(Protocol):
    """A request as the digest reads it (``bot``: ``RequestRecord``)."""

    @property
    def number(self) -> str: ...

    @property
    def service_id(self) -> str: ...

    @property
    def status(self) -> RequestStatus: ...

    @property
    def due_date(self) -> dt.date: ...


class Decided(Protocol):
    """A decision made on a day: the service and the status it moved to."""

    @property
    def service_id(self) -> str: ...

    @property
    def status(self) -> RequestStatus: ...


class DigestSource(Protocol):
    """What the digest reads and where it goes (instants aware UTC, days Riyadh dates)."""

    async def digest_queued(self, day: dt.date) -> bool:
        """Whether ``day``'s digest is queued already."""
        ...

    async def previous_digest_at(self, day: dt.date) -> dt.datetime | None:
        """When the last digest before ``day``'s was queued, or None."""
        ...

    async def filed_since(self, since: dt.datetime) -> Sequence[Listed]:
        """The requests filed from ``since`` on."""
        ...

    async def open_requests(self) -> Sequence[Listed]:
        """The open requests, soonest due first."""
        ...

    async def decided_on(self, day: dt.date) -> Sequence[Decided]:
        """The decisions made on ``day`` (one reopened since still counts)."""
        ...

    async def waiting_for_window(self) -> int:
        """Notifications waiting for WhatsApp users to write again."""
        ...

    async def rated_since(self, since: dt.datetime) -> list[tuple[str, int]]:
        """(service id, rating) of the ratings given from ``since`` on: the digest's
        window, not all time (an all-time count never ends once anyone has rated, so the
        one-line digest of a quiet day would never come back)."""
        ...

    async def queue_digest(self, day: dt.date, html: str) -> bool:
        """Queues ``day``'s digest unless one is; True when this call did."""
        ...


async def daily_digest(
    source: DigestSource,
    today: dt.date,
    now: dt.datetime,
    department_of: DepartmentOf,
    render: Callable[[dt.date, DigestFigures], str],
) -> bool:
    """Queues ``today``'s digest unless it is queued already (then nothing is read or
    rendered); True when this call did. "New" and the ratings count from the last digest,
    or from a day before ``now`` when there was none."""
    if await source.digest_queued(today):
        return False
    since = await source.previous_digest_at(today) or now - dt.timedelta(days=1)
    figures = digest_figures(
        today,
        new=[(r.number, r.service_id) for r in await source.filed_since(since)],
        open_=[
            (r.number, r.service_id, r.status, r.due_date) for r in await source.open_requests()
        ],
        decided=[
            (d.service_id, d.status) for d in await source.decided_on(today - dt.timedelta(days=1))
        ],
        waiting=await source.waiting_for_window(),
        rated=await source.rated_since(since),
        department_of=department_of,
    )
    return await source.queue_digest(today, render(today, figures))
