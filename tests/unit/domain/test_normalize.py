import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.normalize import (
    clean_input,
    digits_only,
    fold_arabic,
    stray_letters,
    strip_invisible,
    to_ascii_digits,
)
from domain.phone import InvalidPhoneNumber, normalise_phone

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
INVISIBLES = (
    "\u200e\u200f\u061c\u200b\u200c\u200d\ufeff\u00ad"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def test_arabic_indic_and_persian_digits_become_ascii() -> None:
    assert to_ascii_digits(ARABIC_INDIC) == "0123456789"
    assert to_ascii_digits(PERSIAN) == "0123456789"
    assert to_ascii_digits("رقمي ١٢٣ و۴۵۶") == "رقمي 123 و456"


def test_every_invisible_mark_is_removed() -> None:
    for mark in INVISIBLES:
        assert strip_invisible(f"12{mark}34") == "1234", hex(ord(mark))


def test_visible_text_survives_strip_invisible() -> None:
    assert strip_invisible("تجديد الإقامة") == "تجديد الإقامة"


def test_clean_input_handles_a_number_pasted_from_a_bidi_app() -> None:
    assert clean_input("\u200f ١٠٠٠٠٠٠٠٠٨\u200e \n") == "1000000008"
    assert clean_input("  /start\u00a0\u00a0now ") == "/start now"


def test_fold_arabic_equates_common_spelling_variants() -> None:
    variants = ["الإقامة", "الاقامه", "الأقامة", "الإقـــامَة", "\u200fالاقامة"]
    assert {fold_arabic(v) for v in variants} == {"الاقامه"}
    assert fold_arabic("مستشفى") == fold_arabic("مستشفي")
    assert fold_arabic("مسؤول") == fold_arabic("مسوول")
    assert fold_arabic("نهائي") == fold_arabic("نهايي")
    assert fold_arabic("ٱلجواز") == "الجواز"


def test_fold_arabic_turns_punctuation_into_spaces_and_casefolds() -> None:
    assert fold_arabic("تجديد،الإقامة؟ لو سمحت!!") == "تجديد الاقامه لو سمحت"
    assert fold_arabic("Renew   my IQAMA, please.") == "renew my iqama please"
    assert fold_arabic("خروج؛ وعودة 🙏") == "خروج وعوده"


def test_digits_only_drops_separators_people_type_inside_numbers() -> None:
    assert digits_only("١٠٠٠ - ٠٠٠ - ۰۰۸") == "1000000008"
    assert digits_only("1000.000/008") == "1000000008"
    assert digits_only("1000–000—008") == "1000000008"


def test_digits_only_keeps_what_the_caller_must_reject() -> None:
    assert digits_only("10a0") == "10a0"
    assert digits_only("") == ""


def test_stray_letters_are_the_letters_inside_a_number() -> None:
    # the fresh-clone tester's iqama number, and a letter amid Arabic-Indic digits
    assert stray_letters("2123456788x") == "x"
    assert stray_letters("٢١٢٣٤٥س٦٧٨٨") == "س"
    # separators people type inside numbers do not split the number's word
    assert stray_letters("2000-000-00x6") == "x"
    assert stray_letters("x2000000006 y1") == "x y"
    # a letter on its own beside the number is a slip too, a word is not
    assert stray_letters("2123456788 x") == "x"
    assert stray_letters("x ٢٠٠٠ ٠٠٠ ٠٠٦") == "x"


def test_words_around_a_number_are_not_stray_letters() -> None:
    assert stray_letters("رقم إقامتي ٢٠٠٠ ٠٠٠ ٠٠٦") == ""
    assert stray_letters("iqama: 2000000006.") == ""
    assert stray_letters("٢٠٠٠-٠٠٠-٠٠٦") == ""
    assert stray_letters("لا أستطيع تجديد الإقامة") == ""


@pytest.mark.parametrize("typed", ["0501234567x", "050ABC4567", "05012345٦٧ب"])
def test_a_mobile_number_with_a_letter_in_it_is_refused(typed: str) -> None:
    # phonenumbers alone dropped the trailing letter and read ABC as keypad digits 222
    with pytest.raises(InvalidPhoneNumber):
        normalise_phone(typed)
    assert normalise_phone("جوالي 050-123-4567") == "+966501234567"


@given(st.text())
def test_clean_input_is_idempotent_and_leaves_no_invisible_marks(text: str) -> None:
    once = clean_input(text)
    assert clean_input(once) == once
    assert not set(once) & set(INVISIBLES)
    assert not set(once) & set(ARABIC_INDIC + PERSIAN)


@given(st.text())
def test_fold_arabic_is_idempotent(text: str) -> None:
    once = fold_arabic(text)
    assert fold_arabic(once) == once


@given(st.integers(min_value=0, max_value=10**12))
def test_any_number_in_any_script_reads_back_as_ascii(n: int) -> None:
    ascii_text = str(n)
    for script in (ARABIC_INDIC, PERSIAN):
        native = ascii_text.translate(str.maketrans("0123456789", script))
        assert digits_only(native) == ascii_text


def test_keycap_emoji_are_the_digits_they_show() -> None:
    """Tester 13 (§23): «1️⃣», copied from a numbered menu, was not understood."""
    from domain.normalize import to_ascii_digits

    assert clean_input("1️⃣") == "1"
    assert clean_input("3\u20e3") == "3"
    assert clean_input("🔟") == "10"
    assert to_ascii_digits("2️⃣0️⃣0️⃣") == "200"
    assert clean_input("ابي 2️⃣") == "ابي 2"
