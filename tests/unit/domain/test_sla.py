import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.sla import (
    add_working_days,
    due_date,
    is_working_day,
    load_holidays,
    parse_holidays,
    working_days_between,
)

D = dt.date
UTC = dt.UTC


# Worked by hand on a calendar of November-December 2026 (no holidays in that stretch).
@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # Sunday: Mon 23, Tue 24, Wed 25, Thu 26, Sun 29, Mon 30, Tue 1 Dec.
        (D(2026, 11, 22), D(2026, 12, 1)),
        # Thursday: the weekend is skipped, Sun 29 is day 1, Mon 7 Dec is day 7.
        (D(2026, 11, 26), D(2026, 12, 7)),
        # Friday and Saturday submissions count from Sunday, like Thursday's.
        (D(2026, 11, 27), D(2026, 12, 7)),
        (D(2026, 11, 28), D(2026, 12, 7)),
        # Wednesday: Thu 26, Sun 29, Mon 30, Tue 1, Wed 2, Thu 3, Sun 6.
        (D(2026, 11, 25), D(2026, 12, 6)),
    ],
)
def test_seven_working_days_on_ordinary_weeks(submitted: dt.date, due: dt.date) -> None:
    assert due_date(submitted) == due
    assert due_date(submitted, 7) == due


def test_national_day_is_skipped() -> None:
    # Thu 17 Sep 2026; Wed 23 Sep is National Day:
    # Sun 20, Mon 21, Tue 22, (23 off), Thu 24, Sun 27, Mon 28, Tue 29.
    assert not is_working_day(D(2026, 9, 23))
    assert due_date(D(2026, 9, 17)) == D(2026, 9, 29)


def test_eid_al_fitr_is_skipped() -> None:
    # Sun 15 Mar 2026; Eid al-Fitr holiday Thu 19 - Tue 24 Mar:
    # Mon 16, Tue 17, Wed 18, (19-24 off), Wed 25, Thu 26, Sun 29, Mon 30.
    assert due_date(D(2026, 3, 15)) == D(2026, 3, 30)


def test_eid_al_adha_and_founding_day_are_holidays() -> None:
    assert not is_working_day(D(2026, 5, 27))  # Eid al-Adha, a Wednesday
    assert not is_working_day(D(2027, 2, 22))  # Founding Day, a Monday
    assert is_working_day(D(2027, 2, 23))


def test_every_year_2024_to_2030_has_the_four_holidays() -> None:
    holidays = load_holidays()
    for year in range(2024, 2031):
        in_year = {d for d in holidays if d.year == year}
        assert D(year, 9, 23) in in_year
        assert D(year, 2, 22) in in_year
        # Founding Day and National Day give at most 4 days; the two Eids bring the rest.
        assert len(in_year) >= 10, year


def test_the_weekend_is_friday_and_saturday() -> None:
    week = [D(2026, 11, 22) + dt.timedelta(days=i) for i in range(7)]  # Sun..Sat
    assert [is_working_day(d) for d in week] == [True, True, True, True, True, False, False]


def test_a_late_evening_utc_submission_is_the_next_riyadh_day() -> None:
    # 22:30 UTC on Saturday is 01:30 on Sunday in Riyadh (UTC+3).
    submitted = dt.datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
    assert due_date(submitted) == due_date(D(2026, 11, 22)) == D(2026, 12, 1)


def test_naive_datetimes_are_riyadh_time() -> None:
    assert due_date(dt.datetime(2026, 11, 22, 23, 59)) == D(2026, 12, 1)


def test_explicit_holidays_replace_the_calendar() -> None:
    assert due_date(D(2026, 9, 17), holidays=()) == D(2026, 9, 28)
    assert due_date(D(2026, 11, 22), holidays={D(2026, 11, 23)}) == D(2026, 12, 2)


def test_override_file_replaces_the_shipped_calendar(tmp_path: Path) -> None:
    path = tmp_path / "holidays.json"
    path.write_text(
        json.dumps({"holidays": [{"name": "eid", "from": "2026-11-23", "to": "2026-11-24"}]}),
        encoding="utf-8",
    )
    holidays = parse_holidays(path.read_text(encoding="utf-8"), source=str(path))
    assert holidays == {D(2026, 11, 23), D(2026, 11, 24)}
    assert D(2026, 9, 23) not in holidays
    assert due_date(D(2026, 11, 22), holidays=holidays) == D(2026, 12, 3)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "{}",
        '{"holidays": [{"name": "x", "from": "2026-13-01"}]}',
        '{"holidays": [{"name": "x", "from": "2026-11-24", "to": "2026-11-23"}]}',
    ],
)
def test_malformed_override_file_is_refused_with_its_name(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json"):
        parse_holidays(path.read_text(encoding="utf-8"), source=str(path))


def test_zero_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_working_days(D(2026, 11, 27), 0) == D(2026, 11, 27)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 11, 27), -1)


def test_working_days_between_counts_how_late_a_request_is() -> None:
    due = D(2026, 12, 1)  # Tuesday
    assert working_days_between(due, due) == 0
    assert working_days_between(due, D(2026, 12, 3)) == 2
    assert working_days_between(due, D(2026, 12, 6)) == 3  # Fri/Sat in between
    assert working_days_between(D(2026, 12, 6), due) == -3


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))
calendars = st.one_of(st.none(), st.frozensets(dates, max_size=40))


@given(dates, st.integers(min_value=1, max_value=40), calendars)
def test_due_date_is_a_working_day_exactly_n_working_days_later(
    submitted: dt.date, n: int, holidays: frozenset[dt.date] | None
) -> None:
    due = due_date(submitted, n, holidays)
    assert due > submitted
    assert is_working_day(due, holidays)
    assert working_days_between(submitted, due, holidays) == n


@given(
    st.datetimes(
        min_value=dt.datetime(2024, 1, 1),
        max_value=dt.datetime(2030, 12, 1),
        timezones=st.timezones(),
    )
)
def test_aware_datetimes_count_from_their_riyadh_date(moment: dt.datetime) -> None:
    riyadh_day = moment.astimezone(dt.timezone(dt.timedelta(hours=3))).date()
    assert due_date(moment) == due_date(riyadh_day)


@given(dates, dates, calendars)
def test_working_days_between_is_antisymmetric(
    a: dt.date, b: dt.date, holidays: frozenset[dt.date] | None
) -> None:
    assert working_days_between(a, b, holidays) == -working_days_between(b, a, holidays)
