"""Days typed after ``tawasul staff export --from/--to``: any of the three digit sets,
the marks a copy from an Arabic document brings, never a guessed order."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.days import InvalidDay, parse_day

NOV_1 = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-01",
        "٢٠٢٦-١١-٠١",  # Arabic-Indic
        "۲۰۲۶-۱۱-۰۱",  # Persian (Eastern Arabic on Persian and Urdu keyboards)
        "\u200f٢٠٢٦-١١-٠١\u200f",  # with the RLM a copy from an Arabic page brings
        " 2026/11/1 ",
        "٢٠٢٦\u2013١١\u2013١",  # an en dash from a word processor
        "2026-١١-01",  # mixed
    ],
)
def test_the_first_of_november_in_every_hand(text: str) -> None:
    assert parse_day(text) == NOV_1


@pytest.mark.parametrize(
    "text", ["", "30/11/2026", "01-11-2026", "2026-11", "yesterday", "2026-11-01x", "٢٠٢٦١١٠١"]
)
def test_not_written_year_month_day(text: str) -> None:
    with pytest.raises(InvalidDay) as caught:
        parse_day(text)
    assert caught.value.reason == "format"


@pytest.mark.parametrize("text", ["2026-02-29", "٢٠٢٦-٠٤-٣١", "2026-13-01", "2026-00-10"])
def test_no_such_day(text: str) -> None:
    with pytest.raises(InvalidDay) as caught:
        parse_day(text)
    assert caught.value.reason == "calendar"


def test_digits_of_other_scripts_are_not_taken_for_ascii() -> None:
    # Devanagari digits: int() would read them, the directorate's officers never type them
    with pytest.raises(InvalidDay):
        parse_day("२०२६-११-०१")


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_every_day_in_arabic_indic_digits_reads_back(day: dt.date) -> None:
    arabic = day.isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert parse_day(arabic) == day
