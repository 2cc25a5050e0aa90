"""The engine's part for a request to reconsider once it is sent (issue 13): a photo or
file sent just after it joins it while the officers have not answered, and the first menu
says, above itself, that a rejected request may still be asked to be reconsidered.

Split from :mod:`conversations.say_parts` (the say buttons and words) to keep one idea a
file; the checks that need the request (whose it is, still unanswered) are the gateway's.
"""

from __future__ import annotations

import dataclasses
import logging

from conversations import known_requests
from conversations.engine_parts import EngineParts
from conversations.events import Event, Media, Reply
from conversations.flow import Ctx
from conversations.gathering import attachments, file_fields
from conversations.ports import SayRefused
from conversations.reading import START_STEPS
from conversations.stray_files import FILE_KINDS, first_of_album, recent_reconsideration
from domain.attachments import check_attachment

log = logging.getLogger(__name__)


class ReconsiderParts(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through
    :class:`conversations.say_parts.TheirSay`)."""

    async def _to_reconsideration(self, ctx: Ctx, event: Event) -> list[Reply] | None:
        """A photo or file sent just after a request to reconsider (one more photo, the
        rest of an album whose caption was the reason) joins it while the officers have
        not answered it; None when the file is not one, or they have (then it is a
        stray file, :mod:`conversations.stray_files`)."""
        if not isinstance(event, Media) or event.kind not in FILE_KINDS:
            return None
        recent = recent_reconsideration(ctx)
        if recent is None:
            return None
        number, albums = recent
        if event.album_id not in albums and ctx.state.step not in START_STEPS:
            return None  # in the middle of something else, which has its own answer
        _ = ctx.texts.gettext
        if check_attachment(event.kind, event.mime, event.size, 0, problem=event.problem):
            return self._and_again(
                ctx,
                _("This file can't be accepted. Please send a photo or a PDF file under 10 MB."),
            )
        origin = ctx.origin
        try:
            await ctx.gateway.add_to_reconsideration(
                number, origin.channel, origin.user_key, attachments([file_fields(event)])
            )
        except SayRefused:
            ctx.state.reconsidered = None  # answered meanwhile: nothing to join any more
            return None
        if not first_of_album(ctx, event):
            return []  # the rest of an album already told
        if event.kind == "photo":
            added = _(
                "Your photo has been added to your request to reconsider request %(number)s; the officer will see it with your reason."
            )
        else:
            added = _(
                "Your file has been added to your request to reconsider request %(number)s; the officer will see it with your reason."
            )
        return self._and_again(ctx, added % {"number": number})

    async def _with_reconsider_hint(self, ctx: Ctx, replies: list[Reply]) -> list[Reply]:
        """The main menu, shown to a person whose rejected request may still be asked to
        be reconsidered, says so in a message above it (found by the fresh-clone tester: a
        person writing after a rejection met the menu with no word of it); the menu stays
        as it is, so a new request starts as ever. Called on every turn's replies, so the
        line comes wherever the menu does (the first message, a greeting or a word it did
        not understand at the menu, «Welcome back», the way out of a look-up...); what came
        above the menu in its message goes above the line, unless it introduces the menu
        (ends with a colon: «Here is where you left off:»).
        Other replies come back unchanged."""
        state = ctx.state
        if not replies or state.flow != self.flow.name or state.step != self.flow.first:
            return replies
        menu = self.flow.steps[self.flow.first].ask(ctx)
        last = replies[-1]
        shown = {c.id for c in last.choices}
        if not last.text.endswith(menu.text) or any(o.id not in shown for o in menu.choices):
            return replies  # this turn does not end with the menu
        try:
            mine = await known_requests.my_requests(ctx)
        except Exception:
            # the menu needs no database: with SQL away it is shown without the line,
            # rather than the whole turn failing over a hint
            log.warning("reconsideration line left out: the requests could not be read")
            return replies
        open_to_it = [v for v in mine if v.reconsiderable]  # newest first
        if not open_to_it:
            return replies
        _ = ctx.texts.gettext
        # words, not a button: typed, they work on every channel, the terminal too
        hint = _(
            "Your request %(number)s was not accepted. If you think something was missed, you can ask once for it to be reconsidered: just type «reconsider» and send it. Or choose below to file a new request."
        ) % {"number": open_to_it[0].number}
        lead = last.text.removesuffix(menu.text).rstrip("\n")
        if not lead or lead.endswith(":"):
            # nothing above the menu, or a lead that introduces it («back to the menu:»)
            return [*replies[:-1], Reply(hint), last]
        # a salutation, an apology...: said first, then the line, then the menu
        return [*replies[:-1], Reply(f"{lead}\n{hint}"), dataclasses.replace(last, text=menu.text)]
