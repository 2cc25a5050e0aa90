"""A location shared in the chat (Telegram's or WhatsApp's location message) as the answer
to iqama renewal's «أين صاحب الإقامة الآن؟» (domain/data/services.json, question
``location``; domain.places tells inside from outside the Kingdom).

Found by the fresh-clone tester: a location sent before or at that question got «شكرًا،
لكن الموقع غير مطلوب هنا» and the question was asked anyway. Now, at the question it is
the answer, as a tap on «داخل المملكة» or «خارج المملكة» would be; before it (no service
chosen yet, or the service's earlier question) it is kept with the answers the person's
words gave (EARLY_ANSWERS, in the dialogue state, so any worker reads it, marked as the
location's: EARLY_PLACED) and the question is passed with a line saying the shared location
gave the answer (tester 10b: it once said «رسالتك») and that «Back» changes it.
Where no question asks for a place it is still «not needed here», and nothing is lost.

A place typed at the first question or as the first message («انا في مصر», keywords.json
``early_answers`` location) is kept the same way, credited to the person's words
(«بحسب ما ورد في رسالتك») when the question is reached (left by the last helper: it got
«فضلًا اختر…» and was lost): :func:`keep_place_words`.

A shared location is where the sender is, as a place said in the first person is (since
28f1f72, review 11, item 8): it answers where the iqama holder is only for the sender's own
request («لمن هذا الطلب؟» «لي أنا»). Kept early it is marked as the writer's
(EARLY_WRITER), and for family or an establishment the question is asked; at the question
itself, for them, it is not taken, and the question says whom it is about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from conversations.events import Choice, Event, Reply, Text, Unsupported
from conversations.flow import Ctx
from conversations.flows.intake_draft import EARLY_ANSWERS, question_text, questions_of
from conversations.flows.past_service import keep_early_answers
from conversations.keywords_early import early_answers, place_of_writer
from domain.catalogue import local
from domain.places import in_kingdom

#: The question a place answers, and its options (domain/data/services.json).
LOCATION = "location"
INSIDE, OUTSIDE = "inside", "outside"
#: The intake's steps before a service is chosen ("": before the first question).
_BEFORE_SERVICE = ("", "applicant", "group", "service", "suggest", "refused")


def place_option(event: Event) -> str | None:
    """:data:`INSIDE` or :data:`OUTSIDE` for a shared location that carries its point;
    None for anything else."""
    if not isinstance(event, Unsupported) or event.place is None:
        return None
    return INSIDE if in_kingdom(*event.place) else OUTSIDE


def place_choice(ctx: Ctx, event: Event) -> Choice | None:
    """At the location question, the option the shared point means, as a tap on it; None
    elsewhere or for anything but a located place."""
    option = place_option(event)
    if option is None or ctx.state.step != "question" or not ctx.state.answers.get("service"):
        return None
    questions = questions_of(ctx)
    index = int(ctx.state.answers.get("question", 0))
    if index >= len(questions) or questions[index].id != LOCATION:
        return None
    return Choice(event.origin, f"q:{option}")


def _for_self(ctx: Ctx, *, early: bool = False) -> bool:
    """Whether the request is the sender's own: «لمن هذا الطلب؟» answered «لي أنا» (or,
    with ``early``, said so in their words before the question came)."""
    answers = ctx.state.answers
    said = answers.get("eligibility", {}).get("for_whom")
    if early and said is None:
        said = answers.get(EARLY_ANSWERS, {}).get("for_whom")
    return bool(said == "self")


def _where(ctx: Ctx, option: str) -> str:
    _ = ctx.texts.gettext
    return _("inside the Kingdom") if option == INSIDE else _("outside the Kingdom")


def keep_place(ctx: Ctx, event: Event) -> str | None:
    """Keeps the shared point's answer for the location question still to come (no service
    chosen yet, or the chosen one asks it later); the line that says so. None when it is
    not a located place or nothing to come asks where (then it is «not needed here»)."""
    option = place_option(event)
    if option is None:
        return None
    answers = ctx.state.answers
    if answers.get("service"):
        later = any(q.id == LOCATION for q in questions_of(ctx))
        if not later or LOCATION in answers.get("eligibility", {}) or ctx.state.editing:
            return None
    elif ctx.state.step not in _BEFORE_SERVICE:
        return None
    # where the sender is: the holder's place only for the sender's own request
    keep_early_answers(ctx, {LOCATION: option}, placed=True, writer=[LOCATION])
    _ = ctx.texts.gettext
    where = _where(ctx, option)
    if not _for_self(ctx, early=True):
        return _(
            "Thank you: your location shows you are %(where)s. If the request is for you yourself, I will take that as where the iqama holder is."
        ) % {"where": where}
    if answers.get("service"):
        # the chosen service asks where, after the question on screen: kept for that
        # question by name (tester 10b, item 9)
        question = next(q for q in questions_of(ctx) if q.id == LOCATION)
        return _(
            "Thank you: your location shows you are %(where)s. I have kept that as the answer to «%(question)s», which comes after this question."
        ) % {"where": where, "question": question_text(ctx, question)}
    return _(
        "Thank you: your location shows you are %(where)s. I have kept that for your request, in case it asks where the iqama holder is."
    ) % {"where": where}


def noted_above(ctx: Ctx, tapped: Choice, replies: list[Reply]) -> list[Reply]:
    """``replies`` to the location question answered by a shared point (``tapped``, its
    option as a tap), led by the line that says what was noted and that «Back» changes it."""
    questions = questions_of(ctx)
    question = next((q for q in questions if q.id == LOCATION), None)
    if question is None or not replies:
        return replies
    label = local(question.option(tapped.id.removeprefix("q:")).label, ctx.locale)
    line = ctx.texts.gettext(
        "From the location you shared, I have noted the answer to «%(question)s»: «%(answer)s». To change it, choose «Back»."
    ) % {"question": question_text(ctx, question), "answer": label}
    first = replies[0]
    return [dataclasses.replace(first, text=f"{line}\n{first.text}"), *replies[1:]]


async def place_answer(
    ctx: Ctx,
    event: Unsupported,
    tap: Callable[[Choice], Awaitable[list[Reply]]],
    ask: Callable[[Ctx], Reply],
) -> list[Reply] | None:
    """The replies to a shared location in the request: at the location question, the
    step's answer to ``tap`` on the option its point means, led by what was noted (for the
    sender's own request only: else the question again, saying whom it is about); before
    it, the line that it is kept, above the step's question again (``ask``). None when it
    is neither (the caller says a location is not needed here)."""
    tapped = place_choice(ctx, event)
    if tapped is not None and not _for_self(ctx):
        # the sender's place, not the holder's (a family member's or a worker's request)
        line = ctx.texts.gettext(
            "I understood that you yourself are %(where)s; this question is about the iqama holder."
        ) % {"where": _where(ctx, tapped.id.removeprefix("q:"))}
        asked = ask(ctx)
        return [dataclasses.replace(asked, text=f"{line}\n{asked.text}")]
    if tapped is not None:
        return noted_above(ctx, tapped, await tap(tapped))
    placed = keep_place(ctx, event)
    if placed is None:
        return None
    asked = ask(ctx)
    return [dataclasses.replace(asked, text=f"{placed}\n{asked.text}")]


def own_place_at_question(ctx: Ctx, text: str) -> bool:
    """Whether ``text``, typed at the location question, says where the sender is («انا
    برا»): the step reads it (:func:`not_the_holders`), not a button's words matched."""
    if ctx.state.step != "question" or not ctx.state.answers.get("service"):
        return False
    questions = questions_of(ctx)
    index = int(ctx.state.answers.get("question", 0))
    at_location = index < len(questions) and questions[index].id == LOCATION
    return at_location and place_of_writer(text)


def not_the_holders(ctx: Ctx, text: str, option: str) -> str | None:
    """At the location question, words that say where the sender is («انا برا», «انا في
    الرياض»: keywords.json ``_first_person``) meaning ``option``: when the request is not
    the sender's own (a family member's, a worker's), the line that this question is about
    the iqama holder, to ask it again under; None when the words may answer it.

    Found in session 12: «انا برا» typed at the question filed a wife's iqama «خارج
    المملكة», as a shared location did before dea2a46."""
    if not place_of_writer(text) or _for_self(ctx):
        return None
    return ctx.texts.gettext(
        "I understood that you yourself are %(where)s; this question is about the iqama holder."
    ) % {"where": _where(ctx, option)}


def place_in_words(text: str) -> str | None:
    """:data:`INSIDE` or :data:`OUTSIDE` when a message says where the person is («انا في
    مصر», «وانا بالرياض»: keywords.json ``early_answers``); None otherwise."""
    return early_answers(text).get(LOCATION)


def keep_place_words(ctx: Ctx, event: Event) -> str | None:
    """At the first question, before any service: a place said in words is kept for the
    location question still to come, as the person's words (not a shared location), and
    the line that says so; None when the message says no place. A place said of the
    writer («انا في مصر») is kept for the writer's own request only (review 11, item 8)."""
    option = place_in_words(event.text) if isinstance(event, Text) else None
    if option is None or ctx.state.answers.get("service"):
        return None
    assert isinstance(event, Text)
    writer = place_of_writer(event.text)
    keep_early_answers(ctx, {LOCATION: option}, writer=[LOCATION] if writer else [])
    _ = ctx.texts.gettext
    where = _("inside the Kingdom") if option == INSIDE else _("outside the Kingdom")
    if writer:
        # where the writer is, not necessarily the holder: promised only for the
        # writer's own request (review 11, item 8)
        return _(
            "I have noted that you are %(where)s. If the request is for you yourself, I will take that as where the iqama holder is."
        ) % {"where": where}
    return _(
        "I have noted that you are %(where)s, and kept it for your request in case it asks where the iqama holder is."
    ) % {"where": where}
