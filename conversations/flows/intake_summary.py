"""The resident's request, its end: the summary to check (with what each answer can be
changed to) and the filing, which gives the request number and the due date."""

from __future__ import annotations

from conversations import known_requests
from conversations.events import Choice, Event, Option, Reply, Text
from conversations.flow import Ctx, Finish, Next, Outcome, Prompt, Retry
from conversations.flows.change_wishes import change_options
from conversations.flows.documents import (
    ADD_DOCUMENT,
    add_document_option,
    unaccounted_required,
)
from conversations.flows.draft_files import files
from conversations.flows.files_again import send_again
from conversations.flows.intake_draft import (
    EARLY_ANSWERS,
    applicant_of,
    service_of,
)
from conversations.flows.intake_numbers import answer_identity
from conversations.flows.later_requests import after_filing, next_line
from conversations.flows.numbers_first import identity_first
from conversations.flows.past_service import SERVICE_BEFORE
from conversations.flows.summary_answers import answer_lines, told_lines
from conversations.flows.summary_typed import EDIT_TARGETS, typed_at_summary
from conversations.formatting import format_long_date, isolate
from conversations.open_requests import open_line, track_option
from conversations.pauses import filing_paused
from conversations.ports import AttachmentInfo, FilingPaused, Submission, SubmittedRequest
from conversations.receipt import Receipt
from conversations.store_outage import missing_files
from domain.catalogue import Service, local
from domain.sla import DEFAULT_WORKING_DAYS, riyadh_date

# the promise made to every applicant (the gateway computes the due date with the same)
WORKING_DAYS = DEFAULT_WORKING_DAYS


# ---- summary and confirmation --------------------------------------------------------


def ask_summary(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    answers = ctx.state.answers
    service = service_of(ctx)
    kind = _("Individual") if applicant_of(ctx) == "individual" else _("Establishment")
    count = len(files(ctx))
    lines = [
        _("Please check your request:"),
        _("Service: %(service)s") % {"service": local(service.name, ctx.locale)},
        _("Filed as: %(kind)s") % {"kind": kind},
    ]
    # the answers to the service's questions, so the person sees what the officer will see
    lines += answer_lines(ctx, service)
    if answers.get("establishment"):
        lines.append(_("Establishment number: %(number)s") % {"number": answers["establishment"]})
    lines += [
        identity_line(ctx),
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
        *offered_identity(ctx),
        Option("confirm", _("Confirm and send")),
        Option("e:service", _("Change the service")),
    ]
    if applicant_of(ctx) == "establishment":
        choices.append(Option("e:est", _("Change the establishment number")))
    choices += [
        *change_options(ctx),
        Option("e:files", _("Send the documents again")),
    ]
    if unaccounted_required(ctx):
        # last, so the other options keep their numbers on every channel
        choices.append(add_document_option(ctx))
    # a request of the same service and identity number still open (open_requests):
    # said first, and offered to follow instead; filing this one stays «Confirm»
    warning, track = open_line(ctx, at_summary=True), track_option(ctx)
    if warning is not None and track is not None:
        lines = [warning, "", *lines]
        choices.append(track)
    return Prompt("\n".join(lines), tuple(choices))


def identity_line(ctx: Ctx) -> str:
    """The summary's line for the identity number: its kind and whose it is («رقم الحدود
    للزائر: …», «رقم الإقامة الخاص بك: …»). Found by tester 14 (§13): a visitor's border
    number read «رقم الهوية: 3000000004», which said neither what number it was nor whose."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    number = str(answers["identity"])
    kinds = {
        "citizen": _("National ID number"),
        "resident": _("Iqama number"),
        "border": _("Border number"),
    }
    kind = kinds.get(str(answers.get("identity_kind")), _("Identity number"))
    return _("%(kind)s (%(whose)s): %(number)s") % {
        "kind": kind,
        "whose": number_holder(ctx),
        "number": number,
    }


def number_holder(ctx: Ctx) -> str:
    """Whose the request's identity number is, in the bot's voice: the service's holder
    (the visitor's), else that of the first answer that names one (domain/data/
    services.json ``holder``: «الخاص بك», «للتابع لك أو المكفول لديك»), else «for whom»
    said in the first words, else the worker's for an establishment, else the person the
    request is for."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    service = service_of(ctx)
    if service.holder is not None:
        return local(service.holder, ctx.locale)
    given = answers.get("eligibility", {})
    for question in service.questions_for(applicant_of(ctx)):
        option = next((o for o in question.options if o.id == given.get(question.id)), None)
        if option is not None and option.holder is not None:
            return local(option.holder, ctx.locale)
    if applicant_of(ctx) == "establishment":
        return _("the worker's")
    said = answers.get(EARLY_ANSWERS, {}).get("for_whom")
    for other in ctx.catalogue.services:
        for question in other.questions:
            option = next((o for o in question.options if o.id == said), None)
            if question.id == "for_whom" and option is not None and option.holder is not None:
                return local(option.holder, ctx.locale)
    return _("the person concerned's")


#: An identity number typed at the summary, offered in place of the request's
#: (tester 13 §13: «٢٠٠٠٠٠٠٠٠٦» got «فضلًا اضغط «تأكيد وإرسال»»); kept in the dialogue
#: state for the next turn, on any worker.
TYPED_IDENTITY = "summary_identity"
REPLACE_IDENTITY = "e:id_typed"


def offered_identity(ctx: Ctx) -> tuple[Option, ...]:
    """«Put this number in» while an identity number typed at the summary is offered."""
    if TYPED_IDENTITY not in ctx.state.answers:
        return ()
    return (Option(REPLACE_IDENTITY, ctx.texts.gettext("Put this number in")),)


async def answer_summary(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    typed = ctx.state.answers.pop(TYPED_IDENTITY, None)
    if isinstance(event, Choice) and event.id == REPLACE_IDENTITY and typed:
        ctx.state.editing = True
        return await answer_identity(ctx, Text(event.origin, str(typed)))
    if isinstance(event, Text):
        number = identity_first(event.text)
        if number is not None and number.value != ctx.state.answers.get("identity"):
            ctx.state.answers[TYPED_IDENTITY] = number.value
            return Retry(
                _(
                    "Shall I put %(new)s in place of the identity number %(old)s? Press «Put this number in», or choose something else."
                )
                % {
                    "new": isolate(number.value),
                    "old": isolate(str(ctx.state.answers.get("identity", ""))),
                }
            )
    if isinstance(event, Text):
        return await typed_at_summary(ctx, event, answer_summary)
    if isinstance(event, Choice) and event.id in EDIT_TARGETS:
        ctx.state.editing = True
        if event.id == "e:files":
            return send_again(ctx)
        if event.id == "e:service":
            # the new service's documents are asked once it is chosen (past_service)
            ctx.state.answers[SERVICE_BEFORE] = ctx.state.answers.get("service")
        return Next(EDIT_TARGETS[event.id])
    if isinstance(event, Choice) and event.id == ADD_DOCUMENT:
        # back to the documents with those sent kept: «Done» returns here
        ctx.state.editing = True
        return Next("attachments")
    if isinstance(event, Choice) and event.id == "confirm":
        if missing_files(ctx.state):
            # a photo of theirs met Redis away after the summary was shown
            # (conversations.store_outage): back to the documents, nothing filed
            return Next("attachments")
        return await _submit(ctx)
    return Retry(_("Please press «Confirm and send», or choose what to change."))


async def _submit(ctx: Ctx) -> Outcome:
    ngettext = ctx.texts.ngettext
    answers = ctx.state.answers
    service = service_of(ctx)
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
        applicant_kind=applicant_of(ctx),
        service_id=service.id,
        identity_number=answers["identity"],
        identity_kind=answers["identity_kind"],
        phone=answers["phone"],
        phone_verified=bool(answers.get("phone_verified", True)),
        # the service has no «for whom» field: the officer reads it with the words
        description="\n".join([answers["description"], *told_lines(ctx)]),
        establishment_number=answers.get("establishment"),
        eligibility=dict(answers.get("eligibility", {})),
        attachments=tuple(AttachmentInfo(**f) for f in files(ctx)),
        # the receipt's rows are then written with the request, in one transaction
        receipt=None if ctx.receipts is None else lambda filed: _receipt(ctx, service, filed),
    )
    try:
        filed = await ctx.gateway.submit(submission)
    except FilingPaused as paused:
        # a daily limit (bot.abuse.filing): nothing written, the draft stays at the summary
        return Retry(filing_paused(ctx, paused))
    ctx.state.last_request = filed.number
    known_requests.filed(ctx)
    confirmation = _confirmation(ctx, service, filed)
    left = after_filing(ctx, service.id, applicant_of(ctx))
    follow_up = filed.follow_up
    if follow_up is None and ctx.receipts is not None:
        # not queued with the request (filed by an earlier turn, or a gateway that does
        # not): asked for now; asking twice for one request is one card
        follow_up = await ctx.receipts.send_after(
            _receipt(ctx, service, filed)[0], confirmation, ctx.origin
        )
    return Finish(
        (confirmation.text,),
        confirmation.choices,
        follow_up=follow_up,
        later=tuple(tuple(r) for r in left),
    )


def _confirmation(ctx: Ctx, service: Service, filed: SubmittedRequest) -> Reply:
    """The text that gives the request number, with what can be done next (the next
    request the person's words named first: conversations.flows.later_requests)."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    following = next_line(ctx, after_filing(ctx, service.id, applicant_of(ctx)))
    lines = [
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
    if following is not None:
        lines.append(following[0])
    text = "\n".join(lines)
    choices = (
        *((following[1],) if following is not None else ()),
        Option("new", _("New request")),
        Option("status", _("My request status")),
        Option("help", _("Help")),
    )
    return Reply(text, choices=choices)


def _receipt(ctx: Ctx, service: Service, filed: SubmittedRequest) -> tuple[Receipt, Reply]:
    """The card to send after the confirmation, and the confirmation it follows (the card
    is drawn and sent after this turn, once the confirmation went out)."""
    receipt = Receipt(
        number=filed.number,
        service_id=service.id,
        filed=riyadh_date(filed.submitted_at),
        due=filed.due_date,
        working_days=WORKING_DAYS,
        locale=ctx.locale,
        arabic_digits=ctx.arabic_digits,
    )
    return receipt, _confirmation(ctx, service, filed)
