"""The description step: the request in the person's own words, however they send them.

A text is added to the description (conversations.flows.description_text: the parts, the
limit, a paste's tail); a photo or file joins the request and its caption is words of the
description (conversations.flows.describe_files); words written before the step are
offered («Keep my description», conversations.flows.description_early); a whole-message
question is set aside and offered; «تم» alone is never the description.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from conversations import knowledge
from conversations.events import Choice, Event, Media, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry
from conversations.flows.change_wishes import change_at_description
from conversations.flows.describe_files import KEEP_DESCRIPTION, description_with_file
from conversations.flows.description_questions import question_lines
from conversations.flows.description_text import (
    ASIDE,
    DRAFT,
    MAX_DESCRIPTION,
    PENDING,
    QUESTION,
    REST,
    add_at_end,
    describe,
    says_done,
)
from conversations.flows.description_words import (
    after_replacing_opener,
    only_asks,
    unknown_number,
)
from conversations.flows.number_unknown import number_unknown_lines
from conversations.formatting import isolate
from conversations.keywords import is_acknowledgement
from conversations.officer_wish import officer_line, wants_officer
from conversations.reading import short_number_alone
from conversations.understanding import plain_yes_or_no, says_only
from domain.description import MIN_DESCRIPTION
from domain.normalize import clean_input

#: The choice that keeps the description already written, on coming back to its step.
KEEP = KEEP_DESCRIPTION
#: Set by the summary when the person asked to add to the description («ابي اضيف شي
#: للوصف»), in the dialogue state: the next text is added after it, not put in its place.
ADDING = "adding_to_description"
#: The choice that adds a question set aside to the description.
ADD_QUESTION = "add_question"
#: The choice that adds the message taken for the rest of a split paste (description_text.
#: REST) at the end of the description, in case it was a message of its own.
ADD_REST = "add_rest"
#: The most words a whole-message question has («هل اقدر اجدد الاقامة وانا خارج
#: المملكة؟» has 8); a longer message that starts with one tells a case.
QUESTION_WORDS = 15
#: The choice that goes on without a file that did not reach us (conversations.store_outage).
WITHOUT = "without_missing"

#: A step's two functions (conversations.flow.Step), as wrappers of them take them.
Ask = Callable[[Ctx], Prompt]
Answer = Callable[[Ctx, Event], Awaitable[Outcome]]


def ask_description(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    if answers.get("description"):
        # back here (by «Back», or to change it from the summary): what they wrote is
        # shown and kept unless they send a new text; it was once silently dropped
        heading, kept = _("Your description so far:"), answers["description"]
    elif answers.get(PENDING) and answers.get(ASIDE) == answers[PENDING]:
        # written at this step before the service was changed: not «before the step»
        heading, kept = _("You wrote this before the service was changed:"), answers[PENDING]
    elif answers.get(PENDING):
        # written too early, at a number step or a question (found by the fresh-clone
        # tester): offered
        # as the description, as one already saved is
        heading, kept = (
            _("You wrote this earlier, before the description step:"),
            answers[PENDING],
        )
    else:
        return Prompt(
            _(
                "Describe your request in your own words: what you need, and what went wrong if there was a problem."
            ),
            _question_choice(ctx),
        )
    offer = _("Press «Keep my description» to go on with it, or send a new text to replace it.")
    if answers.get(ADDING) and answers.get("description"):
        offer = _(
            "Please write what you would like to add: it will be added after what you wrote. Or press «Keep my description» to go on with it as it is."
        )
    return Prompt(
        "\n".join([heading, isolate(str(kept)), offer]),
        (Option(KEEP, _("Keep my description")), *_question_choice(ctx)),
    )


async def answer_description(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    # offered for one answer only (the message right after it decides)
    rest = ctx.state.answers.pop(REST, None)
    if isinstance(event, Choice) and event.id == ADD_REST and rest:
        return add_at_end(ctx, str(rest))
    if isinstance(event, Media):
        return description_with_file(ctx, event)
    if isinstance(event, Choice) and event.id == KEEP:
        kept = _keep(ctx)
        if kept is not None:
            return kept
    asked = ctx.state.answers.pop(QUESTION, None)
    if isinstance(event, Choice) and event.id == ADD_QUESTION and asked:
        return describe(ctx, str(asked))
    if not isinstance(event, Text):
        return Retry(_("Please write the description as a text message."))
    if says_done(event.text):
        ctx.state.answers.pop(ADDING, None)
        return _done_word(ctx)
    if _says_keep(ctx, event.text):
        kept = _keep(ctx)
        if kept is not None:
            return kept
    replacing = after_replacing_opener(event.text) if _offered(ctx) else None
    if _offered(ctx) and (_says_no(event.text) or replacing == ""):
        # «لا» to «Keep my description»: not the first word of a new one (helper 22)
        return Retry(
            _("Alright. Please write the new description; it will replace what you wrote.")
        )
    if replacing:
        # «لا، اكتب بداله: …»: the words after the opener are the new description
        event = dataclasses.replace(event, text=replacing)
    if asked is None and rest is None and short_number_alone(event.text):
        # «1» with no numbered choice on screen: no description (helper 22's recheck)
        return Retry(
            "\n".join(
                [
                    _("A number alone is not added to your description."),
                    _(
                        "Describe your request in your own words: what you need, and what went wrong if there was a problem."
                    ),
                ]
            )
        )
    change = change_at_description(ctx, event.text)
    if change is not None:
        return change
    kind = unknown_number(event.text)
    if kind is not None and only_asks(event.text):
        # answered, not kept as the description (tester 13, §12)
        return Retry(_number_unknown(ctx, kind))
    if kind is not None:
        # a case told with it: kept as ever, and the ask answered too (review 15 §3)
        return _with_lines(describe(ctx, event.text), number_unknown_lines(ctx, kind))
    if ctx.state.answers.pop(ADDING, None) and ctx.state.answers.get("description"):
        return add_to_description(ctx, event.text)
    if _whole_question(event.text) and not ctx.state.answers.get(DRAFT):
        # (a question after the start of a description is more of it: «انتهت إقامتي»
        # then «هل أقدر أجددها؟» tells one case)
        return _question_aside(ctx, event.text)
    described = describe(ctx, event.text)
    if isinstance(described, Next):
        # a question inside the description is kept with it, and said so (sessions 14-15)
        return _with_lines(described, question_lines(ctx, event.text))
    return described


def add_to_description(ctx: Ctx, text: str) -> Outcome:
    """Words to add, asked for from the summary (:data:`ADDING`) or told there: put after
    the description, which stays; too long together, not added, and asked again."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    whole = f"{answers['description']}\n{text}"
    if len(whole.strip()) > MAX_DESCRIPTION:
        answers[ADDING] = True
        return Retry(
            _(
                "With this message your description would be longer than %(max)d characters, so it was not added. Please send a shorter text."
            )
            % {"max": MAX_DESCRIPTION}
        )
    answers["description"] = whole
    return Next(
        "summary" if ctx.state.editing else "attachments",
        (_("I have added it to your description."),),
    )


def _with_lines(outcome: Outcome, lines: list[str]) -> Outcome:
    """``outcome`` with ``lines`` said after what it says already."""
    if isinstance(outcome, Next):
        return Next(outcome.step, say=(*outcome.say, *lines))
    if isinstance(outcome, Retry):
        return Retry("\n".join((outcome.hint, *lines)))
    return outcome


def _number_unknown(ctx: Ctx, kind: str) -> str:
    """The answer to «ما اعرف رقم الحدود حقه وين الاقيه؟» at the description step (tester
    13, §12: it was kept as the description): conversations.flows.number_unknown's lines,
    then the step's invitation again (``kind``: description_words.unknown_number)."""
    _ = ctx.texts.gettext
    lines = number_unknown_lines(ctx, kind)
    lines.append(
        _(
            "You can now describe your request in your own words: what you need, and what went wrong if there was a problem."
        )
    )
    return "\n".join(lines)


def _whole_question(text: str) -> bool:
    """Whether a message at the description step is a question to us rather than (part
    of) the description. The rule, on the whole message: it opens with a question word
    («هل», «كم», «متى», «what»...), is one sentence (no line break, and no «.», «!», «?»
    or «؟» before its end) and has at most :data:`QUESTION_WORDS` words. So «هل اقدر اجدد
    الاقامة وانا خارج المملكة؟» is a question, while a description that only contains
    one («انتهت اقامتي. هل اقدر اجددها؟», «…وش الحل؟») or tells a case after «هل» at
    length stays the person's description."""
    typed = clean_input(text)
    if "\n" in text.strip() or len(typed.split()) > QUESTION_WORDS:
        return False
    body = typed.rstrip(" ?؟!.")
    if any(mark in body for mark in ".!?؟"):
        return False
    return knowledge.opens_with_question_word(typed)


def _question_aside(ctx: Ctx, text: str) -> Outcome:
    """A question the knowledge base could not answer (the engine answers those it can
    before the step): not added to the description without a word (found by the
    fresh-clone tester), but set aside and offered — «أضفه إلى الوصف» sends it to the
    officer with the request; anything else goes on with the description."""
    _ = ctx.texts.gettext
    ctx.state.answers[QUESTION] = text
    return Retry(
        _(
            "This looks like a question, and I don't have an answer to it here. To have the officer answer it, press «Add it to my description»; or go on describing your request."
        )
    )


def _question_choice(ctx: Ctx) -> tuple[Option, ...]:
    """«Add it to my description» for a question set aside, or for the message taken for
    the rest of a split paste (description_text.rest_received names the button)."""
    label = ctx.texts.gettext("Add it to my description")
    if ctx.state.answers.get(QUESTION):
        return (Option(ADD_QUESTION, label),)
    if ctx.state.answers.get(REST):
        return (Option(ADD_REST, label),)
    return ()


def _says_keep(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` answers «Keep my description» while it is offered: a yes
    («ايوه», «تمام», «ok») or the only option's number («1»). Helper 22: these were kept
    as a new, too short description in place of the words offered."""
    if not _offered(ctx):
        return False
    yes = plain_yes_or_no(text, yes_only=True) or is_acknowledgement(text)
    # «خلها زي ما هي» (helper 26: told it was too short to be a description)
    return yes or clean_input(text).strip() == "1" or says_only(text, KEEP)


def _says_no(text: str) -> bool:
    """A no to «Keep my description»: «لا», or a no and a few words too short to be a
    description themselves («لا ابي اغيره»: helper 23, kept as the start of a new one)."""
    first = text.split()[0] if text.split() else ""
    if plain_yes_or_no(text):
        return True
    short = len(clean_input(text).strip()) < MIN_DESCRIPTION
    return short and plain_yes_or_no(first) and not plain_yes_or_no(first, yes_only=True)


def _offered(ctx: Ctx) -> bool:
    """Whether «Keep my description» is on screen: words kept, not being added to."""
    offered = ctx.state.answers.get(PENDING) or ctx.state.answers.get("description")
    return bool(offered) and ADDING not in ctx.state.answers


def _keep(ctx: Ctx) -> Outcome | None:
    """«Keep my description» (or a word for done): the description already saved goes on
    unchanged, else the words written before the step become the description (asked for
    more, as any short text is, when they are short); None when there is nothing to keep."""
    answers = ctx.state.answers
    if answers.get("description"):
        answers.pop(DRAFT, None)
        return Next("summary" if ctx.state.editing else "attachments")
    pending = answers.get(PENDING)
    if pending:
        answers.pop(DRAFT, None)
        return describe(ctx, str(pending))
    return None


def _done_word(ctx: Ctx) -> Outcome:
    """«تم», «خلاص», «done» at the description step: the person means they have finished,
    so the word is never kept as (part of) the description (the tester found «الوصف: تم»)."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    # a description given before (going back, or changing it from the summary), or words
    # written before the step, stand, as «Keep my description» would have them
    kept = _keep(ctx)
    if kept is not None:
        return kept
    if answers.get(DRAFT):
        # words kept so far are too short to go on: ask for more, not «I have kept what you
        # wrote», which read as if «تم» had been kept (session 20's new-user probe)
        return Retry(
            ctx.texts.ngettext(
                "What you have written so far is too short for a description. Please add some detail in another message (at least %(min)d letter or digit in all) so the officer understands your request, then go on.",
                "What you have written so far is too short for a description. Please add some detail in another message (at least %(min)d letters or digits in all) so the officer understands your request, then go on.",
                MIN_DESCRIPTION,
            )
            % {"min": MIN_DESCRIPTION}
        )
    return Retry(
        _(
            "You have not described your request yet. Please describe it in your own words: what you need, and what went wrong if there was a problem."
        )
    )


#: The most words of a wish for an officer at the description step; a longer message
#: tells the case (it is the description).
_OFFICER_WISH_WORDS = 6


def officer_wish_first(answer: Answer) -> Answer:
    """The description step's ``answer`` that first answers a short wish to speak with an
    officer («ابي اكلم موظف») as the other steps do, and keeps it out of the description
    the officer reads (tester 14 §4: it was kept as the description)."""

    async def answered(ctx: Ctx, event: Event) -> Outcome:
        if (
            isinstance(event, Text)
            and len(event.text.split()) <= _OFFICER_WISH_WORDS
            and wants_officer(event.text)
        ):
            return Retry(officer_line(ctx, mid_request=True))
        return await answer(ctx, event)

    return answered
