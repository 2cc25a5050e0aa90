"""What the phone step says of the number it wants: the channel's name, the choice that
keeps the number the channel vouches for, what is wrong with a typed mobile, and what the
step wants after it. Split from :mod:`conversations.flows.intake_phone`, for the steps that
take a mobile early too (:mod:`conversations.flows.early_phone`)."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.number_reading import letters_problem
from conversations.flows.phone_choices import mobiles_in
from conversations.formatting import isolate
from domain.phone import InvalidPhoneNumber

# a foreign mobile as shown in examples: a resident may keep their home country's
FOREIGN_EXAMPLE = "+971XXXXXXXXX"
#: The phone step's choice, asked again where the channel vouches for a number: use it.
USE_VOUCHED = "own_phone"


def asked_again(ctx: Ctx) -> bool:
    """The phone step asked again on a channel that gives the person's number without
    asking (WhatsApp): from the summary's «Change the mobile number», or «back» after the
    number was taken. The first time the channel answers it itself (ask_contact); asked
    again, the person may want to be called on another mobile (found by the fresh-clone
    tester: the same WhatsApp number came back and no other could be given)."""
    return ctx.origin.vouched_phone is not None and (
        ctx.state.editing or "phone" in ctx.state.answers
    )


def channel_name(ctx: Ctx) -> str:
    """The channel's name as the person knows it, in their language («واتساب»): the
    channel gives it with the event (``Origin.channel_name``), since the dialogue names no
    channel itself; «this app» when it gives none."""
    name = ctx.origin.channel_name
    if name:
        return ctx.texts.gettext(name)
    return ctx.texts.gettext("this app")


def vouched_label(ctx: Ctx) -> str:
    """The choice that keeps the number the channel vouches for: «رقمي في واتساب» (a
    WhatsApp button title: 20 characters at most)."""
    _ = ctx.texts.gettext
    if ctx.origin.channel_name is None:
        return _("My own number")
    return _("My %(channel)s number") % {"channel": channel_name(ctx)}


def mobile_problem(ctx: Ctx, error: InvalidPhoneNumber, typed: str) -> str:
    """What is wrong with a typed mobile number (:func:`domain.phone.normalise_mobile`),
    in words: the letters among its digits, a landline, or what a mobile looks like,
    Saudi or with its country code. The same words on every channel that takes a typed
    number (WhatsApp without a vouched number, the terminal)."""
    _ = ctx.texts.gettext
    if len(mobiles_in(typed)) > 1:
        # «0551234567 او 0561234567» (helper 21: «لا يبدو هذا رقم جوال»)
        return _(
            "Your message has more than one mobile number. Please type just one: the number you want to be contacted on."
        )
    letters = letters_problem(ctx, typed)
    if letters:
        return letters
    if error.reason == "landline":
        return _(
            "This looks like a landline number. Please type a mobile number: a Saudi one starting with 05, or one of another country with its code, starting with + or 00."
        )
    return _(
        "This doesn't look like a mobile number. Please type a Saudi mobile with 10 digits starting with 05 (for example 05XXXXXXXX), or a mobile of another country with its code, starting with + or 00 (for example %(example)s)."
    ) % {"example": isolate(FOREIGN_EXAMPLE)}


def number_wanted(ctx: Ctx) -> str:
    """What the phone step wants, said after what was wrong with the message."""
    _ = ctx.texts.gettext
    if asked_again(ctx):
        return _("Now I need your mobile number: type it, or press «%(button)s».") % {
            "button": vouched_label(ctx)
        }
    if ctx.origin.phone_unverified or ctx.origin.phone_typed:
        return _(
            "Now I need your mobile number: please type it, a Saudi one (for example 05XXXXXXXX) or one of another country with its code (for example %(example)s)."
        ) % {"example": isolate(FOREIGN_EXAMPLE)}
    return _(
        "Now I need your mobile number: please press «Share my number», or type a mobile to be contacted on."
    )
