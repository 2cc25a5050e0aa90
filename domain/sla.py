"""Working days and the 7-working-day answer promise.

The week's weekend is Friday and Saturday. Official holidays are data
(``domain/data/holidays.json``) because the Eid dates depend on moon sighting and are only
known for sure shortly before; the bot layer may hand :func:`load_holidays` another file.
All dates are Riyadh dates: a request sent at 01:00 Riyadh time on a Sunday was sent on
Sunday, whatever the server's clock says.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

RIYADH = ZoneInfo("Asia/Riyadh")
WEEKEND: frozenset[int] = frozenset({4, 5})  # date.weekday(): Friday, Saturday
DEFAULT_WORKING_DAYS = 7


def load_holidays() -> frozenset[dt.date]:
    """Every holiday day in the shipped calendar (package data, read once)."""
    return _shipped_holidays()


@cache
def _shipped_holidays() -> frozenset[dt.date]:
    text = resources.files("domain").joinpath("data/holidays.json").read_text(encoding="utf-8")
    return parse_holidays(text, source="domain/data/holidays.json")


def parse_holidays(text: str, *, source: str) -> frozenset[dt.date]:
    """A calendar in the shipped format (an operator's override replaces the shipped one);
    malformed text raises ValueError naming ``source``. Reading the file is the caller's."""
    try:
        document: Any = json.loads(text)
        days: set[dt.date] = set()
        for entry in document["holidays"]:
            first = dt.date.fromisoformat(entry["from"])
            last = dt.date.fromisoformat(entry.get("to", entry["from"]))
            if last < first:
                raise ValueError(f"holiday {entry!r} ends before it starts")
            days.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{source}: not a holidays file: {error}") from error
    return frozenset(days)


def _calendar(holidays: Collection[dt.date] | None) -> Collection[dt.date]:
    return _shipped_holidays() if holidays is None else holidays


def riyadh_date(moment: dt.datetime | dt.date) -> dt.date:
    """The Riyadh calendar day of ``moment``; naive datetimes are taken as Riyadh time."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            return moment.astimezone(RIYADH).date()
        return moment.date()
    return moment


def is_working_day(day: dt.date, holidays: Collection[dt.date] | None = None) -> bool:
    return day.weekday() not in WEEKEND and day not in _calendar(holidays)


def add_working_days(
    start: dt.date, n: int, holidays: Collection[dt.date] | None = None
) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself never counts); ``start``
    when ``n`` is 0."""
    if n < 0:
        raise ValueError("n must not be negative")
    calendar = _calendar(holidays)
    day = start
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, calendar):
            remaining -= 1
    return day


def working_days_between(
    a: dt.date, b: dt.date, holidays: Collection[dt.date] | None = None
) -> int:
    """How many working days lie in (a, b]: how late a request due on ``a`` is on ``b``.
    Negative when ``b`` comes before ``a``."""
    if b < a:
        return -working_days_between(b, a, holidays)
    calendar = _calendar(holidays)
    return sum(
        1 for i in range(1, (b - a).days + 1) if is_working_day(a + dt.timedelta(days=i), calendar)
    )


def due_date(
    submitted: dt.datetime | dt.date,
    working_days: int = DEFAULT_WORKING_DAYS,
    holidays: Collection[dt.date] | None = None,
) -> dt.date:
    """The last day on which the answer is due: counting starts on the next working day
    after the day of submission, even when that day was itself a working day."""
    return add_working_days(riyadh_date(submitted), working_days, holidays)
