"""Words typed at the satisfaction question as a rating: «ممتاز», «زين», «سيء», «excellent»
(found by the fresh-clone tester: only «1»-«5» and stars were read, so «ممتاز» after the
question got the first menu's «please choose»). The words and their stars are data,
``conversations/data/rating_words.json``; :mod:`conversations.say_parts` decides when a
message is read as a rating at all.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from domain.normalize import fold_arabic
from domain.their_say import RATINGS

_DATA = Path(__file__).resolve().parent / "data" / "rating_words.json"


def _key(text: str) -> tuple[str, ...]:
    """The words of ``text`` folded (:func:`domain.normalize.fold_arabic`), without the
    article «ال» on a word longer than four letters."""
    return tuple(
        w[2:] if w.startswith("ال") and len(w) > 4 else w for w in fold_arabic(text).split()
    )


@cache
def _table(path: Path = _DATA) -> tuple[frozenset[str], dict[tuple[str, ...], int]]:
    """(the filler words, {folded phrase: stars}) of ``path``. Raises ValueError for a
    rating outside 1-5 or a phrase listed under two ratings, OSError for a missing file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    fillers = frozenset(w for f in raw["fillers"] for w in _key(str(f)))
    table: dict[tuple[str, ...], int] = {}
    for stars, phrases in raw["ratings"].items():
        rating = int(stars)
        if rating not in RATINGS:
            raise ValueError(f"{path.name}: no rating {stars}")
        for phrase in phrases:
            key = _key(str(phrase))
            if table.get(key, rating) != rating:
                raise ValueError(f"{path.name}: «{phrase}» is under two ratings")
            table[key] = rating
    return fillers, table


@cache
def _alone(path: Path = _DATA) -> frozenset[tuple[str, ...]]:
    """The folded phrases of ``path``'s 'alone': read as a rating only when they are the
    whole message, never as the opening of a longer one («مُرضٍ», unvocalised «مرض», is also
    an illness: «مرض ابوي وما قدرت اراجع» is no rating)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(_key(str(phrase)) for phrase in raw.get("alone", ()))


def word_rating(text: str) -> int | None:
    """The stars (1-5) a message means when it is only a word or phrase of the data file
    («ممتازة» 5, «زين» 4, «عادي» 3, «سيء» 2, «سيء جدا» 1, «the service was excellent» 5),
    fillers aside; None for anything else."""
    fillers, table = _table()
    words = _key(text)
    if words in table:
        return table[words]
    kept = tuple(w for w in words if w not in fillers)
    return table.get(kept) if kept else None


def leading_rating(text: str) -> int | None:
    """The stars of a rating phrase that opens a message saying more, its reason:
    «سيء، ما قريتو الموافقه اصلا» 2, «زين بس تاخرتوا علي» 4, «excellent service but late»
    5 (the longest phrase of the data file at the start, fillers before and between it and the rest
    aside, so «مو زين …» is 2, not a «زين» after a word); None when the message is only
    the phrase (:func:`word_rating` reads it), when nothing but digits or fillers follows
    («ممتاز 5»), or when no phrase opens it («مو ممتاز» is not listed). Found by fresh-clone
    tester 15 (§3): a rating with its reason typed after the question met the first menu
    and both were lost."""
    fillers, table = _table()
    alone = _alone()
    words = _key(text)
    while words and words[0] in fillers:  # «الخدمه ممتازه بس …»
        words = words[1:]
    longest = max((len(k) for k in table), default=0)
    for size in range(min(longest, len(words) - 1), 0, -1):
        rating = table.get(words[:size])
        if rating is None or words[:size] in alone:
            continue
        rest = [w for w in words[size:] if w not in fillers]
        if any(any(ch.isalpha() for ch in w) for w in rest):
            return rating
        return None
    return None
