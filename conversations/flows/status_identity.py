"""Proving a request filed from another chat is theirs: the identity number it was
filed with, one attempt per check (conversations.flows.status_attempts), and only where
the request stands shown (conversations.flows.status_answer).
"""

from __future__ import annotations

import logging
import re

from conversations.buttons import ANOTHER_NUMBER
from conversations.events import Event, Option, Text
from conversations.flow import Ctx, Finish, Outcome, Prompt, Retry
from conversations.flows.intake import number_in_words, number_problem
from conversations.flows.status_answer import render_status
from conversations.flows.status_attempts import attempt_keys, not_found_message, refused
from conversations.flows.status_lookup import is_request_number, lookup
from conversations.flows.status_prompt import no_number_advice, says_no_number, way_out_options
from conversations.ports import AttemptLimiter
from domain.identity import InvalidIdentityNumber, parse_identity_number
from domain.normalize import clean_input, digits_only
from domain.request_number import looks_like_request_number, parse_request_number

log = logging.getLogger(__name__)


def ask_identity(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _(
            "This request was not filed from this chat. To protect the applicant's privacy, type the identity number (national ID, iqama or border number) it was filed with."
        ),
        way_out_options(ctx),
    )


async def answer_identity(ctx: Ctx, event: Event, limiter: AttemptLimiter) -> Outcome:
    """Checks an identity number against the request, one attempt per check: the first
    uses the attempt taken with the number, each later one takes its own before the
    database is asked, so simultaneous guesses on any number of workers stop at the limit."""
    _ = ctx.texts.gettext
    if not isinstance(event, Text):
        return Retry(_("Please type the identity number in digits."))
    if says_no_number(event.text):
        return no_number_advice(ctx, identity=True)
    try:
        identity = parse_identity_number(number_in_words(event.text))
    except InvalidIdentityNumber as error:
        # «حالة طلبي 9492155172», «لا غلطت الرقم الصحيح …»: a request number in words
        # too (helper 25: read as a wrong identity number), which no identity is
        typed = (
            event.text if is_request_number(event.text) else looks_like_request_number(event.text)
        )
        if typed is not None and is_request_number(typed):
            if parse_request_number(typed) == ctx.state.answers.get("number"):
                beside = identity_beside(event.text, typed)
                if beside is not None:
                    # «6418407042 1000000008» after a miss: both numbers again, the
                    # identity one checked (helper 233)
                    return await answer_identity(ctx, Text(event.origin, beside), limiter)
                return await _same_number(ctx, limiter)
            # another request number: a look-up of its own, paying its own attempt
            return await lookup(ctx, typed, limiter)
        # as the request form says it: a last digit that does not match is not "not 10 digits"
        return Retry(number_problem(ctx, error, event.text))
    answers = ctx.state.answers
    number: str = answers["number"]
    keys = attempt_keys(ctx, number)
    if answers.pop("paid", False):
        left = int(answers.pop("left", 0))
    else:
        attempt = await limiter.take(*keys)
        if not attempt.granted:
            return await refused(ctx, limiter, number, attempt.wait_s)
        left = attempt.left
    view = await ctx.gateway.status_with_identity(number, identity.value)
    if view is None:
        log.info("status of %s: identity did not match", number)
        if left <= 0:
            return await refused(ctx, limiter, number, await limiter.blocked_for(*keys))
        return Retry(not_found_message(ctx))
    # a right to see it, proven: the attempt is given back
    await limiter.refund(*keys)
    log.info("status of %s shown after identity check", view.number)
    shown = render_status(ctx, view)
    # the ways on: nothing of this request can be done from here (helper 25: the card
    # ended with no choice at all)
    _ = ctx.texts.gettext
    ways = (Option(ANOTHER_NUMBER, _("Another request number")), Option("new", _("New request")))
    return Finish(shown.say, (*shown.choices, *ways), shown.follow_up)


async def _same_number(ctx: Ctx, limiter: AttemptLimiter) -> Outcome:
    """The request number being looked up typed again at the identity prompt («check
    both» after a miss, or the number a relative gave, sent twice): no new attempt, since
    nothing is checked; the identity number is asked for again, or the pause is said while
    one lasts. Found by tester 13 (§10): the same number typed five times was five
    attempts, and the sixth was told «after several failed attempts» though no identity
    number had been wrong."""
    _ = ctx.texts.gettext
    number: str = ctx.state.answers["number"]
    wait = await limiter.blocked_for(*attempt_keys(ctx, number))
    if wait > 0 and not ctx.state.answers.get("paid"):
        return await refused(ctx, limiter, number, wait)
    same = _("This is the number of request %(number)s again: I already have it.") % {
        "number": number
    }
    return Retry(f"{same}\n{ask_identity(ctx).text}")


def identity_beside(text: str, number: str) -> str | None:
    """The one identity number (a citizen's, an iqama, a border number) typed in ``text``
    beside the request number ``number``, as ASCII digits; None when there is none or
    more than one. Helper 233: «6418407042 1000000008» from another chat was asked for
    the identity number it held."""
    runs = [r for r in re.findall(r"[0-9]+", clean_input(text)) if r != digits_only(number)]
    found = []
    for run in runs:
        try:
            found.append(parse_identity_number(run).value)
        except InvalidIdentityNumber:
            continue
    return found[0] if len(found) == 1 else None
