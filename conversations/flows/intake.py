"""The resident's request: who files, which service, eligibility, numbers, phone, the
problem in their words, documents, a summary to check, and the request number."""

from __future__ import annotations

from conversations.events import Choice, Contact, Event, Option, Reply, Text
from conversations.flow import Ctx, Finish, Flow, Next, Outcome, Prompt, Retry, Step
from conversations.flows.describe import (
    answer_attachments,
    answer_description,
    ask_attachments,
    ask_description,
    files,
)
from conversations.formatting import format_long_date, isolate, or_list
from conversations.pauses import filing_paused
from conversations.ports import AttachmentInfo, FilingPaused, Submission
from conversations.receipt import Receipt
from domain.catalogue import Service, local
from domain.identity import (
    InvalidIdentityNumber,
    parse_establishment_number,
    parse_identity_number,
)
from domain.phone import InvalidPhoneNumber, normalise_phone
from domain.sla import DEFAULT_WORKING_DAYS, riyadh_date

# a Saudi mobile number in E.164 (what people without a vouched number may type)
SAUDI_MOBILE = "+9665"
# the promise made to every applicant (the gateway computes the due date with the same)
WORKING_DAYS = DEFAULT_WORKING_DAYS


# ---- helpers -------------------------------------------------------------------------


def _service(ctx: Ctx) -> Service:
    return ctx.catalogue.get(ctx.state.answers["service"])


def _applicant(ctx: Ctx) -> str:
    return str(ctx.state.answers.get("applicant", "individual"))


def _kind_names(ctx: Ctx) -> dict[str, str]:
    _ = ctx.texts.gettext
    return {
        "citizen": _("a national ID number (starts with 1)"),
        "resident": _("an iqama number (starts with 2)"),
        "border": _("a border number (starts with 3)"),
    }


def _or_list(ctx: Ctx, items: list[str]) -> str:
    return or_list(ctx.texts, items)


def _service_choice(ctx: Ctx, service: Service) -> Option:
    return Option(f"s:{service.id}", local(service.name, ctx.locale))


def _after_service(ctx: Ctx) -> str:
    answers = ctx.state.answers
    if ctx.state.editing:
        kind = answers.get("identity_kind")
        if kind and kind in _identity_kinds(ctx):
            return "summary"
        return "identity"
    return "establishment" if _applicant(ctx) == "establishment" else "identity"


def _choose_service(ctx: Ctx, service_id: str) -> Outcome:
    answers = ctx.state.answers
    answers["service"] = service_id
    answers["eligibility"] = {}
    answers["question"] = 0
    if _service(ctx).questions:
        return Next("question")
    return Next(_after_service(ctx))


def file_service(ctx: Ctx, service_id: str) -> Outcome:
    """A new request for ``service_id`` from a button outside the menu («قدّم طلبًا الآن»
    under an answer), as if the person had named it at the first question: filed as an
    individual's when individuals may file it, else as an establishment's."""
    service = ctx.catalogue.get(service_id)
    individual = "individual" in service.applicants
    ctx.state.answers["applicant"] = "individual" if individual else "establishment"
    ctx.state.history.append("applicant")
    ctx.state.step = "group"
    return _choose_service(ctx, service_id)


def _suggest(ctx: Ctx, text: str) -> Outcome:
    _ = ctx.texts.gettext
    matches = ctx.catalogue.match(text, limit=3, applicant_kind=_applicant(ctx))
    say: tuple[str, ...] = ()
    if not matches and _applicant(ctx) == "individual":
        # «عندي عامل متغيب ابي ابلغ عنه»: a service only an employer files for its workers
        matches = ctx.catalogue.match(text, limit=3, applicant_kind="establishment")
        if matches:
            ctx.state.answers["applicant"] = "establishment"
            say = (
                _(
                    "Only an establishment can file this for its workers, so I'll take your request as an establishment's. If you are not filing for an establishment, press «Cancel»."
                ),
            )
    if not matches:
        return Retry(
            _(
                "I couldn't tell which service you mean. Please choose from the list, "
                "or describe what you need in other words."
            )
        )
    ctx.state.answers["suggestions"] = [s.id for s in matches]
    return Next("suggest", say)


# ---- who files -----------------------------------------------------------------------


def ask_applicant(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _(
            "Are you filing as an individual (for yourself or a family member) or as an establishment (for one of your workers)?"
        ),
        (
            Option("ind", _("Individual")),
            Option("est", _("Establishment")),
            Option("status", _("My request status")),
            Option("faq", _("Frequently asked questions")),
        ),
    )


async def answer_applicant(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id in ("ind", "est"):
        ctx.state.answers["applicant"] = "individual" if event.id == "ind" else "establishment"
        return Next("group")
    if isinstance(event, Text) and ctx.catalogue.match(event.text, limit=1):
        # someone who starts with their need is an individual far more often than not
        ctx.state.answers["applicant"] = "individual"
        ctx.state.history.append("applicant")
        ctx.state.step = "group"
        return _suggest(ctx, event.text)
    return Retry(_("Please choose one of the two: individual or establishment."))


# ---- which service -------------------------------------------------------------------


def ask_group(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    kind = _applicant(ctx)
    groups = [g for g in ctx.catalogue.groups if ctx.catalogue.in_group(g.id, kind)]
    return Prompt(
        _(
            "Which service do you need? Choose a group, or write your need in your own words (for example: I want to renew my iqama)."
        ),
        tuple(Option(f"g:{g.id}", local(g.name, ctx.locale)) for g in groups),
    )


async def answer_group(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("g:"):
        ctx.state.answers["group"] = event.id[2:]
        return Next("service")
    if isinstance(event, Choice) and event.id.startswith("s:"):
        return _choose_service(ctx, event.id[2:])
    if isinstance(event, Text):
        return _suggest(ctx, event.text)
    return Retry(_("Please choose a group from the list, or write what you need."))


def ask_service(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    services = ctx.catalogue.in_group(ctx.state.answers["group"], _applicant(ctx))
    return Prompt(_("Choose the service:"), tuple(_service_choice(ctx, s) for s in services))


async def answer_service(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("s:"):
        service_id = event.id[2:]
        if any(s.id == service_id for s in ctx.catalogue.services):
            return _choose_service(ctx, service_id)
    if isinstance(event, Text):
        return _suggest(ctx, event.text)
    return Retry(_("Please choose a service from the list."))


def ask_suggest(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    ids: list[str] = ctx.state.answers.get("suggestions", [])
    options = tuple(_service_choice(ctx, ctx.catalogue.get(i)) for i in ids)
    text = (
        _("Is this the service you need?")
        if len(options) == 1
        else _("Which of these services do you need?")
    )
    return Prompt(text, (*options, Option("none", _("None of these"))))


async def answer_suggest(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("s:"):
        return _choose_service(ctx, event.id[2:])
    if isinstance(event, Choice) and event.id == "none":
        return Next("group")
    if isinstance(event, Text):
        return _suggest(ctx, event.text)
    return Retry(_("Please choose one of the services, or «None of these»."))


# ---- eligibility ---------------------------------------------------------------------


def ask_question(ctx: Ctx) -> Prompt:
    service = _service(ctx)
    question = service.questions[int(ctx.state.answers.get("question", 0))]
    return Prompt(
        local(question.text, ctx.locale),
        tuple(Option(f"q:{o.id}", local(o.label, ctx.locale)) for o in question.options),
    )


async def answer_question(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    service = _service(ctx)
    index = int(answers.get("question", 0))
    question = service.questions[index]
    option = None
    if isinstance(event, Choice) and event.id.startswith("q:"):
        option = next((o for o in question.options if o.id == event.id[2:]), None)
    if option is None:
        # says what the answers are, in a sentence, rather than «choose one» again
        labels = [f"«{local(o.label, ctx.locale)}»" for o in question.options]
        return Retry(
            _("I didn't catch that. Please answer %(options)s, by button or in a word.")
            % {"options": _or_list(ctx, labels)}
        )
    if not option.allowed:
        refusal = local(option.refusal, ctx.locale) if option.refusal else ""
        return Next("refused", (refusal,) if refusal else ())
    answers.setdefault("eligibility", {})[question.id] = option.id
    if index + 1 < len(service.questions):
        answers["question"] = index + 1
        return Next("question")
    return Next(_after_service(ctx))


def ask_refused(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _("You can choose another service, or cancel."),
        (Option("other", _("Choose another service")),),
    )


async def answer_refused(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id == "other":
        ctx.state.answers.pop("service", None)
        return Next("group")
    if isinstance(event, Text):
        return _suggest(ctx, event.text)
    return Retry(_("Please choose «Choose another service» or «Cancel»."))


# ---- numbers -------------------------------------------------------------------------


def number_in_words(text: str) -> str:
    """The number of a message that names it in words too («رقم اقامتي ٢٠٠٠ ٠٠٠ ٠٠٦»): its
    digits when there are exactly ten of them, else ``text`` unchanged (so the parser
    says what is wrong with it)."""
    digits = "".join(ch for ch in text if ch.isdecimal())
    if len(digits) == 10 and any(ch.isalpha() for ch in text):
        return digits
    return text


def number_problem(ctx: Ctx, error: InvalidIdentityNumber, typed: str) -> str:
    """What is wrong with a typed identity number, in words (by ``error.reason``)."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    digits = sum(ch.isdigit() for ch in typed)
    return {
        "empty": _("Please type the number."),
        "not_digits": _("The number should contain digits only. Please type it again."),
        "length": ngettext(
            "You typed %(count)d digit, but the number has exactly 10. Please check it and type it again.",
            "You typed %(count)d digits, but the number has exactly 10. Please check it and type it again.",
            digits,
        )
        % {"count": digits},
        "prefix": _(
            "The first digit doesn't match: a national ID starts with 1, an iqama with 2 and a border number with 3. Please check it."
        ),
        "checksum": _(
            "This number doesn't look right: its last digit doesn't match the others. Please check it against the card and type it again."
        ),
    }[error.reason]


def ask_establishment(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(_("Type the establishment's unified number (10 digits, starting with 7)."))


async def answer_establishment(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if not isinstance(event, Text):
        return Retry(_("Please type the establishment number in digits."))
    try:
        number = parse_establishment_number(number_in_words(event.text))
    except InvalidIdentityNumber as error:
        if error.reason == "prefix":
            return Retry(_("An establishment's unified number starts with 7. Please check it."))
        return Retry(number_problem(ctx, error, event.text))
    ctx.state.answers["establishment"] = number
    return Next("summary" if ctx.state.editing else "identity")


def ask_identity(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    names = _kind_names(ctx)
    kinds = _or_list(ctx, [names[k] for k in _identity_kinds(ctx)])
    if _applicant(ctx) == "establishment":
        return Prompt(_("Type the worker's number: %(kinds)s.") % {"kinds": kinds})
    return Prompt(
        _("Type the identity number of the person the request is for: %(kinds)s.")
        % {"kinds": kinds}
    )


def _identity_kinds(ctx: Ctx) -> list[str]:
    """The kinds of number this service takes, in the order people know them."""
    allowed = _service(ctx).identity_kinds
    if _applicant(ctx) == "establishment":
        # an establishment files only for its workers, never for a citizen
        allowed = allowed - {"citizen"}
    return [k for k in ("citizen", "resident", "border") if k in allowed]


def _wrong_kind(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    names = _kind_names(ctx)
    wanted = [names[k] for k in _identity_kinds(ctx)]
    return _("This service needs %(kinds)s. Please type the right number.") % {
        "kinds": _or_list(ctx, wanted)
    }


async def answer_identity(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if not isinstance(event, Text):
        return Retry(_("Please type the number in digits."))
    try:
        identity = parse_identity_number(number_in_words(event.text))
    except InvalidIdentityNumber as error:
        if error.kind is not None and error.kind not in _identity_kinds(ctx):
            # a national ID's first digit where an iqama is needed: that is the mistake
            # to name, not the check digit (found by the tester: 1234567890)
            return Retry(_wrong_kind(ctx))
        return Retry(number_problem(ctx, error, event.text))
    if identity.kind not in _identity_kinds(ctx):
        return Retry(_wrong_kind(ctx))
    ctx.state.answers["identity"] = identity.value
    ctx.state.answers["identity_kind"] = identity.kind
    return Next("summary" if ctx.state.editing else "phone")


# ---- phone ---------------------------------------------------------------------------


def ask_phone(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    if ctx.origin.phone_unverified:
        # the channel knows this person by a username only: no button can share a number
        return Prompt(
            _(
                "Please type your Saudi mobile number (for example 05XXXXXXXX). WhatsApp does not share your number with us, so the officer will see it as not verified."
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
            _(
                "This doesn't look like a Saudi mobile number. Please type it with 10 digits starting with 05, for example 05XXXXXXXX."
            )
        )
    ctx.state.answers["phone"] = phone
    ctx.state.answers["phone_verified"] = False
    return Next(
        "summary" if ctx.state.editing else "description",
        (_("Thank you, your number is saved."),),
    )


async def answer_phone(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if ctx.origin.phone_unverified:
        return _typed_phone(ctx, event)
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
    return Retry(
        _(
            "For your protection, the number must come from your own account: please press «Share my number»."
        )
    )


# ---- summary and confirmation --------------------------------------------------------


def ask_summary(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    answers = ctx.state.answers
    service = _service(ctx)
    kind = _("Individual") if _applicant(ctx) == "individual" else _("Establishment")
    count = len(files(ctx))
    lines = [
        _("Please check your request:"),
        _("Service: %(service)s") % {"service": local(service.name, ctx.locale)},
        _("Filed as: %(kind)s") % {"kind": kind},
    ]
    # the answers to the service's questions, so the person sees what the officer will see
    given = answers.get("eligibility", {})
    for question in service.questions:
        option = next((o for o in question.options if o.id == given.get(question.id)), None)
        if option is not None:
            lines.append(f"{local(question.text, ctx.locale)} {local(option.label, ctx.locale)}")
    if answers.get("establishment"):
        lines.append(_("Establishment number: %(number)s") % {"number": answers["establishment"]})
    lines += [
        _("Identity number: %(number)s") % {"number": answers["identity"]},
        (
            _("Mobile: %(phone)s") % {"phone": answers["phone"]}
            if answers.get("phone_verified", True)
            else _("Mobile: %(phone)s (not verified)") % {"phone": answers["phone"]}
        ),
        # the person's own words keep their own direction inside the bot's sentence
        _("Description: %(text)s") % {"text": isolate(answers["description"])},
        ngettext("Attachments: %(count)d file", "Attachments: %(count)d files", count)
        % {"count": count},
        "",
        _("Send the request, or choose what to change."),
    ]
    choices = [
        Option("confirm", _("Confirm and send")),
        Option("e:service", _("Change the service")),
    ]
    if _applicant(ctx) == "establishment":
        choices.append(Option("e:est", _("Change the establishment number")))
    choices += [
        Option("e:id", _("Change the identity number")),
        Option("e:phone", _("Change the mobile number")),
        Option("e:desc", _("Change the description")),
        Option("e:files", _("Send the documents again")),
    ]
    return Prompt("\n".join(lines), tuple(choices))


_EDIT_TARGETS = {
    "e:service": "group",
    "e:est": "establishment",
    "e:id": "identity",
    "e:phone": "phone",
    "e:desc": "description",
    "e:files": "attachments",
}


async def answer_summary(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id in _EDIT_TARGETS:
        ctx.state.editing = True
        if event.id == "e:files":
            ctx.state.answers["attachments"] = []
        return Next(_EDIT_TARGETS[event.id])
    if isinstance(event, Choice) and event.id == "confirm":
        return await _submit(ctx)
    return Retry(_("Please press «Confirm and send», or choose what to change."))


async def _submit(ctx: Ctx) -> Outcome:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    answers = ctx.state.answers
    service = _service(ctx)
    if len(files(ctx)) < service.min_attachments:
        # the service was changed from the summary to one that needs more documents
        ctx.state.editing = True
        return Next(
            "attachments",
            (
                ngettext(
                    "Please send at least %(count)d document before continuing.",
                    "Please send at least %(count)d documents before continuing.",
                    service.min_attachments,
                )
                % {"count": service.min_attachments},
            ),
        )
    submission = Submission(
        idempotency_key=ctx.state.draft_id,
        channel=ctx.origin.channel,
        user_key=ctx.origin.user_key,
        locale=ctx.locale,
        applicant_kind=_applicant(ctx),
        service_id=service.id,
        identity_number=answers["identity"],
        identity_kind=answers["identity_kind"],
        phone=answers["phone"],
        phone_verified=bool(answers.get("phone_verified", True)),
        description=answers["description"],
        establishment_number=answers.get("establishment"),
        eligibility=dict(answers.get("eligibility", {})),
        attachments=tuple(AttachmentInfo(**f) for f in files(ctx)),
    )
    try:
        filed = await ctx.gateway.submit(submission)
    except FilingPaused as paused:
        # a daily limit (bot.abuse.filing): nothing written, the draft stays at the summary
        return Retry(filing_paused(ctx, paused))
    ctx.state.last_request = filed.number
    text = "\n".join(
        [
            _("Your request has been received. Thank you."),
            _("Request number: %(number)s") % {"number": filed.number},
            _("Service: %(service)s") % {"service": local(service.name, ctx.locale)},
            ngettext(
                "You will have an answer within %(count)d working day, by %(date)s at the latest.",
                "You will have an answer within %(count)d working days, by %(date)s at the latest.",
                WORKING_DAYS,
            )
            % {"count": WORKING_DAYS, "date": format_long_date(filed.due_date, ctx.texts)},
            _("Keep the request number: you will need it to ask about your request."),
        ]
    )
    choices = (
        Option("new", _("New request")),
        Option("status", _("My request status")),
        Option("help", _("Help")),
    )
    follow_up = None
    if ctx.receipts is not None:
        # the card is drawn and sent after this turn, once the text above went out
        follow_up = await ctx.receipts.send_after(
            Receipt(
                number=filed.number,
                service_id=service.id,
                filed=riyadh_date(filed.submitted_at),
                due=filed.due_date,
                working_days=WORKING_DAYS,
                locale=ctx.locale,
                arabic_digits=ctx.arabic_digits,
            ),
            Reply(text, choices=choices),
            ctx.origin,
        )
    return Finish((text,), choices, follow_up=follow_up)


# ---- the flow ------------------------------------------------------------------------


def greeting(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    return "\n".join(
        [
            _("Welcome to Tawasul, the passports directorate's request service."),
            ngettext(
                "I will take your request step by step and give you a request number; the answer comes within %(count)d working day.",
                "I will take your request step by step and give you a request number; the answer comes within %(count)d working days.",
                WORKING_DAYS,
            )
            % {"count": WORKING_DAYS},
            _("You can type «cancel» at any time to stop, «back» to return a step, or «help»."),
        ]
    )


def help_text(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    return "\n".join(
        [
            _(
                "Through this chat you can file a request to the passports directorate (Tawasul) for a service such as renewing an iqama, an exit and re-entry visa or a passport problem."
            ),
            ngettext(
                "You will need the identity number of the person concerned, a short description and photos of the documents. The answer comes within %(count)d working day.",
                "You will need the identity number of the person concerned, a short description and photos of the documents. The answer comes within %(count)d working days.",
                WORKING_DAYS,
            )
            % {"count": WORKING_DAYS},
            _(
                "Type «back» to return a step, «cancel» to stop, or «restart» to begin again. Nothing you have entered is lost when you ask for help."
            ),
            _("To change the language, press «العربية» below or type /lang."),
        ]
    )


INTAKE = Flow(
    name="intake",
    first="applicant",
    greeting=greeting,
    help=help_text,
    steps={
        "applicant": Step(ask_applicant, answer_applicant, can_go_back=False),
        "group": Step(ask_group, answer_group),
        "service": Step(ask_service, answer_service),
        "suggest": Step(ask_suggest, answer_suggest),
        "question": Step(ask_question, answer_question),
        "refused": Step(ask_refused, answer_refused),
        "establishment": Step(ask_establishment, answer_establishment),
        "identity": Step(ask_identity, answer_identity),
        "phone": Step(ask_phone, answer_phone),
        "description": Step(ask_description, answer_description, free_text=True, takes_files=True),
        "attachments": Step(ask_attachments, answer_attachments, takes_files=True),
        "summary": Step(ask_summary, answer_summary),
    },
)
