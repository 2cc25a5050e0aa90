"""How much of a description tells the officer something: the rule behind the description
step's minimum (conversations.flows.describe).

A description is counted in letters and digits, in any script. Spaces, emoji («🙏»),
punctuation, the tatweel «ـ» that stretches a line, diacritics and the invisible marks
that copy-paste brings (RLM, LRM, ZWSP…) tell the officer nothing, yet were counted as
characters: 16 «🙏» passed as a whole description, and a message of spaces was «kept»
(found by the fresh-clone tester).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from domain.normalize import fold_arabic

#: The fewest letters and digits a description has before the request goes on: about
#: two or three words, enough for an officer to know what the request is about.
MIN_DESCRIPTION = 15

#: The fewest different letters and digits of a description as long as the minimum: a
#: run of one or two keys («ااااا…», «هههههه…», «هاهاها…», «١١١١١…») tells the officer
#: nothing (helper 23's probe: 5000 «ا» were kept as a description). A word said again
#: («وصف وصف وصف…») has three and is left to the person.
MIN_VARIETY = 3

#: How many times one word said alone («ساعدوني ساعدوني ساعدوني…») makes it no description:
#: helper 24's probe had «ساعدوني» typed 80 times kept as one. Two («عاجل عاجل») are an
#: emphasis inside a sentence, and a shorter text is judged by the minimum anyway.
MIN_WORD_REPEATS = 3

_TATWEEL = "\u0640"  # category Lm (a «letter»), yet only stretches the line


def telling_length(text: str) -> int:
    """The number of letters and digits in ``text`` (Unicode categories L* and N*, any
    script), the tatweel excepted. ``telling_length("انتهت إقامتي")`` is 11;
    ``telling_length("🙏 ـــ \u200f")`` is 0."""
    return sum(1 for c in text if _telling(c))


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit (:func:`telling_length`)."""
    return telling_length(text) > 0


def _telling(c: str) -> bool:
    return c != _TATWEEL and unicodedata.category(c)[0] in "LN"


def repeats_few_letters(text: str) -> bool:
    """Whether ``text`` is as long as a description (:data:`MIN_DESCRIPTION` letters and
    digits) yet uses fewer than :data:`MIN_VARIETY` different ones, case aside
    («اااااااااااااااا», «هاهاهاهاهاهاهاها», «aaaaaaaaaaaaaaaaaaaa»). A shorter text is
    judged by the minimum instead."""
    telling = [c.casefold() for c in text if _telling(c)]
    return len(telling) >= MIN_DESCRIPTION and len(set(telling)) < MIN_VARIETY


def repeats_one_word(text: str) -> bool:
    """Whether ``text`` is one word said :data:`MIN_WORD_REPEATS` times or more and nothing
    else, case, diacritics, punctuation, spelling variants and stretched letters aside
    («ساعدوني ساعدوني ساعدوني», «ساعدوني،ساعدوني،ساعدوني», «ساعدوووني ساعدونى ساعدوني»,
    «help! help! help!»). A word repeated inside a sentence («عاجل عاجل لو سمحتوا») is a
    description."""
    spaced = "".join(_spaced(c) for c in text)
    words = [_word_key(w) for w in spaced.split()]
    return len(words) >= MIN_WORD_REPEATS and len(set(words)) == 1


#: The fewest times one letter said alone makes it no description («hhh», «ههههه»).
MIN_LETTER_REPEATS = 3
_PLACEHOLDERS = Path(__file__).resolve().parent / "data" / "placeholder_words.json"


@cache
def _placeholders() -> frozenset[str]:
    raw = json.loads(_PLACEHOLDERS.read_text(encoding="utf-8"))
    return frozenset(_squeezed(w) for w in raw["words"])


def _squeezed(text: str) -> str:
    """``text``'s letters and digits alone, folded and in lower case."""
    return fold_arabic("".join(_spaced(c) for c in text)).replace(" ", "")


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is a test or a stray tap of the keyboard, not a description: a
    whole message of placeholder_words.json («abc», «test», «تجربة»; case, spaces and
    punctuation aside), or one letter said :data:`MIN_LETTER_REPEATS` times or more and
    nothing else («hhhhh»). Session 25's probe: «abc» was kept as a description."""
    squeezed = _squeezed(text)
    if not squeezed:
        return False
    if len(squeezed) >= MIN_LETTER_REPEATS and len(set(squeezed)) == 1 and squeezed.isalpha():
        return True
    return squeezed in _placeholders()


def _spaced(c: str) -> str:
    """``c`` as it counts in a word: a letter or digit itself, a diacritic or invisible
    mark nothing, anything else (a space, a comma, an emoji) a space between words."""
    if _telling(c):
        return c.casefold()
    return "" if c == _TATWEEL or unicodedata.category(c) in ("Mn", "Cf") else " "


def _word_key(word: str) -> str:
    """``word`` folded (ى/ي, ة/ه, hamzas) with each run of one letter made one."""
    return re.sub(r"(.)\1+", r"\1", fold_arabic(word))
