"""How a text at the description step reads when a description is saved already: an
afterthought to add («نسيت اقول ان الجواز ينتهي بعد شهرين») or a new text to put in its
place. The words are data: ``conversations/data/description_words.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conversations.understanding import words

_DATA = Path(__file__).resolve().parent.parent / "data" / "description_words.json"
#: How many lead-in words («طيب», «sorry») may come before an opener.
_LEAD_INS_AT_MOST = 2


@dataclass(frozen=True, slots=True)
class _Words:
    openers: tuple[tuple[str, ...], ...]
    lead_ins: frozenset[str]


@cache
def _words() -> _Words:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    openers = {tuple(words(phrase)) for phrase in data["adding_openers"]}
    return _Words(
        openers=tuple(sorted((o for o in openers if o), key=len, reverse=True)),
        lead_ins=frozenset(k for w in data["lead_ins"] for k in words(w)),
    )


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
