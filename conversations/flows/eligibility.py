"""A service's eligibility questions («لمن هذا الطلب؟», «أين صاحب الإقامة الآن؟»:
domain/data/services.json), asked in turn after the service is chosen, and the refusal
step an answer that is not allowed leads to.

An answer is read by button, label or the words people use for it (conversations/data:
choices.json ``option_words`` and ``question_words``, keywords.json ``early_answers``).
Found by tester 10b (items 6 and 7), a person does not always answer the question on
screen: at «أين صاحب الإقامة الآن؟», reached by «رجوع», «لي انا» or «لزوجتي» is meant for
«لمن هذا الطلب؟»; after the «شخص آخر» refusal, «لاخوي» says whom the request is for. Such
an answer is applied to the question it answers, and said so; one for a question still
to come is kept for it; «رجوع» goes from a question to the one before it.
"""

from __future__ import annotations

from conversations import knowledge
from conversations.citizens_only import resident_for_self
from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.denied_answer import denied_line, denied_option
from conversations.flows.description_early import keep_early
from conversations.flows.early_place import LOCATION, not_the_holders
from conversations.flows.intake_draft import or_words, question_text, questions_of
from conversations.flows.intake_service import suggest
from conversations.flows.location_words import (
    TYPED_ANSWER,
    keep_place_words,
    not_knowing_line,
)
from conversations.flows.past_service import after_service, from_question, keep_early_answers
from conversations.flows.question_words import option_in_words, option_labelled
from conversations.flows.refusals import (
    changed_in_sentence,
    forget_refusal,
    record_refusal,
    refused_again,
)
from conversations.flows.slips import is_slip
from conversations.keywords_early import early_answers, place_of_writer
from conversations.several_people import one_request_each, several_for_whom
from conversations.understanding import (
    answer_words,
    content_words,
    says_only,
)
from domain.catalogue import Question, QuestionOption, local

#: The question «لمن هذا الطلب؟» (domain/data/services.json).
FOR_WHOM = "for_whom"
#: The fewest words (fillers aside) that make a message at an eligibility question a
#: sentence about the request rather than an answer: «ولدي عمره سنتين» still answers,
#: «ابي اضيف ولدي المولود في ابشر» tells the problem.
SENTENCE_WORDS = 4
#: At most this many words (fillers aside) after a refusal are read as saying whom the
#: request is for («لاخوي», «اقامة زوجتي»); more is a new need in words, searched for.
CLARIFICATION_WORDS = 2


def several_at_for_whom(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` names several people (:func:`several_for_whom`) while «لمن هذا
    الطلب؟» is on screen: the step answers it (one request each), not a button's words
    («لي انا وعائلتي» read as «لي أنا», or «أيّها تقصد…؟»)."""
    state = ctx.state
    if state.flow != "intake" or state.step != "question" or "service" not in state.answers:
        return False
    questions = questions_of(ctx)
    index = int(state.answers.get("question", 0))
    if index >= len(questions) or questions[index].id != FOR_WHOM:
        return False
    return several_for_whom(text) is not None


def _labelled(ctx: Ctx, question: Question, option: QuestionOption) -> dict[str, str]:
    return {"question": question_text(ctx, question), "answer": local(option.label, ctx.locale)}


# ---- the questions -----------------------------------------------------------------------


def ask_question(ctx: Ctx) -> Prompt:
    question = questions_of(ctx)[int(ctx.state.answers.get("question", 0))]
    return Prompt(
        question_text(ctx, question),
        tuple(Option(f"q:{o.id}", local(o.label, ctx.locale)) for o in question.options),
    )


async def answer_question(ctx: Ctx, event: Event) -> Outcome:
    """The answer to the service's question on screen (``answers["question"]``, its
    index): on to the next question or the number, or to the refusal; a short answer to
    another of the service's questions is taken for that one (:func:`_other_question`)."""
    answers = ctx.state.answers
    typed = answers.pop(TYPED_ANSWER, None)
    questions = questions_of(ctx)
    index = int(answers.get("question", 0))
    question = questions[index]
    option = None
    said_back: tuple[str, ...] = ()
    if isinstance(event, Choice) and event.id.startswith("q:"):
        option = next((o for o in question.options if o.id == event.id[2:]), None)
    if isinstance(event, Text):
        whom = several_for_whom(event.text) if question.id == FOR_WHOM else None
        if whom is not None:
            # «كلنا», «لي انا وعائلتي»: one request a person, this one the first's
            # (tester 13, §9: «لم أفهم», then «أيّها تقصد…؟»)
            return _answered(ctx, index, question.option(whom), one_request_each(ctx, whom))
        if resident_for_self(ctx, question.id, event.text):
            # «انا مقيم» at a citizens-only service: their own, told at the number step
            return _answered(ctx, index, question.option("self"))
        corrected = _slip(ctx, event.text, index)
        if corrected is not None:
            return corrected
        denied = denied_option(ctx, event.text, question)
        if denied is not None:
            # «ما قدر دخول المملكة»: four words, yet a denial of one of two answers, no story
            if question.id == LOCATION:
                keep_place_words(ctx, event.text)
            return _answered(ctx, index, denied, *denied_line(ctx, event.text, question, denied))
        if len(answer_words(event.text)) >= SENTENCE_WORDS:
            # the request told before its step («اقامة زوجتي انتهت وما قدرت اجددها»):
            # kept for the description, and the question asked again, since a sentence
            # is no yes or no to be guessed from a word in it
            kept = keep_early(ctx, event.text)
            return Retry(f"{kept}\n{question_text(ctx, question)}")
        option = option_in_words(ctx, event.text, question)
        said_back = denied_line(ctx, event.text, question, option)
        if option is None:
            other = _other_question(ctx, event.text, index)
            if other is not None:
                return other
    if option is None:
        unsure = not_knowing_line(ctx, event.text, question.id) if isinstance(event, Text) else None
        if unsure is not None:
            # «ماادري»: what to do when the answer is not known, then the question
            return Retry(f"{unsure}\n{question_text(ctx, question)}")
        return _not_understood(ctx, index)
    if isinstance(event, Text) and question.id == LOCATION:
        # «انا برا» says where the sender is: the holder's place only on their own request
        line = not_the_holders(ctx, event.text, option.id)
        if line is not None:
            return Retry(f"{line}\n{question_text(ctx, question)}")
    if question.id == LOCATION:
        keep_place_words(ctx, event.text if isinstance(event, Text) else typed)
    return _answered(ctx, index, option, *said_back)


def _slip(ctx: Ctx, text: str, index: int) -> Outcome | None:
    """«لا غلطت ابي اجدد اقامة زوجتي مو اقامتي»: a slip (:func:`is_slip`) whose words
    say the answer to the question on screen or an earlier one (keywords.json
    ``early_answers``) is that answer, however long: found by review 13 (§3), it was kept
    for the description and «لمن هذا الطلب؟» asked again, or, at «أين…؟», the request
    stayed the writer's own though they had said it was their wife's. None when it is no
    slip or names no answer to these questions."""
    if not is_slip(text):
        return None
    said = early_answers(text)
    questions = questions_of(ctx)
    for other_index, other in enumerate(questions[: index + 1]):
        option = next((o for o in other.options if o.id == said.get(other.id)), None)
        if option is None:
            continue
        if other_index == index:
            # from a sentence, not a button: what was noted is said, as for first words
            _ = ctx.texts.gettext
            line = _(
                "As you said, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
            )
            return _answered(ctx, index, option, line % _labelled(ctx, other, option))
        if other_index < index:
            return _earlier_answer(ctx, other_index, option, index)
    return None


def _answered(ctx: Ctx, index: int, option: QuestionOption, *lines: str) -> Next:
    """Question ``index`` answered with ``option``: on to the next question or the
    number, or to the refusal, ``lines`` said first."""
    questions = questions_of(ctx)
    question = questions[index]
    if not option.allowed:
        return _refuse(ctx, question, option, *lines)
    ctx.state.answers.setdefault("eligibility", {})[question.id] = option.id
    forget_refusal(ctx, question)
    on = from_question(ctx, index + 1) if index + 1 < len(questions) else after_service(ctx)
    note = (local(option.note, ctx.locale),) if option.note else ()
    return Next(on.step, (*lines, *note, *on.say))


def _earlier_answer(ctx: Ctx, other_index: int, option: QuestionOption, index: int) -> Outcome:
    """An answer to an earlier question (``other_index``) given at question ``index``:
    applied, said so above the question on screen; its refusal when it is not allowed."""
    _ = ctx.texts.gettext
    questions = questions_of(ctx)
    other = questions[other_index]
    if not option.allowed:
        # the refusal of the question it answers; «رجوع» from it goes to that question
        ctx.state.answers["question"] = other_index
        line = _("I take that as your answer to the earlier question «%(question)s»: «%(answer)s».")
        return _refuse(ctx, other, option, line % _labelled(ctx, other, option))
    ctx.state.answers.setdefault("eligibility", {})[other.id] = option.id
    forget_refusal(ctx, other)
    line = _(
        "I take that as your answer to the earlier question «%(question)s», and I have noted «%(answer)s». To change it, choose «Back»."
    )
    current = question_text(ctx, questions[index])
    return Retry(f"{line % _labelled(ctx, other, option)}\n{current}")


def _refuse(ctx: Ctx, question: Question, option: QuestionOption, *lines: str) -> Next:
    """To the refusal step with ``option``'s refusal (after ``lines``), the refusal
    recorded so the service is not offered again unless the answer changes
    (conversations.flows.refusals)."""
    record_refusal(ctx, question, option)
    refusal = local(option.refusal, ctx.locale) if option.refusal else ""
    return Next("refused", tuple(filter(None, [*lines, refusal])))


def _not_understood(ctx: Ctx, index: int) -> Retry:
    """What the answers are, in a sentence, rather than «choose one» again; after an
    earlier question, which question this is and the way back to that one (tester 10b:
    «شخص اخر», meant for «لمن هذا الطلب؟», got only «لم أفهم» at the location)."""
    _ = ctx.texts.gettext
    questions = questions_of(ctx)
    question = questions[index]
    labels = or_words(ctx, [f"«{local(o.label, ctx.locale)}»" for o in question.options])
    if index == 0:
        return Retry(
            _(
                "I didn't catch that. Please answer %(options)s, by button or in a word. To change the service, choose «Back»."
            )
            % {"options": labels}
        )
    return Retry(
        _(
            "I didn't catch that. The question now is «%(question)s»: please answer %(options)s, by button or in a word. To change your answer to «%(earlier)s», choose «Back»."
        )
        % {
            "question": question_text(ctx, question),
            "options": labels,
            "earlier": question_text(ctx, questions[index - 1]),
        }
    )


def _other_question(ctx: Ctx, text: str, index: int) -> Outcome | None:
    """A short answer meant for another of the service's questions than the one on
    screen (question ``index``): an earlier one's answer is applied (its refusal given
    when it is not allowed), a later one's kept for it (:data:`EARLY_ANSWERS`), each
    said so above the question on screen; None when it answers none."""
    _ = ctx.texts.gettext
    questions = questions_of(ctx)
    current = question_text(ctx, questions[index])
    for other_index, other in enumerate(questions):
        option = option_in_words(ctx, text, other) if other_index != index else None
        if option is None:
            continue
        if other_index > index:
            if not option.allowed:
                continue
            writer = other.id == "location" and place_of_writer(text)
            keep_early_answers(ctx, {other.id: option.id}, writer=[other.id] if writer else [])
            if writer:
                # where the writer is («انا في مصر»): promised for the writer's own
                # request only, which this question is still to say (review 11, item 8)
                where = (
                    _("inside the Kingdom") if option.id == "inside" else _("outside the Kingdom")
                )
                line = _(
                    "I have noted that you are %(where)s. If the request is for you yourself, I will take that as where the iqama holder is."
                )
                return Retry(f"{line % {'where': where}}\n{current}")
            line = _(
                "I take that as your answer to «%(question)s», which comes after this question, and I have kept «%(answer)s» for it."
            )
            return Retry(f"{line % _labelled(ctx, other, option)}\n{current}")
        if not option.allowed and option_labelled(ctx, text, other) is None:
            # a refusal is never given from a guess at a word («ثاني»): only for the
            # option's own label («شخص اخر»); else the hint names the way back
            continue
        return _earlier_answer(ctx, other_index, option, index)
    return None


def back_among_questions(ctx: Ctx) -> bool:
    """«Back» at a service's question after the first goes to the one before it (asked,
    or answered from the person's words), not past them all to the services (tester 10b);
    False at the first question, whose «Back» is the step before it."""
    index = int(ctx.state.answers.get("question", 0))
    if index <= 0 or index >= len(questions_of(ctx)):
        return False
    ctx.state.answers["question"] = index - 1
    return True


# ---- the refusal -------------------------------------------------------------------------


def ask_refused(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _("You can choose another service, or cancel."),
        (Option("other", _("Choose another service")),),
    )


async def answer_refused(ctx: Ctx, event: Event) -> Outcome:
    """After a refusal: another service (chosen or named in words), or a word that says
    whom the request is for after all (:func:`_clarified`)."""
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id == "other":
        ctx.state.answers.pop("service", None)
        return Next("group")
    if isinstance(event, Text):
        return (
            _clarified(ctx, event.text)
            or _changed_in_sentence(ctx, event.text)
            or _what_now(ctx, event.text)
            or suggest(ctx, event.text)
        )
    return Retry(_("Please choose «Choose another service» or «Cancel»."))


def _what_now(ctx: Ctx, text: str) -> Outcome | None:
    """«طيب وش الحل», «what should I do?» after a refusal, naming no service: the refusal
    said again, with what to do instead (refusals.refused_again). The lead's probe: it got
    «لم أتمكن من تحديد الخدمة المقصودة». None for anything else."""
    service_id = ctx.state.answers.get("service")
    asks = knowledge.asks_what_to_do(text) or knowledge.explicit_question(text)
    if not service_id or not asks or ctx.catalogue.match(text, limit=1):
        return None
    return refused_again(ctx, str(service_id), {})


def _changed_in_sentence(ctx: Ctx, text: str) -> Outcome | None:
    """A longer message at the refusal step that names an allowed answer to the refused
    question («عفوا غلطت امي سورية وجات زيارة عائلية وتبي تمدد شهر ثاني» after «جنسية
    أخرى»: refusals.changed_in_sentence): that answer, said so, and the request goes on;
    a sentence is also kept for the description. None for anything else."""
    service_id = ctx.state.answers.get("service")
    changed = changed_in_sentence(ctx, str(service_id), text) if service_id else None
    if changed is None:
        return None
    index, question, option = changed
    kept = keep_early(ctx, text) if len(content_words(text)) >= SENTENCE_WORDS else None
    return _answered_at_refusal(ctx, index, question, option, kept)


def _clarified(ctx: Ctx, text: str) -> Outcome | None:
    """A short answer to the question that was refused («لاخوي», «لوالدتي» after «شخص
    آخر»: tester 10b, item 7, read as a service search): an allowed one is that question's
    answer, said so, and the request goes on from there; «شخص آخر» again gets the refusal
    again. None for anything else (a need in words, searched for)."""
    answers = ctx.state.answers
    questions = questions_of(ctx) if answers.get("service") else ()
    index = int(answers.get("question", 0))
    if index >= len(questions) or len(answer_words(text)) > CLARIFICATION_WORDS:
        return None
    if any(ch.isdigit() for ch in text):
        return None
    question = questions[index]
    option = option_in_words(ctx, text, question) or _bare_word(text, question)
    if option is None:
        return None
    if not option.allowed:
        refusal = local(option.refusal, ctx.locale) if option.refusal else ""
        return Retry("\n".join(filter(None, [refusal, ask_refused(ctx).text])))
    return _answered_at_refusal(ctx, index, question, option)


def _answered_at_refusal(
    ctx: Ctx, index: int, question: Question, option: QuestionOption, kept: str | None = None
) -> Next:
    """The refused question (``index``) answered at the refusal step with the allowed
    ``option``: noted and said so (with ``kept``, the line for words kept for the
    description), the refusal forgotten, and on from the question."""
    # back at the question, as if answered there: «رجوع» later leads to it, not here
    state = ctx.state
    if state.history and state.history[-1] == "question":
        state.history.pop()
    state.step = "question"
    state.answers.setdefault("eligibility", {})[question.id] = option.id
    state.answers["question"] = index
    forget_refusal(ctx, question)
    line = ctx.texts.gettext(
        "As you said, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
    ) % _labelled(ctx, question, option)
    after = from_question(ctx, index + 1)
    return Next(after.step, tuple(filter(None, (line, kept, *after.say))))


def _bare_word(text: str, question: Question) -> QuestionOption | None:
    """The allowed option of the refused ``question`` that a message of one bare word
    listed for it in choices.json ``option_words`` means, though the word is a filler
    elsewhere: «اخوي» right after the «شخص آخر» refusal says the request is for the
    person's brother, where «يا اخوي» anywhere is only a way of speaking (left by the last
    helper: it was searched as a service). None for anything else."""
    found = [o for o in question.options if o.allowed and says_only(text, f"q:{o.id}")]
    return found[0] if len(found) == 1 else None
