"""The answers to a service's eligibility questions that a person's first words already
give («ابي جواز لولدي» -> «لمن هذا الطلب؟»: family; «وانا في مصر» -> outside), read by the
phrases conversations/data/keywords.json lists under ``early_answers``, with their
negations; and the place phrases, so a place alone names no service.

Split from conversations/keywords.py (past 400 lines): that module reads the typed
equivalents of buttons and small talk, this one the answers said early.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conversations.keywords import fillers as _fillers
from conversations.keywords import match_key as _key

_DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class _Early:
    """One option's phrases (``early_answers`` in keywords.json), in the matching form."""

    question: str
    option: str
    anywhere: tuple[tuple[str, ...], ...]
    at_end: tuple[tuple[str, ...], ...]


@cache
def _early() -> tuple[_Early, ...]:
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))["early_answers"]

    def phrases(words: list[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(_key(w).split()) for w in words if _key(w))

    kept = []
    for key, spec in raw.items():
        if key.startswith("_"):
            continue
        question, option = key.split(":", 1)
        anywhere, at_end = phrases(spec["anywhere"]), phrases(spec["at_end"])
        if question == "location":
            # matched with the gap words looked past (_place_words), so without them too
            anywhere, at_end = _gapless(anywhere), _gapless(at_end)
        kept.append(_Early(question, option, anywhere, at_end))
    return tuple(kept)


@cache
def _place_gap() -> frozenset[str]:
    """keywords.json ``early_answers._place_gap``: words people put between themselves and
    the place («انا مقيم هنا في جدة»), looked past inside a location phrase."""
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))["early_answers"]
    return frozenset(_key(w) for w in raw["_place_gap"] if _key(w))


def _gapless(phrases: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    gap = _place_gap()
    return tuple(t for t in (tuple(w for w in p if w not in gap) for p in phrases) if t)


def _place_words(words: list[str]) -> tuple[list[str], list[int]]:
    """``words`` without the gap words (:func:`_place_gap`), and where each kept word
    stood, so «انا مقيم هنا في جدة» reads as «انا في جدة» (tester 12, §9)."""
    gap = _place_gap()
    kept = [(i, w) for i, w in enumerate(words) if w not in gap]
    return [w for _, w in kept], [i for i, _ in kept]


def early_answers(text: str) -> dict[str, str]:
    """The eligibility questions a message already answers, question id -> option id
    («ابي جواز لولدي» -> {"for_whom": "family"}), by the phrases keywords.json lists under
    ``early_answers``; a question two of whose options are named is left out (asked)."""
    words = _key(text).split()
    placed = _place_words(words)[0]
    fillers = _fillers()
    found: dict[str, set[str]] = {}
    # the place last: whom a place is said of depends on whom the request is for
    for early in sorted(_early(), key=lambda e: e.question == "location"):
        read = placed if early.question == "location" else words
        starts = [i for p in early.anywhere for i in _starts(read, p)]
        ends = [i for p in early.at_end if (i := _end_start(read, p, fillers)) is not None]
        starts += [i for i in ends if not _inside_other(read, i, early)]
        if early.question == "location":
            family = found.get("for_whom") == {"family"}
            starts = [i for i in starts if not _said_of_someone_else(read, i, early, family)]
        if any(not _negated(read, i) for i in starts):
            found.setdefault(early.question, set()).add(early.option)
    if found.get("for_whom") == {"family"} and any(
        _has(words, s) for s in _someone_else("_siblings")
    ):
        # a brother or sister is a dependant only in some cases: «لمن هذا الطلب؟» is asked
        # (helper 235: «اخوي ابي اجدد اقامته» was recorded as «تابع لي أو مكفول لدي»)
        del found["for_whom"]
    return {q: next(iter(options)) for q, options in found.items() if len(options) == 1}


def _inside_other(words: list[str], start: int, early: _Early) -> bool:
    """Whether the words from ``start`` lie inside a phrase of another option of the same
    question: «حقي» ending «ابغا اجدد اقامة السواق حقي» is the driver's «حقي» (the family
    phrase «السواق حقي»), not the writer's own request (tester 16 §2: it was filed as
    «لي أنا»)."""
    for other in _early():
        if other.question != early.question or other.option == early.option:
            continue
        for phrase in other.anywhere:
            for at in _starts(words, phrase):
                if at < start < at + len(phrase):
                    return True
    return False


@cache
def _negations() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """keywords.json ``early_answers._negations`` (right before a phrase) and
    ``_unwanted`` (among the :data:`_UNWANTED_WITHIN` words before it), matching form."""
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))["early_answers"]

    def phrases(name: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(_key(w).split()) for w in raw[name] if _key(w))

    return phrases("_negations"), phrases("_unwanted")


#: How many words before an answer's phrase an «I don't want» (``_unwanted``) reaches.
_UNWANTED_WITHIN = 4


def _negated(words: list[str], start: int) -> bool:
    """Whether the phrase at ``start`` of ``words`` is said not to hold: a negation right
    before it, or before a first-person word before it («مو لولدي», «ما انا برا»), or an
    «I don't want» among the words before it («ما ابي اجدد لولدي»).

    Found in session 12: the answers read from a first message had no negation check, so
    «ما انا برا المملكة» answered «outside» and «ابي جواز مو لولدي» «for my family»."""
    right_before, unwanted = _negations()
    first = _first_person()
    ends = [start, start - 1] if start > 0 and words[start - 1] in first else [start]
    for end in ends:
        if any(tuple(words[max(0, end - len(n)) : end]) == n for n in right_before):
            return True
    before = words[max(0, start - _UNWANTED_WITHIN) : start]
    return any(_has(before, phrase) for phrase in unwanted)


def _starts(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    """Where ``phrase`` starts in ``words``."""
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if tuple(words[i : i + size]) == phrase]


def _end_start(words: list[str], phrase: tuple[str, ...], fillers: frozenset[str]) -> int | None:
    """Where ``phrase`` starts when it ends the message, fillers after it aside; None when
    it does not end it (:func:`_ends_with`)."""
    end = len(words)
    while end > 0:
        if end >= len(phrase) and tuple(words[end - len(phrase) : end]) == phrase:
            return end - len(phrase)
        if words[end - 1] not in fillers:
            return None
        end -= 1
    return None


#: How many words before a place phrase the person it is said of is looked for.
_SUBJECT_WITHIN = 3
#: Words that say a place of the person the message names («وهي برا»), not of another.
_PRONOUNS = frozenset(("هو", "وهو", "هي", "وهي", "هم", "وهم", "he", "she", "they"))


def _said_of_someone_else(words: list[str], start: int, early: _Early, family: bool) -> bool:
    """Whether the place phrase of ``early`` at ``start`` is said of someone the writer
    names just before it (keywords.json ``early_answers._someone_else``: «الكفيل مسافر برا
    المملكة»; ``_family_else`` too unless the request is for ``family``), not of the
    writer (a first-person word in it) nor of the person the request names (a pronoun:
    «وهي برا»). Helper 235: a sponsor abroad answered «أين أنت الآن؟» for the writer's own
    renewal."""
    phrases = [
        p for p in early.anywhere + early.at_end if tuple(words[start : start + len(p)]) == p
    ]
    marked = _first_person() | _PRONOUNS
    if any(marked.intersection(p) for p in phrases):
        return False
    before = words[max(0, start - _SUBJECT_WITHIN) : start]
    others = _someone_else("_someone_else")
    if not family:
        others += _someone_else("_family_else")
    return any(_has(before, other) for other in others)


@cache
def _someone_else(name: str) -> tuple[tuple[str, ...], ...]:
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))["early_answers"]
    return tuple(tuple(_key(w).split()) for w in raw[name] if _key(w))


@cache
def _first_person() -> frozenset[str]:
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))["early_answers"]
    return frozenset(_key(w) for w in raw["_first_person"] if _key(w))


def place_of_writer(text: str) -> bool:
    """True when the place a message says («انا في مصر», «وانا برا», «I'm in Egypt») is
    said of the writer, by a word of keywords.json ``early_answers._first_person`` in the
    location phrase that matched: where the writer is, not necessarily the iqama holder
    (review 11, item 8). False when no place is said, or said without one («خارج
    المملكة»)."""
    words = _place_words(_key(text).split())[0]
    first = _first_person()
    return any(
        _has(words, phrase) and first.intersection(phrase)
        for early in _early()
        if early.question == "location"
        for phrase in early.anywhere
    )


def without_places(text: str) -> str:
    """``text`` without the place phrases keywords.json lists under ``early_answers``
    location («انا برا المملكة», «وانا في مصر», «داخل المملكة»): the words left to name a
    service by, so a place alone names none. The catalogue's synonym «تجديد اقامة وانا برا
    المملكة» made «السلام عليكم انا برا المملكه» an iqama renewal the person never asked
    for (session 12, task 4). ``text`` as it is when it says no place; otherwise its other
    words as typed (or in the matching form, when folding changed how many there are)."""
    words = _key(text).split()
    placed, at = _place_words(words)
    dropped: set[int] = set()
    for early in _early():
        if early.question != "location":
            continue
        for phrase in (*early.anywhere, *early.at_end):
            size = len(phrase)
            for i in range(len(placed) - size + 1):
                if tuple(placed[i : i + size]) == phrase:
                    # the gap words inside the phrase go with it
                    dropped.update(range(at[i], at[i + size - 1] + 1))
    if not dropped:
        return text
    typed = text.split()
    kept = typed if len(typed) == len(words) else words
    return " ".join(word for i, word in enumerate(kept) if i not in dropped)


def _has(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def _ends_with(words: list[str], phrase: tuple[str, ...], fillers: frozenset[str]) -> bool:
    """``phrase`` ends the message, fillers after it («لي لو سمحت») aside."""
    words = list(words)
    while words:
        if tuple(words[-len(phrase) :]) == phrase:
            return True
        if words[-1] not in fillers:
            return False
        words.pop()
    return False
