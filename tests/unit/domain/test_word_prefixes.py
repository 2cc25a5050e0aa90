"""One reading of what Arabic writes onto a word («وال», «بال», «و», «ف»…) for every matcher
(review 14 §9: four lists, each a little different: «فسورية» was no nationality and
«فصورة» no file, while «فالإقامة» was an iqama to the catalogue)."""

from __future__ import annotations

import pytest

from conversations.file_questions import asks_for_file
from domain.catalogue import load_catalogue
from domain.nationalities import nationalities_named
from domain.normalize import fold_arabic
from domain.word_prefixes import bare_forms, without_article


@pytest.mark.parametrize(
    ("word", "bare"),
    [
        ("بالرياض", "رياض"),
        ("وبالجواز", "جواز"),
        ("للمنشاه", "منشاه"),
        ("الى", "الى"),
        ("جواز", "جواز"),
    ],
)
def test_without_the_article(word: str, bare: str) -> None:
    assert without_article(word) == bare


def test_the_bare_forms_keep_the_word_first_and_none_twice() -> None:
    assert bare_forms("والجواز") == ("والجواز", "جواز", "الجواز")
    assert bare_forms("وسوريه") == ("وسوريه", "سوريه")
    assert bare_forms("ولد") == ("ولد",)  # «لد» is too short to be a word
    assert bare_forms("فصوره", min_left=1) == ("فصوره", "صوره")


def test_every_matcher_reads_the_same_particles() -> None:
    """Failed before: the nationalities and the officers' file questions had no «ف» (the
    catalogue's case passed before too)."""
    assert nationalities_named("امي فسورية") == ["syrian"]
    assert asks_for_file("ارسل لنا الجواز فصورة الاقامة مطلوبة")
    catalogue = load_catalogue()
    assert [s.id for s in catalogue.match(fold_arabic("تجديد وبالجواز"), limit=1)] == [
        "passport_renew"
    ]
