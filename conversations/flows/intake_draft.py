"""The resident's request as its later steps read it: the chosen service, who files,
the service's questions for them, the identity numbers it takes, «for whom» named early;
and the keys of the answers kept before their step. Split from
:mod:`conversations.flows.intake_service`."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.formatting import or_list
from domain.catalogue import Question, Service, local

#: An identity number sent as the very first message ({"value", "kind"}), kept in the
#: draft until the identity step would ask for it (conversations.flows.intake_numbers).
EARLY_IDENTITY = "identity_early"
#: An establishment's unified number sent as the very first message, kept likewise until
#: the establishment step would ask for it.
EARLY_ESTABLISHMENT = "establishment_early"
#: Eligibility answers the person's words about their need already gave (question id ->
#: option id, conversations.keywords_early.early_answers): «ابي جواز لولدي» is «لمن هذا الطلب؟»
#: answered, so the question is not asked.
EARLY_ANSWERS = "answers_early"
#: The question ids of :data:`EARLY_ANSWERS` that a shared location gave, not words
#: (conversations.flows.early_place), so the line that notes them says so.
EARLY_PLACED = "placed_early"
#: The question ids of :data:`EARLY_ANSWERS` said of the writer («انا في مصر»): where the
#: writer is answers where the iqama holder is only for the writer's own request
#: (review 11, item 8: a husband in Egypt filing for his wife was filed as «خارج المملكة»).
EARLY_WRITER = "writer_early"


def service_of(ctx: Ctx) -> Service:
    return ctx.catalogue.get(ctx.state.answers["service"])


def applicant_of(ctx: Ctx) -> str:
    return str(ctx.state.answers.get("applicant", "individual"))


def questions_of(ctx: Ctx) -> tuple[Question, ...]:
    """The chosen service's questions for this applicant (an individual is asked «لمن هذا
    الطلب؟» for an iqama or a visa, an establishment is not: domain/data/services.json)."""
    return service_of(ctx).questions_for(applicant_of(ctx))


def or_words(ctx: Ctx, items: list[str]) -> str:
    return or_list(ctx.texts, items)


def identity_kinds(ctx: Ctx) -> list[str]:
    """The kinds of number this service takes, in the order people know them."""
    allowed = service_of(ctx).identity_kinds
    if applicant_of(ctx) == "establishment":
        # an establishment files only for its workers, never for a citizen
        allowed = allowed - {"citizen"}
    return [k for k in ("citizen", "resident", "border") if k in allowed]


#: The identity number typed while the request was the writer's own, kept once «لمن»
#: changes to someone else (conversations.flows.answer_corrections): typed again as the
#: holder's, it is named, not taken (helper 23's recheck).
WRITER_IDENTITY = "identity_of_writer"


def question_text(ctx: Ctx, question: Question) -> str:
    """``question`` as the person reads it: its ``for_self`` wording once they said the
    request is their own («أين أنت الآن؟», not «أين صاحب الإقامة الآن؟»: helper 21,
    §8), else its text; in their language."""
    if question.for_self is not None and for_self(ctx):
        return local(question.for_self, ctx.locale)
    return local(question.text, ctx.locale)


def for_self(ctx: Ctx) -> bool:
    """Whether the person said the request is their own («لي أنا», at «لمن هذا الطلب؟»
    or in their first words). Never for an establishment, which files for its worker
    (helper 23: «منشأة», then «ابي اجدد اقامتي», was asked «أين أنت الآن؟»)."""
    if applicant_of(ctx) == "establishment":
        return False
    answers = ctx.state.answers
    for_whom = answers.get("eligibility", {}).get("for_whom")
    return bool((for_whom or answers.get(EARLY_ANSWERS, {}).get("for_whom")) == "self")


def early_for_whom(ctx: Ctx) -> str | None:
    """«For whom» named in the person's first words («تأشيرة خروج وعودة لمراتي», «for my
    wife») for a service that does not ask it (exit/re-entry, final exit, iqama
    renewal): the line the summary shows and the filed description ends with, so the
    officer knows whose number it is (found by the fresh-clone tester: it was dropped).
    Worded as the passports' question and answer (domain/data/services.json), read
    from the catalogue; None when the service asks the question itself or nobody was
    named."""
    said = ctx.state.answers.get(EARLY_ANSWERS, {}).get("for_whom")
    if said is None or any(q.id == "for_whom" for q in questions_of(ctx)):
        return None
    if applicant_of(ctx) == "establishment":
        return None  # its worker's, whatever the words («اقامتي»): helper 23
    for service in ctx.catalogue.services:
        for question in service.questions:
            if question.id == "for_whom":
                option = next((o for o in question.options if o.id == said), None)
                if option is None:
                    return None
                return f"{question_text(ctx, question)} {local(option.label, ctx.locale)}"
    return None
