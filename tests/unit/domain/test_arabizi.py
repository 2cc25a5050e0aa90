"""Arabizi written back in Arabic script (issue 13): the words of this domain as people
type them, and English, Arabic and numbers left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain import arabizi
from domain.catalogue import load_catalogue

DATA = Path(__file__).resolve().parents[3] / "domain" / "data" / "arabizi.json"


@pytest.mark.parametrize(
    ("typed", "arabic"),
    [
        ("abi ajadid el iqama", "ابي اجدد الاقامه"),
        ("3ayez ta2sheret khorog we 3awda", "عايز تاشيره خروج و عوده"),
        ("bdi jadded el jawaz", "بدي جدد الجواز"),
        ("kam el gharama?", "كم الغرامه?"),
        ("btwaslo el iqama bel bareed?", "btwaslo الاقامه بالبريد?"),
        # vowels dropped as in a quick chat (a fresh-clone probe: not understood)
        ("abi ajdd iqamti", "ابي اجدد اقامتي"),
        ("abgha ajdd jwazi", "ابغى اجدد جوازي"),
    ],
)
def test_arabizi_is_written_in_arabic(typed: str, arabic: str) -> None:
    assert arabizi.to_arabic(typed) == arabic


@pytest.mark.parametrize(
    "text",
    [
        "I want to renew my iqama",
        "what is the fee for an exit re-entry visa?",
        "can I extend my visit visa online?",
        "ابي اجدد الاقامة",
        "2000000006",
        "iqama",
    ],
)
def test_english_arabic_and_numbers_are_left_alone(text: str) -> None:
    assert arabizi.to_arabic(text) == text


def test_a_word_not_listed_with_an_arabizi_digit_is_spelt_letter_by_letter() -> None:
    # «7' » and «3» are letters; short vowels inside a word are not written
    assert arabizi.to_arabic("abi sha7en") == "ابي شحن"


def test_english_still_reaches_its_service() -> None:
    catalogue = load_catalogue()
    assert catalogue.match("I want to renew my iqama")[0].id == "iqama_renew"
    assert catalogue.match("abi ajadid el iqama")[0].id == "iqama_renew"


def test_a_mapping_that_is_not_arabic_script_is_refused() -> None:
    document = json.loads(DATA.read_text(encoding="utf-8"))
    document["words"]["jawaz"] = "passport"
    with pytest.raises(ValueError, match="jawaz"):
        arabizi.parse_table(document)


@pytest.mark.parametrize(
    "pasted",
    [
        "fi\u200ena\u200fl e\u200exi\u200ft\u064e",  # bidi marks between the letters
        "fi\u064ena\u0651l e\u200cxit\u0640",  # a fatha, a shadda, a ZWNJ and a tatweel
        "fi\u200cnal\u0651 exi\u0651t",
    ],
)
def test_marks_pasted_into_english_words_do_not_split_them(pasted: str) -> None:
    """Found by the property test in test_catalogue (it drew these at random): a mark
    inside «final» made «fi» and «nal» two tokens, read as Arabizi, and «final exit»
    matched no service."""
    assert arabizi.to_arabic(pasted) == "final exit"
    assert load_catalogue().match(pasted)[0].id == "final_exit_visa"


def test_a_latin_letter_is_any_character_lower_casing_into_a_to_z() -> None:
    """``has_latin`` scans with one regular expression instead of lower-casing each
    character (a profile of bench/dialogue.py found it a fifth of reading a typed
    answer); it must still find the two characters outside ASCII whose lower case is a
    Latin letter, the Kelvin sign «K» and the dotted capital «İ», and nothing else."""
    differ = [
        hex(code)
        for code in range(0x10000)
        if arabizi.has_latin(chr(code)) != ("a" <= chr(code).lower() <= "z")
    ]
    assert differ == []
    assert arabizi.has_latin("\u212a") and arabizi.has_latin("\u0130")
    assert not arabizi.has_latin("ابي اجدد ٢٠٠")
