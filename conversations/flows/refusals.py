"""The refused answers of a draft, kept so a refused service is not offered again in the
same conversation unless the answer that caused the refusal changes.

Found by tester 11 (fault 7): a visit-visa extension refused for «جنسية أخرى», then the
person's explanation («امي جات زيارة عائلية وتبي تمدد شهر ثاني لانها مريضة») was searched
as a need, offered the same service, and choosing it asked the nationality again: a
loop. Now each refusal is recorded in the dialogue state (``answers``, so in Redis for
every worker) by service; the service named or chosen again gets an answer that
acknowledges the need, says what the person can do instead (the option's ``instead`` in
domain/data/services.json, with its seed, or else its refusal) and how to change the
refused answer, and stays at the refusal step. Kept apart from
:mod:`conversations.flows.intake_service` and :mod:`conversations.flows.eligibility`,
which both read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from conversations.citizens_only import NOT_CITIZEN, SAID_NOT_CITIZEN
from conversations.flow import Ctx, Next, Outcome, Retry
from conversations.flows.intake_draft import question_text
from conversations.flows.past_service import keep_early_answers
from conversations.formatting import or_list
from conversations.understanding import answers_in_sentence, sentence_answer
from domain.catalogue import Question, QuestionOption, Service, load_catalogue, local

#: The draft's refused answers (service id -> :class:`Refused`).
REFUSED = "refused_answers"


class Refused(TypedDict):
    """One refused answer: the question, its option, and the answers given before it."""

    question: str
    option: str
    before: dict[str, str]


def record_refusal(ctx: Ctx, question: Question, option: QuestionOption) -> None:
    """Notes that ``option`` of ``question`` refused the draft's service."""
    answers = ctx.state.answers
    before = {k: v for k, v in answers.get("eligibility", {}).items() if k != question.id}
    refused: Refused = {"question": question.id, "option": option.id, "before": before}
    answers.setdefault(REFUSED, {})[str(answers["service"])] = refused


def forget_refusal(ctx: Ctx, question: Question) -> None:
    """An allowed answer to ``question`` of the draft's service: its refusal no longer
    stands, and the service may be offered again."""
    answers = ctx.state.answers
    refused = answers.get(REFUSED, {})
    service_id = answers.get("service")
    if refused.get(service_id, {}).get("question") == question.id:
        del refused[service_id]
        if not refused:
            del answers[REFUSED]


def is_refused(ctx: Ctx, service_id: str) -> bool:
    """Whether an answer of this conversation refused ``service_id``."""
    return service_id in ctx.state.answers.get(REFUSED, {})


def _found(
    ctx: Ctx, service: Service
) -> tuple[int, tuple[Question, ...], QuestionOption, Refused] | None:
    refused: Refused | None = ctx.state.answers.get(REFUSED, {}).get(service.id)
    if refused is None:
        return None
    applicant = str(ctx.state.answers.get("applicant", "individual"))
    questions = service.questions_for(applicant)
    index = next((i for i, q in enumerate(questions) if q.id == refused["question"]), None)
    if index is None:
        return None
    option = next((o for o in questions[index].options if o.id == refused["option"]), None)
    if option is None:
        return None
    return index, questions, option, refused


def changed_in_sentence(
    ctx: Ctx, service_id: str, text: str
) -> tuple[int, Question, QuestionOption] | None:
    """The refused question of ``service_id`` (its index among the service's questions)
    and the allowed option a sentence names for it, by the options' words (choices.json
    ``option_words``; a word after «مو», «ليست», «not» does not count), when the question
    is one a sentence may answer (choices.json ``sentence_questions``: the visitor's
    nationality). None when it was not refused, or the sentence names no allowed option, or
    several.

    Found in session 12 (task 5): after «جنسية أخرى» refused the visit-visa extension,
    «عفوا غلطت امي سورية وجات زيارة عائلية وتبي تمدد شهر ثاني» got the refusal again; only
    a short «سورية» lifted it."""
    found = _found(ctx, ctx.catalogue.get(service_id))
    if found is None:
        return None
    index, questions, _option, _refused = found
    question = questions[index]
    if not answers_in_sentence(question.id):
        return None
    named = sentence_answer(text, [(f"q:{o.id}", o.allowed) for o in question.options])
    if named is None:
        return None
    return index, question, question.option(named.removeprefix("q:"))


def refused_again(
    ctx: Ctx, service_id: str, said: dict[str, str], text: str = ""
) -> Outcome | None:
    """The answer to ``service_id`` named or chosen again after an answer refused it:
    back at the refusal step (the service and the refused question on hand, so a short
    answer there changes it), with the acknowledgement, what to do instead and how to
    change the answer. None when it was not refused, or when ``said`` (the answers the
    person's new words give, question id -> option id) or the words ``text`` themselves
    (:func:`changed_in_sentence`) change the refused answer to an allowed one: the
    refusal is then forgotten, the new answer kept for its question, and the request goes
    on as usual."""
    service = ctx.catalogue.get(service_id)
    found = _found(ctx, service)
    if found is None:
        return None
    index, questions, option, refused = found
    question = questions[index]
    changed = next((o for o in question.options if o.id == said.get(question.id)), None)
    in_sentence = changed_in_sentence(ctx, service_id, text) if text else None
    if (changed is None or not changed.allowed) and in_sentence is not None:
        changed = in_sentence[2]
        # kept for the question, which is then passed «بحسب ما ورد في رسالتك»
        keep_early_answers(ctx, {question.id: changed.id})
    if changed is not None and changed.allowed:
        ctx.state.answers.get(REFUSED, {}).pop(service_id, None)
        return None
    answers = ctx.state.answers
    answers["service"] = service_id
    answers["eligibility"] = dict(refused["before"])
    answers["question"] = index
    _ = ctx.texts.gettext
    names = {
        "service": local(service.name, ctx.locale),
        "question": question_text(ctx, question),
        "answer": local(option.label, ctx.locale),
    }
    allowed = [f"«{local(o.label, ctx.locale)}»" for o in question.options if o.allowed]
    instead = option.instead or option.refusal
    lines = [
        _(
            "I understand, and I am sorry this cannot be filed here: «%(service)s» through Tawasul is not open when the answer to «%(question)s» is «%(answer)s»."
        )
        % names,
        local(instead, ctx.locale) if instead else "",
        _(
            "If your answer to «%(question)s» is in fact different, write it (%(options)s) and I will go on with the request."
        )
        % {**names, "options": or_list(ctx.texts, allowed)},
    ]
    said_lines = tuple(filter(None, lines))
    if ctx.state.step == "refused":
        prompt = _("You can choose another service, or cancel.")
        return Retry("\n".join((*said_lines, prompt)))
    return Next("refused", ("\n".join(said_lines),))


def service_refused(answers: Mapping[str, Any]) -> bool:
    """Whether a draft's chosen service was refused to the person: an answer to its
    questions refused it (:data:`REFUSED`), or a resident's number or words met a service
    only citizens may file (:mod:`conversations.citizens_only`). Such a draft holds no
    request begun, only the way to another service: the terminal's goodbye said «الطلب
    الذي بدأته محفوظ» after such a refusal (fresh users, sessions 14-15)."""
    service_id = answers.get("service")
    if not service_id:
        return False
    if service_id in (answers.get(REFUSED) or {}):
        return True
    said = answers.get(NOT_CITIZEN) or answers.get(SAID_NOT_CITIZEN)
    if not said:
        return False
    try:
        return load_catalogue().get(str(service_id)).citizens_only
    except KeyError:  # a service gone from the catalogue since the draft was kept
        return False
