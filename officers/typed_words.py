"""Whether what an officer typed can stand as a reason or a question the person reads.

Found by review 11 (items 1 and 2): «👍», «لا» or «تمام» typed as the reason for a
rejection reached the resident as «السبب: لا». A reason or a question the person reads
needs at least :data:`MIN_WORDS` words and :data:`MIN_LETTERS` letters («الجواز منتهي»,
«ID expired», «ما تاريخ انتهاء الإقامة؟»); one only the officers read (a block's reason)
needs :data:`OFFICERS_MIN_LETTERS` letters, so a nod or an emoji is still refused. The
numbers are the data maintainers tune; nothing here knows a language.
"""

from __future__ import annotations

from typing import Final

#: Words a text the person reads needs (a word: a run without spaces holding a letter).
MIN_WORDS: Final = 2
#: Letters a text the person reads needs, across its words («لا لا» has four).
MIN_LETTERS: Final = 6
#: Letters a reason only the officers read (a block's) needs: not a nod, an emoji, «٣».
OFFICERS_MIN_LETTERS: Final = 2


def letters(text: str) -> int:
    """How many letters ``text`` holds (any script; digits, marks, emoji not counted)."""
    return sum(ch.isalpha() for ch in text)


def words(text: str) -> int:
    """How many whitespace-separated words of ``text`` hold a letter."""
    return sum(1 for word in text.split() if letters(word))


def worded(text: str, *, person_reads: bool = True) -> bool:
    """Whether ``text`` is words enough: for the person (:data:`MIN_WORDS` words and
    :data:`MIN_LETTERS` letters), or, with ``person_reads`` False, for the officers
    (:data:`OFFICERS_MIN_LETTERS` letters)."""
    if not person_reads:
        return letters(text) >= OFFICERS_MIN_LETTERS
    return words(text) >= MIN_WORDS and letters(text) >= MIN_LETTERS
