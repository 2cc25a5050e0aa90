"""The resident's request: who files, which service, eligibility, numbers, phone, the
problem in their words, documents, a summary to check, and the request number.

The steps live by part (intake_service, past_service, intake_numbers, intake_phone,
describe, intake_summary); this module puts them in order, with the welcome and the help."""

from __future__ import annotations

from conversations.flow import Ctx, Flow, Step
from conversations.flows.describe import answer_description, ask_description, officer_wish_first
from conversations.flows.documents import answer_attachments, ask_attachments
from conversations.flows.early_phone import past_phone
from conversations.flows.eligibility import (
    answer_refused,
    ask_question,
    ask_refused,
    back_among_questions,
)
from conversations.flows.intake_applicant import ask_applicant
from conversations.flows.intake_numbers import (
    answer_establishment,
    answer_identity,
    ask_establishment,
    ask_identity,
)
from conversations.flows.intake_phone import answer_phone, ask_phone
from conversations.flows.intake_service import (
    answer_group,
    answer_service,
    answer_suggest,
    ask_group,
    ask_service,
    ask_suggest,
    file_service,
)
from conversations.flows.intake_summary import WORKING_DAYS, answer_summary, ask_summary
from conversations.flows.number_reading import number_in_words, number_problem
from conversations.flows.numbers_first import (
    answer_first,
    answer_question_or_number,
    service_or_number,
)
from conversations.flows.phone_help import shares_by_button, why_the_number
from conversations.flows.phone_in_words import phone_in_words_steps
from conversations.flows.service_change import answering_change, changing_service, with_change

# what other modules take from here (the status flow reads numbers like the request does;
# «تقديم طلب الآن» starts a request at its service)
__all__ = [
    "INTAKE",
    "ask_applicant",
    "ask_attachments",
    "ask_question",
    "ask_suggest",
    "ask_summary",
    "file_service",
    "number_in_words",
    "number_problem",
]


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
    # at the share-my-number step, help says first what that step needs and why (tester
    # 13, §6: «مساعدة» there gave the general help only)
    step = [why_the_number(ctx)] if shares_by_button(ctx) else []
    return "\n".join(
        [
            *step,
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
        # every step before the phone passes it with a number shared earlier (early_phone)
        "applicant": Step(ask_applicant, past_phone(answer_first), can_go_back=False),
        "group": Step(ask_group, past_phone(service_or_number(ask_group, answer_group))),
        "service": Step(ask_service, past_phone(service_or_number(ask_service, answer_service))),
        "suggest": Step(ask_suggest, past_phone(service_or_number(ask_suggest, answer_suggest))),
        # where no words of the person's own are taken, a change of service in words
        # or a slip naming another service is offered (tester 13 §4)
        "question": Step(
            with_change(ask_question),
            past_phone(changing_service(answer_question_or_number)),
            back=back_among_questions,
        ),
        "refused": Step(ask_refused, past_phone(answer_refused)),
        "establishment": Step(
            with_change(ask_establishment), past_phone(changing_service(answer_establishment))
        ),
        "identity": Step(with_change(ask_identity), past_phone(changing_service(answer_identity))),
        "phone": Step(with_change(ask_phone), changing_service(answer_phone)),
        # where the person's own words are taken, a change of service in words is read first
        # a message that is only a mobile number is the request's, not words (phone_in_words)
        "description": Step(
            with_change(ask_description),
            officer_wish_first(answering_change(phone_in_words_steps(answer_description))),
            free_text=True,
            takes_files=True,
        ),
        "attachments": Step(
            with_change(ask_attachments),
            answering_change(phone_in_words_steps(answer_attachments)),
            takes_files=True,
        ),
        "summary": Step(ask_summary, answer_summary),
    },
)
