"""The resident's request, the numbers: the establishment's unified number and the
identity number of the person the request is for, with several numbers or words around
the number at the identity step. How a typed number is read (its digits among words,
what is wrong with it, a number of the wrong kind) is in
:mod:`conversations.flows.number_reading`; the mobile number's step is in
:mod:`conversations.flows.intake_phone`; numbers typed before their step (the very first
message, an eligibility question) are read in :mod:`conversations.flows.numbers_first`."""

from __future__ import annotations

from conversations.applicant_words import names_household_worker, says_no_establishment
from conversations.citizens_only import (
    NOT_CITIZEN,
    OTHER_SERVICE,
    SAID_NOT_CITIZEN,
    not_for_residents,
    said_of_the_applicant,
    says_not_citizen,
)
from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.description_early import keep_early
from conversations.flows.establishment_words import (
    about_the_number,
    unified_beside_registration,
)
from conversations.flows.household_switch import (
    individual_option,
    offer_individual,
    switch_to_individual,
)
from conversations.flows.intake_draft import (
    EARLY_IDENTITY,
    WRITER_IDENTITY,
    applicant_of,
    identity_kinds,
    or_words,
    service_of,
)
from conversations.flows.intake_service import need_at_citizens_refusal
from conversations.flows.number_kinds import kind_names, wrong_kind
from conversations.flows.number_reading import (
    NUMBER_RUN,
    SENTENCE_DIGITS,
    number_problem,
    shape_names,
    ten_digit_numbers,
    typed_number,
    wrong_number,
)
from conversations.flows.past_service import to_identity
from conversations.formatting import isolate
from conversations.understanding import content_words
from domain.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    mask_identity,
    parse_establishment_number,
    parse_identity_number,
)
from domain.normalize import clean_input, digits_only, stray_letters
from domain.number_shapes import number_shape


def ask_establishment(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    asked = _("Type the establishment's unified number (10 digits, starting with 7).")
    return Prompt(asked, individual_option(ctx))


def _establishment_problem(ctx: Ctx, error: InvalidIdentityNumber, typed: str) -> str:
    wrong = wrong_number(ctx, typed, ("establishment",), ask_establishment(ctx).text)
    if wrong is not None:
        return wrong
    if error.reason == "prefix":
        return ctx.texts.gettext(
            "An establishment's unified number starts with 7. Please check it."
        )
    return number_problem(ctx, error, typed)


def _household_line(ctx: Ctx) -> str:
    """That a household's worker is filed by an individual, and the way there."""
    return ctx.texts.gettext(
        "A worker sponsored by you personally (a housemaid or a private driver) is filed as an individual, with no establishment number. To file it so, choose «%(option)s»."
    ) % {"option": ctx.texts.gettext("File as an individual")}


async def answer_establishment(ctx: Ctx, event: Event) -> Outcome:
    switched = switch_to_individual(ctx, event)
    if switched is not None:
        return switched
    given = unified_beside_registration(event)  # «رقم سجل المنشأة 7001234567»
    about = None if given else about_the_number(ctx, event, ask_establishment(ctx).text)
    if about is not None:
        return about
    if isinstance(event, Text) and says_no_establishment(event.text):
        # «ما عندي رقم منشأة هي خادمة في البيت»: a household's worker is filed by an
        # individual, said with the way there (helper 21: the same question came again)
        offer_individual(ctx)
        return Retry(f"{_household_line(ctx)}\n{ask_establishment(ctx).text}")
    parse = parse_establishment_number
    number = given or typed_number(ctx, event, ask_establishment, parse, _establishment_problem)
    if isinstance(number, Retry):
        return number
    ctx.state.answers["establishment"] = number
    return Next("summary") if ctx.state.editing else to_identity(ctx)


def ask_identity(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    names = kind_names(ctx)
    kinds = or_words(ctx, [names[k] for k in identity_kinds(ctx)])
    if applicant_of(ctx) == "establishment":
        asked = _("Type the worker's number: %(kinds)s.") % {"kinds": kinds}
    elif _for_someone_else(ctx):
        # a family member's or dependant's request: their number, which people often
        # confuse with their own (a fresh-clone probe: the prompt read as for anyone)
        asked = _(
            "Type the identity number of the person the request is for, not your own: %(kinds)s."
        ) % {"kinds": kinds}
    elif _for_the_writer(ctx):
        # «لي أنا» answered: the writer's own number, said so (helper 23: it read as
        # anyone's, «رقم هوية صاحب الطلب»)
        asked = _("Type your own identity number: %(kinds)s.") % {"kinds": kinds}
    else:
        asked = _("Type the identity number of the person the request is for: %(kinds)s.") % {
            "kinds": kinds
        }
    early = ctx.state.answers.get(EARLY_IDENTITY)
    if said_of_the_applicant(ctx) and service_of(ctx).citizens_only and not early:
        # «انا مقيم ابي اجدد جوازي»: said in the words that named the need (tester 14 §1)
        said = not_for_residents(ctx, service_of(ctx), applicant_of(ctx))
        return Prompt(said, (Option(OTHER_SERVICE, _("Choose another service")),))
    if early and service_of(ctx).citizens_only:
        # an iqama or border number sent first, at a service for citizens: what it is for
        # and the way to another (tester 14 §1)
        said = not_for_residents(
            ctx, service_of(ctx), applicant_of(ctx), early["value"], early["kind"]
        )
        return Prompt(said, (Option(OTHER_SERVICE, _("Choose another service")),))
    if early:
        # the number sent first is of a kind this service does not take: said, not dropped
        # without a word
        said = _(
            "The number you sent earlier (%(number)s) is %(kind)s, which this service does not take."
        ) % {
            "number": isolate(mask_identity(early["value"])),
            "kind": names[early["kind"]],
        }
        asked = f"{said}\n{asked}"
    if _not_citizen_met(ctx):
        # a resident's number or words met a service for citizens: the way out
        return Prompt(asked, (Option(OTHER_SERVICE, _("Choose another service")),))
    return Prompt(asked, individual_option(ctx))


def _for_someone_else(ctx: Ctx) -> bool:
    """Whether «لمن هذا الطلب؟» was answered with someone other than the writer."""
    whom = ctx.state.answers.get("eligibility", {}).get("for_whom")
    return whom is not None and whom != "self"


def _for_the_writer(ctx: Ctx) -> bool:
    """Whether «لمن هذا الطلب؟» was answered «لي أنا»."""
    whom: object = ctx.state.answers.get("eligibility", {}).get("for_whom")
    return whom == "self"


def _not_citizen_met(ctx: Ctx) -> bool:
    """Whether a resident's or visitor's number or words met this citizens-only service
    (:mod:`conversations.citizens_only`): then its step offers another service."""
    if not service_of(ctx).citizens_only:
        return False
    early = ctx.state.answers.get(EARLY_IDENTITY)
    said = ctx.state.answers.get(NOT_CITIZEN) or said_of_the_applicant(ctx)
    return bool(said) or bool(early and early["kind"] != "citizen")


def _citizens_only(ctx: Ctx, number: str = "", kind: str = "") -> Retry:
    """A resident's or visitor's number («2…», «3…») or words («انا مقيم») at a service
    only citizens may file: what the service is for and what to do instead
    (:func:`conversations.citizens_only.not_for_residents`), with «Choose another
    service» offered from now on (tester 14 §1: «هذه الخدمة تتطلب رقم هوية وطنية»)."""
    ctx.state.answers[NOT_CITIZEN] = True
    if number and kind:
        # kept as a number sent early: a resident's service chosen next uses it
        ctx.state.answers[EARLY_IDENTITY] = {"value": number, "kind": kind}
    return Retry(not_for_residents(ctx, service_of(ctx), applicant_of(ctx), number, kind))


def _other_service(ctx: Ctx) -> Next:
    """«Choose another service» at a citizens-only service's number step: to the
    services, the service left behind."""
    answers = ctx.state.answers
    for key in ("service", "eligibility", "question", NOT_CITIZEN, SAID_NOT_CITIZEN):
        answers.pop(key, None)
    return Next("group")


def _identity_problem(ctx: Ctx, error: InvalidIdentityNumber, typed: str) -> str:
    if number_shape(typed) == "mobile":
        # the mobile typed before its step, where the channel takes a typed one (the
        # terminal): kept for the phone step, as in a first message (helper 22: it was
        # «هذا يبدو رقم جوال.» and the number asked for again later)
        from conversations.flows.early_phone import keep_typed_mobile

        kept = keep_typed_mobile(ctx, Text(ctx.origin, typed), [typed])
        if kept is not None:
            return f"{kept}\n{ask_identity(ctx).text}"
    if not stray_letters(typed):
        # a letter among the digits is named as such (letters_problem), whatever the shape
        wrong = wrong_number(ctx, typed, ("citizen", "resident", "border"), ask_identity(ctx).text)
        if wrong is not None:
            return wrong
    if error.kind is not None and error.kind not in identity_kinds(ctx):
        # a national ID's first digit where an iqama is needed: that is the mistake to
        # name, not the check digit (found by the tester: 1234567890)
        if service_of(ctx).citizens_only:
            return _citizens_only(ctx, digits_only(typed), error.kind).hint
        return wrong_kind(ctx, error.kind)
    return number_problem(ctx, error, typed)


async def answer_identity(ctx: Ctx, event: Event) -> Outcome:
    switched = switch_to_individual(ctx, event)
    if switched is not None:
        return switched
    if isinstance(event, Choice) and event.id == OTHER_SERVICE and _not_citizen_met(ctx):
        return _other_service(ctx)
    if isinstance(event, Text):
        instead = need_at_citizens_refusal(ctx, event.text) if _not_citizen_met(ctx) else None
        if instead is not None:
            # «ابي اجدد اقامتي» after «… للمواطنين فقط»: that service (session 15)
            return instead
        if service_of(ctx).citizens_only and says_not_citizen(event.text):
            # «انا مقيم مو سعودي ابي اجدد جوازي»: understood, not kept as the description
            return _citizens_only(ctx)
        if (
            applicant_of(ctx) == "establishment"
            and not any(ch.isdecimal() for ch in event.text)
            and names_household_worker(event.text)
        ):
            # «عامل منزلي» at the worker's number: an individual files it (helper 25: «يجب
            # أن يتكون الرقم من أرقام فقط»)
            offer_individual(ctx)
            return Retry(f"{_household_line(ctx)}\n{ask_identity(ctx).text}")
        several = _one_of_several(ctx, event)
        if several is not None:
            return several
        beside = _number_among_words(ctx, event.text)
        if beside is not None:
            return beside
    identity = typed_number(ctx, event, ask_identity, parse_identity_number, _identity_problem)
    if isinstance(identity, Retry):
        return identity
    if identity.kind not in identity_kinds(ctx):
        if service_of(ctx).citizens_only:
            return _citizens_only(ctx, identity.value, identity.kind)
        return Retry(wrong_kind(ctx, identity.kind))
    if _for_someone_else(ctx) and identity.value == ctx.state.answers.get(WRITER_IDENTITY):
        # the writer's own number, typed when the request was theirs (helper 23's recheck:
        # taken as the wife's without a word)
        return Retry(
            ctx.texts.gettext(
                "This is the number you typed when the request was your own. Please type the identity number of the person the request is for."
            )
        )
    return _keep_identity(ctx, identity)


def _keep_identity(ctx: Ctx, identity: IdentityNumber, *say: str) -> Next:
    ctx.state.answers.pop(SAID_NOT_CITIZEN, None)
    if ctx.state.answers.pop(NOT_CITIZEN, None) or service_of(ctx).citizens_only:
        # the resident's number sent first is not told again once a national ID is in
        ctx.state.answers.pop(EARLY_IDENTITY, None)
    ctx.state.answers["identity"] = identity.value
    ctx.state.answers["identity_kind"] = identity.kind
    return Next("summary" if ctx.state.editing else "phone", say)


def _one_of_several(ctx: Ctx, event: Text) -> Outcome | None:
    """Two or more 10-digit numbers in one message at the identity step («رقم حدودها
    ٣١٢٣٤٥٦٧٨٩ واقامتي ٢٠٠٠٠٠٠٠٠٦»): the one of the kind asked for when just one is, said
    so; else the numbers named (masked) and the person asked to type the right one alone.
    None for a message with one number or none. Found by tester 12 (§8): such a message
    got «يجب أن يتكون الرقم من أرقام فقط», which blamed letters nobody typed. A mobile
    number among them is no candidate, and is kept for the phone step where a typed one is
    taken (the terminal: :func:`conversations.flows.early_phone.keep_typed_mobile`; tester
    15 §7: «اقامة العامل ٢٠٠٠٠٠٠٠٠٦ وجوالي ٠٥٥٥١٢٣٤٥٦» was asked for the mobile again).
    The numbers stay masked here, as every line that says a number was kept does
    («احتفظتُ برقم الهوية 2******006 لطلبك.», the status list): the summary, before
    anything is sent, is where the person checks the number in clear."""
    numbers = ten_digit_numbers(event.text)
    if len(numbers) < 2:
        return None
    ngettext = ctx.texts.ngettext
    mobiles = [n for n in numbers if number_shape(n) == "mobile"]
    fitting = []
    for number in numbers:
        if number in mobiles and len(mobiles) < len(numbers):
            continue
        try:
            identity = parse_identity_number(number)
        except InvalidIdentityNumber:
            continue
        if identity.kind in identity_kinds(ctx):
            fitting.append(identity)
    if len(fitting) == 1:
        line = ngettext(
            "Your message holds %(count)d numbers; I have taken %(number)s, %(kind)s, as asked.",
            "Your message holds %(count)d numbers; I have taken %(number)s, %(kind)s, as asked.",
            len(numbers),
        ) % {
            "count": len(numbers),
            "number": isolate(mask_identity(fitting[0].value)),
            "kind": shape_names(ctx)[fitting[0].kind],
        }
        # imported here: early_phone reads the phone step, which reads this module
        from conversations.flows.early_phone import keep_typed_mobile

        phone = keep_typed_mobile(ctx, event, mobiles) if mobiles else None
        if phone is not None and len(numbers) == 2:
            # the identity number and the person's mobile: no choice was made between
            # them, so each is said kept (review 15 §7c: «رقمان… فأخذتُ منهما»)
            line = ctx.texts.gettext(
                "I have kept the identity number %(number)s for your request."
            ) % {"number": isolate(mask_identity(fitting[0].value))}
        return _keep_identity(ctx, fitting[0], line, *filter(None, [phone]))
    line = ngettext(
        "Your message holds %(count)d numbers. Which one is the number asked for: %(numbers)s? Please type just that one.",
        "Your message holds %(count)d numbers. Which one is the number asked for: %(numbers)s? Please type just that one.",
        len(numbers),
    ) % {
        "count": len(numbers),
        "numbers": or_words(ctx, [isolate(mask_identity(n)) for n in numbers]),
    }
    return Retry(f"{line}\n{ask_identity(ctx).text}")


#: Content words beside the number from which a message at the identity step tells more
#: than whose number it is («رقم الحدود حق الوالده» names it; a visa's end date says more)
#: and is kept for the description.
BESIDE_WORDS = 6


def _number_among_words(ctx: Ctx, text: str) -> Outcome | None:
    """One 10-digit number among words and short numbers (a day, a year, a count: at most
    :data:`SENTENCE_DIGITS` digits each) at the identity step («رقم الحدود حق الوالده
    ٣٠٠٠٠٠٠٠٠٤ وتاشيرتها تخلص ١٥ ديسمبر», «عمري 30 ورقمي 2000000006»): that number is
    read, and the message, when it says more than whose number it is
    (:data:`BESIDE_WORDS` content words), is kept for the description step as a sentence
    at a number step is. None for
    a message the ordinary reading answers (the number alone or named in a few words, no
    10-digit number, or a longer run of digits). Found by fresh-clone tester 15 (§5): the
    message got «يجب أن يتكون الرقم من أرقام فقط» and its date was lost."""
    numbers = ten_digit_numbers(text)
    if len(numbers) != 1:
        return None
    number = numbers[0]
    others = [
        digits_only(piece)
        for run in NUMBER_RUN.findall(clean_input(text))
        for piece in ([run] if digits_only(run) == number else run.split())
        if digits_only(piece) != number
    ]
    if any(len(other) > SENTENCE_DIGITS for other in others):
        return None
    says_more = len(content_words(NUMBER_RUN.sub(" ", clean_input(text)))) >= BESIDE_WORDS
    if not others and not says_more:
        return None  # «رقم اقامتي 2000000006»: read as ever (number_in_words)
    kept = (keep_early(ctx, text),) if says_more else ()
    try:
        identity = parse_identity_number(number)
    except InvalidIdentityNumber as error:
        return Retry("\n".join([*kept, _identity_problem(ctx, error, number)]))
    if identity.kind not in identity_kinds(ctx):
        return Retry("\n".join([*kept, wrong_kind(ctx, identity.kind)]))
    return _keep_identity(ctx, identity, *kept)
