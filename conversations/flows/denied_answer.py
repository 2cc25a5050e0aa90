"""An eligibility answer given by denying the other option («مو داخل المملكة» at «أين
صاحب الإقامة الآن؟», two options): the option recorded is said back, since the person
never typed its words (routing engineer, session 16: the denied option was recorded)."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.flows.intake_draft import question_text
from conversations.understanding import answer_words, understand_choice
from domain.catalogue import Question, QuestionOption, local

#: The most words a denial taken as the answer may have («ما سمحوا له بدخول المملكة»): a
#: longer message is a story, kept for the description (eligibility.SENTENCE_WORDS).
DENIAL_WORDS = 5


def denied_option(ctx: Ctx, text: str, question: Question) -> QuestionOption | None:
    """The option of ``question`` a short message takes by denying the other («ما قدر
    دخول المملكة» at «أين صاحب الإقامة الآن؟»: outside), else None. Found in session 18's
    faults list: it recorded the holder inside the kingdom."""
    if len(answer_words(text)) > DENIAL_WORDS:
        return None
    offered = [(f"q:{o.id}", local(o.label, ctx.locale)) for o in question.options]
    understood = understand_choice(text, offered)
    if understood is None or not understood.by_negation or understood.chosen is None:
        return None
    return question.option(understood.chosen.removeprefix("q:"))


def denied_line(
    ctx: Ctx, text: str, question: Question, option: QuestionOption | None
) -> tuple[str, ...]:
    """«بحسب ما ورد في رسالتك، سجّلتُ إجابة «…»: «خارج المملكة»…» when ``text`` chose
    ``option`` of ``question`` by denying the other (:func:`understand_choice`'s
    ``by_negation``); () when the words named it, or chose nothing."""
    if option is None:
        return ()
    offered = [(f"q:{o.id}", local(o.label, ctx.locale)) for o in question.options]
    understood = understand_choice(text, offered)
    if understood is None or not understood.by_negation or understood.chosen != f"q:{option.id}":
        return ()
    _ = ctx.texts.gettext
    line = _(
        "As you said, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
    )
    return (
        line
        % {"question": question_text(ctx, question), "answer": local(option.label, ctx.locale)},
    )


def taken_line(ctx: Ctx, label: str, *, back: bool) -> str:
    """«فهمتُ من رسالتك أن المقصود «فرد».» for a choice taken at a step other than an
    eligibility question by denying the other one («مو منشأة» at the first question,
    :func:`understand_choice`'s ``by_negation``), with how to change it when the step now
    shown offers «Back». ``label``: the option's label as it was shown. Found in session
    18's faults list (item 5): «لست منشأة» was filed as an establishment, and «مو منشأة»
    got «يُرجى اختيار واحد من ٤ خيارات» as though nothing had been said."""
    _ = ctx.texts.gettext
    if back:
        line = _("From your message, I understood «%(option)s». To change it, choose «Back».")
    else:
        line = _("From your message, I understood «%(option)s».")
    return line % {"option": label}
