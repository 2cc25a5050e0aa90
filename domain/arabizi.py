"""Arabizi: Arabic typed in Latin letters and digits («abi ajadid el iqama», «3ayez
ta2sheret khorog we 3awda»), written back in Arabic script so the matchers read it.

Only the words that are Arabizi change: a word listed in ``domain/data/arabizi.json``
(with the article or a preposition written onto it, «eliqama», «bel-bareed»), or a word
with an Arabizi digit in it (2 ء, 3 ع, 5 خ, 6 ط, 7 ح, 8 غ, 9 ق), spelt letter by letter.
Every other word is kept as typed, so English keeps matching in English and a sentence
that mixes the two is read word by word.

The mappings are data people maintain. Libraries were tried first: arabizikit spells
letter by letter into strings that are not words («اليقامة», «تأشرت», «جاددد»), and
egyptian-arabizi-franco needs onnxruntime and garbled Gulf and Levantine phrasing; what
the matchers need is the few hundred words of this domain spelt right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from domain.normalize import drop_marks

_DIGITS = frozenset("235679" + "8")
_VOWELS = "aeiou"
# a token: letters, digits and the apostrophe of «3'» / «7'», with a hyphenated article
_TOKEN = re.compile(r"[A-Za-z0-9']+(?:-[A-Za-z0-9']+)*")
# «el iqama», «bel bareed» are one word in Arabic: an article (with a preposition) standing
# alone joins the word after it
_ARTICLE = re.compile(r"(?<!\S)(ال|بال|لل|وال)\s+(?=[\u0621-\u064A])")
# the characters whose lower case falls between «a» and «z»: the Latin letters, the Kelvin
# sign and the dotted capital I (whose lower case is «i» and a combining dot)
_LATIN = re.compile("[A-Za-z\u0130\u212a]")


@dataclass(frozen=True, slots=True)
class _Table:
    words: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    letters: tuple[tuple[str, str], ...]
    medial_dropped: str
    initial_vowel: str
    final_a: str
    shared: frozenset[str]
    english: frozenset[str]
    in_arabizi: dict[str, str]
    # ``words`` and ``in_arabizi`` in one look-up, as a message's words are read
    readable: dict[str, str]


def parse_table(document: dict[str, Any]) -> _Table:
    """The mappings from their JSON document (see the module docstring). Raises
    ValueError when a mapping is empty or not Arabic script."""
    for section in ("words", "prefixes", "letters", "in_arabizi"):
        for latin, arabic in document[section].items():
            if not latin or not arabic or arabic.isascii():
                raise ValueError(f"arabizi {section}: {latin!r} -> {arabic!r} is not a mapping")
    by_length = sorted(document["letters"].items(), key=lambda pair: -len(pair[0]))
    prefixes = sorted(document["prefixes"].items(), key=lambda pair: -len(pair[0]))
    words = {k.lower(): v for k, v in document["words"].items()}
    in_arabizi = {k.lower(): v for k, v in document["in_arabizi"].items()}
    return _Table(
        words=words,
        prefixes=tuple(prefixes),
        letters=tuple(by_length),
        medial_dropped=document["medial_dropped"],
        initial_vowel=document["initial_vowel"],
        final_a=document["final_a"],
        shared=frozenset(document["shared"]),
        english=frozenset(document["english"]),
        in_arabizi=in_arabizi,
        readable={**words, **in_arabizi},
    )


@cache
def _table() -> _Table:
    raw = resources.files("domain").joinpath("data/arabizi.json").read_text(encoding="utf-8")
    return parse_table(json.loads(raw))


def _spell(word: str, table: _Table) -> str:
    """A word letter by letter: consonants and long vowels kept, short vowels dropped in
    the middle of a word, a vowel that starts it written as alef, a final a as ه."""
    out: list[str] = []
    i = 0
    while i < len(word):
        if i == 0 and word[0] in _VOWELS and not word.startswith(("ee", "oo", "ou")):
            out.append(table.initial_vowel)
            i += 1
            continue
        if i == len(word) - 1 and word[i] in "ae":
            out.append(table.final_a)
            break
        if word[i] in table.medial_dropped:
            i += 1
            continue
        for latin, arabic in table.letters:
            if word.startswith(latin, i):
                out.append(arabic)
                i += len(latin)
                break
        else:
            i += 1  # a sign we have no letter for is left out
    return "".join(out)


def _word(token: str, table: _Table, words: dict[str, str] | None = None) -> str:
    words = table.words if words is None else words
    lower = token.lower()
    if lower in words:
        return words[lower]
    for prefix, arabic in table.prefixes:
        rest = lower[len(prefix) :].lstrip("-")
        if lower.startswith(prefix) and rest in words:
            return arabic + words[rest]
    if any(ch in _DIGITS for ch in lower) and any(ch.isalpha() for ch in lower):
        return _spell(lower.replace("-", ""), table)
    return token


def has_latin(text: str) -> bool:
    """True when a message has a Latin letter (it may be Arabizi or English)."""
    # one regular-expression scan, not a lower-cased copy of each character: this runs on
    # every message several times a turn (a fifth of a typed answer's reading in the
    # profile of bench/dialogue.py)
    return _LATIN.search(text) is not None


def is_arabizi(text: str) -> bool:
    """True when more of a message's Latin words are Arabizi than common English words
    («abi ajadid el iqama» is, «I want to renew my iqama» is not); the words both write
    alike («iqama», «absher», «el») count for neither. Invisible marks, tatweel and
    diacritics are not read: pasted into a Latin word they would split it in two."""
    text = drop_marks(text)
    if not has_latin(text):
        return False
    table = _table()
    words = table.readable
    arabizi = english = 0
    for token in _TOKEN.findall(text):
        lower = token.lower()
        if lower in table.shared or lower in table.in_arabizi or lower.isdigit():
            continue
        if lower in table.english:
            english += 1
        elif _word(token, table, words) != token:
            arabizi += 1
    return arabizi > english


@lru_cache(maxsize=512)
def to_arabic(text: str) -> str:
    """``text`` in Arabic script when it is Arabizi (see :func:`is_arabizi`): «kam el
    gharama?» → «كم الغرامه?»; any other message (Arabic, English, numbers) unchanged.
    Words that are not Arabizi stay as typed, and a separate article joins its word.
    Invisible marks, tatweel and diacritics are dropped first (:func:`is_arabizi`).

    Cached: the keyword, question and catalogue readers each write one message back this
    way, eight times a typed answer in the profile of bench/dialogue.py."""
    text = drop_marks(text)
    if not is_arabizi(text):
        return text
    table = _table()
    words = table.readable
    written = _TOKEN.sub(lambda m: _word(m.group(0), table, words), text)
    return _ARTICLE.sub(r"\1", written)
