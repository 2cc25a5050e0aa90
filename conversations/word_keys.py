"""The keys by which the readers of typed answers compare words: folded Arabic, without
the article or a final ه/ة, and within one typo for longer words (rapidfuzz). Split from
:mod:`conversations.understanding`, which re-exports them."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from domain.normalize import fold_arabic
from domain.word_prefixes import without_article

#: a word this long may be one typo away from the word meant
FUZZY_MIN = 5


def word_key(word: str) -> str:
    """A folded word without the article and a final ه/ة (feminine or ta marbuta), so
    «بالرياض» ~ «رياض», «سوريه» ~ «سوري», «المملكة» ~ «مملك»."""
    word = without_article(word)
    if len(word) >= 4 and word.endswith("ه"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The matching keys of a message's words, in order."""
    return list(_word_keys(text))


@lru_cache(maxsize=512)
def _word_keys(text: str) -> tuple[str, ...]:
    # cached: the choice, status and question readers each key the turn's message again
    return tuple(word_key(w) for w in joined_and(fold_arabic(text).split()))


def joined_and(tokens: list[str]) -> list[str]:
    """``tokens`` with a lone «و» written onto the word after it: «جوازي و جواز ولدي» is read
    as «جوازي وجواز ولدي», as Arabic writes it (helper 25: the space hid the second person,
    so the request was not said to be one person's)."""
    out: list[str] = []
    pending = False
    for token in tokens:
        if token == "و":
            pending = True
            continue
        out.append(f"و{token}" if pending else token)
        pending = False
    if pending:
        out.append("و")
    return out


def near(a: str, b: str) -> bool:
    """Two word keys the same, or one typo apart when both are long enough to tell."""
    return a == b or (
        min(len(a), len(b)) >= FUZZY_MIN and Levenshtein.distance(a, b, score_cutoff=1) <= 1
    )
