"""A photo or a file sent where nothing is being filled in while a request of the person's
is still open: most often the document forgotten when it was filed. It is offered as an
addition to that request (a note with the file, sent only when the person sends it), as a
photo is offered as the answer when an officer waits (conversations.officer_answers), and
goes into a new request only when the person says it is for one.

Found by tester 14 (§3, Telegram and WhatsApp): a photo right after filing got
«احتفظتُ بصورتك لطلبك» and was kept for a new draft nobody began; the officer never saw it,
and every later reply ended with «والآن نعود إلى الطلب الذي كنت تعبّئه».
"""

from __future__ import annotations

import dataclasses
from typing import Any

from conversations.engine_parts import EngineParts
from conversations.events import Event, Media, Option, Reply
from conversations.flow import Ctx, Stay
from conversations.flows.more_info import held_rest, hold, unhold
from conversations.flows.say_note import not_sent
from conversations.flows.their_say import SAY, SAY_FLOW, STEPS
from conversations.sent_changes import open_numbers
from conversations.stray_files import FILE_KINDS
from conversations.their_say import note_id

#: The held message's key naming the open request it is offered to.
FOR_NOTE = "for_note"


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
        if not numbers:
            return None
        ctx.state.held = {**kept, "idle": True, FOR_NOTE: numbers[0]}
        return [file_offer(ctx, ctx.state.held)]

    async def _held_into_note(
        self, ctx: Ctx, held: dict[str, Any], opened: list[Reply]
    ) -> list[Reply]:
        """The note just ``opened`` (its prompt) with the held file, and the rest of its
        album, already in it: not sent until the person sends it."""
        state = ctx.state
        if state.flow != SAY or state.step != STEPS["note"]:
            return opened
        answer = SAY_FLOW.steps[STEPS["note"]].answer
        outcome = await answer(ctx, unhold(held, ctx.origin))
        for rest in held_rest(held, ctx.origin):
            await answer(ctx, rest)
        if not isinstance(outcome, Stay):
            return [*opened, *self._apply(ctx, outcome)]
        first = opened[0]
        return [dataclasses.replace(first, text=f"{first.text}\n{not_sent(ctx)}"), *opened[1:]]


def file_offer(ctx: Ctx, held: dict[str, Any]) -> Reply:
    """«Your photo has arrived. Do you want to add it to your request N?» about the file
    ``held`` for the open request it names (:data:`FOR_NOTE`), with its two options, which
    become the ones offered. Also asked again, in the language just chosen, when the person
    switches language before answering (conversations.pending_questions)."""
    _ = ctx.texts.gettext
    number = str(held[FOR_NOTE])
    photo = (held.get("media") or {}).get("kind") == "photo"
    arrived = _("Your photo has arrived.") if photo else _("Your file has arrived.")
    asked = _(
        "Do you want to add it to your request %(number)s? The officer handling it will see it with the request."
    ) % {"number": number}
    options = (
        Option(note_id(number), _("Add to my request")),
        Option("notans", _("For a new request")),
    )
    ctx.state.offered = [[o.id, o.label] for o in options]
    return Reply(f"{arrived}\n{asked}", choices=options)
