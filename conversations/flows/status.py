""" "What is my status?": the answer from the request number, only to its owner.

The chat that filed a request sees it at once. Anyone else must give the identity number
it was filed with; a number that doesn't exist and a wrong identity number get the same
answer, and failures are limited per account and per request number, so numbers cannot
be probed.

What each proof shows. DESIGN.md: "the bot must never show a request to someone who
cannot prove it is theirs"; the real inquiry asks for the request number, the identity
number, the mobile and the e-mail (seeds), and a request is filed "by the person concerned
from their own account" (seed 004).

- The chat that filed it (the account the request came from: the strongest proof the bot
  has) sees everything: service, dates, status, history, the officer's free text (a
  rejection's reason, an acceptance's note, a question to answer) and the actions (answer,
  note, reconsideration, rating).
- Another chat that gives the request number and the identity number it was filed with
  (two of the four things the real inquiry asks; a relative, an employer's clerk or anyone
  who saw the receipt and the card may know both) sees where the request stands, so that
  it can follow it for the applicant: service, filing date, status, due date, the history
  of statuses and what happens next. Never the officers' free text, which is addressed to
  the applicant and may name their documents, health or family: the gateway's
  ``status_with_identity`` does not return it, and the answer says a rejection's reason is
  in the chat that filed it. Nor any action, which only that chat may take.
- Anyone with less (a request number alone, a wrong identity number) sees nothing, not
  even whether the number exists.
"""

from __future__ import annotations

import datetime as dt
import logging

from conversations.buttons import ANOTHER_NUMBER
from conversations.events import Choice, Event, Option, Text
from conversations.flow import Ctx, Finish, Flow, Next, Outcome, Prompt, Retry, Step
from conversations.flows.intake import number_in_words, number_problem
from conversations.flows.intake_numbers import shape_names
from conversations.flows.status_prompt import (
    counted,
    no_number_advice,
    not_a_number,
    says_no_number,
    way_out_options,
    words_not_a_number,
)
from conversations.formatting import format_due_date, isolate
from conversations.notifications import answer_choice_id, status_name
from conversations.ports import (
    DECISION_KEPT,
    RECONSIDERATION_ASKED,
    AttemptLimiter,
    StatusView,
)
from conversations.state import DialogueState
from conversations.their_say import note_id, reconsider_id
from domain.catalogue import local
from domain.identity import InvalidIdentityNumber, parse_identity_number
from domain.normalize import clean_input, digits_only
from domain.number_shapes import number_shape
from domain.request_number import (
    FIRST_DIGITS,
    REQUEST_NUMBER_LENGTH,
    InvalidRequestNumber,
    parse_request_number,
)
from domain.sla import riyadh_date
from domain.status import FINAL, RequestStatus

log = logging.getLogger(__name__)

MAX_LISTED = 5


def status_label(ctx: Ctx, status: str, *, owner: bool = True) -> str:
    """A status as this person reads it; see notifications.status_name for ``owner``."""
    return status_name(status, ctx.locale, owner=owner)


def _date(day: dt.datetime, ctx: Ctx) -> str:
    return format_due_date(riyadh_date(day), ctx.locale)


def render_status(ctx: Ctx, view: StatusView, *, owner: bool = False) -> Finish:
    """The whole answer: what, when, where it stands, why, by when, and what to do next.
    The chat that filed it (``owner``) may also add a note to it while it is open, answer
    an officer's question, or ask for a rejection to be reconsidered. Anyone else (who
    proved the identity number) is told where those, and the updates, happen: in the
    chat that filed it, the only one the bot writes to about it. They are not shown the
    officers' free text (the question, a rejection's reason, an acceptance's note), which is
    addressed to the applicant and may name their documents or family, and a request
    waiting for an answer reads as waiting for the applicant, not «from you» (found by the
    fresh-clone tester; the reason by the review of session 10). The rule, proof by proof,
    is the module's docstring."""
    _ = ctx.texts.gettext
    status = RequestStatus(view.status)
    service = local(ctx.catalogue.get(view.service_id).name, ctx.locale)
    lines = [
        _("Request %(number)s") % {"number": view.number},
        _("Service: %(service)s") % {"service": service},
        _("Filed on: %(date)s") % {"date": _date(view.submitted_at, ctx)},
        _("Status: %(status)s") % {"status": status_label(ctx, view.status, owner=owner)},
    ]
    choices: tuple[Option, ...] = ()
    today = riyadh_date(ctx.now)
    if status is RequestStatus.REJECTED and not owner:
        # the officers' words are the applicant's to read (see the module's docstring)
        lines.append(_("The reason is shown only in the chat the request was filed from."))
    elif status is RequestStatus.REJECTED and view.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": isolate(view.reason)})
    if status is RequestStatus.ACCEPTED and view.reason and owner:
        lines.append(_("Officer's note: %(note)s") % {"note": isolate(view.reason)})
    if status is RequestStatus.NEEDS_INFO and owner:
        lines.append(
            _("The officer asks: «%(question)s»") % {"question": isolate(view.question or "")}
        )
        # the answer is taken only from the chat that filed it
        choices = (Option(answer_choice_id(view.number), _("Answer")),)
    if status not in FINAL and status is not RequestStatus.NEEDS_INFO:
        lines.append(
            _("Answer due by: %(date)s") % {"date": format_due_date(view.due_date, ctx.locale)}
        )
    lines.append("")
    lines.append(_("History:"))
    lines += [
        f"• {_date(at, ctx)}: {_history_label(ctx, what, owner=owner)}" for at, what in view.history
    ]
    lines.append("")
    lines.append(_next_step(ctx, status, view.due_date < today, owner=owner))
    if status not in FINAL and status is not RequestStatus.NEEDS_INFO and view.due_date < today:
        lines.insert(
            0,
            _("We apologise: the answer to this request was due on %(date)s and is late.")
            % {"date": format_due_date(view.due_date, ctx.locale)},
        )
    if owner and status not in FINAL:
        choices = (*choices, Option(note_id(view.number), _("Add a note to my request")))
    if owner and view.reconsiderable:  # not once asked, nor while one is pending
        choices = (*choices, Option(reconsider_id(view.number), _("Ask to reconsider")))
    return Finish(("\n".join(lines),), choices)


def _history_label(ctx: Ctx, what: str, *, owner: bool) -> str:
    """A line of the history: a new status, or a step that changed none (a
    reconsideration asked, the rejection kept after it)."""
    _ = ctx.texts.gettext
    if what == RECONSIDERATION_ASKED:
        return _("Reconsideration asked")
    if what == DECISION_KEPT:
        return _("Decision kept after reconsideration: %(status)s") % {
            "status": status_label(ctx, RequestStatus.REJECTED.value)
        }
    return status_label(ctx, what, owner=owner)


def _next_step(ctx: Ctx, status: RequestStatus, late: bool, *, owner: bool) -> str:
    """What comes next. To someone other than the filer (``owner`` False) it promises
    only what happens: the bot writes to the chat that filed the request, never to them
    (found by the fresh-clone tester: they were told «وسنبلغك بكل تحديث»)."""
    _ = ctx.texts.gettext
    if not owner and status is RequestStatus.NEEDS_INFO:
        return _(
            "Next: the officer's question is answered from the chat the request was filed from; updates are sent there too. You can look up its status here again with the request number and the identity number."
        )
    if not owner and status not in FINAL and not late:
        return _(
            "Next: nothing is needed now. Updates are sent to the chat the request was filed from, not to this one; you can look up its status here again with the request number and the identity number."
        )
    if status is RequestStatus.NEEDS_INFO:
        return _(
            "Next: press «Answer» and send what the officer asked for; the clock is paused until then."
        )
    if status is RequestStatus.ACCEPTED:
        return _("Next: nothing more is needed from you.")
    if status is RequestStatus.REJECTED or late:
        return _(
            "Next: you can book an appointment at the nearest passports branch through Absher (Appointments) and bring the documents, or file a new request."
        )
    return _("Next: nothing is needed from you now; you will be told of every change.")


# ---- choosing which request ----------------------------------------------------------


async def enter(
    ctx: Ctx, number: str | None, limiter: AttemptLimiter | None, *, another: bool = False
) -> Outcome:
    """Where a status question starts: a number given; the status of the person's only
    request at once (with «Another request number» under it); their list when they have
    two or more; or the prompt for a number (none of their own, or ``another`` asked for).
    Without a limiter only the owner's own requests can be looked up."""
    if number is not None:
        return await _lookup(ctx, number, limiter)
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
    ctx.state.answers["mine"] = [
        [v.number, local(ctx.catalogue.get(v.service_id).name, ctx.locale)]
        for v in mine[:MAX_LISTED]
    ]


async def _no_number(ctx: Ctx) -> Outcome:
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
    return Prompt(
        _("Your requests (newest first). Choose one, or type another request number:"),
        (
            *(Option(f"r:{number}", f"{number} · {name}") for number, name in mine),
            Option("other", _("Another request number")),
            *way_out_options(ctx),
        ),
    )


async def answer_pick(ctx: Ctx, event: Event, limiter: AttemptLimiter | None) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Choice) and event.id.startswith("r:"):
        return await _lookup(ctx, event.id[2:], limiter)
    if isinstance(event, Choice) and event.id == "other":
        return Next("number")
    if isinstance(event, Text):
        return counted(ctx, await _typed(ctx, event.text, limiter))
    return counted(ctx, Retry(_("Please choose a request, or type its number.")))


def ask_number(ctx: Ctx) -> Prompt:
    _ = ctx.texts.gettext
    return Prompt(
        _("Type the request number (10 digits) you received when you filed it."),
        way_out_options(ctx),
    )


async def answer_number(ctx: Ctx, event: Event, limiter: AttemptLimiter | None) -> Outcome:
    _ = ctx.texts.gettext
    if isinstance(event, Text):
        return counted(ctx, await _typed(ctx, event.text, limiter))
    return counted(ctx, Retry(_("Please type the request number in digits.")))


async def _typed(ctx: Ctx, typed: str, limiter: AttemptLimiter | None) -> Outcome:
    """A message typed at the list or the number prompt: «ما عندي رقم» gets the advice,
    other words (a draft waiting takes them first: conversations.status_exits) are told
    no request number was found in them, and a number is looked up."""
    if says_no_number(typed):
        return await _no_number(ctx)
    if not_a_number(typed):
        ask = ask_pick(ctx) if ctx.state.step == "pick" else ask_number(ctx)
        return Retry(words_not_a_number(ctx, typed, ask.text))
    return await _lookup(ctx, typed, limiter)


async def _lookup(ctx: Ctx, typed: str, limiter: AttemptLimiter | None) -> Outcome:
    _ = ctx.texts.gettext
    try:
        number = parse_request_number(typed)
    except InvalidRequestNumber as error:
        ctx.state.step = ctx.state.step or "number"
        return Retry(request_number_problem(ctx, error))
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
        return Finish((_not_found(ctx),))
    # someone else's number, or none: that is an attempt, paid now; the identity number
    # typed next is checked under this same attempt
    attempt = await limiter.take(*_keys(ctx, number))
    if not attempt.granted:
        return await _refused(ctx, limiter, number, attempt.wait_s)
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
        return _(
            "This number looks mistyped: its last digit doesn't match. Please check it and type it again."
        )
    return _("A request number has 10 digits. Please check it and type it again.")


async def _refused(ctx: Ctx, limiter: AttemptLimiter, number: str, wait_s: int) -> Outcome:
    """A look-up of ``number`` refused by the limiter. When this chat used up its own
    attempts it is told so and the look-up ends. When the number's own limit, shared by
    every chat and worker, is what is full, strangers' wrong identity numbers may be the
    cause: the person is told the inquiry about this number is paused for its protection,
    without being blamed, and stays at the identity step, so an identity number typed
    next is taken for this look-up (refused while the pause lasts, checked once it is
    over), never for a new request. Found by the fresh-clone tester: a person who had made
    no attempt read «after several failed attempts», and the identity number they typed
    next started a new request. The chat that filed it is never refused (``_lookup``
    shows it its own request before any attempt is counted)."""
    account = _keys(ctx, number)[0]
    if await limiter.blocked_for(account) > 0:
        return Finish((wait_message(ctx, wait_s),))
    answers = ctx.state.answers
    answers.pop("paid", None)
    answers.pop("left", None)
    answers["number"] = number
    ctx.state.step = "identity"
    return Retry(number_paused_message(ctx, number, wait_s))


def number_paused_message(ctx: Ctx, number: str, seconds: int) -> str:
    """The refusal of a look-up while the request number (not this chat) has no attempt
    left: it does not say the person got anything wrong (others' attempts count too), and
    it says where its owner can always see it."""
    ngettext = ctx.texts.ngettext
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "To protect request %(number)s, inquiries about it are paused for a while, after wrong identity numbers were typed for it several times. Please try again in %(count)d minute. If you filed it, you can see its status at any time from the chat you filed it from.",
        "To protect request %(number)s, inquiries about it are paused for a while, after wrong identity numbers were typed for it several times. Please try again in %(count)d minutes. If you filed it, you can see its status at any time from the chat you filed it from.",
        minutes,
    ) % {"number": number, "count": minutes}


# ---- proving it is theirs ------------------------------------------------------------


def _keys(ctx: Ctx, number: str) -> tuple[str, str]:
    return (f"acct:{ctx.origin.channel}:{ctx.origin.user_key}", f"num:{number}")


async def paused_for(ctx: Ctx, limiter: AttemptLimiter) -> int:
    """Seconds until this chat's status look-ups may be tried again (0 when they are not
    paused): the lock-out lives in the limiter (Redis), so every worker sees it."""
    return await limiter.blocked_for(_keys(ctx, "")[0])


def _not_found(ctx: Ctx) -> str:
    _ = ctx.texts.gettext
    # the same words whether the number exists or not
    return _(
        "We couldn't find a request with this number and identity number. Please check both and try again."
    )


def wait_message(ctx: Ctx, seconds: int) -> str:
    """The refusal of a look-up while the account or the number has no attempt left."""
    _ = ctx.texts.gettext
    ngettext = ctx.texts.ngettext
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "For your protection, status inquiries are paused after several failed attempts. Please try again in %(count)d minute.",
        "For your protection, status inquiries are paused after several failed attempts. Please try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


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
        if _is_request_number(event.text):
            # «check both» after a miss: the person typed the request number again (found
            # by the tester); it is a look-up of its own, paying its own attempt
            return await _lookup(ctx, event.text, limiter)
        # as the request form says it: a last digit that does not match is not "not 10 digits"
        return Retry(number_problem(ctx, error, event.text))
    answers = ctx.state.answers
    number: str = answers["number"]
    keys = _keys(ctx, number)
    if answers.pop("paid", False):
        left = int(answers.pop("left", 0))
    else:
        attempt = await limiter.take(*keys)
        if not attempt.granted:
            return await _refused(ctx, limiter, number, attempt.wait_s)
        left = attempt.left
    view = await ctx.gateway.status_with_identity(number, identity.value)
    if view is None:
        log.info("status of %s: identity did not match", number)
        if left <= 0:
            return await _refused(ctx, limiter, number, await limiter.blocked_for(*keys))
        return Retry(_not_found(ctx))
    # a right to see it, proven: the attempt is given back
    await limiter.refund(*keys)
    log.info("status of %s shown after identity check", view.number)
    return render_status(ctx, view)


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


def _is_request_number(typed: str) -> bool:
    try:
        number = parse_request_number(typed)
    except InvalidRequestNumber:
        return False
    return number[0] in FIRST_DIGITS


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
