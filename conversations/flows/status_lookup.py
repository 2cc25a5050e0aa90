"""A request number looked up: the prompt that asks for it, what is wrong with one typed
badly, the filer's own request shown at once, and anyone else's number paid for with an
attempt before the identity number it was filed with is asked
(conversations.flows.status_identity).
"""

from __future__ import annotations

import logging

from conversations.events import Event, Text
from conversations.flow import Ctx, Finish, Next, Outcome, Prompt, Retry
from conversations.flows.number_reading import shape_names
from conversations.flows.status_answer import render_status
from conversations.flows.status_attempts import attempt_keys, not_found_message, refused
from conversations.flows.status_prompt import way_out_options
from conversations.ports import AttemptLimiter
from conversations.state import DialogueState
from domain.normalize import clean_input, digits_only
from domain.number_shapes import number_shape
from domain.request_number import (
    FIRST_DIGITS,
    REQUEST_NUMBER_LENGTH,
    InvalidRequestNumber,
    looks_like_request_number,
    mistyped_request_number,
    parse_request_number,
)

log = logging.getLogger(__name__)


def ask_number(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _("Type the request number (10 digits) you received when you filed it."),
        way_out_options(ctx),
    )


async def lookup(ctx: Ctx, typed: str, limiter: AttemptLimiter | None) -> Outcome:
    _ = ctx.texts.gettext
    try:
        number = parse_request_number(typed)
    except InvalidRequestNumber as invalid:
        # «رقم طلبي 6443424277 لو سمحت»: the number inside a sentence (helper 21: «رقم الطلب
        # يتكون من ١٠ أرقام», which it does); one mistyped there is called so
        found = looks_like_request_number(typed)
        if found is None:
            ctx.state.step = ctx.state.step or "number"
            mistyped = mistyped_request_number(typed) is not None
            problem = InvalidRequestNumber("checksum") if mistyped else invalid
            return Retry(request_number_problem(ctx, problem))
        number = found
    if number[0] not in FIRST_DIGITS:
        # an identity, establishment or mobile number is no request number: it is named,
        # and neither looked up nor counted, so it never becomes an attempt counter's key
        # (found by the reviewer: «…:num:1000000008» in Redis, a status attempt spent)
        ctx.state.step = ctx.state.step or "number"
        return Retry(_not_a_request_number(ctx, number))
    # one query, the same whether a number someone else filed exists or not (issue 15.2)
    view = await ctx.gateway.status_for_owner(number, ctx.origin.channel, ctx.origin.user_key)
    if view is not None:
        log.info("status of %s shown to its owner", number)
        return render_status(ctx, view, owner=True)
    if limiter is None:
        return Finish((not_found_message(ctx),))
    # someone else's number, or none: that is an attempt, paid now; the identity number
    # typed next is checked under this same attempt
    attempt = await limiter.take(*attempt_keys(ctx, number))
    if not attempt.granted:
        return await refused(ctx, limiter, number, attempt.wait_s)
    ctx.state.answers.update(number=number, paid=True, left=attempt.left)
    return Next("identity")


def _not_a_request_number(ctx: Ctx, number: str) -> str:
    """What ten digits that cannot be a request number look like (an identity number, an
    establishment's or a mobile), and the request number asked for again."""
    _ = ctx.texts.gettext
    shape = number_shape(number)
    if shape is None or shape == "request":
        return _("That is not a request number: please check it.")
    said = _("This looks like %(what)s.") % {"what": shape_names(ctx)[shape]}
    return f"{said}\n{ask_number(ctx).text}"


def request_number_problem(ctx: Ctx, error: InvalidRequestNumber) -> str:
    """What is wrong with a request number typed (here, or with /rate or /reconsider):
    a last digit that does not match is called mistyped; anything else, not 10 digits."""
    _ = ctx.texts.gettext
    if error.reason == "checksum":
        # as clear as the identity step's (session 20's probe: «الرقم الأخير لا يتوافق» alone
        # was terse), and where the right number is
        return _(
            "This request number doesn't look right: its last digit doesn't match the others. Please check it against the number in the message confirming your request, and type it again."
        )
    return _("A request number has 10 digits. Please check it and type it again.")


def number_after_answer(state: DialogueState, event: Event) -> str | None:
    """The 10 digits of a lone number typed right after a status answer (nothing under
    way), to be looked up as a request number even when its check digit fails, so that
    the person is told it looks mistyped; None for anything else. A number that starts
    as no request number does (:data:`domain.request_number.FIRST_DIGITS`): an identity
    or establishment number, right or with a slip (the start of a new request), and a
    mobile number, is left to the first menu, which keeps it or names the slip. Found by
    the fresh-clone tester: «1234567890» typed after a status answer got the main menu
    alone, with no word about the number (the menu now names its slip); and by the
    reviewer: «1000000007» there led into a look-up, where the corrected identity number
    typed next was taken for a request number and spent a status attempt."""
    if not isinstance(event, Text) or state.step not in ("", "done"):
        return None
    if state.status_turn is None or not state.handled or state.handled[-1] != state.status_turn:
        return None
    typed = clean_input(event.text)
    bare = digits_only(typed)
    if len(bare) != REQUEST_NUMBER_LENGTH or not bare.isascii() or not bare.isdigit():
        return None
    if len(bare) != sum(ch.isdigit() for ch in typed) or any(ch.isalpha() for ch in typed):
        return None  # words, or other numbers, with it: read as ever
    if bare[0] not in FIRST_DIGITS:
        return None
    return bare


def is_request_number(typed: str) -> bool:
    try:
        number = parse_request_number(typed)
    except InvalidRequestNumber:
        return False
    return number[0] in FIRST_DIGITS
