"""When the staff group is warned about a request's seven working days: a reminder with
one working day left, an escalation once overdue, each once per due date, on the Riyadh
calendar (Friday and Saturday off) whatever the hour."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.sla import RIYADH
from officers.due_warnings import needs_escalation, needs_reminder

#: Wednesday 4 March 2026; Thursday 5th is a working day, Friday 6th and Saturday 7th not
WEDNESDAY = dt.date(2026, 3, 4)
THURSDAY, SUNDAY = dt.date(2026, 3, 5), dt.date(2026, 3, 8)
NO_HOLIDAYS: frozenset[dt.date] = frozenset()


def riyadh(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), RIYADH).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("due", "today", "reminded"),
    [
        (THURSDAY, WEDNESDAY, True),  # one working day left
        (WEDNESDAY, WEDNESDAY, True),  # due today
        (SUNDAY, THURSDAY, True),  # the weekend between does not count
        (SUNDAY, WEDNESDAY, False),  # two working days left
        (dt.date(2026, 3, 3), WEDNESDAY, False),  # overdue: escalated, not reminded
    ],
)
def test_a_reminder_is_due_with_one_working_day_left(
    due: dt.date, today: dt.date, reminded: bool
) -> None:
    assert needs_reminder(due, None, today, NO_HOLIDAYS) is reminded


def test_a_holiday_is_not_a_working_day_left() -> None:
    # Thursday a holiday: from Wednesday, Sunday is one working day away
    assert needs_reminder(SUNDAY, None, WEDNESDAY, frozenset({THURSDAY}))


def test_one_reminder_per_due_date_and_again_when_the_date_moved() -> None:
    assert not needs_reminder(THURSDAY, riyadh(WEDNESDAY), THURSDAY, NO_HOLIDAYS)
    # reminded on Sunday 1st for a date then moved to Thursday (the clock was paused)
    assert needs_reminder(THURSDAY, riyadh(dt.date(2026, 3, 1)), WEDNESDAY, NO_HOLIDAYS)


def test_an_escalation_once_the_due_date_has_passed_and_once_per_due_date() -> None:
    assert not needs_escalation(WEDNESDAY, None, WEDNESDAY)  # due today: not yet
    assert needs_escalation(WEDNESDAY, None, THURSDAY)
    assert not needs_escalation(WEDNESDAY, riyadh(THURSDAY), SUNDAY)  # escalated already
    # escalated for an earlier date, then reopened with Wednesday as the new date
    assert needs_escalation(WEDNESDAY, riyadh(dt.date(2026, 3, 2)), THURSDAY)


def test_the_riyadh_day_of_a_warning_counts_not_the_servers() -> None:
    # 23:30 UTC on Wednesday is already Thursday 02:30 in Riyadh: after the due date
    late_night = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)
    assert not needs_escalation(WEDNESDAY, late_night, SUNDAY)
    assert needs_escalation(WEDNESDAY, late_night - dt.timedelta(hours=3), SUNDAY)
