"""The person's answer to an officer's question: words and photos that join the request.

It starts from the «Answer» button of the notification, from any step; a half-filled
request is put aside meanwhile and comes back afterwards.
"""

from __future__ import annotations

from typing import Any

from conversations import known_requests
from conversations.events import Event, Media, Option, Origin, Text
from conversations.flow import Ctx, Finish, Flow, Outcome, Prompt, Step
from conversations.formatting import isolate
from conversations.gathering import file_fields, gather_then_send
from conversations.ports import (
    AttachmentInfo,
    AttemptLimiter,
    MoreInfoAnswer,
    NotAwaitingAnswer,
    NotTheirs,
)
from domain.status import RequestStatus
from domain.text_cut import cut_text

MAX_ANSWER = 1000


def _answers(ctx: Ctx) -> dict[str, Any]:
    return ctx.state.answers


def ask_answer(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    answers = _answers(ctx)
    return Prompt(
        _(
            "The officer asks about request %(number)s:\n«%(question)s»\n"
            "Write your answer, and send photos or PDF files if needed. Press «Send answer» when you have finished."
        )
        % {"number": answers["number"], "question": isolate(answers["question"])},
        (Option("send", _("Send answer")),),
    )


async def answer_answer(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    number = _answers(ctx)["number"]

    async def send(text: str, files: tuple[AttachmentInfo, ...]) -> Outcome:
        try:
            await ctx.gateway.answer_more_info(
                MoreInfoAnswer(
                    number=number,
                    channel=ctx.origin.channel,
                    user_key=ctx.origin.user_key,
                    text=text,
                    attachments=files,
                )
            )
        except NotAwaitingAnswer:
            return Finish((_("This request is no longer waiting for your answer."),))
        return Finish(
            (
                _(
                    "Thank you. Your answer has been added to request %(number)s and the officer will continue reviewing it."
                )
                % {"number": number},
            )
        )

    return await gather_then_send(
        ctx,
        event,
        send,
        max_chars=MAX_ANSWER,
        too_long=_("Your answer is longer than %(max)d characters. Please shorten it."),
        not_sent=_not_sent_yet(ctx),
        nothing_yet=_("Please write your answer or send a file first."),
        keep_going=_("Please write your answer, send a file, or press «Send answer»."),
        # words sent with a photo are part of the answer, as if typed on their own
        caption_is_text=True,
    )


def _not_sent_yet(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    return _(
        "Added to your answer, but not sent yet. Add more if you like, then press «Send answer» or type «send»."
    )


def answer_cancelled(ctx: Ctx) -> str | None:
    """What «إلغاء» while answering an officer's question says: the answer was not sent,
    and the question still waits for it; None outside this flow. Found in session 15 (e4):
    it said «تم الإلغاء، ولم يُرسَل الطلب الذي كنت تعبّئه…» of a request nobody was filling,
    and offered «أضيف ملاحظة», with no word of the question still open."""
    if ctx.state.flow != MORE_INFO.name:
        return None
    _ = ctx.texts.gettext
    return _(
        "Your answer was not sent. The officer's question about request %(number)s is still waiting for your answer; you can write it here at any time."
    ) % {"number": isolate(str(_answers(ctx).get("number", "")))}


def greeting(ctx: Ctx) -> str:
    return ""


def help_text(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    return _(
        "You are answering an officer's question about your request. Write your answer and send any photos, then press «Send answer». Type «cancel» to stop without sending."
    )


MORE_INFO = Flow(
    name="more_info",
    first="answer",
    greeting=greeting,
    help=help_text,
    steps={
        "answer": Step(
            ask_answer, answer_answer, can_go_back=False, free_text=True, takes_files=True
        )
    },
)


async def start_answer(ctx: Ctx, number: str, limiter: AttemptLimiter | None) -> str | None:
    """Opens the answer for ``number``; returns a polite refusal instead when it can't.

    The number comes from a button anyone can forge. The look-up costs the same whether a
    request someone else filed exists or not, and succeeds only for the owner, so it tells
    a stranger nothing; it is still counted as an attempt on someone else's number (the
    account's status look-ups stop at the limit). The owner is never refused: an officer
    is waiting for them."""
    _ = ctx.texts.gettext
    try:
        question = await ctx.gateway.pending_question(
            number, ctx.origin.channel, ctx.origin.user_key
        )
    except NotAwaitingAnswer as refused:
        if limiter is not None and isinstance(refused, NotTheirs):
            await limiter.take(f"acct:{ctx.origin.channel}:{ctx.origin.user_key}")
        return _("This request is not waiting for an answer from you.")
    state = ctx.state
    # a draft with nothing chosen yet is not put aside: there is nothing to come back to;
    # nor is a side flow (a note) over a request already put aside, which would take that
    # request's place and lose it: the note is left, as «Answer» leaves any side flow
    if (
        state.flow != MORE_INFO.name
        and state.step not in ("", "done")
        and not state.is_blank()
        and state.suspended is None
    ):
        state.suspend()
    state.flow, state.step = MORE_INFO.name, MORE_INFO.first
    state.answers = {"number": number, "question": question, "texts": [], "files": []}
    state.history, state.editing, state.albums = [], False, []
    return None


# ---- an answer sent without pressing «Answer» ----------------------------------------


async def waiting_questions(ctx: Ctx) -> list[tuple[str, str]]:
    """This person's requests waiting for their answer, as (number, question), newest first."""
    mine = await known_requests.my_requests(ctx)
    return [
        (view.number, view.question or "")
        for view in mine
        if view.status == RequestStatus.NEEDS_INFO.value
    ]


def hold(event: Event) -> dict[str, Any] | None:
    """The message, kept in the dialogue state while the person says what it is for; None
    for a kind of message that cannot be an answer."""
    if isinstance(event, Text):
        return {"text": event.text}
    if isinstance(event, Media) and event.kind in ("photo", "document"):
        return {
            "media": {**file_fields(event), "album_id": event.album_id, "caption": event.caption}
        }
    return None


def same_album(held: dict[str, Any], event: Event) -> bool:
    """True when ``event`` is another photo of the album whose first one is held."""
    first = held.get("media") or {}
    return (
        isinstance(event, Media)
        and event.album_id is not None
        and (first.get("album_id") == event.album_id)
    )


def keep_with(held: dict[str, Any], event: Event) -> dict[str, Any]:
    """``held`` with the next photo of its album kept alongside."""
    kept = hold(event)
    more = [*held.get("more", []), kept["media"]] if kept else held.get("more", [])
    return {**held, "more": more}


def held_rest(held: dict[str, Any], origin: Origin) -> list[Event]:
    """The photos that followed the held one in its album, as events of this turn."""
    return [Media(origin, **media) for media in held.get("more", [])]


def unhold(held: dict[str, Any], origin: Origin) -> Event:
    """The message :func:`hold` kept, as an event of the current turn."""
    if "text" in held:
        return Text(origin, str(held["text"]))
    return Media(origin, **held["media"])


#: The most characters of a held message quoted when it is asked about again.
HELD_QUOTE = 80


def held_line(ctx: Ctx, held: dict[str, Any]) -> str:
    """Which message an offer asked again is about (:func:`hold`'s), quoted: turns have
    passed since it was sent (a rating or a note came between)."""
    _ = ctx.texts.gettext
    if "text" not in held:
        return _("About the file you sent earlier:")
    quoted = cut_text(" ".join(str(held["text"]).split()), HELD_QUOTE)
    if len(quoted) < len(" ".join(str(held["text"]).split())):
        quoted += "…"
    return _("About your earlier message «%(message)s»:") % {"message": isolate(quoted)}


def offer_text(ctx: Ctx, waiting: list[tuple[str, str]]) -> Prompt:
    """Asks whether the last message answers an officer's question (which one, if several)."""
    _ = ctx.texts.gettext
    if len(waiting) == 1:
        number, question = waiting[0]
        return Prompt(
            _(
                "The officer is waiting for your answer about request %(number)s:\n«%(question)s»\n"
                "Is your message the answer to this question?"
            )
            % {"number": number, "question": isolate(question)},
            (
                Option(f"ans:{number}", _("Yes, it is my answer")),
                Option("notans", _("No")),
            ),
        )
    return Prompt(
        _(
            "Officers are waiting for your answers. Is your message the answer about one of these requests?"
        ),
        (
            *(
                Option(f"ans:{number}", _("Answer about %(number)s") % {"number": number})
                for number, _question in waiting
            ),
            Option("notans", _("No")),
        ),
    )


def taken_text(ctx: Ctx, number: str, question: str) -> str:
    """Says that a message sent without pressing «Answer» was taken as the answer."""
    _ = ctx.texts.gettext
    return _(
        "I've taken your message as your answer to the officer's question about request %(number)s:\n«%(question)s»"
    ) % {"number": number, "question": isolate(question)}
