"""Typed equivalents of the buttons every step offers (cancel, back, help, restart), the
words that send an answer, and small talk (greetings, thanks).

The words are data (``conversations/data/keywords.json``); this module only reads them.
A navigation word counts when it is the whole message once fillers («ابي», «please»...)
are set aside, so «ابي الغي» cancels but a description that mentions cancelling does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from domain.arabizi import to_arabic
from domain.normalize import fold_arabic

_DATA = Path(__file__).resolve().parent / "data"
NAVIGATION = ("cancel", "back", "help", "restart")


@lru_cache(maxsize=512)
def _key(text: str) -> str:
    """The matching form of a short message: folded, each word without the article ال;
    "?" for a message of question marks alone (folding drops them, and «؟» asks for help).

    Cached: every reader of this module keys the turn's message again (navigation, undo,
    questions, small talk, «done»: about eight times a typed answer in the profile of
    bench/dialogue.py)."""
    # «marhaba», «shukran» (Arabizi) are the Arabic words; English is kept as typed
    key = " ".join(_bare(word) for word in fold_arabic(to_arabic(text)).split())
    marks = "".join(text.split())
    if not key and marks and set(marks) <= {"?", "؟"}:
        return "?"
    return key


def _bare(word: str) -> str:
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    return word


@cache
def _lists() -> dict[str, frozenset[str]]:
    raw: dict[str, object] = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))
    return {
        name.lstrip("_"): frozenset(_key(word) for word in words)
        for name, words in raw.items()
        if isinstance(words, list)
    }


#: The most words a message of chatter at the documents step has.
_CHATTER_WORDS = 5


def is_documents_chatter(text: str) -> bool:
    """Whether ``text`` only says that files are coming or what they show («لحظة»,
    «ارسلها الحين», «والتاشيره», «هذي صور جوازه», «ما ادري»: keywords.json
    ``documents_chatter``), which the description the officer reads does not need."""
    known = frozenset(fold_arabic(w) for w in _raw_list("documents_chatter"))
    tokens = [w.strip("،,.!؟?") for w in fold_arabic(text).split()]
    tokens = [w for w in tokens if w]
    if not tokens or len(tokens) > _CHATTER_WORDS:
        return False
    return all(w in known or (w.startswith("و") and w[1:] in known) for w in tokens)


def not_a_service() -> frozenset[str]:
    """keywords.json ``_not_a_service``: the numbers' words («رقم», «الهوية»), folded,
    which name no service when a slip is read as a change of service."""
    return frozenset(fold_arabic(w) for w in _raw_list("_not_a_service"))


@cache
def not_this() -> frozenset[str]:
    """keywords.json ``_not_this``: the words after which a message names what is not
    wanted («ابي اقامة زوجتي مو اقامتي», «…مو الجواز»), folded."""
    return frozenset(fold_arabic(w) for w in _raw_list("_not_this"))


@cache
def _raw_list(name: str) -> tuple[str, ...]:
    raw = json.loads((_DATA / "keywords.json").read_text(encoding="utf-8"))
    return tuple(str(w) for w in raw[name])


@lru_cache(maxsize=512)
def _without_fillers(key: str) -> str:
    # cached: asked of the same key by each reader of a turn (seven times a typed answer)
    fillers = _lists()["fillers"]
    words = key.split()
    # two-word fillers («من فضلك») first, then single words
    kept: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and f"{words[i]} {words[i + 1]}" in fillers:
            i += 2
            continue
        if words[i] not in fillers:
            kept.append(words[i])
        i += 1
    return " ".join(kept)


def global_action(text: str) -> str | None:
    """The action ("cancel", "back", "help", "restart") a typed message asks for, if any."""
    key = _key(text)
    lists = _lists()
    for candidate in (key, _without_fillers(key)):
        for action in NAVIGATION:
            if candidate and candidate in lists[action]:
                return action
    return None


def is_send_word(text: str) -> bool:
    """True when a message inside an answer means "send it now" («تم», «ارسل», «done»)."""
    key = _key(text)
    return bool(key) and (key in _lists()["send"] or _without_fillers(key) in _lists()["send"])


def is_undo_word(text: str) -> bool:
    """True when a message asks to bring back the draft just deleted («تراجع», «undo»)."""
    key = _key(text)
    return bool(key) and (key in _lists()["undo"] or _without_fillers(key) in _lists()["undo"])


def is_faq_word(text: str) -> bool:
    """True when a message asks for the frequently asked questions («اسئلة شائعة», «faq»)."""
    key = _key(text)
    faq = _lists()["faq"]
    return bool(key) and (key in faq or _without_fillers(key) in faq)


def courtesy(text: str) -> tuple[str | None, str]:
    """Small talk at the start of a message: ("salam" | "greeting" | "thanks" | "goodbye" |
    None, the rest).

    The rest is the message without the greeting or thanks (in the matching form); "" when
    the message was nothing but small talk («طيب شكرا», «السلام عليكم ورحمة الله»)."""
    words = _key(text).split()
    lists = _lists()
    found: str | None = None
    changed = True
    while words and changed:
        changed = False
        for size in range(min(6, len(words)), 0, -1):
            head = " ".join(words[:size])
            kind = next(
                (k for k in ("salam", "greeting", "thanks", "goodbye") if head in lists[k]), None
            )
            if kind is not None:
                found = found or kind
                words, changed = words[size:], True
                break
            if head in lists["small_words"]:
                # «طيب», «مرة ثانية»: words around small talk that ask for nothing
                words, changed = words[size:], True
                break
    return found, " ".join(words)


def is_nothing_more(text: str) -> bool:
    """True when a short message says there is nothing (more) to add: «ما تغير شي، تمام»,
    «لا شيء», «nothing changed, ok», or an acknowledgement alone («تمام», «ok»). Found by
    the fresh-clone tester: such words at the documents step were added to the
    description. The phrase must be the whole message, acknowledgements aside, so «ما تغير
    شي في بياناتي بعد التجديد» is still words of the description."""
    words = _key(text).split()
    lists = _lists()
    rest = _without_acknowledgements(words)
    if not words:
        return False
    if not rest:
        return True
    key = " ".join(rest)
    return key in lists["nothing_more"] or _without_fillers(key) in lists["nothing_more"]


def is_acknowledgement(text: str) -> bool:
    """True when a message is nothing but acknowledgements («تمام», «ok», «طيب شكرا»):
    it says yes or thanks and tells nothing more."""
    words = _key(text).split()
    return bool(words) and not _without_acknowledgements(words)


def _without_acknowledgements(words: list[str]) -> list[str]:
    """``words`` without the acknowledgements («تمام», «ok», «شكرا») at either end."""
    acknowledgements = _lists()["acknowledgements"]
    changed = True
    while words and changed:
        changed = False
        for size in range(min(3, len(words)), 0, -1):
            if " ".join(words[:size]) in acknowledgements:
                words, changed = words[size:], True
                break
            if " ".join(words[-size:]) in acknowledgements:
                words, changed = words[:-size], True
                break
    return words


def is_done_word(text: str) -> bool:
    """True when a message says only that the person has finished: a word of 'send'
    («تم», «خلاص», «done») with acknowledgements around it («تم شكرا», «ok تم») or two
    of them («خلاص تم»). Found by the fresh-clone tester: «تم» with a word more was kept
    as (the start of) a description."""
    words = _without_acknowledgements(_key(text).split())
    send = _lists()["send"]
    if not words:
        return False
    key = " ".join(words)
    if key in send or _without_fillers(key) in send:
        return True
    rest = _without_fillers(key).split()
    return bool(rest) and all(word in send for word in rest)


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
    fillers = _lists()["fillers"]
    found: dict[str, set[str]] = {}
    for early in _early():
        read = placed if early.question == "location" else words
        starts = [i for p in early.anywhere for i in _starts(read, p)]
        starts += [i for p in early.at_end if (i := _end_start(read, p, fillers)) is not None]
        if any(not _negated(read, i) for i in starts):
            found.setdefault(early.question, set()).add(early.option)
    return {q: next(iter(options)) for q, options in found.items() if len(options) == 1}


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
