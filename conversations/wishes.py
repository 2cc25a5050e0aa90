"""Short messages that ask for something by their words: «بياناتي», «احذف بياناتي»
(:mod:`conversations.my_data`), «أضيف ملاحظة», «أعيدوا النظر» (:mod:`conversations.say_parts`).

The phrases are data (a JSON file of ``{name: [phrase, …]}``); a message asks for a wish
when one of its phrases is in it as whole words, after folding (digits, letter forms,
diacritics: :func:`domain.normalize.fold_arabic`) and without the article «ال», and when the
message is short: a long description that mentions its data is not a request to see it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar

from domain.normalize import fold_arabic

T = TypeVar("T")


def _key(text: str) -> str:
    words = fold_arabic(text).split()
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words)


def key_words(text: str) -> list[str]:
    """The words of ``text`` in the form the phrase lists are compared in (folded, the
    article dropped), without the punctuation around each («اتظلم،» is «اتظلم»)."""
    return _key(" ".join(w.strip(_PUNCTUATION) for w in text.split())).split()


_PUNCTUATION = "،,.!؟?:;؛-–—«»\"'()"


@cache
def _phrases(path: Path) -> dict[str, tuple[str, ...]]:
    raw: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: tuple(_key(str(p)) for p in phrases)
        for name, phrases in raw.items()
        if isinstance(phrases, list)
    }


def phrases_of(path: Path, name: str) -> tuple[str, ...]:
    """The phrases of list ``name`` in ``path``, folded as messages are compared
    (:func:`domain.normalize.fold_arabic`, the article dropped). Raises as :func:`wish`."""
    return _phrases(path)[name]


def wish(text: str, path: Path, wishes: Sequence[tuple[str, T]], *, max_words: int) -> T | None:
    """The first of ``wishes`` ((the phrase list's name in ``path``, what it means), in
    the order given: the first that matches wins) that ``text`` asks for; None when none
    does or the message has more than ``max_words`` words. Raises OSError, ValueError for
    a missing or malformed file, KeyError for a name it lacks."""
    key = _key(text)
    if not key or len(key.split()) > max_words:
        return None
    padded = f" {key} "
    for name, meaning in wishes:
        if any(f" {phrase} " in padded for phrase in _phrases(path)[name]):
            return meaning
    return None


def words_after(text: str, path: Path, name: str, filler: str) -> str:
    """The words of ``text`` after the phrases of ``name`` (in ``path``) it holds, as
    typed: what the person asked to add («ابي اضيف ملاحظة: الجواز ينتهي بعد شهرين» gives
    «الجواز ينتهي بعد شهرين»); after a colon when a phrase is before one, else after the
    last word of the last phrase, without the words of the list ``filler`` that lead
    what is left («ابي اضيف ملاحظة على الطلب» gives nothing). Empty when nothing follows
    or no phrase is in it. Raises as :func:`wish` does."""
    phrases = _phrases(path)[name]
    idle = set(_phrases(path)[filler])

    def holds(part: str) -> bool:
        padded = f" {_key(part)} "
        return any(f" {phrase} " in padded for phrase in phrases)

    head, colon, tail = text.partition(":")
    if colon and holds(head):
        return tail.strip()
    tokens = text.split()
    ends = _phrase_ends(tokens, phrases)
    if not ends:
        return ""
    rest = tokens[ends[-1] :]
    while rest and (not _key(rest[0]) or _key(rest[0]) in idle):
        rest = rest[1:]
    return " ".join(rest).strip(" :-–—،")


def leads_with(text: str, path: Path, name: str, *, within: int) -> bool:
    """Whether ``text`` opens with a phrase of ``name`` (in ``path``): one ends within its
    first ``within`` words («ابي اضيف ملاحظة …», «السلام عليكم، اضيف ملاحظة …»), however
    long the message is. Raises as :func:`wish` does."""
    tokens = text.split()[:within]
    return bool(_phrase_ends(tokens, _phrases(path)[name]))


def negated(text: str, path: Path, name: str, negations: str, *, within: int) -> bool:
    """Whether the first phrase of ``name`` (in ``path``) in ``text`` has a phrase of the
    list ``negations`` among the ``within`` words before it («ما ابي اعادة النظر», «no need
    to appeal»): the person says what they do not want. False when no phrase is in it.
    Raises as :func:`wish` does."""
    words = _key(text).split()
    phrases = _phrases(path)[name]
    for start in range(len(words)):
        rest = " ".join(words[start:]) + " "
        if any(rest.startswith(f"{phrase} ") for phrase in phrases):
            before = f" {' '.join(words[max(0, start - within) : start])} "
            return any(f" {phrase} " in before for phrase in _phrases(path)[negations])
    return False


def _phrase_ends(tokens: Sequence[str], phrases: Sequence[str]) -> list[int]:
    """Where phrases end: the counts of leading tokens whose words hold a phrase occurrence
    those one shorter do not."""
    return [
        e
        for e in range(1, len(tokens) + 1)
        if _count(tokens[:e], phrases) > _count(tokens[: e - 1], phrases)
    ]


def _count(tokens: Sequence[str], phrases: Sequence[str]) -> int:
    """How many phrase occurrences the words hold (each phrase counted where it starts)."""
    padded = f" {_key(' '.join(tokens))} "
    return sum(padded.count(f" {phrase} ") for phrase in phrases)
