"""The resident's request, the mobile number: shared from the person's own account, or
typed where the channel cannot vouch for one; a number given before (the identity or
establishment number) or another kind of number typed here is named, not refused blindly.
Split from :mod:`conversations.flows.intake_numbers`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from conversations.events import Contact, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.describe import keep_early
from conversations.flows.intake_numbers import (
    is_sentence,
    letters_problem,
    number_in_words,
    shape_names,
)
from conversations.formatting import isolate
from domain.identity import (
    InvalidIdentityNumber,
    mask_identity,
    parse_establishment_number,
    parse_identity_number,
)
from domain.number_shapes import number_shape
from domain.phone import InvalidPhoneNumber, normalise_phone

# a Saudi mobile number in E.164 (what people without a vouched number may type)
SAUDI_MOBILE = "+9665"

# what a number parser returns: the establishment number as typed, or an IdentityNumber
_Number = TypeVar("_Number")


def ask_phone(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    if ctx.origin.phone_unverified:
        # the channel knows this person by a username only: no button can share a number
        return Prompt(
            _(
                "Please type your Saudi mobile number (for example 05XXXXXXXX). WhatsApp does not share your number with us, so the officer will see it as not verified."
            )
        )
    if ctx.origin.phone_typed:
        # no button shares a number here (the terminal chat): typed, the channel vouches
        return Prompt(
            _(
                "Please type your mobile number, for example 05XXXXXXXX, so the request is linked to you."
            )
        )
    return Prompt(
        _(
            "Please share your mobile number with the «Share my number» button, so the request is linked to you."
        ),
        (Option("share_contact", _("Share my number")),),
        ask_contact=True,
    )


def _typed_phone(ctx: Ctx, event: Event) -> Outcome:
    """A number the channel cannot vouch for, typed or shared as a card: any Saudi mobile,
    kept as not verified."""
    _ = ctx.texts.gettext
    if not isinstance(event, Text | Contact):
        return Retry(_("Please type your mobile number in digits, for example 05XXXXXXXX."))
    typed = event.text if isinstance(event, Text) else event.phone
    try:
        phone = normalise_phone(typed)
    except InvalidPhoneNumber:
        phone = ""
    if not phone.startswith(SAUDI_MOBILE):
        return Retry(
            letters_problem(ctx, typed)
            or _(
                "This doesn't look like a Saudi mobile number. Please type it with 10 digits starting with 05, for example 05XXXXXXXX."
            )
        )
    ctx.state.answers["phone"] = phone
    ctx.state.answers["phone_verified"] = False
    return Next(
        "summary" if ctx.state.editing else "description",
        (_("Thank you, your number is saved."),),
    )


def _parsed(parse: Callable[[str], _Number], text: str) -> _Number | None:
    try:
        return parse(number_in_words(text))
    except InvalidIdentityNumber:
        return None


def _number_again(ctx: Ctx, event: Event) -> Retry | None:
    """An identity or establishment number typed at the phone step: the fresh-clone tester
    typed the iqama number again and was told the number must come from their account,
    which says nothing of what went wrong. The person is told the number is already kept
    (or, another identity number, that the request keeps the one given, which «back»
    changes) and what this step wants; None for anything else."""
    if not isinstance(event, Text):
        return None
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    identity = _parsed(parse_identity_number, event.text)
    if identity is not None and identity.value == answers.get("identity"):
        said = _(
            "This is the identity number you gave before: it is saved, no need to type it again."
        )
    elif _parsed(parse_establishment_number, event.text) == answers.get("establishment", ""):
        said = _(
            "This is the establishment number you gave before: it is saved, no need to type it again."
        )
    elif identity is not None and answers.get("identity"):
        said = _(
            "This looks like an identity number. The request keeps the one you gave before (%(number)s); to change it, type «back»."
        ) % {"number": isolate(mask_identity(str(answers["identity"])))}
    elif number_shape(event.text) not in (None, "mobile"):
        # another number, or one with a stray letter («2123456788x»): named, not only
        # refused as «not from your account»
        shape = str(number_shape(event.text))
        said = _("This looks like %(what)s, not a mobile number.") % {
            "what": shape_names(ctx)[shape]
        }
    else:
        return None
    return Retry(f"{said}\n{_number_wanted(ctx)}")


def _number_wanted(ctx: Ctx) -> str:
    """What the phone step wants, said after what was wrong with the message."""
    _ = ctx.texts.gettext
    if ctx.origin.phone_unverified or ctx.origin.phone_typed:
        return _("Now I need your mobile number: please type it, for example 05XXXXXXXX.")
    return _("Now I need your mobile number: please press «Share my number».")


def _words_not_phone(ctx: Ctx, event: Event) -> Retry | None:
    """Words without a digit typed at the phone step: the fresh-clone tester's «ابي اسافر
    لمصر الشهر الجاي» was answered «the number must come from your own account», as if a
    number had been typed. A sentence is the request told early and kept for the
    description, as at the other number steps (conversations.flows.describe.keep_early);
    shorter words are said not to be a number. None when the message has a digit (the
    number's own checks answer it) or is not a text."""
    if not isinstance(event, Text) or any(ch.isdigit() for ch in event.text):
        return None
    _ = ctx.texts.gettext
    if is_sentence(event.text):
        said = keep_early(ctx, event.text)
    else:
        said = _("What you wrote is not a mobile number.")
    return Retry(f"{said}\n{_number_wanted(ctx)}")


async def answer_phone(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    again = _number_again(ctx, event)
    if again is not None:
        return again
    words = _words_not_phone(ctx, event)
    if words is not None:
        return words
    if ctx.origin.phone_unverified:
        return _typed_phone(ctx, event)
    if ctx.origin.phone_typed and isinstance(event, Text):
        # the channel vouches that a number typed there is the person's own
        typed = event.text
        try:
            event = Contact(event.origin, normalise_phone(number_in_words(typed)), is_own=True)
        except InvalidPhoneNumber:
            return Retry(
                letters_problem(ctx, typed)
                or _("Please type your mobile number in digits, for example 05XXXXXXXX.")
            )
    if isinstance(event, Contact):
        if not event.is_own:
            return Retry(
                _(
                    "This is someone else's number. Please share your own number with the «Share my number» button."
                )
            )
        try:
            ctx.state.answers["phone"] = normalise_phone(event.phone)
        except InvalidPhoneNumber:
            return Retry(_("This phone number doesn't look valid. Please share it again."))
        ctx.state.answers["phone_verified"] = True
        return Next(
            "summary" if ctx.state.editing else "description",
            (_("Thank you, your number is saved."),),
        )
    if ctx.origin.phone_typed:
        return Retry(_number_wanted(ctx))
    return Retry(
        _(
            "For your protection, the number must come from your own account: please press «Share my number»."
        )
    )
