"""A message that is only a mobile number, typed where the person's own words are taken
(the description, the documents): the request's mobile number, named back, never words of
the description. Split from :mod:`conversations.flows.intake_phone` (the phone step
itself)."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path

from conversations.events import Event, Text
from conversations.flow import Ctx, Outcome, Retry
from conversations.flows.number_reading import number_in_words
from conversations.flows.phone_words import mobile_problem
from conversations.formatting import isolate
from domain.normalize import clean_input, fold_arabic
from domain.number_shapes import number_shape
from domain.phone import (
    InvalidPhoneNumber,
    normalise_mobile,
    normalise_phone,
    written_internationally,
)

#: A message of a phone number and nothing else: an optional «+», then digits with the
#: spaces, dashes, dots and brackets people write between them (after clean_input).
_PHONE_ONLY = re.compile(r"\(?\+?\(?[0-9][0-9 ()\-.]*")
#: The digits of a number with its country code (E.164 allows 15; 8 is the shortest
#: mobile with a country code that phonenumbers knows).
_INTERNATIONAL_DIGITS = range(8, 16)

#: The step functions the wrapper below takes and gives (conversations.flow.Step.answer).
Answer = Callable[[Ctx, Event], Awaitable[Outcome]]


def only_a_phone(text: str) -> bool:
    """Whether ``text`` is a phone number and nothing else: a Saudi mobile however typed
    (05XXXXXXXX, 5XXXXXXXX, 9665…), or any number written with a country code («+44 7700
    900123», «0020 100 123 4567»), in any digits. Words with it («رقمي 0551234567»), or
    another kind of number (an identity or request number), are not."""
    typed = clean_input(text)
    if not _PHONE_ONLY.fullmatch(typed):
        return False
    if written_internationally(typed):
        digits = "".join(ch for ch in typed if ch.isdigit()).removeprefix("00")
        return len(digits) in _INTERNATIONAL_DIGITS
    return number_shape(typed) == "mobile"


_NAMED = Path(__file__).resolve().parent.parent / "data" / "phone_named.json"
#: The most words before a number that only name it («رقم جوالي الجديد هو»).
_MOST_LEAD_WORDS = 4


@cache
def _lead_words() -> frozenset[str]:
    raw = json.loads(_NAMED.read_text(encoding="utf-8"))
    return frozenset(w for item in raw["lead_words"] for w in fold_arabic(item).lower().split())


def phone_of(text: str) -> str | None:
    """The phone number ``text`` is (:func:`only_a_phone`), alone or after a few words
    that only name it («رقمي ٠٥٥١٢٣٤٥٦٧», «جوالي الجديد: +971…»; phone_named.json): the
    number as typed; None for anything else («0551234567 اتصلوا علي», a sentence)."""
    if only_a_phone(text):
        return text
    typed = clean_input(text)
    start = next((i for i, ch in enumerate(typed) if ch.isdigit() or ch in "+("), None)
    if start is None or start == 0:
        return None
    lead = fold_arabic(typed[:start]).lower().replace(":", " ").replace("،", " ").split()
    number = typed[start:]
    if not 0 < len(lead) <= _MOST_LEAD_WORDS or not set(lead) <= _lead_words():
        return None
    return number if only_a_phone(number) else None


def phone_in_words_steps(answer: Answer) -> Answer:
    """A step's ``answer`` (the description, the documents: where the person's own words
    are taken) that reads a message that is only a phone number (:func:`only_a_phone`) as
    the request's mobile number, not as words of the description.

    Found by tester 10b on WhatsApp: «+44 7700 900123» typed at «صِف طلبك», after the
    WhatsApp number had been taken by itself, was kept as the description and the mobile
    number was not changed. A description that merely holds digits is still words."""

    async def answered(ctx: Ctx, event: Event) -> Outcome:
        number = phone_of(event.text) if isinstance(event, Text) else None
        if number is not None:
            return _phone_in_words(ctx, number)
        return await answer(ctx, event)

    return answered


def _takes_typed(ctx: Ctx) -> bool:
    """Whether the phone step takes a number typed on this channel (WhatsApp, as another
    mobile or for want of one; the terminal)."""
    origin = ctx.origin
    return origin.vouched_phone is not None or origin.phone_unverified or origin.phone_typed


def _phone_in_words(ctx: Ctx, typed: str) -> Outcome:
    """The mobile number typed at a step that takes words: it becomes the request's
    (not verified unless it is the number the channel vouches for, or the channel vouches
    for what is typed), named back; on a channel where the number comes from the person's
    account only (Telegram), the request keeps that one, and says so."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    go_on = _step_again(ctx)
    kept = answers.get("phone")
    shared = answers.get("phone_verified", True)
    # a number typed at the phone step (Telegram: not verified) is replaced as on the
    # channels that take typed numbers (helper 24's probe: «shared from your account»
    # was said of a typed one); one shared with the button stays
    if not _takes_typed(ctx) and (shared or not kept):
        if not kept:
            return Retry(
                f"{_('This looks like a phone number, so I have not added it to your description.')}\n{go_on}"
            )
        said = _(
            "This looks like a phone number, so I have not added it to your description. Your request keeps the mobile number shared from your account, %(number)s."
        ) % {"number": isolate(str(kept))}
        return Retry(f"{said}\n{go_on}")
    try:
        phone = normalise_mobile(number_in_words(typed))
    except InvalidPhoneNumber as error:
        said = _("This looks like a phone number, so I have not added it to your description.")
        return Retry(f"{said}\n{mobile_problem(ctx, error, typed)}\n{go_on}")
    if phone == kept:
        said = _(
            "%(number)s is already the mobile number of your request, so I have not added it to your description."
        ) % {"number": isolate(phone)}
        return Retry(f"{said}\n{go_on}")
    verified = _takes_typed(ctx) and not ctx.origin.phone_unverified
    if ctx.origin.vouched_phone is not None:
        try:
            verified = phone == normalise_phone(ctx.origin.vouched_phone)
        except InvalidPhoneNumber:
            verified = False
    answers["phone"], answers["phone_verified"] = phone, verified
    if kept:
        # the number given at the phone step is replaced: named, so the person does not
        # take the new one for a second number kept beside it (helper 24's probe)
        said = _(
            "I have saved %(number)s as the mobile number of your request, in place of %(earlier)s, instead of adding it to your description."
        ) % {"number": isolate(phone), "earlier": isolate(str(kept))}
        if not verified:
            said = f"{said} {_('The officer will see it as typed, not verified.')}"
        return Retry(f"{said}\n{go_on}")
    if verified:
        said = _(
            "I have saved %(number)s as the mobile number of your request, instead of adding it to your description."
        )
    else:
        said = _(
            "I have saved %(number)s as the mobile number of your request, instead of adding it to your description. The officer will see it as typed, not verified."
        )
    return Retry(f"{said % {'number': isolate(phone)}}\n{go_on}")


def _step_again(ctx: Ctx) -> str:
    """What the step that took the number wants next."""
    _ = ctx.texts.gettext
    if ctx.state.step == "attachments":
        return _("Please send the documents as photos or files, or press «Done».")
    if ctx.state.answers.get("description"):
        return _("Press «Keep my description» to go on with it, or send a new text to replace it.")
    return _(
        "Now please describe your request in words: what you need, and what went wrong if there was a problem."
    )
