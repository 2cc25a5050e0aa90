"""domain.text_cut: a text cut to a limit at a sentence or word."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.text_cut import cut_text


def test_a_text_that_fits_is_unchanged() -> None:
    assert cut_text("انتهت إقامتي.", 20) == "انتهت إقامتي."


def test_cut_after_the_last_sentence_that_fits() -> None:
    text = "انتهت إقامتي الشهر الماضي. حاولت التجديد من أبشر وظهر خطأ عند السداد"
    assert cut_text(text, 38) == "انتهت إقامتي الشهر الماضي."


def test_cut_at_a_word_when_no_sentence_ends_near() -> None:
    text = "كلمة " * 10  # no sentence end at all
    assert cut_text(text, 12) == "كلمة كلمة"


def test_a_word_longer_than_the_limit_is_cut_at_the_limit() -> None:
    assert cut_text("أ" * 30, 10) == "أ" * 10


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        cut_text("abc", 0)


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_the_cut_is_a_start_of_the_text_within_the_limit(text: str, limit: int) -> None:
    kept = cut_text(text, limit)
    assert len(kept) <= limit and text.startswith(kept)


def test_a_word_end_at_the_limit_does_not_beat_an_earlier_sentence_end() -> None:
    """Found by the fresh-clone tester: 120 × «اريد تجديد الاقامة لان الكفيل تأخر في
    السداد. » cut to 1000 kept «…الكفيل تأخر», mid-sentence, because a space fell just past
    the limit; the README promises the cut after the last whole sentence that fits."""
    sentence = "اريد تجديد الاقامة لان الكفيل تأخر في السداد. "
    kept = cut_text(sentence * 120, 1000)
    assert kept.endswith("في السداد.")
    assert len(kept) > 1000 - len(sentence)


def test_a_sentence_ending_just_at_the_limit_is_kept_whole() -> None:
    assert cut_text("انتهت إقامتي. ثم حاولت", 13) == "انتهت إقامتي."


def test_a_word_end_at_the_limit_is_kept_when_no_sentence_ends_near() -> None:
    assert cut_text("كلمة " * 10, 14) == "كلمة كلمة كلمة"
