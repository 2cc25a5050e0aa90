"""The phone step asked again with a mobile already in the request («رجوع» from the
description, or the identity corrected after it): the number saved is named and kept by
«الرقم نفسه», tapped or typed («نفس الرقم», «نفسه»), rather than asked for anew. Session
25's probe: going back to fix the identity number asked for the mobile again with no word of
the one given, and «نفس الرقم» got «ما كتبته ليس رقم جوال». The words are data
(``conversations/data/phone_kept.json``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Retry
from conversations.flows.phone_words import number_wanted
from conversations.formatting import isolate
from conversations.understanding import answer_words
from domain.normalize import fold_arabic

#: The choice that keeps the mobile number already in the request.
KEEP_PHONE = "keep_phone"
_DATA = Path(__file__).resolve().parent.parent / "data" / "phone_kept.json"


@cache
def _elsewhere(key: str) -> frozenset[str]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return frozenset(fold_arabic(w).lower() for w in raw[key])


#: The most words of a message that names where its number is registered.
_ELSEWHERE_WORDS = 10


def registered_elsewhere(ctx: Ctx, event: Event) -> Retry | None:
    """«نفس الرقم اللي مسجل في ابشر» at the phone step: the bot cannot see that number,
    which is said, and the number asked for; None for any other message (a number, or
    words of the case: phone_kept.json ``elsewhere``). Helper 233: it was kept as the
    description."""
    if not isinstance(event, Text) or any(ch.isdecimal() for ch in event.text):
        return None
    said = [w.strip("،,.!؟?") for w in fold_arabic(event.text).lower().split()]
    if len(said) > _ELSEWHERE_WORDS or not _elsewhere("elsewhere").intersection(said):
        return None
    if not _elsewhere("elsewhere_number").intersection(said):
        return None
    cannot = ctx.texts.gettext(
        "I cannot see the numbers registered in Absher or elsewhere, so I need the number here."
    )
    return Retry(f"{cannot}\n{number_wanted(ctx)}")


@cache
def _phrases() -> frozenset[tuple[str, ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return frozenset(tuple(w) for p in raw["same_number"] if (w := answer_words(p)))


def saved_phone(ctx: Ctx) -> str | None:
    """The mobile number (E.164) the request already holds, when the phone step is asked
    again and it is not the one the channel vouches for (WhatsApp's own button keeps that
    one); else None."""
    phone = ctx.state.answers.get("phone")
    if not isinstance(phone, str) or not phone:
        return None
    if ctx.origin.vouched_phone is not None and phone == str(ctx.origin.vouched_phone):
        return None
    return phone


def kept_phone_line(ctx: Ctx, phone: str) -> str:
    """The line above the phone step's question naming ``phone``, the number saved."""
    _ = ctx.texts.gettext
    return _(
        "The mobile number in your request is %(number)s. To keep it, choose «The same number»."
    ) % {"number": isolate(phone)}


def kept_phone_option(ctx: Ctx) -> Option:
    """The «الرقم نفسه» choice (a WhatsApp button title: 20 characters at most)."""
    return Option(KEEP_PHONE, ctx.texts.gettext("The same number"))


def says_same_number(text: str) -> bool:
    """Whether ``text`` says to keep the number already given («نفس الرقم», «نفسه», «same
    number»; phone_kept.json), and nothing else."""
    said = tuple(answer_words(fold_arabic(text).lower()))
    return bool(said) and said in _phrases()


def keep_phone(ctx: Ctx, event: Event) -> Next | None:
    """The step answered by keeping the saved number (the choice, or its words typed):
    the request goes on with it, its verification unchanged; None for any other answer or
    when no number is saved."""
    phone = saved_phone(ctx)
    if phone is None:
        return None
    keeps = (isinstance(event, Choice) and event.id == KEEP_PHONE) or (
        isinstance(event, Text) and says_same_number(event.text)
    )
    if not keeps:
        return None
    _ = ctx.texts.gettext
    kept = _("%(number)s is already the mobile number of your request.") % {
        "number": isolate(phone)
    }
    return Next("summary" if ctx.state.editing else "description", (kept,))
