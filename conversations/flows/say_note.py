"""A note about a request the person filed (words and files, sent with «Send note»), a
step of the say flow (:mod:`conversations.flows.their_say`, split from it past ~400 lines),
and the polite refusals every step of that flow shares."""

from __future__ import annotations

from typing import Any

from conversations.events import Event, Option, Text
from conversations.flow import Ctx, Finish, Outcome, Prompt, Retry
from conversations.formatting import isolate
from conversations.gathering import gather_then_send
from conversations.notifications import status_name
from conversations.ports import AttachmentInfo, Note, SayRefused
from conversations.reading import short_number_alone
from conversations.their_say import reconsider_id
from domain.status import RequestStatus
from domain.their_say import MAX_NOTE, MAX_NOTE_FILES


def _answers(ctx: Ctx) -> dict[str, Any]:
    return ctx.state.answers


def refusal_text(ctx: Ctx, refused: SayRefused, what: str) -> str:
    """Why a note, rating, comment or reconsideration cannot be taken, politely."""
    _ = ctx.texts.gettext
    number = {"number": refused.number}
    if refused.reason == "not_theirs":
        return (
            _("We couldn't find request %(number)s among the requests filed from this chat.")
            % number
        )
    if refused.reason == "closed":
        return (
            _(
                "Request %(number)s has already been decided, so notes can no longer be added to it. If it was rejected, you can ask for it to be reconsidered."
            )
            % number
        )
    if refused.reason == "not_rejected":
        return (
            _(
                "Only a rejected request can be reconsidered, and request %(number)s is not rejected."
            )
            % number
        )
    if refused.reason == "already" and what == "recon":
        return (
            _(
                "You have already asked for request %(number)s to be reconsidered. This can be asked only once; the officers have your reason."
            )
            % number
        )
    if refused.reason == "already" and what == "rate":
        return _("You have already rated request %(number)s. Thank you!") % number
    if refused.reason == "already":
        return _("Your comment on request %(number)s is already recorded. Thank you!") % number
    return _("Request %(number)s has not been decided yet; you can rate it once it is.") % number


# ---- a note ---------------------------------------------------------------------------


def ask_note(ctx: Ctx) -> Prompt:
    """The note prompt, with the words already in the note shown under it, so a person
    coming back to it (or asked it again after a question) sees what will be sent (tester
    14, §10: «أهلًا بعودتك» showed the bare prompt)."""
    _ = ctx.texts.gettext
    text = _(
        "Write your note about request %(number)s, and send photos or PDF files if you like. "
        "Press «Send note» when you have finished; the officer will see it with your request."
    ) % {"number": _answers(ctx)["number"]}
    words = " ".join(str(t) for t in _answers(ctx).get("texts") or ()).strip()
    if words:
        text += "\n" + _("Your note: «%(words)s»") % {"words": isolate(words)}
    return Prompt(text, (Option("send", _("Send note")),))


async def note_status_line(ctx: Ctx) -> str:
    """The status of the request a note is being written about, answered at the note
    prompt (tester 14, §10: «وش صار على طلبي» there got a FAQ offer); the note stays."""
    _ = ctx.texts.gettext
    number = str(_answers(ctx)["number"])
    mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    view = next((v for v in mine if v.number == number), None)
    if view is None:
        return _("Your note has not been sent yet.")
    return _(
        "The status of request %(number)s: %(status)s. Your note about it has not been sent yet."
    ) % {"number": number, "status": status_name(view.status, ctx.locale)}


async def answer_note(ctx: Ctx, event: Event) -> Outcome:
    _ = ctx.texts.gettext
    number = str(_answers(ctx)["number"])
    if isinstance(event, Text) and short_number_alone(event.text):
        # «1» where no choice is numbered: no note (helper 235: it became the note)
        return Retry(
            _(
                "A number alone is not added to your note. Please write your note, or press «Send note»."
            )
        )

    async def send(text: str, files: tuple[AttachmentInfo, ...]) -> Outcome:
        try:
            await ctx.gateway.add_note(
                Note(
                    number=number,
                    channel=ctx.origin.channel,
                    user_key=ctx.origin.user_key,
                    text=text,
                    attachments=files,
                )
            )
        except SayRefused as refused:
            if refused.reason == "closed":
                return await _decided_meanwhile(ctx, number, text, files)
            return Finish((refusal_text(ctx, refused, "note"),))
        ctx.state.noted = [number, ctx.origin.event_id]
        # the ways on from here (found by the tester: the confirmation had no button)
        ways = (
            Option(f"st:{number}", _("Back to my request")),
            Option("new", _("New request")),
        )
        return Finish(
            (
                _(
                    "Thank you. Your note has been added to request %(number)s and the officer will see it. Nothing else changes in your request."
                )
                % {"number": number},
            ),
            ways,
        )

    return await gather_then_send(
        ctx,
        event,
        send,
        max_chars=MAX_NOTE,
        too_long=_("Your note is longer than %(max)d characters. Please shorten it."),
        not_sent=not_sent(ctx),
        nothing_yet=_("Please write your note or send a file first."),
        keep_going=_("Please write your note, send a file, or press «Send note»."),
        max_files=MAX_NOTE_FILES,
    )


async def _decided_meanwhile(
    ctx: Ctx, number: str, text: str, files: tuple[AttachmentInfo, ...]
) -> Outcome:
    """A note sent after its request was decided (the decision came while it was being
    written): the person's words shown back, since they were not sent, and what was decided
    said plainly: accepted, nothing more is needed; rejected, the way to ask for it to be
    reconsidered, where the words can go (its button, when it may still be asked). Found
    by tester 12 (§15): «ارسال» lost the words unseen, and the reply said «وإن كان قد رُفض»
    of a request the bot knew was accepted."""
    _ = ctx.texts.gettext
    mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    view = next((v for v in mine if v.number == number), None)
    lines = [
        _(
            "Request %(number)s was decided while you were writing your note, so the note was not sent."
        )
        % {"number": number}
    ]
    if text.strip():
        lines.append(_("Your note: «%(words)s»") % {"words": isolate(text.strip())})
    if files:
        lines.append(_("The photos or files you added to it were not sent either."))
    choices: tuple[Option, ...] = ()
    status = None if view is None else view.status
    if status == RequestStatus.ACCEPTED.value:
        lines.append(_("Your request was accepted: nothing more is needed from you."))
    elif status == RequestStatus.REJECTED.value and view is not None and view.reconsiderable:
        lines.append(
            _(
                "Your request was not accepted. If you think something was missed, you can ask once for it to be reconsidered, and your note's words can be your reason: press «%(button)s» or type «reconsider»."
            )
            % {"button": _("Ask to reconsider")}
        )
        choices = (Option(reconsider_id(number), _("Ask to reconsider")),)
    elif status == RequestStatus.REJECTED.value:
        lines.append(_("Your request was not accepted."))
    return Finish(("\n".join(lines),), choices)


def not_sent(ctx: Ctx) -> str:
    """The reminder that what is in a note is not sent until the person sends it."""
    _ = ctx.texts.gettext
    return _(
        "Added to your note, but not sent yet. Add more if you like, then press «Send note» or type «send»."
    )
