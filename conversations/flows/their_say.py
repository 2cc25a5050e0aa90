"""The person's say about a request they filed (issue 13), as a side flow with one step per
kind: a note (words and files, sent with «Send note»), the reason for asking a rejection to
be reconsidered, and the optional comment after a satisfaction rating.

It opens from a button (``note:N``, ``recon:N``, ``rate:N:S``: see
:mod:`conversations.their_say`) or the person's own words, at any step; a half-filled
request is put aside meanwhile and comes back when this is done.
"""

from __future__ import annotations

from typing import Any

from conversations.events import Choice, Event, Media, Option, Text
from conversations.flow import Ctx, Finish, Flow, Next, Outcome, Prompt, Retry, Stay, Step
from conversations.flows.say_note import answer_note, ask_note, refusal_text
from conversations.formatting import isolate
from conversations.gathering import attachments, gather, gathered, is_send
from conversations.ports import SayRefused
from conversations.stray_files import mark_reconsidered
from conversations.their_say import (
    NEGATION_WORDS,
    NO_COMMENT,
    THEIR_SAY_DATA,
    reconsider_id,
    say_wish,
)
from conversations.wishes import leads_with, negated, phrases_of, words_after
from domain.normalize import fold_arabic
from domain.their_say import MAX_NOTE, MAX_NOTE_FILES

SAY = "say"
#: A comment opening with a reconsideration phrase within this many words asks for one,
#: however long it is («ابي اتظلم، …» with the whole story after it).
APPEAL_LEAD_WORDS = 5
#: A negation among this many words before the reconsideration phrase says it is not wanted.
APPEAL_NEGATION_WORDS = NEGATION_WORDS
#: The step each kind opens at.
STEPS = {"note": "note", "recon": "reason", "rate": "comment"}
#: The step offering the reconsideration asked for in words at the comment prompt, its
#: buttons, and where the message waits meanwhile (in the say flow's answers).
OFFER = "offer"
OFFER_YES = "yes"
OFFER_NO = "no"
APPEAL_TEXT = "appeal_text"
#: In the say flow's answers: the channel's reference to the message whose «Ask to
#: reconsider» was tapped (``Choice.message``), when it gave one.
BUTTON_MESSAGE = "button_message"


def _answers(ctx: Ctx) -> dict[str, Any]:
    return ctx.state.answers


# ---- a reconsideration ----------------------------------------------------------------


#: The answers' key: a reason typed with the wish to reconsider, sent with «send».
REASON_WORDS = "reason_words"


def reason_in(text: str) -> bool:
    """Whether a wish to reconsider typed in words also says why: two words or more
    besides the wish's phrase and polite fillers («ليش رفضتوه؟ الرقم صحيح والله ابي
    اتظلم»), not «ابي اتظلم» or «ابي اعادة النظر في طلبي لو سمحت»."""
    words = set(fold_arabic(text).replace("؟", " ").replace("?", " ").replace("،", " ").split())
    rest = {w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words}
    phrases = {w for p in phrases_of(THEIR_SAY_DATA, "reconsider") for w in p.split()}
    # words of the wish that give no reason («ابي اعادة النظر في طلبي لو سمحت»): data
    fillers = set(phrases_of(THEIR_SAY_DATA, "note_filler")) | set(
        phrases_of(THEIR_SAY_DATA, "reason_fillers")
    )
    return len(rest - phrases - fillers) >= 2


def ask_reason(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _(
            "Why should request %(number)s be reconsidered? Write your reason in one message; "
            "you can send photos or PDF files with it. "
            "You can ask for this only once, so please include everything the officer should know."
        )
        % {"number": _answers(ctx)["number"]}
    )


async def answer_reason(ctx: Ctx, event: Event) -> Outcome:
    """The reason, in words; photos or files sent before it (or with it, the reason as
    their caption) are kept and go with it (found by the fresh-clone tester: a photo sent
    with the reconsideration was dropped)."""
    _ = ctx.texts.gettext
    typed_before = _answers(ctx).get(REASON_WORDS)
    if typed_before and is_send(event):
        # the reason given with the wish in words («… الرقم صحيح، ابي اتظلم»), sent as is
        event = Text(event.origin, str(typed_before))
    if isinstance(event, Media):
        kept = _reason_file(ctx, event)
        caption = (event.caption or "").strip()
        if not caption or not isinstance(kept, Stay) or len(caption) > MAX_NOTE:
            return kept
        # the words sent with the photo are the reason
        event = Text(event.origin, caption)
    if not isinstance(event, Text) or not event.text.strip():
        return Retry(_("Please write your reason in words."))
    if len(event.text) > MAX_NOTE:
        return Retry(
            _("Your reason is longer than %(max)d characters. Please shorten it.")
            % {"max": MAX_NOTE}
        )
    number = str(_answers(ctx)["number"])
    # once the reason is in (or the request can no longer be reconsidered), the button
    # tapped to get here leaves its message where the channel can take it off
    button = (reconsider_id(number),)
    on = _answers(ctx).get(BUTTON_MESSAGE)
    _texts, files = gathered(ctx)
    try:
        await ctx.gateway.reconsider(
            number, ctx.origin.channel, ctx.origin.user_key, event.text, attachments(files)
        )
    except SayRefused as refused:
        spent = button if refused.reason in ("already", "not_rejected") else ()
        return Finish((refusal_text(ctx, refused, "recon"),), spent=spent, spent_on=on)
    mark_reconsidered(ctx, number, albums=ctx.state.albums)
    if files:
        sent = _(
            "Your request for request %(number)s to be reconsidered has been sent with your reason and the photos or files you sent. An officer will look at it, and you will be told the outcome here."
        )
    else:
        sent = _(
            "Your request for request %(number)s to be reconsidered has been sent with your reason. An officer will look at it, and you will be told the outcome here."
        )
    return Finish((sent % {"number": number},), spent=button, spent_on=on)


def _reason_file(ctx: Ctx, event: Media) -> Outcome:
    """A photo or file sent while the reason is asked: kept for the reconsideration (the
    checks of a note's files), the reason still asked for."""
    _ = ctx.texts.gettext
    taken = gather(
        ctx,
        event,
        max_chars=MAX_NOTE,
        too_long="",
        not_sent=_(
            "Your photo is received and will be sent with your request to reconsider. Now write your reason in one message."
        )
        if event.kind == "photo"
        else _(
            "Your file is received and will be sent with your request to reconsider. Now write your reason in one message."
        ),
        max_files=MAX_NOTE_FILES,
    )
    return taken if taken is not None else Retry(_("Please write your reason in words."))


# ---- the comment after a rating -------------------------------------------------------


def ask_comment(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _(
            "Thank you for your rating. Would you like to add a comment? Write it in one message, or press «No comment»."
        ),
        (Option(NO_COMMENT, _("No comment")),),
    )


async def answer_comment(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id == NO_COMMENT:
        return Finish((_("Thank you for your answer."),))
    if not isinstance(event, Text) or not event.text.strip():
        return Retry(_("Please write your comment in words, or press «No comment»."))
    if len(event.text) > MAX_NOTE:
        return Retry(
            _("Your comment is longer than %(max)d characters. Please shorten it.")
            % {"max": MAX_NOTE}
        )
    number = str(_answers(ctx)["number"])
    appeal = await _appeal(ctx, event, number)
    if appeal is not None:
        return appeal
    return await _comment(ctx, number, event.text)


async def _appeal(ctx: Ctx, event: Text, number: str) -> Outcome | None:
    """A reconsideration asked in words («ابي اتظلم», «اعيدوا النظر»: the ``reconsider``
    phrases of ``data/their_say.json``) where the comment on a rejection's rating is asked:
    the reconsideration offered (yes/no, :func:`answer_offer`), not sent at once: it can
    be asked only once (review 12 §1). With words beyond the phrase, «yes» sends the whole
    message as its reason; the phrase alone asks for the reason. None when the message asks for no reconsideration or the request cannot be
    reconsidered (accepted, asked once already): then it is the comment, as ever. Found by
    tester 12 (§1): «ابي اتظلم، انا ما اقدر اروح الفرع لاني مريض» was thanked as a comment
    and the rejection stayed with no reconsideration asked. A phrase after a negation
    («ما ابي اعادة النظر، شكرا», «no need to appeal»: ``reconsider_negations``) asks for
    none: the comment (review 12 §1: those sent the one reconsideration)."""
    text = event.text
    if say_wish(text) != "recon" and not leads_with(
        text, THEIR_SAY_DATA, "reconsider", within=APPEAL_LEAD_WORDS
    ):
        return None
    if negated(
        text, THEIR_SAY_DATA, "reconsider", "reconsider_negations", within=APPEAL_NEGATION_WORDS
    ):
        return None
    origin = ctx.origin
    try:
        await ctx.gateway.may_say("recon", number, origin.channel, origin.user_key)
    except SayRefused:
        return None
    # offered, not sent: it can be asked only once (review 12 §1)
    _answers(ctx)[APPEAL_TEXT] = text
    return Next(OFFER)


def ask_offer(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _(
            "Would you like request %(number)s to be reconsidered? This can be asked only once. If not, your message will be recorded as your comment."
        )
        % {"number": isolate(str(_answers(ctx)["number"]))},
        (Option(OFFER_YES, _("Yes, reconsider it")), Option(OFFER_NO, _("No, it is a comment"))),
    )


async def answer_offer(ctx: Ctx, event: Event) -> Outcome:
    """«Yes»: the message is the reconsideration's reason (the phrase alone: the reason is
    asked for); «No»: it is the comment."""
    _ = ctx.texts.gettext
    if not isinstance(event, Choice) or event.id not in (OFFER_YES, OFFER_NO):
        return Retry(_("Please press «Yes, reconsider it» or «No, it is a comment»."))
    text = str(_answers(ctx).pop(APPEAL_TEXT, ""))
    number = str(_answers(ctx)["number"])
    if event.id == OFFER_YES:
        if not words_after(text, THEIR_SAY_DATA, "reconsider", "note_filler"):
            return Next(STEPS["recon"])
        return await answer_reason(ctx, Text(event.origin, text))
    return await _comment(ctx, number, text)


async def _comment(ctx: Ctx, number: str, text: str) -> Outcome:
    _ = ctx.texts.gettext
    try:
        await ctx.gateway.comment(number, ctx.origin.channel, ctx.origin.user_key, text)
    except SayRefused as refused:
        return Finish((refusal_text(ctx, refused, "comment"),))
    return Finish((_("Thank you. Your comment has been recorded."),))


def cancelled(ctx: Ctx) -> str | None:
    """What «cancel» typed in the say flow stopped, said about the request the person
    filed, which stays as it is; None outside the say flow. Found by tester 12 (§4): a
    note cancelled got «تم الإلغاء، ولم يُرسَل أي طلب», said to a person whose request was
    sent."""
    state = ctx.state
    if state.flow != SAY:
        return None
    _ = ctx.texts.gettext
    number = {"number": isolate(str(state.answers.get("number", "")))}
    if state.step == STEPS["recon"]:
        return (
            _(
                "Cancelled: no reconsideration was asked for. Your request %(number)s stays as it is."
            )
            % number
        )
    if state.step in (STEPS["rate"], OFFER):
        return (
            _("Cancelled: no comment was added. Your rating of request %(number)s is kept.")
            % number
        )
    return (
        _("Your note was cancelled and nothing was sent. Your request %(number)s stays as it is.")
        % number
    )


def _help(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    return _(
        "You are writing to the officers about a request you filed. Write your words and press the button below when you have finished; type «cancel» to stop without sending."
    )


SAY_FLOW = Flow(
    name=SAY,
    first="note",
    greeting=lambda ctx: "",
    help=_help,
    steps={
        "note": Step(ask_note, answer_note, can_go_back=False, free_text=True, takes_files=True),
        "reason": Step(
            ask_reason, answer_reason, can_go_back=False, free_text=True, takes_files=True
        ),
        "comment": Step(ask_comment, answer_comment, can_go_back=False, free_text=True),
        OFFER: Step(ask_offer, answer_offer, can_go_back=False, free_text=True),
    },
)
