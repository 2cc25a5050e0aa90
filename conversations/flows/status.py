""" "What is my status?": the answer from the request number, only to its owner.

The chat that filed a request sees it at once. Anyone else must give the identity number
it was filed with; a number that doesn't exist and a wrong identity number get the same
answer, and failures are limited per account and per request number, so numbers cannot
be probed.

The look-up, one idea a module: this one chooses which request (the person's own listed,
or a number asked for) and builds the flow; conversations.flows.status_lookup looks a
number up; status_identity asks a stranger for the identity number; status_attempts
limits the tries; status_answer renders the answer and says what each proof shows;
status_prompt holds the prompts' way out.
"""

from __future__ import annotations

import logging

from conversations.buttons import ANOTHER_NUMBER
from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Finish, Flow, Next, Outcome, Prompt, Retry, Step
from conversations.flows.status_answer import render_status
from conversations.flows.status_identity import answer_identity, ask_identity, identity_beside
from conversations.flows.status_lookup import ask_number, lookup
from conversations.flows.status_ordinals import BEYOND
from conversations.flows.status_prompt import (
    counted,
    no_number_advice,
    not_a_number,
    only_symbols,
    says_no_number,
    way_out_options,
    words_not_a_number,
)
from conversations.ports import AttemptLimiter, StatusView
from conversations.status_rows import filed_lines, row_label, row_of
from domain.request_number import looks_like_request_number

log = logging.getLogger(__name__)

MAX_LISTED = 5


async def enter(
    ctx: Ctx,
    number: str | None,
    limiter: AttemptLimiter | None,
    *,
    another: bool = False,
    identity: str | None = None,
) -> Outcome:
    """Where a status question starts: a number given (with the ``identity`` number said
    beside it, checked at once when the request is another chat's); the status of the
    person's only request at once (with «Another request number» under it); their list
    when they have two or more; or the prompt for a number (none of their own, or
    ``another`` asked for). Without a limiter only the owner's own requests can be looked
    up."""
    if number is not None:
        return await _lookup_with(ctx, number, identity, limiter)
    if another:
        return Next("number")
    mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    if len(mine) == 1:
        # a list of one to choose from is a question with one answer (found by the
        # fresh-clone tester): the answer is given, and the way to another number kept
        _ = ctx.texts.gettext
        log.info("status of %s shown to its owner, their only request", mine[0].number)
        shown = render_status(ctx, mine[0], owner=True)
        return Finish(
            shown.say,
            (*shown.choices, Option(ANOTHER_NUMBER, _("Another request number"))),
            shown.follow_up,
        )
    if mine:
        _keep_listed(ctx, mine)
        return Next("pick")
    return Next("number")


def _keep_listed(ctx: Ctx, mine: list[StatusView]) -> None:
    """The person's own requests, newest first, as the list step shows them."""
    ctx.state.answers["mine"] = [row_of(v) for v in mine[:MAX_LISTED]]


async def no_number(ctx: Ctx) -> Outcome:
    """«ما عندي رقم» at the list or the number prompt: the requests filed from this chat
    need none, so they are listed; without any, the advice (status_prompt)."""
    _ = ctx.texts.gettext
    mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    if mine:
        _keep_listed(ctx, mine)
        return Next("pick", (_("No problem: the requests filed from this chat need no number."),))
    return no_number_advice(ctx)


def ask_pick(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    mine: list[list[str]] = ctx.state.answers.get("mine", [])
    text = _("Your requests (newest first). Choose one, or type another request number:")
    # the day each was filed under the question, whom each is for on its button (fresh-
    # clone tester 14, §5: two «تجديد هوية مقيم» could not be told apart)
    days = filed_lines(ctx, mine)
    return Prompt(
        f"{text}\n{days}" if days else text,
        (
            *(Option(f"r:{row[0]}", row_label(ctx, row)) for row in mine),
            Option("other", _("Another request number")),
            *way_out_options(ctx),
        ),
    )


async def answer_pick(ctx: Ctx, event: Event, limiter: AttemptLimiter | None) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("r:"):
        return await lookup(ctx, event.id[2:], limiter)
    if isinstance(event, Choice) and event.id == "other":
        return Next("number")
    if isinstance(event, Choice) and event.id.startswith(BEYOND):
        # «الثالث» with two listed (status_ordinals): how many there are, and the list
        return counted(ctx, Retry(_beyond_the_list(ctx)))
    if isinstance(event, Text) and only_symbols(event.text):
        return Retry(_symbols_answer(ctx))
    if isinstance(event, Text):
        return counted(ctx, await _typed(ctx, event.text, limiter))
    return counted(ctx, Retry(_("Please choose a request, or type its number.")))


def _beyond_the_list(ctx: Ctx) -> str:
    """An ordinal past the rows listed («الثالث» with two): how many there are."""
    listed = len(ctx.state.answers.get("mine") or ())
    return ctx.texts.ngettext(
        "The list has only %(count)d request. Choose it, or type another request number.",
        "The list has only %(count)d requests. Choose one of them, or type another request number.",
        listed,
    ) % {"count": listed}


async def answer_number(ctx: Ctx, event: Event, limiter: AttemptLimiter | None) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Text) and only_symbols(event.text):
        return Retry(_symbols_answer(ctx))
    if isinstance(event, Text):
        return counted(ctx, await _typed(ctx, event.text, limiter))
    return counted(ctx, Retry(_("Please type the request number in digits.")))


def _symbols_answer(ctx: Ctx) -> str:
    """What an emoji alone («👍», «🙏») at the list or the number prompt is told, with no
    draft waiting (one waiting takes it as a yes: conversations.status_exits): what to
    type there and how to leave, in full at once, so it is not counted as a miss. It got
    «رقم الطلب يتكون من 10 أرقام», as if a number had been mistyped."""
    _ = ctx.texts.gettext
    if ctx.state.step == "pick":
        return _(
            "Choose one of your requests above, or type a request number (10 digits). To leave the look-up, choose «%(cancel)s»."
        ) % {"cancel": _("Cancel")}
    return _(
        "To see where a request stands, type its 10-digit request number, found in the message «Your request has been received». To leave the look-up, choose «%(cancel)s»."
    ) % {"cancel": _("Cancel")}


async def _typed(ctx: Ctx, typed: str, limiter: AttemptLimiter | None) -> Outcome:
    """A message typed at the list or the number prompt: «ما عندي رقم» gets the advice,
    other words (a draft waiting takes them first: conversations.status_exits) are told
    no request number was found in them, and a number is looked up."""
    if says_no_number(typed):
        return await no_number(ctx)
    if not_a_number(typed):
        ask = ask_pick(ctx) if ctx.state.step == "pick" else ask_number(ctx)
        return Retry(words_not_a_number(ctx, typed, ask.text))
    number = looks_like_request_number(typed) or typed
    return await _lookup_with(ctx, typed, identity_beside(typed, number), limiter)


async def _lookup_with(
    ctx: Ctx, typed: str, identity: str | None, limiter: AttemptLimiter | None
) -> Outcome:
    """The look-up of ``typed``; another chat's request checked at once against the
    ``identity`` number sent with it («6418407042 1000000008»), under the attempt the
    look-up paid (helper 233: the identity number was asked for again)."""
    outcome = await lookup(ctx, typed, limiter)
    if identity is None or limiter is None or not isinstance(outcome, Next):
        return outcome
    if outcome.step != "identity":
        return outcome
    ctx.state.step = "identity"
    return await answer_identity(ctx, Text(ctx.origin, identity), limiter)


def build_status_flow(limiter: AttemptLimiter) -> Flow:
    async def pick(ctx: Ctx, event: Event) -> Outcome:
        return await answer_pick(ctx, event, limiter)

    async def number(ctx: Ctx, event: Event) -> Outcome:
        return await answer_number(ctx, event, limiter)

    async def identity(ctx: Ctx, event: Event) -> Outcome:
        return await answer_identity(ctx, event, limiter)

    return Flow(
        name="status",
        first="number",
        greeting=lambda ctx: "",
        help=_help,
        steps={
            "pick": Step(ask_pick, pick, can_go_back=False),
            "number": Step(ask_number, number),
            "identity": Step(ask_identity, identity),
        },
    )


def _help(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    return _(
        "Here you can see where a request stands. Choose one of your requests or type its number; for a request filed from another account you will need the identity number it was filed with."
    )
