"""A second request for the same service and the same identity number while the first is
still open: said politely, never refused (found by the fresh-clone tester: nothing warned a
person filing the same service again, as a real service would).

Only a request filed from this chat, for the same service, with the same identity number
counts: a family member's or a worker's request (another identity number), or the same
person's other service, is another matter; and no other chat's request is ever named (that
would tell a stranger that a request exists for an identity number). Once the service and
the identity number are known in a draft, the gateway is asked once for that pair
(:data:`SAME_OPEN` in the answers, so any worker knows it was asked): found, a line above the
next question (the phone step, usually) says which request is open and its status, and the
summary says it again with «Track request N» among its choices, which opens that request's
status with the draft put aside whole (it comes back after); «Confirm and send» files the
new one as ever. The line above the next question carries the same «Track request N»
button where the channel shows buttons (Telegram, WhatsApp), so the person can follow it
at once, where the warning is first read (raised in session 11: it was offered only in the
summary); the terminal, which lists only the question's own choices to type, names the
typed equivalent instead, ``/status N`` (a command of every channel).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from conversations import known_requests
from conversations.buttons import STATUS_PREFIX
from conversations.events import Option, Reply
from conversations.flow import Ctx
from conversations.notifications import status_name
from conversations.reading import START_STEPS

log = logging.getLogger(__name__)

#: The answers' key: {"for": "service:identity", "number": …, "status": …} (no number when
#: none was open), the pair it was asked for.
SAME_OPEN = "same_open"
#: The flow whose drafts are looked at, and its last step.
_FLOW, _SUMMARY = "intake", "summary"


def _pair(answers: dict[str, Any]) -> str | None:
    """The (service, identity number) a draft holds, as the key it was asked for under."""
    service, identity = answers.get("service"), answers.get("identity")
    if not service or not identity:
        return None
    return f"{service}:{identity}"


def open_one(ctx: Ctx) -> tuple[str, str] | None:
    """(number, status) of the open request found for the draft's service and identity
    number as they are now; None when none was, or it was asked for another pair."""
    answers = ctx.state.answers
    found = answers.get(SAME_OPEN)
    if not isinstance(found, dict) or found.get("for") != _pair(answers):
        return None
    number, status = found.get("number"), found.get("status")
    return (str(number), str(status)) if number and status else None


def open_line(ctx: Ctx, *, at_summary: bool) -> str | None:
    """The words about the open request (:func:`open_one`), or None."""
    found = open_one(ctx)
    if found is None:
        return None
    _ = ctx.texts.gettext
    number, status = found
    said = _(
        "Please note: request %(number)s for this service, with the same identity number, is still open (status: %(status)s)."
    ) % {"number": number, "status": status_name(status, ctx.locale)}
    track = track_label(ctx, number)
    if at_summary:
        way = _(
            "To follow it instead, choose «%(track)s». If this request is about something else, send it anyway."
        ) % {"track": track}
    elif _typed_only(ctx):
        # the command on a line of its own: inside an Arabic line it shows as «status/»
        way = _(
            "If this request is about something else, go on: nothing is lost. To follow that request instead, choose «%(track)s» before sending, or type now:\n/status %(number)s"
        ) % {"track": track, "number": number}
    else:
        way = _(
            "If this request is about something else, go on: nothing is lost. To follow that request instead, choose «%(track)s», now or before sending."
        ) % {"track": track}
    return f"{said}\n{way}"


def _typed_only(ctx: Ctx) -> bool:
    """Whether the channel has no button to press for a line above the question: the
    terminal (``phone_typed``, see :class:`conversations.events.Origin`) lists only the
    question's own choices, to be typed, so it is given the command instead."""
    return ctx.origin.phone_typed


def track_label(ctx: Ctx, number: str) -> str:
    return ctx.texts.gettext("Track request %(number)s") % {"number": number}


def track_option(ctx: Ctx) -> Option | None:
    """The summary's «Track request N», which opens its status (a button that works at
    any step, the draft put aside whole); None when no request of the pair is open."""
    found = open_one(ctx)
    if found is None:
        return None
    return Option(STATUS_PREFIX + found[0], track_label(ctx, found[0]))


async def with_open_request(
    ctx: Ctx, replies: list[Reply], ask: Callable[[Ctx], Reply]
) -> list[Reply]:
    """``replies`` with the words about an open request of the draft's pair, asked of the
    gateway the first time the pair is known: above the next question, or in the summary
    when that is the next question (``ask`` asks the current step again). Replies come
    back as they were when nothing is open, the pair was asked already, or the requests
    cannot be read (the draft needs no database: logged, asked again next turn)."""
    state = ctx.state
    pair = _pair(state.answers)
    if not replies or state.flow != _FLOW or state.step in START_STEPS or pair is None:
        return replies
    known = state.answers.get(SAME_OPEN)
    if isinstance(known, dict) and known.get("for") == pair:
        return replies
    service, identity = pair.split(":", 1)
    try:
        found = await known_requests.open_request_like(ctx, service, identity)
    except Exception:
        log.warning("open requests not looked for: the requests could not be read")
        return replies
    plain = ask(ctx).text if state.step == _SUMMARY else None
    state.answers[SAME_OPEN] = {"for": pair}
    if found is None:
        return replies
    state.answers[SAME_OPEN] = {"for": pair, "number": found.number, "status": found.status}
    *before, last = replies
    if state.step == _SUMMARY:
        # the summary again, now with the line and «Track request N» among its choices
        asked = ask(ctx)
        if last.text == plain:
            return [*before, dataclasses.replace(last, text=asked.text, choices=asked.choices)]
        last = dataclasses.replace(last, choices=asked.choices)
        return [*before, Reply(open_line(ctx, at_summary=True) or ""), last]
    # where it is first read (the phone step, usually), with the button to follow it
    track = track_option(ctx)
    choices = (track,) if track is not None and not _typed_only(ctx) else ()
    return [*before, Reply(open_line(ctx, at_summary=False) or "", choices=choices), last]
