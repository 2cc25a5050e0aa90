"""When the staff group is warned about a request's seven working days, pure: a reminder
when one working day is left, an escalation once it is overdue, each once per due date.

The schedule (``bot.staff.schedule``) scans the open requests and asks these; a request's
due date moves when its clock was paused for the person's answer or it was reopened, and
a warning given for the old date does not count for the new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Final

from domain.sla import riyadh_date, working_days_between

#: A reminder is due when this many working days, or fewer, are left.
REMIND_WITHIN_WORKING_DAYS: Final = 1


def needs_reminder(
    due: dt.date,
    reminded_at: dt.datetime | None,
    today: dt.date,
    holidays: Collection[dt.date] | None = None,
) -> bool:
    """Whether a request due on ``due`` (a Riyadh date) is reminded of on ``today``: due
    within one working day and not reminded for this due date (``reminded_at``, aware,
    is the last reminder). A reminder sent before the due date moved (the clock was
    paused) is for the old date: remind again."""
    if due < today:
        return False
    if working_days_between(today, due, holidays) > REMIND_WITHIN_WORKING_DAYS:
        return False
    if reminded_at is None:
        return True
    return working_days_between(riyadh_date(reminded_at), due, holidays) > (
        REMIND_WITHIN_WORKING_DAYS
    )


def needs_escalation(due: dt.date, escalated_at: dt.datetime | None, today: dt.date) -> bool:
    """Whether a request due on ``due`` is escalated on ``today``: past its due date and
    not escalated since that date passed (an escalation made before the due date moved
    later belongs to the old date)."""
    if due >= today:
        return False
    return escalated_at is None or riyadh_date(escalated_at) <= due
