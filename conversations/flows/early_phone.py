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

from conversations.events import Contact, Event
from conversations.flow import Ctx, Next, Outcome
from conversations.flows.intake_phone import channel_name
from conversations.formatting import isolate
from domain.phone import InvalidPhoneNumber, normalise_mobile, normalise_phone

#: The number kept before its step: {"phone": E.164, "verified": bool}.
EARLY_PHONE = "phone_early"
#: The steps of the request that come before the phone step: a number shared there is kept.
BEFORE_PHONE = (
    "applicant", "group", "service", "suggest", "question", "refused", "establishment",
    "identity",
)  # fmt: skip

Answer = Callable[[Ctx, Event], Awaitable[Outcome]]


def keep_contact(ctx: Ctx, event: Contact) -> str | None:
    """Keeps a number shared before the phone step (:data:`BEFORE_PHONE`) for it; what to
    tell the person. None when the step is not one of those (or the request is being
    changed from its summary), or the number is not one the phone step would take: the
    caller answers as before."""
    _ = ctx.texts.gettext
    state = ctx.state
    if state.step not in BEFORE_PHONE or state.editing:
        return None
    unverified = ctx.origin.phone_unverified
    try:
        # who cannot share a vouched number gives a mobile, as at the phone step
        phone = (normalise_mobile if unverified else normalise_phone)(event.phone)
    except InvalidPhoneNumber:
        return None
    if unverified:
        state.answers[EARLY_PHONE] = {"phone": phone, "verified": False}
    elif not event.is_own and ctx.origin.vouched_phone:
        # WhatsApp: no «Share my number» button; the account's number is taken by itself
        return _(
            "This is someone else's number, so I have not kept it. Your request will have your number on %(channel)s; to give another mobile, change it from the summary before sending."
        ) % {"channel": channel_name(ctx)}
    elif not event.is_own:
        return _(
            "This is someone else's number, so I have not kept it. When I ask for your mobile number, please share your own with the «Share my number» button."
        )
    else:
        state.answers[EARLY_PHONE] = {"phone": phone, "verified": True}
    return _("I have kept your mobile number %(number)s for your request.") % {
        "number": isolate(phone)
    }


def past_phone(answer: Answer) -> Answer:
    """A step's ``answer`` that, when it leads to the phone step while a number shared
    earlier is kept, uses that number and goes on to the description, saying so."""

    async def answered(ctx: Ctx, event: Event) -> Outcome:
        outcome = await answer(ctx, event)
        kept = ctx.state.answers.get(EARLY_PHONE)
        if not (isinstance(outcome, Next) and outcome.step == "phone" and kept):
            return outcome
        answers = ctx.state.answers
        del answers[EARLY_PHONE]
        answers["phone"], answers["phone_verified"] = kept["phone"], kept["verified"]
        said = ctx.texts.gettext(
            "I am using the mobile number you shared earlier (%(number)s). You can change it from the summary before sending."
        ) % {"number": isolate(kept["phone"])}
        return Next("description", (*outcome.say, said))

    return answered
