"""Whether a message says the person slipped («لا غلطت ابي…», «my mistake»), whatever it
then corrects: read where a service (conversations.flows.service_change) or an answer to
its questions (conversations.flows.eligibility, conversations.flows.answer_corrections)
may be put right. Split from :mod:`conversations.flows.service_change`."""

from __future__ import annotations

from pathlib import Path

from conversations.wishes import wish

_KEYWORDS = Path(__file__).resolve().parent.parent / "data" / "keywords.json"
#: The most words a slip has; a longer message tells a case.
_SLIP_WORDS = 14


def is_slip(text: str) -> bool:
    """Whether ``text`` says the person slipped (keywords.json ``change_service_slip``),
    in at most 14 words."""
    return bool(wish(text, _KEYWORDS, (("change_service_slip", True),), max_words=_SLIP_WORDS))
