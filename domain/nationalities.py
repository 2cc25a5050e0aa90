"""Nationalities named in free text («اختي مصرية», «امي وهي سورية», «she is Syrian»), from
the words in ``domain/data/nationalities.json``: where a service serves some nationalities
only (the visit visa extension, for Syrians and Yemenis: seeds 000, 001, 004), the
nationality said in a message answers its question, served or not. Found by tester 14
(§6): «ابي امدد زيارة اختي مصرية» was still asked «ما جنسية الزائر؟»."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.normalize import fold_arabic
from domain.word_prefixes import bare_forms

_DATA = Path(__file__).resolve().parent / "data" / "nationalities.json"


@dataclass(frozen=True, slots=True)
class Nationality:
    """One nationality: its stable ``id`` («syrian») and its name by locale («سوري»)."""

    id: str
    name: dict[str, str]


def _key(word: str) -> str:
    # a folded word without a final ه (ta marbuta, feminine): «سوريه» ~ «سوري»
    return word[:-1] if len(word) >= 4 and word.endswith("ه") else word


def _keys(word: str) -> set[str]:
    """The keys a word of a message may stand for: as written, and without what is
    written onto it («وسورية» → «سوري»)."""
    return {_key(form) for form in bare_forms(word)}


@dataclass(frozen=True, slots=True)
class _Data:
    by_word: dict[tuple[str, ...], str]
    negations: frozenset[str]
    nationalities: dict[str, Nationality]


@cache
def _data() -> _Data:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    by_word: dict[tuple[str, ...], str] = {}
    nationalities: dict[str, Nationality] = {}
    for nid, entry in raw["nationalities"].items():
        nationalities[nid] = Nationality(nid, {str(k): str(v) for k, v in entry["name"].items()})
        for word in entry["words"]:
            phrase = tuple(_key(w) for w in fold_arabic(word).split())
            if phrase in by_word and by_word[phrase] != nid:
                raise ValueError(f"nationalities.json: {word!r} is listed for two nationalities")
            by_word[phrase] = nid
    negations = frozenset(fold_arabic(w) for w in raw["negations"])
    return _Data(by_word, negations, nationalities)


def nationality(nationality_id: str) -> Nationality:
    """The nationality with this id; KeyError for an unknown one."""
    return _data().nationalities[nationality_id]


def nationalities_named(text: str) -> list[str]:
    """The ids of the nationalities ``text`` names, each once, in the order said; a word
    right after a negation («مو مصرية», «not Egyptian») is no mention."""
    data = _data()
    words = fold_arabic(text).split()
    found: list[str] = []
    for i, word in enumerate(words):
        if i and words[i - 1] in data.negations:
            continue
        # two-word names first («sri lankan»), then the word alone
        pairs = [(_key(word), k) for k in _keys(words[i + 1])] if i + 1 < len(words) else []
        singles = [(k,) for k in _keys(word)]
        named = next((data.by_word[p] for p in [*pairs, *singles] if p in data.by_word), None)
        if named is not None and named not in found:
            found.append(named)
    return found
