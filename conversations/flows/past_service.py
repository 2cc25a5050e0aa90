"""From the chosen service on: its questions that the person's earlier words or shared
location already answered, each noted and said so (a place said of the writer only for the
writer's own request), then the number the request needs, with an identity or
establishment number sent first used. The questions still to ask are
:mod:`conversations.flows.eligibility`'s. Split from :mod:`conversations.flows.intake_service`."""

from __future__ import annotations

from collections.abc import Collection

from conversations.flow import Ctx, Next
from conversations.flows.intake_draft import (
    EARLY_ANSWERS,
    EARLY_ESTABLISHMENT,
    EARLY_IDENTITY,
    EARLY_PLACED,
    EARLY_WRITER,
    applicant_of,
    identity_kinds,
    question_text,
    questions_of,
)
from conversations.formatting import isolate
from domain.catalogue import Question, local
from domain.identity import mask_identity

#: The service the request had when the summary's «Change the service» was pressed, in
#: the dialogue state until the new one is chosen and its questions answered.
SERVICE_BEFORE = "service_before_change"


def after_service(ctx: Ctx) -> Next:
    """On from the service (and its questions) to the number the request needs; from
    the summary's «Change the service», to the new service's documents when the service
    did change (tester 14 §7: the summary came back at once, and the new service's
    documents were never asked), else back to the summary."""
    answers = ctx.state.answers
    if ctx.state.editing:
        kind = answers.get("identity_kind")
        if kind and kind in identity_kinds(ctx):
            before = answers.pop(SERVICE_BEFORE, None)
            if before is not None and before != answers.get("service"):
                # the files sent are kept and counted; «Done» returns to the summary
                return Next("attachments")
            return Next("summary")
        return Next("identity")
    if applicant_of(ctx) == "establishment":
        early = answers.pop(EARLY_ESTABLISHMENT, None)
        if not early:
            return Next("establishment")
        # the establishment number the person sent first: used, and said so
        answers["establishment"] = early
        said = ctx.texts.gettext(
            "I am using the establishment number you sent earlier (%(number)s). You can change it from the summary before sending."
        ) % {"number": isolate(str(early))}
        after = to_identity(ctx)
        return Next(after.step, (said, *after.say))
    return to_identity(ctx)


def to_identity(ctx: Ctx) -> Next:
    """On to the identity number, or past it with the number the person sent as their
    first message (:data:`EARLY_IDENTITY`) when this service takes its kind: used once,
    and said so, since it is not asked for again."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    early = answers.get(EARLY_IDENTITY)
    if not early or early["kind"] not in identity_kinds(ctx):
        return Next("identity")
    del answers[EARLY_IDENTITY]
    answers["identity"], answers["identity_kind"] = early["value"], early["kind"]
    said = _(
        "I am using the identity number you sent earlier (%(number)s). You can change it from the summary before sending."
    ) % {"number": isolate(mask_identity(early["value"]))}
    return Next("phone", (said,))


def from_question(ctx: Ctx, index: int) -> Next:
    """On from the service's question ``index``: the questions the person's earlier words
    answered (:func:`_answered_early`) are noted, each said so, and passed; then the first
    one still to ask, or the step after the questions. «Back» from there goes to the last
    question the words answered, to change it («ابي اجدد اقامة زوجتي وهي برا» answers
    both «لمن هذا الطلب؟» and «أين صاحب الإقامة الآن؟»)."""
    questions = questions_of(ctx)
    answers = ctx.state.answers
    said: tuple[str, ...] = ()
    while index < len(questions):
        kept = _answered_early(ctx, questions[index])
        if kept is None:
            break
        said, index = (*said, kept), index + 1
    if said and ctx.state.step != "question":
        ctx.state.history.append(ctx.state.step)
        ctx.state.step = "question"
    if index < len(questions):
        answers["question"] = index
        note = _writer_not_holder(ctx, questions[index])
        return Next("question", (*said, note) if note else said)
    answers["question"] = len(questions) - 1
    after = after_service(ctx)
    return Next(after.step, (*said, *after.say))


def keep_early_answers(
    ctx: Ctx, said: dict[str, str], *, placed: bool = False, writer: Collection[str] = ()
) -> None:
    """Keeps answers (question id -> option id) for questions still to come
    (:data:`EARLY_ANSWERS`); ``placed``: a shared location gave them, not words;
    ``writer``: the ids among them said of the writer, not the holder (:data:`EARLY_WRITER`)."""
    answers = ctx.state.answers
    answers[EARLY_ANSWERS] = {**answers.get(EARLY_ANSWERS, {}), **said}
    for key, marked in ((EARLY_PLACED, list(said) if placed else []), (EARLY_WRITER, writer)):
        kept = [q for q in answers.get(key, []) if q not in said]
        answers[key] = [*kept, *(q for q in said if q in marked)]
        if not answers[key]:
            del answers[key]


def _said_of_writer(ctx: Ctx, question: Question) -> bool:
    """True when ``question``'s early answer was said of the writer («انا في مصر») and
    the request is not the writer's own («لمن هذا الطلب؟» not «self»): then it is no
    answer about the holder, and the question is asked (review 11, item 8)."""
    answers = ctx.state.answers
    if question.id not in answers.get(EARLY_WRITER, []):
        return False
    return bool(answers.get("eligibility", {}).get("for_whom") != "self")


def _writer_not_holder(ctx: Ctx, question: Question) -> str | None:
    """The line above ``question`` when the place kept for it was the writer's, not the
    holder's (:func:`_said_of_writer`): what was understood and whom the question is
    about; None otherwise."""
    if not _said_of_writer(ctx, question):
        return None
    _ = ctx.texts.gettext
    where = {"inside": _("inside the Kingdom"), "outside": _("outside the Kingdom")}.get(
        str(ctx.state.answers.get(EARLY_ANSWERS, {}).get(question.id))
    )
    if where is None:
        return None
    return _(
        "I understood that you yourself are %(where)s; this question is about the iqama holder."
    ) % {"where": where}


def _answered_early(ctx: Ctx, question: Question) -> str | None:
    """``question`` taken from the person's earlier words or shared location
    (:data:`EARLY_ANSWERS`) when they name one of its allowed options: recorded, and the
    line that says so, crediting the location when it gave the answer (tester 10b: a
    location shared first was credited to «رسالتك»); None when it is still to be asked
    (a refusal is never given from a guess at words: the question shows it)."""
    answers = ctx.state.answers
    said = answers.get(EARLY_ANSWERS, {}).get(question.id)
    option = next((o for o in question.options if o.id == said and o.allowed), None)
    if option is None or _said_of_writer(ctx, question):
        return None
    answers["eligibility"][question.id] = option.id
    _ = ctx.texts.gettext
    line = (
        _(
            "From the location you shared, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
        )
        if question.id in answers.get(EARLY_PLACED, [])
        else _(
            "As you said, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
        )
    )
    noted = line % {
        "question": question_text(ctx, question),
        "answer": local(option.label, ctx.locale),
    }
    # what to know of this answer (the iqama renewal from outside), as when it is tapped
    return f"{noted}\n{local(option.note, ctx.locale)}" if option.note else noted
