"""A wish to speak with an officer or call the directorate («ابي اكلم موظف», «ابغى رقم
الجوازات اتصل عليهم»): there is no live chat with an officer here, but an officer reads
every request filed here and answers it here. No phone number is given: the seeds
(/work/shared/seeds) name none. Found by tester 13 (§17): the commonest first message of
an upset person got «يُرجى اختيار واحد من ٤ خيارات…» and no word about officers."""

from __future__ import annotations

from pathlib import Path

from conversations.flow import Ctx
from conversations.wishes import wish

_KEYWORDS = Path(__file__).resolve().parent / "data" / "keywords.json"
#: The most words such a wish has; a longer message tells a case.
_MAX_WORDS = 12
#: A message holding this many digits gives a number (their own mobile, an iqama): it
#: answers, it does not ask for ours («رقم التواصل ٠٥٠١٢٣٤٥٦٧» at the phone step).
_NUMBER_DIGITS = 7


def wants_officer(text: str) -> bool:
    """Whether ``text`` asks to speak with an officer or for a number to call
    (keywords.json ``talk_to_officer``); never one that gives a number itself."""
    if sum(ch.isdigit() for ch in text) >= _NUMBER_DIGITS:
        return False
    return wish(text, _KEYWORDS, (("talk_to_officer", True),), max_words=_MAX_WORDS) is not None


def officer_line(ctx: Ctx, *, mid_request: bool) -> str:
    """What is said to such a wish: how officers are reached here, and the way on."""
    _ = ctx.texts.gettext
    first = _(
        "There is no live chat with an officer here, and no number to call through this service. But an officer reads every request filed here and answers it here, in this chat."
    )
    if mid_request:
        then = _("You can finish your request now; an officer will take it up once it is sent.")
    else:
        then = _("To file a request, please choose «Individual» or «Establishment» below.")
    return f"{first}\n{then}"
