"""Calendar days as people type them: ``2026-11-01`` in ASCII, Arabic-Indic (``٢٠٢٦-١١-٠١``)
or Persian digits (``۲۰۲۶-۱۱-۰۱``), with the bidi marks a copy from an Arabic document
brings, and a slash or any dash between the parts.

Only the year-month-day order is read: ``01/11/2026`` could be the first of November or
the eleventh of January depending on who wrote it, so it is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from domain.normalize import clean_input

#: Why a text is not a day: not written YYYY-MM-DD, or no such day in the calendar (31 April).
DayProblem = Literal["format", "calendar"]

_DASHES: Final = "/\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TO_HYPHEN: Final = str.maketrans(_DASHES, "-" * len(_DASHES))
# [0-9], not \d: \d also takes digits of other scripts, which clean_input has turned to
# ASCII when they are Arabic-Indic or Persian and which must not pass otherwise
_DAY: Final = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


class InvalidDay(ValueError):
    """``text`` is not a day; ``reason`` says why (see :data:`DayProblem`)."""

    def __init__(self, text: str, reason: DayProblem) -> None:
        super().__init__(f"not a day ({reason}): {text!r}")
        self.text = text
        self.reason: DayProblem = reason


def parse_day(text: str) -> dt.date:
    """The Gregorian day written in ``text`` as year-month-day, in any of the three digit
    sets. Raises :class:`InvalidDay` with ``reason`` "format" or "calendar"."""
    cleaned = clean_input(text).translate(_TO_HYPHEN).replace(" ", "")
    found = _DAY.fullmatch(cleaned)
    if found is None:
        raise InvalidDay(text, "format")
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidDay(text, "calendar") from None
