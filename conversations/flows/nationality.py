"""A nationality said in the person's words answers a service's question about it
(«ما جنسية الزائر؟», whose options list the nationalities they stand for in
domain/data/services.json), whether the service serves it or not: «ابي امدد زيارة اختي
مصرية» is told at once that the extension through Tawasul is for Syrians and Yemenis, with
what to do instead, as «مصرية» typed at the question is. Found by tester 14 (§6): only a
served nationality was read from a first message; «مصرية» got the question all the same.
The words are domain/data/nationalities.json's (:mod:`domain.nationalities`)."""

from __future__ import annotations

from conversations.flow import Ctx, Next
from conversations.flows.intake_draft import EARLY_ANSWERS, questions_of
from conversations.flows.refusals import record_refusal
from domain.catalogue import Question, QuestionOption, local
from domain.nationalities import nationalities_named, nationality

#: The nationality named in the words that answered the question (its id), in the
#: dialogue state so the refusal can name it on the turn the service is chosen.
NATIONALITY_SAID = "nationality_said"


def about_nationality(question: Question) -> bool:
    """Whether ``question`` asks a nationality (its options list nationalities)."""
    return any(o.nationalities for o in question.options)


def nationality_answer(ctx: Ctx, question: Question, text: str) -> QuestionOption | None:
    """The option of ``question`` the nationality named in ``text`` answers it with, served
    or not (:meth:`domain.catalogue.Question.by_nationality`), the nationality kept to be
    named; None when the question is about no nationality, or none or several are named."""
    if not about_nationality(question):
        return None
    named = nationalities_named(text)
    option = question.by_nationality(named)
    if option is not None:
        ctx.state.answers[NATIONALITY_SAID] = named[0]
    return option


def said_line(ctx: Ctx) -> str | None:
    """«بحسب ما ورد في رسالتك، جنسية الزائر مصرية.»: the nationality read from the
    person's words; None when none was."""
    said = ctx.state.answers.get(NATIONALITY_SAID)
    if not said:
        return None
    name = local(nationality(str(said)).name, ctx.locale)
    return ctx.texts.gettext("From your message, the visitor's nationality is %(nationality)s.") % {
        "nationality": name
    }


def refused_early(ctx: Ctx) -> Next | None:
    """The service just chosen, whose first question the person's words already answered
    with a nationality it does not serve: its refusal at once (the refusal step, the
    refusal recorded), the nationality read said first; None otherwise."""
    questions = questions_of(ctx)
    if not questions or not about_nationality(questions[0]):
        return None
    question = questions[0]
    early = ctx.state.answers.get(EARLY_ANSWERS, {})
    option = next((o for o in question.options if o.id == early.get(question.id)), None)
    if option is None or option.allowed:
        return None
    del early[question.id]
    record_refusal(ctx, question, option)
    refusal = local(option.refusal, ctx.locale) if option.refusal else ""
    return Next("refused", tuple(filter(None, (said_line(ctx), refusal))))
