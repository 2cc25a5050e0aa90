"""Words at the establishment's number step that are not the number: not knowing it, a
question about it («وش الرقم الموحد؟») and a commercial registration given for it
(«السجل التجاري ١٠١٠…»). Each is answered with what the unified number is and the step's
question again, nothing taken as the number. Helper 233: the registration was told it looks
like a national ID, and the question got «ليس لدي جواب عن هذا السؤال». The words are data
(conversations/data/establishment_words.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from conversations.events import Event, Text
from conversations.flow import Ctx, Stay
from conversations.flows.number_reading import ten_digit_numbers
from conversations.knowledge import explicit_question, says_not_knowing
from domain.identity import ESTABLISHMENT_PREFIX
from domain.normalize import fold_arabic

_DATA = Path(__file__).resolve().parent.parent / "data" / "establishment_words.json"


@cache
def _words(key: str) -> tuple[str, ...]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(_folded(w) for w in raw[key])


def _folded(text: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in fold_arabic(text))
    return f" {' '.join(kept.lower().split())} "


def _says(text: str, key: str) -> bool:
    folded = _folded(text)
    return any(word in folded for word in _words(key))


def names_registration(text: str) -> bool:
    """Whether ``text`` gives or names a commercial registration («السجل التجاري ١٠١٠…»)."""
    return _says(text, "registration")


def unified_beside_registration(event: Event) -> str | None:
    """The one unified number (10 digits starting with 7) of a message that names the
    registration beside it («رقم سجل المنشأة 7001234567», «السجل 1010123456 والموحد
    7001234567»), which is the step's answer, not a registration to refuse; None for any
    other message. This helper's probe of helper 233's fix: the number was dropped."""
    if not isinstance(event, Text) or not names_registration(event.text):
        return None
    unified = [n for n in ten_digit_numbers(event.text) if n.startswith(ESTABLISHMENT_PREFIX)]
    return unified[0] if len(unified) == 1 else None


def asks_unified_number(text: str) -> bool:
    """Whether ``text``, with no digit in it, asks what or where the unified number is, or
    says it is not known («وش الرقم الموحد؟», «ما اعرف رقم المنشأة»)."""
    if any(ch.isdecimal() for ch in text):
        return False
    if says_not_knowing(text):
        return True
    return _says(text, "unified") and (explicit_question(text) or _says(text, "asking"))


def about_establishment_number(text: str) -> bool:
    """Whether the establishment step answers ``text`` itself (:func:`about_the_number`):
    the questions' knowledge base is not asked («who may file» resembles its words)."""
    return asks_unified_number(text) or names_registration(text)


def about_the_number(ctx: Ctx, event: Event, asked: str) -> Stay | None:
    """The step's answer to words about its number (see the module's docstring), with
    ``asked`` (the step's question) after it; None for anything else. A Stay, not a
    Retry: a question answered here is not one «no answer» is said to."""
    if not isinstance(event, Text):
        return None
    _ = ctx.texts.gettext
    if names_registration(event.text):
        line = _(
            "A commercial registration number is not the unified number this step needs. The establishment's unified number has 10 digits and starts with 7; whoever runs the establishment can give it."
        )
        return Stay((f"{line}\n{asked}",))
    if asks_unified_number(event.text):
        # «ما اعرفه» (helper 21: «يجب أن يتكون الرقم من أرقام فقط»)
        line = _(
            "The establishment's unified number has 10 digits and starts with 7; whoever runs the establishment can give it. If the worker is sponsored by you personally, the request is filed as an individual, with no establishment number: you can choose «Back» until «individual or establishment?»."
        )
        return Stay((f"{line}\n{asked}",))
    return None
