"""Numbers, identifiers, quoted text and dates as a person reads them in each language."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.formatting import (
    FSI,
    LRI,
    PDI,
    format_gregorian,
    format_hijri,
    format_long_date,
    isolate,
    present,
)
from conversations.i18n import Texts
from domain.normalize import clean_input, digits_only


def test_counts_and_dates_take_arabic_indic_digits_by_default() -> None:
    assert present("يصلك الرد خلال 7 أيام عمل", "ar", "arab") == "يصلك الرد خلال ٧ أيام عمل"
    assert present("المرفقات: 12 ملفًا", "ar", "arab") == "المرفقات: ١٢ ملفًا"


def test_western_digits_when_the_setting_asks_for_them() -> None:
    assert present("خلال 7 أيام عمل", "ar", "latn") == "خلال 7 أيام عمل"


def test_identifiers_stay_ascii_and_isolated_left_to_right() -> None:
    text = present("رقم الطلب: 6418407042، الجوال: +966501234567، 3 ملفات", "ar", "arab")
    assert text == (f"رقم الطلب: {LRI}6418407042{PDI}، الجوال: {LRI}+966501234567{PDI}، ٣ ملفات")


def test_copying_an_identifier_back_gives_the_number() -> None:
    # whatever the person selects around the number, our input takes it back as typed
    shown = present("رقم الطلب: 6418407042", "ar", "arab")
    copied = shown.split(": ", 1)[1]
    assert copied != "6418407042"  # the isolate marks come along...
    assert digits_only(copied) == "6418407042"  # ...and are dropped on the way in


def test_english_text_is_left_as_written() -> None:
    text = "Request number: 6418407042. You will have an answer within 7 working days."
    assert present(text, "en", "arab") == text


def test_quoted_words_keep_their_digits_and_direction() -> None:
    quote = isolate("my iqama 2000000006 expired on 5/3")
    text = present(f"الوصف: {quote}\nخلال 7 أيام", "ar", "arab")
    assert f"الوصف: {FSI}my iqama 2000000006 expired on 5/3{PDI}" in text
    assert text.endswith("خلال ٧ أيام")


def test_a_quote_spanning_lines_is_isolated_line_by_line() -> None:
    # an isolate ends with its paragraph, so each line gets its own
    assert isolate("سطر 1\nline 2") == f"{FSI}سطر 1{PDI}\n{FSI}line 2{PDI}"
    assert present(isolate("سطر 1\nline 2"), "ar", "arab") == isolate("سطر 1\nline 2")


def test_pasted_bidi_marks_cannot_break_out_of_a_quote() -> None:
    quote = isolate(f"abc{PDI} 12\u202e")
    assert quote == f"{FSI}abc 12{PDI}"
    assert "12" in present(f"قال: {quote}", "ar", "arab")


@pytest.mark.parametrize(
    ("day", "arabic", "english"),
    [
        # Eid al-Fitr 1446 in the Umm al-Qura calendar
        (dt.date(2025, 3, 30), "1 شوال 1446هـ", "1 Shawwal 1446 AH"),
        # Saudi National Day 2025
        (dt.date(2025, 9, 23), "1 ربيع الثاني 1447هـ", "1 Rabi' al-Thani 1447 AH"),
    ],
)
def test_hijri_dates_follow_umm_al_qura(day: dt.date, arabic: str, english: str) -> None:
    assert format_hijri(day, Texts("ar")) == arabic
    assert format_hijri(day, Texts("en")) == english


def test_long_date_in_each_language_order() -> None:
    day = dt.date(2026, 12, 1)
    ar = present(format_long_date(day, Texts("ar")), "ar", "arab")
    assert ar == "الثلاثاء ٢١ جمادى الآخرة ١٤٤٨هـ، الموافق ١ ديسمبر ٢٠٢٦م"
    assert format_long_date(day, Texts("en")) == (
        "Tuesday, 1 December 2026 (21 Jumada al-Akhirah 1448 AH)"
    )


def test_dates_carry_no_invisible_marks() -> None:
    # Babel's Arabic patterns put RLM marks in dates, which people paste back
    for locale in ("ar", "en"):
        text = format_gregorian(dt.date(2026, 11, 22), Texts(locale))
        assert clean_input(text) == text
