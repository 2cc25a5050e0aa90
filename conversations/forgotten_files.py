"""A photo or a file sent where nothing is being filled in while a request of the person's
is still open: most often the document forgotten when it was filed. It is offered as an
addition to that request (a note with the file, sent only when the person sends it), as a
photo is offered as the answer when an officer waits (conversations.officer_answers), and
goes into a new request only when the person says it is for one.

Found by tester 14 (§3, Telegram and WhatsApp): a photo right after filing got
«احتفظتُ بصورتك لطلبك» and was kept for a new draft nobody began; the officer never saw it,
and every later reply ended with «والآن نعود إلى الطلب الذي كنت تعبّئه».

With no request open, a file sent within :data:`DECIDED_RECENTLY` of the person's last
decision is asked about too, by what that request still takes (session 14's open list: it
went into a new draft): a rejection that may still be reconsidered offers «طلب إعادة النظر»
with the file in it (the reason is then asked, domain.their_say: once only); a request
whose decision closed it (accepted, or a rejection reconsidered already) takes no file, and
that is said, with «لطلب جديد» and «إلغاء». A rejection being reconsidered takes notes, so
it is offered as an open request is. A file long after the decision is a new request's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from conversations.engine_parts import EngineParts
from conversations.events import Event, Media, Option, Reply
from conversations.flow import Ctx, Stay
from conversations.flows.more_info import held_rest, hold, unhold
from conversations.flows.say_note import not_sent
from conversations.flows.their_say import SAY, SAY_FLOW, STEPS
from conversations.notifications import status_name
from conversations.ports import StatusView
from conversations.reading import START_STEPS
from conversations.sent_changes import open_numbers
from conversations.stray_files import FILE_KINDS
from conversations.their_say import note_id, reconsider_id
from domain.status import FINAL, RequestStatus

log = logging.getLogger(__name__)

#: The held message's key naming the open request it is offered to.
FOR_NOTE = "for_note"
#: The held message's key when the request it names was decided: ``RECON`` (a rejection
#: that may still be reconsidered) or ``CLOSED`` (no file can join it), beside the status.
DECIDED = "decided"
RECON, CLOSED = "recon", "closed"
_DATA = Path(__file__).resolve().parent / "data" / "forgotten_files.json"


def _decided_recently() -> dt.timedelta:
    """The window of :data:`DECIDED_RECENTLY`, read from data/forgotten_files.json
    (``decided_recently_days``, whole days; its ``_source`` says why that long)."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return dt.timedelta(days=int(raw["decided_recently_days"]))


#: How long after a decision a file sent with nothing under way is asked about (data:
#: forgotten_files.json, the rating question's week, conversations.say_parts.
#: RATING_WINDOW); later, it is taken for a new request without a question.
DECIDED_RECENTLY = _decided_recently()


class ForgottenFiles(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through conversations.routing)."""

    async def _file_for_open_request(self, ctx: Ctx, event: Event) -> list[Reply] | None:
        """A photo or file while nothing is filled in and a request is open: held, and
        the person asked whether it is an addition to the newest open request («إضافتها
        إلى طلبي») or for a new request. None for anything else, or when no request is
        open or the requests cannot be read."""
        if not (isinstance(event, Media) and event.kind in FILE_KINDS and not event.problem):
            return None
        kept = hold(event)
        if kept is None:
            return None
        numbers = await open_numbers(ctx)
        if numbers is None:
            return None
        if numbers:
            ctx.state.held = {**kept, "idle": True, FOR_NOTE: numbers[0]}
        else:
            decided = await _last_decided(ctx)
            if decided is None:
                return None
            ctx.state.held = {**kept, "idle": True, FOR_NOTE: decided.number}
            if not decided.reconsidering:  # a reconsideration waiting takes notes
                ctx.state.held |= {
                    DECIDED: RECON if decided.reconsiderable else CLOSED,
                    "status": decided.status,
                }
        return [file_offer(ctx, ctx.state.held)]

    def _file_dropped(self, ctx: Ctx, held: dict[str, Any] | None) -> list[Reply] | None:
        """«إلغاء» to «is it for a new request?» about a file after a decision: said that
        the file was not kept, then the first menu; None when that was not the question."""
        if held is None or held.get(DECIDED) != CLOSED:
            return None
        _ = ctx.texts.gettext
        photo = (held.get("media") or {}).get("kind") == "photo"
        said = (
            _("Alright: your photo was not kept.")
            if photo
            else _("Alright: your file was not kept.")
        )
        replies = self._restart(ctx) if ctx.state.step in START_STEPS else [self._ask(ctx)]
        first = replies[0]
        return [dataclasses.replace(first, text=f"{said}\n{first.text}"), *replies[1:]]

    async def _held_into_note(
        self, ctx: Ctx, held: dict[str, Any], opened: list[Reply]
    ) -> list[Reply]:
        """The note just ``opened`` (its prompt) with the held file, and the rest of its
        album, already in it: not sent until the person sends it. The same for a request
        to reconsider opened for a file after a rejection: the file goes with it, and its
        reason is asked for."""
        state = ctx.state
        if state.flow != SAY or state.step not in (STEPS["note"], STEPS["recon"]):
            return opened
        answer = SAY_FLOW.steps[state.step].answer
        outcome = await answer(ctx, unhold(held, ctx.origin))
        for rest in held_rest(held, ctx.origin):
            await answer(ctx, rest)
        if not isinstance(outcome, Stay):
            return [*opened, *self._apply(ctx, outcome)]
        kept = not_sent(ctx) if state.step == STEPS["note"] else "\n".join(outcome.say)
        first = opened[0]
        return [dataclasses.replace(first, text=f"{first.text}\n{kept}"), *opened[1:]]


def held_for_say(held: dict[str, Any] | None, chosen: str) -> bool:
    """Whether ``chosen`` (a button's id) takes the file ``held`` into a note to, or a
    request to reconsider, the request it was offered for (:func:`file_offer`)."""
    if held is None or not held.get(FOR_NOTE):
        return False
    number = str(held[FOR_NOTE])
    return chosen in (note_id(number), reconsider_id(number))


async def _last_decided(ctx: Ctx) -> StatusView | None:
    """The person's request decided last, when that was within :data:`DECIDED_RECENTLY`
    (the decision as told to them); None otherwise, or when the requests cannot be read."""
    try:
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    except Exception:
        log.warning("decided requests not looked for: the requests could not be read")
        return None
    decided = [v for v in mine if RequestStatus(v.status) in FINAL and v.history]
    if not decided:
        return None
    last = max(decided, key=lambda v: v.history[-1][0])
    return last if ctx.now - last.history[-1][0] <= DECIDED_RECENTLY else None


def file_offer(ctx: Ctx, held: dict[str, Any]) -> Reply:
    """«Your photo has arrived. Do you want to add it to your request N?» about the file
    ``held`` for the open request it names (:data:`FOR_NOTE`), with its two options, which
    become the ones offered. Also asked again, in the language just chosen, when the person
    switches language before answering (conversations.pending_questions)."""
    _ = ctx.texts.gettext
    number = str(held[FOR_NOTE])
    photo = (held.get("media") or {}).get("kind") == "photo"
    arrived = _("Your photo has arrived.") if photo else _("Your file has arrived.")
    decided = held.get(DECIDED)
    options: tuple[Option, ...]
    if decided == RECON:
        asked = _(
            "Request %(number)s was rejected. You can ask, once, for it to be reconsidered, and this will go with your request. Or is it for a new request?"
        ) % {"number": number}
        options = (
            Option(reconsider_id(number), _("Ask to reconsider")),
            Option("notans", _("For a new request")),
        )
    elif decided == CLOSED:
        asked = _(
            "A decision has been made on request %(number)s (%(status)s), so nothing more can be added to it. Is this for a new request?"
        ) % {"number": number, "status": status_name(str(held.get("status", "")), ctx.locale)}
        options = (
            Option("notans", _("For a new request")),
            Option("cancel", _("Cancel")),
        )
    else:
        asked = _(
            "Do you want to add it to your request %(number)s? The officer handling it will see it with the request."
        ) % {"number": number}
        options = (
            Option(note_id(number), _("Add to my request")),
            Option("notans", _("For a new request")),
        )
    ctx.state.offered = [[o.id, o.label] for o in options]
    return Reply(f"{arrived}\n{asked}", choices=options)
