"""How a text at the description step reads: when a description is saved already, an
afterthought to add («نسيت اقول ان الجواز ينتهي بعد شهرين») or a new text to put in its
place; and a short message saying an identity number is not known («ما اعرف رقم الحدود
حقه وين الاقيه؟»), which is answered rather than kept. The words are data:
``conversations/data/description_words.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conversations.typed_words import typed_words
from conversations.understanding import has_phrase, words
from domain.normalize import clean_input

_DATA = Path(__file__).resolve().parent.parent / "data" / "description_words.json"
#: How many lead-in words («طيب», «sorry») may come before an opener.
_LEAD_INS_AT_MOST = 2


#: The kinds of number unknown_number's words name; "identity" is any of them.
KINDS = ("border", "resident", "citizen", "identity")


@dataclass(frozen=True, slots=True)
class _Words:
    openers: tuple[tuple[str, ...], ...]
    replacing: tuple[tuple[str, ...], ...]
    headings: tuple[tuple[str, ...], ...]
    no_words: frozenset[str]
    lead_ins: frozenset[str]
    not_knowing: tuple[tuple[str, ...], ...]
    number_words: tuple[tuple[str, ...], ...]
    kinds: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    max_words: int
    ask_max_words: int


def _phrases(items: list[str]) -> tuple[tuple[str, ...], ...]:
    found = {tuple(words(item)) for item in items}
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


@cache
def _words() -> _Words:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    unknown = data["unknown_number"]
    return _Words(
        openers=_phrases(data["adding_openers"]),
        replacing=_phrases(data["replacing_openers"]),
        headings=_phrases(data["replacing_headings"]),
        no_words=frozenset(k for w in data["replacing_no_words"] for k in words(w)),
        lead_ins=frozenset(k for w in data["lead_ins"] for k in words(w)),
        not_knowing=_phrases(unknown["not_knowing"]),
        number_words=_phrases(unknown["number_words"]),
        kinds=tuple((kind, _phrases(unknown["kinds"][kind])) for kind in KINDS),
        max_words=int(unknown["max_words"]),
        ask_max_words=int(unknown["ask_max_words"]),
    )


def _has_any(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(has_phrase(tokens, phrase) for phrase in phrases)


def unknown_number(text: str) -> str | None:
    """The kind of identity number (one of :data:`KINDS`) a short message says the person
    does not know («ما اعرف رقم الحدود حقه وين الاقيه؟» → "border», «ما ادري وش رقم
    هويته» → "identity"); None for any other message. It needs, within ``max_words``
    words, a ``not_knowing`` phrase, a ``number_words`` word and a word naming the kind
    (description_words.json ``unknown_number``; tester 13, §12)."""
    found = _words()
    tokens = words(text)
    if len(tokens) > found.max_words or not _has_any(tokens, found.not_knowing):
        return None
    if not _has_any(tokens, found.number_words) or _gives_a_number(text):
        return None
    return next((kind for kind, named in found.kinds if _has_any(tokens, named)), None)


#: The fewest digits of a number a message gives as an identity number («3000000001»).
_GIVEN_DIGITS = 8


def _gives_a_number(text: str) -> bool:
    """Whether ``text`` holds a long number: «ما عندي اقامة عندي رقم حدود 3000000001»
    gives the number it names, and does not say it is unknown (the lead's probe: it was
    told where a border number is written)."""
    return re.search(rf"\d{{{_GIVEN_DIGITS},}}", clean_input(text)) is not None


def unknown_number_at_step(text: str) -> bool:
    """Whether a short message says the person does not know a number without naming its
    kind («ما اعرف الرقم», «ما اعرف رقمي»): at a number step that is the step's number
    (sessions 14-15: it was kept as words for the description), or only says the not
    knowing («ما اذكره»). Same words as :func:`unknown_number`, the kind aside."""
    found = _words()
    tokens = words(text)
    if len(tokens) > found.ask_max_words or not _has_any(tokens, found.not_knowing):
        return False
    if _gives_a_number(text):
        return False
    # «ما اذكره», «نسيته»: the not knowing alone, said of the number asked (helper 233)
    return _has_any(tokens, found.number_words) or tuple(tokens) in found.not_knowing


def only_asks(text: str) -> bool:
    """Whether a message :func:`unknown_number` reads is short enough to be only that ask
    (at most ``ask_max_words`` words: «ما اعرف رقم الحدود حقه وين الاقيه؟»), not a case told
    with it («ما اعرف رقم الإقامة حقي لان بطاقتي ضاعت وابي بدل فاقد», review 15 §3: it was
    answered and not kept, so the description was lost)."""
    return len(words(text)) <= _words().ask_max_words


def opens_addition(text: str) -> bool:
    """True when ``text`` opens with words of an afterthought (description_words.json
    ``adding_openers``, after at most two ``lead_ins``): «نسيت اقول…», «وكمان…», «طيب
    نسيت…», «Also, …», «sorry I forgot…». Only the start counts: «جددت وكمان ما نفع» tells
    a case."""
    found = _words()
    tokens = words(text)
    for skipped in range(_LEAD_INS_AT_MOST + 1):
        rest = tuple(tokens[skipped:])
        if any(rest[: len(opener)] == opener for opener in found.openers):
            return True
        if skipped >= len(tokens) or tokens[skipped] not in found.lead_ins:
            return False
    return False


def after_replacing_opener(text: str) -> str | None:
    """The new description in ``text`` when it opens with words saying it replaces the
    one kept («لا، اكتب بداله: الإقامة منتهية…» → «الإقامة منتهية…»), after an optional
    no-word and at most two lead-ins (description_words.json ``replacing_openers``); ""
    when nothing follows the opener; None when it has no such opener. The rest is cut from
    the text as typed, so its letters and digits stay as they were. A heading
    (``replacing_headings``: «الوصف الجديد») counts only when a colon closes it."""
    found = _words()
    typed = typed_words(text)
    start = 0
    if typed.keys and typed.keys[0] and typed.keys[0][0] in found.no_words:
        start += 1
    for _skipped in range(_LEAD_INS_AT_MOST + 1):
        rest = typed.keys_from(start)
        for opener in found.replacing:
            if rest[: len(opener)] == opener:
                return typed.text_from(typed.end_of(start, len(opener)))
        for heading in found.headings:
            if rest[: len(heading)] == heading:
                end = typed.end_of(start, len(heading))
                after = " ".join(typed.pieces[end:])
                if typed.pieces[end - 1].endswith(":") or after.startswith(":"):
                    return typed.text_from(end)
        keys = typed.keys[start] if start < len(typed.keys) else ()
        if not keys or keys[0] not in found.lead_ins:
            return None
        start += 1
    return None
