"""A question asked inside a description («انتهت اقامتي وجددتها… متى تطلع الاقامة
الجديدة؟»): the description keeps it, and the person is told so, with the knowledge
base's answer when it has one, else that the officer reads it with the request. Found by
fresh users in sessions 14-15: it was kept silently, and nobody said whether it would be
answered. A message that is only a question is set aside instead
(conversations.flows.describe._question_aside)."""

from __future__ import annotations

import re

from conversations import knowledge
from conversations.flow import Ctx
from conversations.formatting import isolate
from conversations.understanding import content_words

#: Where a description's sentences end, for finding the one that asks.
_SENTENCES = re.compile(r"[\n.!؛،,]+")
#: The question marks people type, Arabic and Latin.
_MARKS = ("؟", "?")


def asked_in(text: str) -> list[str]:
    """The sentences of ``text`` that ask something (end with a question mark), each
    once, in order, up to and including their mark; empty when none does."""
    asked: list[str] = []
    for piece in _SENTENCES.split(text):
        ends = [piece.find(mark) for mark in _MARKS if mark in piece]
        if not ends:
            continue
        question = piece[: max(ends) + 1].strip()
        if len(question) > 1 and question not in asked:
            asked.append(question)
    return asked


#: Content words besides its questions from which a message tells a case, not only asks.
TELLS_WORDS = 3


def tells_more(text: str) -> bool:
    """Whether a message that asks (:func:`asked_in`) also tells something besides its
    questions (:data:`TELLS_WORDS` content words or more): at the description step it is
    the description with a question in it, kept and the question answered
    (:func:`question_lines`), not a question answered and the words dropped («اقامتي
    منتهية من شهرين وابي اجددها، كم الغرامة؟» was answered and not kept)."""
    asked = asked_in(text)
    if not asked:
        return False
    rest = text
    for question in asked:
        rest = rest.replace(question, " ")
    return len(content_words(rest)) >= TELLS_WORDS


def question_lines(ctx: Ctx, text: str) -> list[str]:
    """What is said of the questions a kept description asks (:func:`asked_in`): each
    named and said kept for the officer, and answered from the knowledge base
    (:func:`conversations.knowledge.answer`, plain questions only) when it can be; empty
    for a description that asks nothing."""
    _ = ctx.texts.gettext
    lines: list[str] = []
    for question in asked_in(text):
        answer = knowledge.answer(question, ctx.locale, explicit_only=True)
        if answer is not None:
            lines.append(
                _(
                    "Your description asks: «%(question)s». It stays in your request for the officer; meanwhile, this may answer it:"
                )
                % {"question": isolate(question)}
            )
            lines.append(answer)
        else:
            lines.append(
                _(
                    "Your description asks: «%(question)s». It is kept in your request, and the officer will read it when studying the request."
                )
                % {"question": isolate(question)}
            )
    return lines
