"""How dates read in a message: Gregorian through Babel and Hijri (Umm al-Qura)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from hijridate import Gregorian

from domain.normalize import strip_invisible


def format_hijri(day: dt.date, locale: str) -> str:
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    if locale == "ar":
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def format_due_date(day: dt.date, locale: str) -> str:
    # Babel puts RLM marks in Arabic dates; people paste them back, so we leave them out
    gregorian = strip_invisible(format_date(day, format="full", locale=locale))
    return f"{gregorian} ({format_hijri(day, locale)})"
