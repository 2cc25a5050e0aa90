"""The officers' lists (/overdue, /waiting, /mine, /unassigned, a search) give each
request's due date as the officers' other lines write dates («1 ديسمبر 2026م», as the
weekly report), not in ISO («2026-12-01») inside an Arabic line. Found in session 15."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.staff.views import HTML, StaffViews
from domain.catalogue import load_catalogue
from domain.status import RequestStatus
from tests.unit.bot.test_cards import record

TODAY = dt.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("locale", "due", "late"),
    [
        ("ar", "موعده 1 ديسمبر 2026م", "متأخر 7 أيام عمل"),
        ("en", "due 1 December 2026", "7 working days late"),
    ],
)
def test_an_overdue_line_gives_the_due_date_in_words(locale: str, due: str, late: str) -> None:
    views = StaffViews(load_catalogue(), locale=locale)
    taken = record(status=RequestStatus.UNDER_REVIEW, due_date=dt.date(2026, 12, 1))
    text = views.overdue([taken], HTML, today=TODAY)
    assert due in text and late in text, text
    assert "2026-12-01" not in text
