"""The request in the person's own words, and its documents: the two intake steps that take
what people write and send, however they send it.

People do not answer in one tidy message. A description comes in two messages a moment
apart, or as a paste longer than a chat message that the app splits in several; the
explanation rides as the caption of a photo; photos come before the words. So:

- every text at the description step is part of one description until it is long enough
  to go on; after that, texts at the documents step are added to it (the documents
  question says so), and the length limit applies to the whole;
- a paste that makes the whole too long gets one answer, not one per part: the parts
  that follow it within :data:`PASTE_WINDOW_S` are its tail, and are dropped quietly;
- a caption counts as words for the description (at the description step) and stays with
  its file (at both), and a file sent at the description step joins the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from conversations import knowledge
from conversations.events import Choice, Event, Media, Option, Text
from conversations.flow import Ctx, Next, Outcome, Prompt, Retry, Stay
from conversations.flows.draft_files import album_once, file_refusal, take_file
from conversations.formatting import isolate
from conversations.keywords import is_done_word
from conversations.store_outage import file_kept
from conversations.understanding import says_only
from domain.attachments import MAX_FILES
from domain.description import MIN_DESCRIPTION, has_words, telling_length
from domain.normalize import clean_input
from domain.text_cut import cut_text

#: The most a description holds. The database column (Text) takes any length; the limit
#: is for the officer: the staff card and summary show a description whole up to about
#: this length within Telegram's 4096-character message (bot/staff/views.py cuts at
#: 1500, the card at 600 only when a card would not fit), and so does the person's own
#: summary before sending.
MAX_DESCRIPTION = 1000
#: How many of its last words show where a kept start of a description ends.
_END_WORDS = 6
#: The parts of one paste that a chat app split arrive within a second or two of each
#: other; nobody writes a new description that fast after being told theirs is too long.
PASTE_WINDOW_S = 5.0

# answers kept in the dialogue state (Redis), so any worker can take the next part
_DRAFT = "description_draft"
#: When a paste was last answered as too long (:func:`paste_tail`).
OVERFLOW = "description_overflow_at"
# set while the description is the kept start of a longer one (until it is replaced)
_CUT = "description_cut"
#: The words set aside by a change of service (:func:`set_aside`): while they are the
#: pending words, the step says where they come from.
_ASIDE = "description_set_aside"
#: The choice that keeps the description already written, on coming back to its step.
KEEP = "keep_description"
#: Words typed before the description step (a sentence at a number step), kept in the
#: dialogue state and offered when the step comes, so they need not be typed again.
PENDING = "description_pending"
#: A whole-message question typed at the description step, set aside until the person
#: says whether it belongs in the description (:func:`_question_aside`).
_QUESTION = "description_question"
#: The choice that adds that question to the description.
ADD_QUESTION = "add_question"
#: The most words a whole-message question has («هل اقدر اجدد الاقامة وانا خارج
#: المملكة؟» has 8); a longer message that starts with one tells a case.
QUESTION_WORDS = 15
#: The choice that goes on without a file that did not reach us (conversations.store_outage).
WITHOUT = "without_missing"

#: A step's two functions (conversations.flow.Step), as wrappers of them take them.
Ask = Callable[[Ctx], Prompt]
Answer = Callable[[Ctx, Event], Awaitable[Outcome]]


def keep_early(ctx: Ctx, text: str) -> str:
    """Keeps words written before the description step (a sentence at a number step or
    at an eligibility question: the request told too early) for that step, which offers
    them (:data:`PENDING`); the line that tells the person so. When a description is
    saved already (a step changed from the summary) or the words would not fit one, they
    are not kept and the line says the description comes in a moment."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    pending = "\n".join(filter(None, [str(answers.get(PENDING, "")), text.strip()]))
    if answers.get("description") or len(pending) > MAX_DESCRIPTION:
        return _("You can describe your request in a moment, right after the numbers.")
    answers[PENDING] = pending
    return _(
        "I have kept what you wrote: you will find it at the description step, right after the numbers."
    )


def set_aside(ctx: Ctx) -> None:
    """The description written so far (saved, or the start of one) becomes words written
    before the step (:data:`PENDING`), offered when the description step comes again: the
    service is being chosen again (conversations.flows.service_change)."""
    answers = ctx.state.answers
    draft = answers.pop(_DRAFT, None) or []
    parts = [str(answers.pop(PENDING, "")), str(answers.pop("description", "")), *draft]
    for key in (_CUT, OVERFLOW, _QUESTION):
        answers.pop(key, None)
    kept = "\n".join(p for p in parts if p.strip())
    if kept:
        answers[PENDING] = answers[_ASIDE] = kept


# ---- the problem in their words ------------------------------------------------------


def ask_description(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    if answers.get("description"):
        # back here (by «Back», or to change it from the summary): what they wrote is
        # shown and kept unless they send a new text; it was once silently dropped
        heading, kept = _("Your description so far:"), answers["description"]
    elif answers.get(PENDING) and answers.get(_ASIDE) == answers[PENDING]:
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
    return Prompt(
        "\n".join([heading, isolate(str(kept)), offer]),
        (Option(KEEP, _("Keep my description")), *_question_choice(ctx)),
    )


async def answer_description(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Media):
        return _description_with_file(ctx, event)
    if isinstance(event, Choice) and event.id == KEEP:
        kept = _keep(ctx)
        if kept is not None:
            return kept
    asked = ctx.state.answers.pop(_QUESTION, None)
    if isinstance(event, Choice) and event.id == ADD_QUESTION and asked:
        return _describe(ctx, str(asked))
    if not isinstance(event, Text):
        return Retry(_("Please write the description as a text message."))
    if _says_done(event.text):
        return _done_word(ctx)
    if _whole_question(event.text) and not ctx.state.answers.get(_DRAFT):
        # (a question after the start of a description is more of it: «انتهت إقامتي»
        # then «هل أقدر أجددها؟» tells one case)
        return _question_aside(ctx, event.text)
    return _describe(ctx, event.text)


def _says_done(text: str) -> bool:
    """A message that only says the person has finished («تم», «خلاص تم», «تم شكرا»):
    never words of the description."""
    return says_only(text, "done") or is_done_word(text)


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
    ctx.state.answers[_QUESTION] = text
    return Retry(
        _(
            "This looks like a question, and I don't have an answer to it here. To have the officer answer it, press «Add it to my description»; or go on describing your request."
        )
    )


def _question_choice(ctx: Ctx) -> tuple[Option, ...]:
    if not ctx.state.answers.get(_QUESTION):
        return ()
    return (Option(ADD_QUESTION, ctx.texts.gettext("Add it to my description")),)


def _keep(ctx: Ctx) -> Outcome | None:
    """«Keep my description» (or a word for done): the description already saved goes on
    unchanged, else the words written before the step become the description (asked for
    more, as any short text is, when they are short); None when there is nothing to keep."""
    answers = ctx.state.answers
    if answers.get("description"):
        answers.pop(_DRAFT, None)
        return Next("summary" if ctx.state.editing else "attachments")
    pending = answers.get(PENDING)
    if pending:
        answers.pop(_DRAFT, None)
        return _describe(ctx, str(pending))
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
    if answers.get(_DRAFT):
        # words kept so far are too short to go on: ask for more, as the step already does
        return Retry(_too_short(ctx))
    return Retry(
        _(
            "You have not described your request yet. Please describe it in your own words: what you need, and what went wrong if there was a problem."
        )
    )


def _describe(ctx: Ctx, text: str) -> Outcome:
    """Adds ``text`` to the description being written; goes on once it is long enough."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    if paste_tail(ctx):
        return Stay(())
    earlier: list[str] = list(answers.get(_DRAFT, []))
    whole = "\n".join([*earlier, text])
    if len(whole.strip()) > MAX_DESCRIPTION:
        # the start is kept and shown, with where it ends; found by the fresh-clone
        # tester: a long description was refused whole, to be shortened on a phone
        answers[OVERFLOW] = ctx.now.isoformat()
        answers.pop(_DRAFT, None)
        answers.pop(PENDING, None)
        answers["description"] = cut_text(whole.strip(), MAX_DESCRIPTION)
        answers[_CUT] = True
        return Next("description", (_kept_start(ctx),))
    answers.pop(OVERFLOW, None)
    cut = answers.pop(_CUT, False)
    short = telling_length(whole) < MIN_DESCRIPTION
    if short and cut and answers.get("description"):
        # the minimum counts what is kept: a short word after a cut description («🙏»)
        # is not asked to be longer (found by the fresh-clone tester)
        return _after_cut(ctx, text)
    if not has_words(text):
        # spaces, invisible marks, emoji or tatweel only: nothing to keep, and «I have
        # kept what you wrote» would not be true (found by the fresh-clone tester)
        return Retry(_no_words(ctx, kept=bool(earlier)))
    if short:
        # kept: the next message adds to it, so nothing typed so far has to be typed again
        answers[_DRAFT] = [*earlier, text]
        return Retry(_too_short(ctx))
    answers.pop(_DRAFT, None)
    answers.pop(PENDING, None)
    # kept exactly as typed: the officer reads the person's own words
    answers["description"] = whole
    return Next("summary" if ctx.state.editing else "attachments")


def _after_cut(ctx: Ctx, text: str) -> Outcome:
    """A short message after a description was cut to the limit: added when it fits, and
    the kept description goes on either way."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    answers.pop(_DRAFT, None)
    answers.pop(PENDING, None)
    joined = f"{answers['description']}\n{text}"
    said: tuple[str, ...] = ()
    if len(joined.strip()) <= MAX_DESCRIPTION:
        answers["description"] = joined
    else:
        said = (
            _(
                "Your description is already as long as a request takes, so this message was not added; the start kept above stands."
            ),
        )
    return Next("summary" if ctx.state.editing else "attachments", said)


def _description_with_file(ctx: Ctx, event: Media) -> Outcome:
    """A photo or file at the description step: it joins the request, and its caption is
    (part of) the description."""
    _ = ctx.texts.gettext
    reason = take_file(ctx, event)
    if reason is None:
        file_kept(ctx.state)
    refusal = None if reason is None else file_refusal(ctx, reason)
    caption = (event.caption or "").strip()
    if caption and not _says_done(caption):
        album_once(ctx, event.album_id, "ok")
        outcome = _describe(ctx, caption)
        if isinstance(outcome, Next):
            said = (
                (_("Your description and your file are saved."),)
                if refusal is None
                else (_("Your description is saved."), refusal)
            )
            return Next(outcome.step, (*said, *outcome.say))
        if isinstance(outcome, Retry):
            kept = _("I have kept your file.") if reason is None else _file_line(ctx, reason)
            return Retry(f"{kept}\n{outcome.hint}")
        return outcome
    if not album_once(ctx, event.album_id, "early"):
        return Stay(())  # the rest of an album: one answer for all of it
    if reason is not None:
        # one line for the file and what this step wants; the documents step's words
        # («press Done») once came with «write the description» (found by the tester)
        return Retry(
            "\n".join(
                [
                    _file_line(ctx, reason),
                    _(
                        "Now please describe your request in words: what you need, and what went wrong if there was a problem."
                    ),
                ]
            )
        )
    return Retry(
        _(
            "I have kept your file; it will be sent with your request. Now please describe your request in words: what you need, and what went wrong if there was a problem."
        )
    )


def _file_line(ctx: Ctx, reason: str) -> str:
    """Why a file sent at the description step was not taken, as this step says it: the
    documents step's refusals (:func:`conversations.flows.draft_files.file_refusal`) ask
    for «Done», which this step does not have."""
    _ = ctx.texts.gettext
    if reason == "duplicate":
        return _("You have already sent this file, so it is kept once.")
    if reason == "quota":
        return _("You have sent as many files today as one day allows.")
    if reason == "count":
        return ctx.texts.ngettext(
            "You have already sent %(max)d file, the most one request can take.",
            "You have already sent %(max)d files, the most one request can take.",
            MAX_FILES,
        ) % {"max": MAX_FILES}
    return file_refusal(ctx, reason)


def _too_short(ctx: Ctx) -> str:
    return ctx.texts.ngettext(
        "I have kept what you wrote. Please add some detail in another message (at least %(min)d letter or digit in all) so the officer understands your request.",
        "I have kept what you wrote. Please add some detail in another message (at least %(min)d letters or digits in all) so the officer understands your request.",
        MIN_DESCRIPTION,
    ) % {"min": MIN_DESCRIPTION}


def _no_words(ctx: Ctx, *, kept: bool) -> str:
    """A message with no letter or digit at the description step (spaces, invisible
    marks, emoji, tatweel): nothing of it is kept; words kept before it still are."""
    _ = ctx.texts.gettext
    if kept:
        return ctx.texts.ngettext(
            "I received no words in this message. What you wrote before is kept; please add some detail (at least %(min)d letter or digit in all) so the officer understands your request.",
            "I received no words in this message. What you wrote before is kept; please add some detail (at least %(min)d letters or digits in all) so the officer understands your request.",
            MIN_DESCRIPTION,
        ) % {"min": MIN_DESCRIPTION}
    return _(
        "I received no words in this message. Please describe your request in words: what you need, and what went wrong if there was a problem."
    )


def end_words(text: str) -> str:
    """The last words of ``text``, to show where a kept start ends."""
    return isolate(" ".join(text.split()[-_END_WORDS:]))


def _kept_start(ctx: Ctx) -> str:
    """What was kept of a description longer than a request takes: its start, as long as
    the limit allows (:func:`domain.text_cut.cut_text`), and where it ends. The step then
    shows it with «Keep my description», so the person may go on with it or send a
    shorter text instead."""
    kept = str(ctx.state.answers["description"])
    return ctx.texts.ngettext(
        "Your description is longer than %(max)d characters, the most a request can take. I have kept its start (%(count)d character), up to «%(end)s»; the rest is not in your request.",
        "Your description is longer than %(max)d characters, the most a request can take. I have kept its start (%(count)d characters), up to «%(end)s»; the rest is not in your request.",
        len(kept),
    ) % {"max": MAX_DESCRIPTION, "count": len(kept), "end": end_words(kept)}


def paste_tail(ctx: Ctx) -> bool:
    """True for the next part of a paste already answered as too long (and it extends the
    window, since parts keep coming as long as the paste lasts)."""
    answers = ctx.state.answers
    at = answers.get(OVERFLOW)
    if not at:
        return False
    since = (ctx.now - dt.datetime.fromisoformat(at)).total_seconds()
    if since > PASTE_WINDOW_S:
        answers.pop(OVERFLOW, None)
        return False
    answers[OVERFLOW] = ctx.now.isoformat()
    return True
