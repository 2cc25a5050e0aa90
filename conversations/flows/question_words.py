"""A typed answer to one of a service's eligibility questions read as one of its
options: its label as typed, the words listed for the option or the question, the phrases
people give in their first words, a nationality, a place alone at the location question
(conversations/data: choices.json ``option_words`` and ``question_words``, keywords.json
``early_answers``; domain/data/nationalities.json)."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.location_words import place_alone
from conversations.flows.nationality import nationality_answer
from conversations.keywords_early import early_answers
from conversations.understanding import question_answer, understand_choice
from domain.catalogue import Question, QuestionOption, local
from domain.normalize import clean_input, fold_arabic


def option_in_words(ctx: Ctx, text: str, question: Question) -> QuestionOption | None:
    """The option of ``question`` a short typed answer means: its label, the words listed
    for the option or the question, or the phrases people give in their first words; None
    when none, or several, fit (the person is asked rather than guessed for)."""
    labelled = option_labelled(ctx, text, question)
    if labelled is not None:
        return labelled
    offered = [(f"q:{o.id}", local(o.label, ctx.locale)) for o in question.options]
    understood = understand_choice(text, offered)
    if understood is not None and understood.chosen is not None:
        return question.option(understood.chosen.removeprefix("q:"))
    ids = [o.id for o in question.options]
    said = (
        question_answer(text, question.id, ids)
        or early_answers(text).get(question.id)
        or place_alone(text, question.id)
    )
    listed = next((o for o in question.options if o.id == said), None)
    # «تركية», «اثيوبية»: any nationality, by domain/data/nationalities.json (tester 14 §6)
    return listed or nationality_answer(ctx, question, text)


def option_labelled(ctx: Ctx, text: str, question: Question) -> QuestionOption | None:
    """The option of ``question`` whose label the text is (as typed, any hamza or
    spelling of ta marbuta); None when it is no option's label."""
    folded = fold_arabic(clean_input(text))
    for option in question.options:
        if folded and folded == fold_arabic(local(option.label, ctx.locale)):
            return option
    return None
