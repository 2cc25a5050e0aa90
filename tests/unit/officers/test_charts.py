"""The chart's words for /stats and for the weekly report: one builder, each period
naming itself, the words both share the same, in the officers' language."""

from __future__ import annotations

import pytest

from conversations.i18n import Texts
from officers.charts import LAST_14_DAYS, PAST_WEEK, chart_texts

NAMES = {"passports": "Passports", "visas": "Visas"}


@pytest.mark.parametrize("locale", ["ar", "en"])
def test_the_two_periods_share_their_common_words_and_differ_in_their_own(locale: str) -> None:
    _ = Texts(locale).gettext
    fortnight = chart_texts(_, LAST_14_DAYS, ["visas"], NAMES.__getitem__, rtl=locale == "ar")
    week = chart_texts(_, PAST_WEEK, ["visas"], NAMES.__getitem__, rtl=locale == "ar")
    shared = ("received", "decided", "title_on_time", "title_oldest", "days_open", "no_open")
    assert {f: getattr(fortnight, f) for f in shared} == {f: getattr(week, f) for f in shared}
    for own in ("title_days", "no_decisions", "title_satisfaction"):
        assert getattr(fortnight, own) != getattr(week, own)
    assert fortnight.rtl is week.rtl is (locale == "ar")


def test_words_are_translated_into_arabic() -> None:
    texts = chart_texts(Texts("ar").gettext, PAST_WEEK, ["passports"], NAMES.__getitem__, rtl=True)
    for word in (texts.title_days, texts.received, texts.no_decisions, texts.title_satisfaction):
        assert any("\u0600" <= ch <= "\u06ff" for ch in word), word
    assert Texts("en").gettext(PAST_WEEK.title_days) == (
        "Requests received and decided per day (the past week)"
    )


def test_departments_are_named_once_each_in_the_order_met() -> None:
    texts = chart_texts(
        Texts("en").gettext,
        LAST_14_DAYS,
        ["visas", "passports", "visas"],
        NAMES.__getitem__,
        rtl=False,
    )
    assert list(texts.departments.items()) == [("visas", "Visas"), ("passports", "Passports")]
