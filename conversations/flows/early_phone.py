"""The person's mobile number shared before the phone step: kept for the request, and the
phone step passed with a line saying so.

Found by the fresh-clone tester: a number shared with Telegram's contact button, or typed
with the terminal's ``/contact``, at the service or the identity step was answered «لا أحتاج
إلى رقم جوال في هذه الخطوة» and dropped, though an identity number typed early is kept
(conversations.flows.intake_numbers, «احتفظتُ برقم الهوية … لطلبك.»). The same checks as
at the phone step (conversations.flows.intake_phone) decide what is kept: on a channel that
vouches for numbers only the person's own; on one that cannot (WhatsApp), a mobile
number, Saudi or with its country code (domain.phone.normalise_mobile), kept as not
verified.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conversations.events import Contact, Event, Text
from conversations.flow import Ctx, Next, Outcome
from conversations.flows.phone_words import channel_name, mobile_problem
from conversations.formatting import isolate
from domain.number_shapes import number_shape
from domain.phone import InvalidPhoneNumber, normalise_mobile, normalise_phone

#: The number kept before its step: {"phone": E.164, "verified": bool}.
EARLY_PHONE = "phone_early"
#: The steps of the request that come before the phone step: a number shared there is kept.
BEFORE_PHONE = (
    "applicant", "group", "service", "suggest", "question", "refused", "establishment",
    "identity",
)  # fmt: skip
#: The steps after the phone step, where the request has its mobile number: a number
#: shared there becomes the request's.
AFTER_PHONE = ("description", "attachments", "summary")

Answer = Callable[[Ctx, Event], Awaitable[Outcome]]


def keep_contact(ctx: Ctx, event: Contact) -> str | None:
    """Keeps a number shared before the phone step (:data:`BEFORE_PHONE`) for it, or, once
    the request has its mobile number (:data:`AFTER_PHONE`, or an answer being changed
    from the summary), makes it the request's new one; what to tell the person, above the
    step's question asked again. None where the request takes no number (the phone step
    itself, after filing...), or for a number a Telegram account shared that no country
    has: the caller answers as before.

    Found by tester 11 in the terminal: ``/contact 0501234567`` at «صِف طلبك» and a
    landline ``/contact 0412345678`` at the identity step were both told «لا أحتاج إلى رقم
    جوال في هذه الخطوة», while ``/contact 00201001234567`` at the identity step was kept.
    Now a number that is not a mobile is said to be none, with what a mobile looks like
    (intake_phone.mobile_problem), at every step, and the person's own mobile given after
    the phone step changes the request's contact number, named back (as a mobile typed
    alone at the description does, phone_in_words.phone_in_words_steps); someone else's
    card there changes nothing, and the person is told how to give it (review 11, §13)."""
    state = ctx.state
    if state.step in BEFORE_PHONE and not state.editing:
        return _kept_early(ctx, event)
    if state.step == "phone" and state.editing and _same(ctx, event):
        # the request's own number shared again at «Change the mobile number»: the phone
        # step takes it and returns to the summary (session 14: it was refused there)
        return None
    if state.answers.get("phone") and (state.step in AFTER_PHONE or state.editing):
        return _changed(ctx, event)
    return None


def keep_typed_mobile(ctx: Ctx, event: Event, mobiles: list[str]) -> str | None:
    """A mobile number written in a first message with more words («…وجوالي ٠٥٠١٢٣٤٥٦٧…»,
    tester 12, §9), kept for the phone step as a number typed there would be, on a channel
    that takes a typed number and has none of its own (the terminal, which vouches for it;
    a channel that cannot, where it is not verified); what to tell the person. None for
    anything else, or when the message holds more than one mobile (which is meant is not
    known): the phone step asks, as before."""
    origin = ctx.origin
    typed = origin.phone_typed or origin.phone_unverified
    if not isinstance(event, Text) or len(mobiles) != 1 or not typed or origin.vouched_phone:
        return None
    return _kept_early(ctx, Contact(event.origin, mobiles[0], is_own=True))


def mobile_alone(ctx: Ctx, event: Event) -> str | None:
    """A message that is a mobile number and nothing else, typed at a step before the
    identity number (the first question, the service's, «لمن هذا الطلب؟»): kept for the
    phone step where the channel takes a typed number (:func:`keep_typed_mobile`), else
    said to be asked for at its own step; the line to put above the step's question.
    None for any other message. Helper 23's probe: at «هل هذه هي الخدمة المطلوبة؟» it was
    «لم أتمكن من تحديد الخدمة المقصودة» and the number lost."""
    if not isinstance(event, Text) or number_shape(event.text) != "mobile":
        return None
    kept = keep_typed_mobile(ctx, event, [event.text])
    if kept is not None:
        return kept
    _ = ctx.texts.gettext
    return _("This is a mobile number: it is asked for at its own step, after the identity number.")


def _kept_early(ctx: Ctx, event: Contact) -> str | None:
    _ = ctx.texts.gettext
    origin = ctx.origin
    typed = origin.phone_unverified or origin.phone_typed
    try:
        # who cannot share a vouched number gives a mobile, as at the phone step; the
        # terminal's /contact is typed, so a mobile too (a landline was kept before)
        phone = (normalise_mobile if typed else normalise_phone)(event.phone)
    except InvalidPhoneNumber as error:
        return mobile_problem(ctx, error, event.phone) if typed else None
    if origin.phone_unverified:
        ctx.state.answers[EARLY_PHONE] = {"phone": phone, "verified": False}
    elif not event.is_own and origin.vouched_phone:
        # WhatsApp: no «Share my number» button; the account's number is taken by itself
        return _(
            "This is someone else's number, so I have not kept it. Your request will have your number on %(channel)s; to give another mobile, change it from the summary before sending."
        ) % {"channel": channel_name(ctx)}
    elif not event.is_own:
        return _(
            "This is someone else's number, so I have not kept it. When I ask for your mobile number, please share your own with the «Share my number» button."
        )
    else:
        ctx.state.answers[EARLY_PHONE] = {"phone": phone, "verified": True}
    return _("I have kept your mobile number %(number)s for your request.") % {
        "number": isolate(phone)
    }


def _same(ctx: Ctx, event: Contact) -> bool:
    """The person's own number shared is the request's mobile already."""
    try:
        return event.is_own and normalise_phone(event.phone) == ctx.state.answers.get("phone")
    except InvalidPhoneNumber:
        return False


def _changed(ctx: Ctx, event: Contact) -> str | None:
    """A number shared once the request has its mobile: the new one when it is the
    person's own (the account's card, the WhatsApp number itself, the terminal's
    ``/contact``), as the phone step asked again would take it; anyone else's card is not
    taken, and the person is told how to give it if they mean it (review 11, §13: on
    WhatsApp a sponsor's card shared at the documents replaced the request's mobile, while
    Telegram refused it)."""
    _ = ctx.texts.gettext
    origin, answers = ctx.origin, ctx.state.answers
    kept = str(answers["phone"])
    own_account = event.is_own and not (origin.phone_unverified or origin.phone_typed)
    if not event.is_own and origin.vouched_phone is None and not origin.phone_unverified:
        # Telegram: the number comes from the person's own account only
        return _(
            "This is someone else's number, so I have not kept it. Your request keeps your own mobile number, %(number)s."
        ) % {"number": isolate(kept)}
    try:
        phone = (normalise_phone if own_account else normalise_mobile)(event.phone)
    except InvalidPhoneNumber as error:
        return None if own_account else mobile_problem(ctx, error, event.phone)
    if phone == kept:
        return _("%(number)s is already the mobile number of your request.") % {
            "number": isolate(phone)
        }
    vouched = phone == _vouched(ctx)
    if not (event.is_own or vouched):
        return _not_taken(ctx, phone, kept)
    verified = own_account or origin.phone_typed or vouched
    answers["phone"], answers["phone_verified"] = phone, verified
    if verified:
        said = _("I have saved %(number)s as the mobile number of your request.")
    else:
        said = _(
            "I have saved %(number)s as the mobile number of your request. The officer will see it as not verified."
        )
    return said % {"number": isolate(phone)}


def _vouched(ctx: Ctx) -> str | None:
    """The number the channel vouches for (WhatsApp's), normalised; None without one."""
    vouched = ctx.origin.vouched_phone
    try:
        return normalise_phone(vouched) if vouched else None
    except InvalidPhoneNumber:
        return None


def _not_taken(ctx: Ctx, card: str, kept: str) -> str:
    """Why a contact card that is not the person's own did not become the request's
    mobile (people share a sponsor's or an office's card as information), and how to
    make it so if they mean it: typed where a typed mobile is taken, else from the
    summary's «Change the mobile number»."""
    _ = ctx.texts.gettext
    numbers = {"card": isolate(card), "number": isolate(kept)}
    if ctx.origin.vouched_phone is not None:
        said = _(
            "This contact card is not your number on %(channel)s, so I have not made it the mobile number of your request, which stays %(number)s."
        ) % {**numbers, "channel": channel_name(ctx)}
    else:
        # a hidden number: nothing tells whose the card is
        said = (
            _(
                "A contact card does not tell me whose number it is, so I have not made %(card)s the mobile number of your request, which stays %(number)s."
            )
            % numbers
        )
    if ctx.state.step in ("description", "attachments"):
        how = _("If you want to be contacted on %(card)s instead, type it here as a message.")
    else:
        how = _(
            "If you want to be contacted on %(card)s instead, choose «Change the mobile number» at the summary and type it."
        )
    return f"{said} {how % numbers}"


def past_phone(answer: Answer) -> Answer:
    """A step's ``answer`` that, when it leads to the phone step while a number shared
    earlier is kept, uses that number and goes on to the description, saying so."""

    async def answered(ctx: Ctx, event: Event) -> Outcome:
        return with_early_phone(ctx, await answer(ctx, event))

    return answered


def with_early_phone(ctx: Ctx, outcome: Outcome) -> Outcome:
    """``outcome``, or, when it leads to the phone step while a number shared earlier is
    kept, on to the description with that number, said so."""
    kept = ctx.state.answers.get(EARLY_PHONE)
    if not (isinstance(outcome, Next) and outcome.step == "phone" and kept):
        return outcome
    answers = ctx.state.answers
    del answers[EARLY_PHONE]
    answers["phone"], answers["phone_verified"] = kept["phone"], kept["verified"]
    if any(kept["phone"] in line for line in outcome.say):
        # kept from this very message, and said so: not «shared earlier» (review 15 §7c)
        return Next("description", outcome.say)
    said = ctx.texts.gettext(
        "I am using the mobile number you shared earlier (%(number)s). You can change it from the summary before sending."
    ) % {"number": isolate(kept["phone"])}
    return Next("description", (*outcome.say, said))
