"""Words written before the description step, or set aside from it: kept in the dialogue
state (:data:`conversations.flows.description_text.PENDING`) and offered when the step
comes, so nothing typed has to be typed again."""

from __future__ import annotations

from typing import Any

from conversations.flow import Ctx
from conversations.flows.description_text import (
    ASIDE,
    CUT,
    DRAFT,
    MAX_DESCRIPTION,
    OVERFLOW,
    PENDING,
    QUESTION,
    end_words,
)
from conversations.knowledge import asks_what_to_do
from conversations.reconsider_matter import about_another_matter
from conversations.understanding import content_words
from domain.text_cut import cut_text


def keep_early(ctx: Ctx, text: str, answers: dict[str, Any] | None = None) -> str:
    """Keeps words written before the description step (a sentence at a number step or
    at an eligibility question: the request told too early) for that step, which offers
    them (:data:`PENDING`); the line that tells the person so. When a description is
    saved already (a step changed from the summary) or the words would not fit one, they
    are not kept and the line says the description comes in a moment. ``answers``: of a
    draft put aside (a look-up opened from it), else the current draft's."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers if answers is None else answers
    pending = "\n".join(filter(None, [str(answers.get(PENDING, "")), text.strip()]))
    if answers.get("description") or len(pending) > MAX_DESCRIPTION:
        return _("You can describe your request in a moment, right after the numbers.")
    answers[PENDING] = pending
    return _(
        "I have kept what you wrote: you will find it at the description step, right after the numbers."
    )


#: Content words (:func:`conversations.understanding.content_words`) from which a message
#: where the service is chosen tells the person's case rather than only naming a need:
#: «ابي اجدد اقامة زوجتي» names a service; «الاقامة خلصت من شهر وابي اجددها بس النظام في
#: ابشر يطلع لي خطأ 😢 وش اسوي؟؟ والله تعبت» (tester 12, fault 14) tells what went wrong.
STORY_WORDS = 8


def keep_story(ctx: Ctx, text: str) -> bool:
    """A story told where the service is chosen (tester 12, fault 14: it picked the
    service, then had to be typed again at the description step): kept for that step,
    which offers it (:data:`PENDING`), as words typed at a number step are. A message of
    fewer than :data:`STORY_WORDS` content words only names a need and is not kept; nor
    are words already kept, nor any when a description is saved or they would not fit; a
    complaint about another matter (:func:`about_another_matter`) is kept however short.
    True when the words are kept now (the step says so: :func:`story_kept`)."""
    answers = ctx.state.answers
    story = text.strip()
    # «ابي اتظلم على الموظف»: a complaint is the request's whole matter however short
    # (session 16: «لم يُرفض أيٌّ من طلباتك», the words lost)
    # (session 20's probe: «اقامتي انتهت والكفيل مسافر وش اسوي», a situation told with
    # «what do I do?», lost its words too)
    short = (
        len(content_words(story)) < STORY_WORDS
        and not about_another_matter(story)
        and not asks_what_to_do(story)
    )
    if short or answers.get("description"):
        return False
    earlier = str(answers.get(PENDING, ""))
    if story in earlier.split("\n"):
        # the same words sent again (after «None of these»): kept once
        return False
    pending = "\n".join(filter(None, [earlier, story]))
    if len(pending) > MAX_DESCRIPTION:
        return False
    answers[PENDING] = pending
    return True


def keep_story_start(ctx: Ctx, text: str) -> str | None:
    """A story told where the service is chosen that is longer than a description may be
    (:data:`MAX_DESCRIPTION`): its start (:func:`domain.text_cut.cut_text`) is kept for the
    description step as :func:`keep_story` keeps a shorter one, and the line returned says
    so, with the limit and where the kept start ends (after words kept before it, if
    any); None for a story that fits, or when a description is saved already. Found by fresh users in
    sessions 14-15: such a story was said too long and dropped whole, to be typed again."""
    answers = ctx.state.answers
    story = text.strip()
    if len(story) <= MAX_DESCRIPTION or answers.get("description"):
        return None
    earlier = str(answers.get(PENDING, ""))
    start = cut_text("\n".join(filter(None, [earlier, story])), MAX_DESCRIPTION)
    answers[PENDING] = start
    return ctx.texts.ngettext(
        "What you wrote is longer than %(max)d characters, the most a description can take. I have kept its start (%(count)d character), up to «%(end)s», as your request's description; you can change it before the request is sent.",
        "What you wrote is longer than %(max)d characters, the most a description can take. I have kept its start (%(count)d characters), up to «%(end)s», as your request's description; you can change it before the request is sent.",
        len(start),
    ) % {"max": MAX_DESCRIPTION, "count": len(start), "end": end_words(start)}


def story_kept(ctx: Ctx) -> str:
    """What the service step says of a story it kept (:func:`keep_story`): that it will
    be offered as the description, and can be changed (at that step, or at the summary's
    «Change the description»).

    Found in session 12: the story was kept silently, so the person did not know their
    words were not lost, nor that they could still change them."""
    return ctx.texts.gettext(
        "I have kept what you wrote: it will be offered as your request's description, and you can change it before the request is sent."
    )


def set_aside(ctx: Ctx) -> None:
    """The description written so far (saved, or the start of one) becomes words written
    before the step (:data:`PENDING`), offered when the description step comes again: the
    service is being chosen again (conversations.flows.service_change)."""
    answers = ctx.state.answers
    draft = answers.pop(DRAFT, None) or []
    parts = [str(answers.pop(PENDING, "")), str(answers.pop("description", "")), *draft]
    for key in (CUT, OVERFLOW, QUESTION):
        answers.pop(key, None)
    kept = "\n".join(p for p in parts if p.strip())
    if kept:
        answers[PENDING] = answers[ASIDE] = kept
