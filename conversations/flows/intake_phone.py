"""The resident's request, the mobile number: shared from the person's own account, or
typed where the channel cannot vouch for one; a number given before (the identity or
establishment number) or another kind of number typed here is named, not refused blindly.
Split from :mod:`conversations.flows.intake_numbers`; a mobile number typed at the later
steps is :mod:`conversations.flows.phone_in_words`'s."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from conversations.events import Choice, Contact, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.change_wishes import change_at_phone
from conversations.flows.description_early import keep_early
from conversations.flows.description_words import after_replacing_opener
from conversations.flows.intake_draft import identity_kinds
from conversations.flows.number_reading import (
    is_sentence,
    number_in_words,
    shape_names,
)
from conversations.flows.phone_choices import (
    chosen_phone,
    offered_phones,
    several_mobiles,
)
from conversations.flows.phone_kept import (
    keep_phone,
    kept_phone_line,
    kept_phone_option,
    registered_elsewhere,
    saved_phone,
)
from conversations.flows.phone_words import (
    FOREIGN_EXAMPLE,
    USE_VOUCHED,
    asked_again,
    channel_name,
    mobile_problem,
    number_wanted,
    vouched_label,
)
from conversations.flows.slips import is_slip
from conversations.flows.summary_words import asks_a_change
from conversations.formatting import isolate
from domain.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    mask_identity,
    parse_establishment_number,
    parse_identity_number,
)
from domain.number_shapes import number_shape
from domain.phone import (
    InvalidPhoneNumber,
    normalise_mobile,
    normalise_phone,
    written_internationally,
)

# what a number parser returns: the establishment number as typed, or an IdentityNumber
_Number = TypeVar("_Number")


def ask_phone(ctx: Ctx) -> Prompt:
    """The phone step's question, with the numbers of a message that held several as
    choices while one is to be picked (:mod:`conversations.flows.phone_choices`)."""
    prompt = _ask_phone(ctx)
    offered = offered_phones(ctx)
    saved = saved_phone(ctx)
    if saved is not None and not offered:
        # asked again with a number in the request: named, and kept by one choice
        text = f"{kept_phone_line(ctx, saved)}\n{prompt.text}"
        return Prompt(text, (*prompt.choices, kept_phone_option(ctx)), prompt.ask_contact)
    if not offered:
        return prompt
    return Prompt(prompt.text, (*offered, *prompt.choices), prompt.ask_contact)


def _ask_phone(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    if asked_again(ctx):
        return Prompt(
            _(
                "Your number on %(channel)s is %(number)s. To be contacted on another mobile, type it: a Saudi one (for example 05XXXXXXXX), or one of another country with its code (for example %(example)s). The officer will see a typed number as not verified."
            )
            % {
                "channel": channel_name(ctx),
                "number": isolate(str(ctx.origin.vouched_phone)),
                "example": isolate(FOREIGN_EXAMPLE),
            },
            (Option(USE_VOUCHED, vouched_label(ctx)),),
        )
    if ctx.origin.phone_unverified:
        # the channel knows this person by a username only: no button can share a number
        return Prompt(
            _(
                "Please type your mobile number: a Saudi one (for example 05XXXXXXXX), or one of another country with its code (for example %(example)s). Your number does not reach us through %(channel)s, so the officer will see it as not verified."
            )
            % {"example": isolate(FOREIGN_EXAMPLE), "channel": channel_name(ctx)}
        )
    if ctx.origin.phone_typed:
        # no button shares a number here (the terminal chat): typed, the channel vouches
        # a foreign mobile (+ or 00) is taken as well, so the example says both
        return Prompt(
            _(
                "Please type your mobile number, so the request is linked to you: a Saudi one (for example 05XXXXXXXX), or one of another country with its code, starting with + or 00 (for example %(example)s)."
            )
            % {"example": isolate(FOREIGN_EXAMPLE)}
        )
    share = (Option("share_contact", _("Share my number")),)
    if ctx.state.editing or "phone" in ctx.state.answers:
        # asked again (from the summary, or «back»): another mobile may be typed, the
        # first time the button alone is asked for (sessions 14-15: no second number)
        return Prompt(
            _(
                "Press «Share my number» to use your own number, or type another mobile to be contacted on: a Saudi one (for example 05XXXXXXXX), or one of another country with its code (for example %(example)s). The officer will see a typed number as not verified."
            )
            % {"example": isolate(FOREIGN_EXAMPLE)},
            share,
            ask_contact=True,
        )
    return Prompt(
        _(
            "Please share your mobile number with the «Share my number» button, so the request is linked to you."
        ),
        share,
        ask_contact=True,
    )


def _typed_phone(ctx: Ctx, event: Event) -> Outcome:
    """A number the channel cannot vouch for, typed or shared as a card: a Saudi mobile,
    or another country's with its code (:func:`domain.phone.normalise_mobile`), kept as
    not verified."""
    _ = ctx.texts.gettext
    if not isinstance(event, Text | Contact):
        return Retry(_("Please type your mobile number in digits, for example 05XXXXXXXX."))
    typed = event.text if isinstance(event, Text) else event.phone
    try:
        phone = normalise_mobile(number_in_words(typed) if isinstance(event, Text) else typed)
    except InvalidPhoneNumber as error:
        return Retry(mobile_problem(ctx, error, typed))
    ctx.state.answers["phone"] = phone
    ctx.state.answers["phone_verified"] = False
    return Next(
        "summary" if ctx.state.editing else "description",
        (_("Thank you, your number is saved."),),
    )


def _vouched_or_typed(ctx: Ctx, event: Event) -> Outcome:
    """The phone step asked again where the channel vouches for the person's number
    (:func:`_asked_again`): «My WhatsApp number» (or that number typed) is verified;
    another mobile typed, or shared as a card, is taken as not verified."""
    _ = ctx.texts.gettext
    vouched = str(ctx.origin.vouched_phone)
    answers = ctx.state.answers
    if isinstance(event, Choice) and event.id == USE_VOUCHED:
        phone = vouched
    elif isinstance(event, Contact) and event.is_own:
        phone = event.phone
    elif isinstance(event, Text | Contact):
        typed = event.text if isinstance(event, Text) else event.phone
        try:
            phone = normalise_mobile(number_in_words(typed))
        except InvalidPhoneNumber as error:
            return Retry(f"{mobile_problem(ctx, error, typed)}\n{number_wanted(ctx)}")
    else:
        return Retry(number_wanted(ctx))
    try:
        phone, vouched = normalise_phone(phone), normalise_phone(vouched)
    except InvalidPhoneNumber:
        return Retry(number_wanted(ctx))
    answers["phone"], answers["phone_verified"] = phone, phone == vouched
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
    if not isinstance(event, Text) or written_internationally(event.text):
        # «+2012345678»: a country code, so a mobile, whatever its digits look like
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
    elif identity is not None and answers.get("identity") and _replaces(ctx, identity, event.text):
        # «لا، اكتب بداله: 2000000014» (helper 24's probe: told to type «back»)
        said = _("I have put %(number)s in place of %(earlier)s as the identity number.") % {
            "number": isolate(mask_identity(identity.value)),
            "earlier": isolate(mask_identity(str(answers["identity"]))),
        }
        answers["identity"], answers["identity_kind"] = identity.value, identity.kind
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
    return Retry(f"{said}\n{number_wanted(ctx)}")


def _replaces(ctx: Ctx, identity: IdentityNumber, text: str) -> bool:
    """Whether ``text`` says ``identity``, the number it holds, replaces the one given
    («لا، اكتب بداله: …», «غلطت الرقم الصحيح …») and this service takes its kind."""
    if identity.kind not in identity_kinds(ctx):
        return False
    return after_replacing_opener(text) is not None or asks_a_change(text) or is_slip(text)


def _words_not_phone(ctx: Ctx, event: Event) -> Retry | None:
    """Words without a digit typed at the phone step: the fresh-clone tester's «ابي اسافر
    لمصر الشهر الجاي» was answered «the number must come from your own account», as if a
    number had been typed. A sentence is the request told early and kept for the
    description, as at the other number steps (conversations.flows.description_early.keep_early);
    shorter words are said not to be a number. None when the message has a digit (the
    number's own checks answer it) or is not a text."""
    if not isinstance(event, Text) or any(ch.isdigit() for ch in event.text):
        return None
    _ = ctx.texts.gettext
    if is_sentence(event.text) and not ctx.state.answers.get("description"):
        # with a description written (the step changed from the summary) no description
        # step comes: «you can describe it in a moment» promised one (session 14)
        said = keep_early(ctx, event.text)
    else:
        said = _("What you wrote is not a mobile number.")
    return Retry(f"{said}\n{number_wanted(ctx)}")


async def answer_phone(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    event = chosen_phone(ctx, event)
    kept = keep_phone(ctx, event) or registered_elsewhere(ctx, event)
    if kept is not None:
        return kept
    several = several_mobiles(ctx, event)
    if several is not None:
        return several
    change = change_at_phone(ctx, event.text) if isinstance(event, Text) else None
    if change is not None:
        return change
    again = _number_again(ctx, event)
    if again is not None:
        return again
    words = _words_not_phone(ctx, event)
    if words is not None:
        return words
    if ctx.origin.phone_unverified:
        return _typed_phone(ctx, event)
    if asked_again(ctx):
        return _vouched_or_typed(ctx, event)
    if ctx.origin.phone_typed and isinstance(event, Text | Contact):
        # the channel vouches that a number typed there is the person's own; the
        # terminal's /contact is typed too, so a mobile as well (tester 11: a landline)
        typed = event.text if isinstance(event, Text) else event.phone
        try:
            event = Contact(event.origin, normalise_mobile(number_in_words(typed)), is_own=True)
        except InvalidPhoneNumber as error:
            return Retry(mobile_problem(ctx, error, typed))
    if isinstance(event, Contact):
        if not event.is_own:
            return Retry(
                _(
                    "This is someone else's number. Please share your own number with the «Share my number» button."
                )
            )
        previous = ctx.state.answers.get("phone")
        try:
            phone = ctx.state.answers["phone"] = normalise_phone(event.phone)
        except InvalidPhoneNumber:
            return Retry(_("This phone number doesn't look valid. Please share it again."))
        before = ctx.state.answers.get("phone_verified")
        ctx.state.answers["phone_verified"] = True
        # the number is named: on WhatsApp it comes from the account, unasked, right after
        # the identity number, and «your number is saved» read as that one (found by the
        # fresh-clone tester); shown whole, as the summary does, to its owner
        saved = _("Thank you, I have saved your mobile number %(number)s for your request.")
        if ctx.state.editing and before and phone == previous:
            saved = _("%(number)s is already the mobile number of your request.")
        return Next(
            "summary" if ctx.state.editing else "description",
            (saved % {"number": isolate(phone)},),
        )
    if ctx.origin.phone_typed:
        return Retry(number_wanted(ctx))
    if isinstance(event, Text):
        return _typed_beside_button(ctx, event)
    return Retry(number_wanted(ctx))


def _typed_beside_button(ctx: Ctx, event: Text) -> Outcome:
    """A mobile typed where the button shares the account's own number (Telegram): taken
    as the number to be contacted on, not verified (the officer sees it so), with the
    checks of a typed number anywhere (:func:`domain.phone.normalise_mobile`). Found by
    fresh users in sessions 14-15: it was refused («the number must come from your own
    account»), so «Change the mobile number» could not give a second number."""
    _ = ctx.texts.gettext
    try:
        phone = normalise_mobile(number_in_words(event.text))
    except InvalidPhoneNumber as error:
        return Retry(f"{mobile_problem(ctx, error, event.text)}\n{number_wanted(ctx)}")
    ctx.state.answers["phone"] = phone
    ctx.state.answers["phone_verified"] = False
    saved = _(
        "Thank you, I have saved %(number)s as the mobile number of your request. It was typed, not shared from your account, so the officer will see it as not verified."
    ) % {"number": isolate(phone)}
    return Next("summary" if ctx.state.editing else "description", (saved,))
