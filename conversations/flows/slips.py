"""Whether a message says the person slipped («لا غلطت ابي…», «my mistake»), whatever it
then corrects: read where a service (conversations.flows.service_change) or an answer to
its questions (conversations.flows.eligibility, conversations.flows.answer_corrections)
may be put right. Split from :mod:`conversations.flows.service_change`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from conversations.typed_words import typed_words
from conversations.understanding import words
from conversations.wishes import wish

_KEYWORDS = Path(__file__).resolve().parent.parent / "data" / "keywords.json"
#: The most words a slip has; a longer message tells a case.
_SLIP_WORDS = 14
#: How many words may come before the slip's own («والله لا غلطت…»).
_BEFORE_SLIP = 2


def is_slip(text: str) -> bool:
    """Whether ``text`` says the person slipped (keywords.json ``change_service_slip``),
    in at most 14 words."""
    return bool(wish(text, _KEYWORDS, (("change_service_slip", True),), max_words=_SLIP_WORDS))


@cache
def _slip_phrases() -> tuple[tuple[str, ...], ...]:
    data = json.loads(_KEYWORDS.read_text(encoding="utf-8"))
    found = {tuple(words(p)) for p in data["change_service_slip"]}
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


def after_slip(text: str) -> str:
    """``text`` without the slip that opens it («لا غلطت ابي اصدار تأشيرة خروج وعودة لاني
    مسافر…» → «ابي اصدار تأشيرة خروج وعودة لاني مسافر…»), cut from the text as typed; the
    whole text when no slip phrase (keywords.json ``change_service_slip``) starts within
    its first words."""
    typed = typed_words(text)
    for first in range(min(_BEFORE_SLIP, len(typed.pieces)) + 1):
        tokens = typed.keys_from(first)
        for phrase in _slip_phrases():
            if tokens[: len(phrase)] != phrase:
                continue
            if phrase[-1] in ("ابي", "ابغى", "ابغي"):
                phrase = phrase[:-1]  # «غلطت ابي…»: the wish's own word stays
            return typed.text_from(typed.end_of(first, len(phrase)))
    return text.strip()
