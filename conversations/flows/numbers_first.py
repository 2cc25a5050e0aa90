"""Numbers typed before the step that asks for them: as the very first message, at an
eligibility question or where the service is chosen. A right identity or establishment
number is kept for its step (which then does not ask again); one with a slip (a failed
check digit, a letter among the digits) is named at once, and the question asked again.
Split from :mod:`conversations.flows.intake_numbers`, which reads numbers at their steps."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from conversations.events import Event, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.early_phone import keep_typed_mobile, mobile_alone
from conversations.flows.early_place import keep_place_words
from conversations.flows.eligibility import answer_question
from conversations.flows.intake_applicant import answer_applicant, ask_applicant
from conversations.flows.intake_draft import (
    EARLY_ESTABLISHMENT,
    EARLY_IDENTITY,
    applicant_of,
    question_text,
    questions_of,
    service_of,
)
from conversations.flows.intake_service import suggest
from conversations.flows.number_reading import (
    NUMBER_RUN,
    letters_problem,
    number_in_words,
    number_problem,
    shape_names,
)
from conversations.formatting import isolate
from conversations.keywords_early import without_places
from domain.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    mask_identity,
    parse_establishment_number,
    parse_identity_number,
)
from domain.normalize import clean_input, digits_only, stray_letters
from domain.number_shapes import number_shape

# ---- a number first --------------------------------------------------------------


def identity_first(text: str) -> IdentityNumber | None:
    """The identity number a message is, when it is one (a citizen's, an iqama, a border
    number, in any digits, with or without words around it), or the one it holds beside
    mobile numbers (:func:`identity_beside_mobiles`); else None. Dates are no part of it
    (:func:`without_dates`)."""
    text = without_dates(text)
    try:
        return parse_identity_number(number_in_words(text))
    except InvalidIdentityNumber:
        return identity_beside_mobiles(text)


# a date as residents write an iqama's expiry: y/m/d or d/m/y, Hijri or Gregorian, with
# «/», «-» or «.» (one kind in a date); checked for a month and a day that can be
_DATE = re.compile(
    r"(?<![0-9])(?:([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})"
    r"|([0-9]{1,2})([/.-])([0-9]{1,2})\6([0-9]{4}|[0-9]{2}))(?![0-9])"
)
# «و» («and») standing alone between numbers or written onto one: no letter in a number
_AND = re.compile(r"(?<!\S)و(?=\s|[0-9])")


def without_dates(text: str) -> str:
    """``text`` (cleaned: ASCII digits, no invisible marks) with its dates («١٤٤٧/٠٦/١٠»,
    «10-12-2026») made spaces, so that their digits are never read as, or beside, a
    number a request takes. Found by review 13 (§8): «اقامتي ٢٠٠٠٠٠٠٠٠٦ تنتهي
    ١٤٤٧/٠٦/١٠ وجوالي ٠٥٠١٢٣٤٥٦٧» kept nothing, the date taken for another long number."""

    def dropped(match: re.Match[str]) -> str:
        year_first = match.group(1) is not None
        month, day = (match.group(3), match.group(4)) if year_first else match.group(7, 5)
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return " "
        if not year_first and 1 <= int(day) <= 12 and 1 <= int(month) <= 31:
            return " "  # m/d/y
        return match.group(0)

    return _DATE.sub(dropped, clean_input(text))


#: Runs of fewer digits than this are no number a request takes («بعد ٣ ايام», «٢٠٢٦»).
_SHORT = 5


def mobiles_in(text: str) -> list[str]:
    """The Saudi mobile numbers a sentence holds, as typed (digits and separators)."""
    found: list[str] = []
    for run in NUMBER_RUN.findall(clean_input(text)):
        pieces = [run] if number_shape(run) is not None else run.split()
        found += [p for p in pieces if number_shape(p) == "mobile"]
    return found


def identity_beside_mobiles(text: str) -> IdentityNumber | None:
    """The one identity number of a sentence that holds other numbers none of which can be
    taken for one: Saudi mobile numbers (05…, 5…, 9665…) and short counts or years. Found
    by tester 12 (§9): «…واقامتي رقمها ٢٠٠٠٠٠٠٠٠٦ وبتنتهي بعد اسبوع… وجوالي ٠٥٠١٢٣٤٥٦٧…»
    kept nothing, since a number in words was taken only when the message held exactly
    ten digits. None when two numbers could each be the identity number, when another
    long number is there (it might be the one meant), or a letter is among the digits:
    then nothing is taken, as before; a «و» between the numbers is a word, no letter among
    the digits («اقامتي 2000000006 و 0501234567»: review 13, §8)."""
    if stray_letters(_AND.sub(" ", clean_input(text))):
        return None
    found: list[IdentityNumber] = []
    mobiles = 0
    for run in NUMBER_RUN.findall(clean_input(text)):
        pieces = [run] if number_shape(run) is not None else run.split()
        for piece in pieces:
            digits = digits_only(piece)
            if len(digits) < _SHORT:
                continue
            if number_shape(piece) == "mobile":
                mobiles += 1
                continue
            try:
                found.append(parse_identity_number(digits))
            except InvalidIdentityNumber:
                return None
    if len(found) == 1 and (mobiles or len(NUMBER_RUN.findall(clean_input(text))) > 1):
        return found[0]
    return None


def mistyped_identity(ctx: Ctx, text: str) -> str | None:
    """What the identity step says of an identity number whose check digit fails
    (:func:`number_problem`), for a step that asks for a choice and keeps a right one
    (the first question, the service, «لمن هذا الطلب؟»); None for anything else, which
    the step answers. Found by the fresh-clone tester: «1000000007» at «لمن هذا الطلب؟»
    got «لم أفهم إجابتك», where «1000000008» is kept."""
    if number_shape(text) not in ("citizen", "resident", "border"):
        return None
    try:
        parse_identity_number(number_in_words(text))
    except InvalidIdentityNumber as error:
        # a letter typed with the number («1234567890ب», «2000000006 a») is named too
        # (found by the tester: «لم أفهم إجابتك» at «أين صاحب الإقامة الآن؟»)
        if error.reason == "checksum" or stray_letters(text):
            return number_problem(ctx, error, text)
    return None


def mistyped_establishment(ctx: Ctx, text: str) -> str | None:
    """What is wrong with an establishment's unified number typed with a letter
    («7001234567ب») at a step that keeps a right one (the first question, the service):
    the letter named (:func:`letters_problem`); None for anything else."""
    if number_shape(text) != "establishment":
        return None
    return letters_problem(ctx, text) or None


def number_first(text: str) -> bool:
    """Whether a message is a number the first question keeps (:func:`answer_first`): an
    identity number or an establishment's unified number."""
    return identity_first(text) is not None or number_shape(text) == "establishment"


async def answer_first(ctx: Ctx, event: Event) -> Outcome:
    """The first question (individual or establishment), where some people start with
    the identity number instead (found by the fresh-clone tester: «فضلًا اختر أحد
    الخيارين» under four options). The number is kept (:data:`EARLY_IDENTITY`), the
    person told so and asked which service they need, as an individual; the identity
    step then does not ask again. An establishment's unified number (7...) is kept the
    same way (:data:`EARLY_ESTABLISHMENT`), filing as that establishment."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    if isinstance(event, Text) and number_shape(event.text) == "establishment":
        try:
            establishment = parse_establishment_number(number_in_words(event.text))
        except InvalidIdentityNumber:
            establishment = ""
        slip = mistyped_establishment(ctx, event.text)
        if slip is not None:
            return Retry(f"{slip}\n{ask_applicant(ctx).text}")
        if establishment:
            # an employer starting with its own number: filed as the establishment's
            answers["applicant"] = "establishment"
            answers[EARLY_ESTABLISHMENT] = establishment
            said = _("I have kept the establishment number %(number)s for your request.") % {
                "number": isolate(establishment)
            }
            return Next("group", (said,))
    identity = identity_first(event.text) if isinstance(event, Text) else None
    mistyped = mistyped_identity(ctx, event.text) if isinstance(event, Text) else None
    if mistyped is not None:
        return Retry(f"{mistyped}\n{ask_applicant(ctx).text}")
    mobile = mobile_alone(ctx, event)
    if mobile is not None:
        return Retry(f"{mobile}\n{ask_applicant(ctx).text}")
    if identity is None:
        outcome = await answer_applicant(ctx, event)
        placed = keep_place_words(ctx, event) if isinstance(outcome, Retry) else None
        if placed is not None:
            # «انا في مصر» at the first question: kept for «أين صاحب الإقامة الآن؟»
            return Retry(f"{placed}\n{ask_applicant(ctx).text}")
        return outcome
    answers["applicant"] = "individual"
    said = _keep_identity(ctx, identity)
    phone = (
        keep_typed_mobile(ctx, event, mobiles_in(event.text)) if isinstance(event, Text) else None
    )
    if phone is not None:
        said = f"{said}\n{phone}"
    if isinstance(event, Text) and ctx.catalogue.match(without_places(event.text), limit=1):
        # «ابي اجدد اقامتي رقمها ٢٠٠٠٠٠٠٠٠٦ وانا في جدة»: the need, the place and «لمن»
        # are read too, as without the number (tester 12, §9: the number alone was kept
        # and the person met the group menu)
        history, step = list(ctx.state.history), ctx.state.step
        ctx.state.history.append("applicant")
        ctx.state.step = "group"
        outcome = suggest(ctx, event.text)
        if isinstance(outcome, Next):
            return Next(outcome.step, (said, *outcome.say))
        ctx.state.history, ctx.state.step = history, step
    return Next("group", (said,))


def _keep_identity(ctx: Ctx, identity: IdentityNumber) -> str:
    """Keeps ``identity`` for the identity step (:data:`EARLY_IDENTITY`, used by
    :func:`conversations.flows.past_service.to_identity`); what to tell the person. A
    different number kept before is replaced, and that is said, both masked (found by
    tester 12, §19: the second number was «kept» with no word of the first)."""
    _ = ctx.texts.gettext
    earlier = ctx.state.answers.get(EARLY_IDENTITY)
    ctx.state.answers[EARLY_IDENTITY] = {"value": identity.value, "kind": identity.kind}
    number = isolate(mask_identity(identity.value))
    if earlier and earlier.get("value") != identity.value:
        return _(
            "I have kept the identity number %(number)s for your request, in place of %(earlier)s, the one you sent before."
        ) % {"number": number, "earlier": isolate(mask_identity(str(earlier["value"])))}
    return _("I have kept the identity number %(number)s for your request.") % {"number": number}


async def answer_question_or_number(ctx: Ctx, event: Event) -> Outcome:
    """An eligibility question («لمن هذا الطلب؟»), where some people type the identity
    number already (found by the fresh-clone tester: «لم أفهم إجابتك» and the number
    lost). The number is kept for the identity step as one sent first is
    (:data:`EARLY_IDENTITY`), the person told so and the question asked again."""
    question = questions_of(ctx)[int(ctx.state.answers.get("question", 0))]
    early = _establishment_early(ctx, event)
    if early is not None:
        # the unified number typed at «أين صاحب الإقامة الآن؟» (helper 26: «لم أفهم»)
        return Retry(f"{early[0]}\n{question_text(ctx, question)}")
    identity = identity_first(event.text) if isinstance(event, Text) else None
    mistyped = mistyped_identity(ctx, event.text) if isinstance(event, Text) else None
    mobile = None if ctx.state.editing else mobile_alone(ctx, event)
    if (identity is None and mistyped is None and mobile is None) or ctx.state.editing:
        return await answer_question(ctx, event)
    service = service_of(ctx)
    if identity is not None and (identity.kind in service.identity_kinds or service.citizens_only):
        # a citizens' service keeps a resident's number to explain itself at its step
        said = _keep_identity(ctx, identity)
    elif identity is not None:
        # said now, not «kept» and refused a step later (helper 25: a national ID at an
        # iqama's renewal)
        _ = ctx.texts.gettext
        said = _(
            "The number %(number)s is %(kind)s, which this service does not take, so it was not kept."
        ) % {
            "number": isolate(mask_identity(identity.value)),
            "kind": shape_names(ctx)[identity.kind],
        }
    else:
        said = str(mobile if mistyped is None else mistyped)
    return Retry(f"{said}\n{question_text(ctx, question)}")


def _establishment_early(ctx: Ctx, event: Event) -> tuple[str, bool] | None:
    """An establishment's unified number typed before its step, where the establishment
    files: (the line saying it is kept for that step, :data:`EARLY_ESTABLISHMENT`, True),
    or (what is wrong with it, False); None for any other message."""
    if not isinstance(event, Text) or ctx.state.editing:
        return None
    if applicant_of(ctx) != "establishment" or number_shape(event.text) != "establishment":
        return None
    slip = mistyped_establishment(ctx, event.text)
    if slip is not None:
        return slip, False
    try:
        establishment = parse_establishment_number(number_in_words(event.text))
    except InvalidIdentityNumber:
        return None
    ctx.state.answers[EARLY_ESTABLISHMENT] = establishment
    said = ctx.texts.gettext("I have kept the establishment number %(number)s for your request.")
    return said % {"number": isolate(establishment)}, True


def service_or_number(
    ask: Callable[[Ctx], Prompt], answer: Callable[[Ctx, Event], Awaitable[Outcome]]
) -> Callable[[Ctx, Event], Awaitable[Outcome]]:
    """A step that asks for the service (the groups, a group's services, «أيّ هذه
    الخدمات تحتاج؟» after a wish in words) and also keeps a number typed there: an
    identity number (in any digits) for the identity step, and an establishment's for its
    step when the establishment files; the person is told so and asked the service again,
    unless words with the number name one («ابي اجدد اقامتي 2123456788»).
    Found by the fresh-clone tester: «٢١٢٣٤٥٦٧٨٨» at the suggestions was read as words
    for a service («لم أتمكن من تحديد الخدمة المقصودة») and lost, while the first
    question and «لمن هذا الطلب؟» keep it. Anything else is ``answer``'s."""

    async def answer_or_number(ctx: Ctx, event: Event) -> Outcome:
        if not isinstance(event, Text) or ctx.state.editing:
            return await answer(ctx, event)
        said = ""
        early = _establishment_early(ctx, event)
        if early is not None and not early[1]:
            return Retry(f"{early[0]}\n{ask(ctx).text}")  # a slip in the number, named
        if early is not None:
            said = early[0]
        else:
            identity = identity_first(event.text)
            mistyped = mistyped_identity(ctx, event.text)
            if mistyped is not None:
                return Retry(f"{mistyped}\n{ask(ctx).text}")
            mobile = mobile_alone(ctx, event)
            if mobile is not None:
                return Retry(f"{mobile}\n{ask(ctx).text}")
            if identity is None:
                outcome = await answer(ctx, event)
                placed = keep_place_words(ctx, event) if isinstance(outcome, Retry) else None
                if placed is not None:
                    # «انا في مصر» where the service is chosen: kept for the location
                    # question and said so, not «I couldn't tell which service»
                    return Retry(f"{placed}\n{ask(ctx).text}")
                return outcome
            said = _keep_identity(ctx, identity)
        if any(ch.isalpha() for ch in event.text):
            # «ابي اجدد اقامتي 2123456788»: the wish is read too, the number kept either way
            outcome = await answer(ctx, event)
            if isinstance(outcome, Next):
                return Next(outcome.step, (said, *outcome.say))
        return Retry(f"{said}\n{ask(ctx).text}")

    return answer_or_number
