"""The engine's part for the person's say after filing (issue 13): the satisfaction buttons
under a decision, «Add a note to my request», «Ask to reconsider», and the same asked in
the person's own words.

None of it breaks what the person is doing: a rating is stored at once and the question
they were on is asked again; a note, a reconsideration or a comment opens the say flow
(:mod:`conversations.flows.their_say`) with a half-filled request put aside whole, and
the request comes back when it is done. The rules live in :mod:`domain.their_say`; the
checks that need the request (whose it is, its status, once only) are the gateway's, in
SQL, so two workers taking two taps at once cannot both count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from conversations.events import Choice, Event, Option, Reply, Text
from conversations.flow import Ctx
from conversations.flows.say_note import refusal_text
from conversations.flows.their_say import BUTTON_MESSAGE, SAY, STEPS, answer_comment
from conversations.keywords import courtesy
from conversations.manners import salute, wished_well
from conversations.ports import SayRefused
from conversations.rating_reading import (
    RATED_ASIDE,
    asks_or_wants,
    at_start,
    no_menu_pick,
    thanked,
    typed_rating,
)
from conversations.rating_words import leading_rating
from conversations.reading import NAV_IDS, START_STEPS
from conversations.reconsider_parts import ReconsiderParts
from conversations.status_rows import filed_lines, row_label, row_of
from conversations.their_say import (
    MAX_WISH_WORDS,
    THEIR_SAY_DATA,
    note_id,
    parse_say,
    rate_id,
    reconsider_id,
    say_wish,
)
from domain.normalize import strip_invisible, to_ascii_digits
from domain.status import FINAL, RequestStatus
from domain.their_say import RATINGS

log = logging.getLogger(__name__)

__all__ = ["MAX_WISH_WORDS", "THEIR_SAY_DATA", "TheirSay", "say_wish", "typed_rating"]
#: How long after a decision a rating word typed at the first menu still rates it, with
#: other messages in between (right after the question, any rating is read).
RATING_WINDOW = dt.timedelta(days=7)
#: The last steps of a request whose notice asks how satisfied the person is.
_DECISIONS = frozenset(s.value for s in FINAL)


def _spent(refused: SayRefused, what: str) -> tuple[str, ...]:
    """The say buttons of ``refused.number`` that can never work again after this
    refusal: none for a stranger's number or a decision not yet told."""
    number = refused.number
    if what == "recon" and refused.reason in ("already", "not_rejected"):
        return (reconsider_id(number),)
    if what == "rate" and refused.reason == "already":
        return _rating_buttons(number)
    if what == "note" and refused.reason == "closed":
        return (note_id(number),)
    return ()


def _rating_buttons(number: str) -> tuple[str, ...]:
    """The five satisfaction buttons of ``number``."""
    return tuple(rate_id(number, rating) for rating in RATINGS)


class TheirSay(ReconsiderParts):
    """Mixed into :class:`conversations.engine.Engine`; a file joining a request to
    reconsider and the line above the menu about one are
    :class:`conversations.reconsider_parts.ReconsiderParts`'."""

    async def _their_say(self, ctx: Ctx, chosen: Event) -> list[Reply] | None:
        """The reply to a say button; None when the message is not one."""
        if not isinstance(chosen, Choice):
            return None
        parsed = parse_say(chosen.id)
        if parsed is None:
            return None
        what, number, rating = parsed
        if what == "rate" and rating is not None:
            return await self._rate(ctx, number, rating)
        return await self._open_say(ctx, what, number, chosen.message)

    async def _their_words(self, ctx: Ctx, typed: Text) -> list[Reply] | None:
        """The reply to a note or a reconsideration asked for in words; None otherwise.
        Not where the step takes the person's own words (a description, an answer)."""
        rated = await self._typed_rating(ctx, typed)
        if rated is not None:
            return rated
        wish = say_wish(typed.text)
        return None if wish is None else await self._say_wish(ctx, wish)

    async def _typed_rating(self, ctx: Ctx, typed: Text) -> list[Reply] | None:
        """A bare «1»-«5» (any digits), a run of one to five ⭐ or a rating word
        («ممتاز», «سيء»: :mod:`conversations.rating_words`) typed as the next message
        after a decision's rating question, while that request is still unrated, rates it
        as its button would (found by the tester: «1» opened the first menu's first
        option, «٥» its hidden help). At the first menu, or in a draft (its step's words
        too, a description) when nothing but the question came since the person's last
        message, the draft put aside whole (fresh-clone user 15: «سيء، ما ردّيتوا علي» went
        into the description and was filed); in a draft a digit answers the step. None
        when the message is not that."""
        state = ctx.state
        rating = typed_rating(typed.text)
        # «سيء، ما قريتو الموافقه اصلا»: the rating with its reason (tester 15 §3), read
        # only right after the question, the reason kept as the comment
        with_reason = rating is None
        rating = leading_rating(typed.text) if rating is None else rating
        if with_reason and rating is not None and asks_or_wants(ctx, typed.text, rating):
            # «عادي اقدم مرة ثانية؟», «زين، ابي اجدد اقامة زوجتي» (review 15 §1): a question
            # or a new need opening with a rating word is read as before, not rated
            rating = None
        if rating is None or state.confirming:
            return None
        # the status look-up under way («يُرجى كتابة رقم الطلب»): a rating right after the
        # question is read as in a draft (session 18's faults list, item 1: «ممتاز» there
        # got «لم أجد رقم طلب في رسالتك»); other side flows take the person's words
        aside = state.flow != self.flow.name
        if aside and state.flow not in RATED_ASIDE:
            return None
        in_draft = aside or not at_start(self.flow.first, state.step)
        digit = to_ascii_digits(strip_invisible(typed.text)).strip().isdigit()
        if in_draft and digit and not (aside and no_menu_pick(typed.text, state.offered)):
            # in a draft a digit answers the step; in the look-up, when it can pick a row
            return None
        try:
            mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
        except Exception:
            # the first menu needs no database: with SQL away «1» is read as ever
            log.warning("typed rating not looked for: the requests could not be read")
            return None
        decisions = [v for v in mine if v.history and v.history[-1][1] in _DECISIONS]
        last = state.last_turn_at
        decided = [
            v for v in decisions
            if last is not None and v.history[-1][0] > dt.datetime.fromisoformat(last)
        ]  # fmt: skip
        if in_draft and not decided:
            # a half-filled request: only right after the question is a rating word one
            # (fresh-clone user 15: «سيء، ما ردّيتوا علي» went into the description)
            return None
        if not decided and not no_menu_pick(typed.text, state.offered):
            # no rating question since their last message (or no turn of theirs on record:
            # nothing says the question was the last thing they saw): a «1» meant for the
            # menu must never become a one-star rating
            return None
        if not decided and with_reason:
            return None
        if not decided:
            # a word, stars or a digit past the menu's options cannot be meant for the
            # menu: it rates a recent decision still unrated, whatever came in between
            # (tester 13, §11: after «ممتاز الله يعطيكم العافيه» met the menu, «٥» and
            # «ممتاز» were called a wrong choice)
            decided = [v for v in decisions if ctx.now - v.history[-1][0] <= RATING_WINDOW]
        if not decided:
            return None
        newest = max(decided, key=lambda v: v.history[-1][0])
        try:
            await ctx.gateway.rate(newest.number, ctx.origin.channel, ctx.origin.user_key, rating)
        except SayRefused:
            return None  # rated already (by a star), not told yet...: read as ever
        if with_reason:
            rated = await self._rated_with_reason(ctx, newest.number, rating, typed)
        else:
            rated = self._rated(ctx, newest.number)
        kind, _rest = courtesy(typed.text)
        if kind == "thanks" or wished_well(typed.text) or thanked(typed.text):
            # «ممتاز الله يعطيكم العافيه»: the thanks answered in kind, above the rest
            back = salute(ctx, "thanks", typed.text)
            rated[0] = dataclasses.replace(rated[0], text=f"{back}\n{rated[0].text}")
        return rated

    async def _rated_with_reason(
        self, ctx: Ctx, number: str, rating: int, typed: Text
    ) -> list[Reply]:
        """The thanks for a rating of ``number`` just stored from the word opening
        ``typed``, whose whole text is then the comment (the comment step's own answer:
        a reconsideration asked in it is offered, a refusal said), the stars read named so
        that a wrong reading can be seen."""
        _ = ctx.texts.gettext
        state = ctx.state
        # the status look-up under way: asked again once the comment is stored (session
        # 20: it was left, as the «Answer» button leaves it); a reconsideration offered
        # from the words is asked instead
        looking_up = (state.flow, state.step, dict(state.answers), list(state.history))
        self._enter(ctx, "rate", number)
        replies = self._apply(ctx, await answer_comment(ctx, typed))
        if looking_up[0] in RATED_ASIDE and state.flow == self.flow.name and state.step == "done":
            state.flow, state.step, state.answers, state.history = looking_up
            asked = self._ask(ctx)
            replies.append(dataclasses.replace(asked, text=f"{self._back_lead(ctx)}\n{asked.text}"))
        lead = _("Your rating has been recorded: %(stars)s.") % {"stars": "⭐" * rating}
        replies[0] = dataclasses.replace(
            replies[0], text=f"{lead}\n{replies[0].text}", spent=_rating_buttons(number)
        )
        return replies

    async def _rate(self, ctx: Ctx, number: str, rating: int) -> list[Reply]:
        origin = ctx.origin
        try:
            await ctx.gateway.rate(number, origin.channel, origin.user_key, rating)
        except SayRefused as refused:
            return await self._say_refused(ctx, refused, "rate")
        return self._rated(ctx, number)

    def _rated(self, ctx: Ctx, number: str) -> list[Reply]:
        """The thanks for a rating of ``number`` just stored."""
        if ctx.state.flow != self.flow.name:
            # in the middle of something else (answering an officer, a note): thanked,
            # and back to it; the comment is not asked over what they are doing
            _ = ctx.texts.gettext
            replies = self._and_again(ctx, _("Thank you for your rating."))
        else:
            aside = self._aside_lead(ctx) if self._puts_aside(ctx) else None
            self._enter(ctx, "rate", number)
            replies = [self._ask(ctx)]
            if aside is not None:
                # a draft put aside for the comment is said kept (as _open_say does)
                replies[0] = dataclasses.replace(replies[0], text=f"{aside}\n{replies[0].text}")
        # the rating is stored: its five buttons leave the tapped message now, where the
        # channel can, rather than at a second tap that would be refused
        replies[0] = dataclasses.replace(replies[0], spent=_rating_buttons(number))
        return replies

    async def _open_say(
        self, ctx: Ctx, what: str, number: str, message: str | None = None
    ) -> list[Reply]:
        """``message``: the channel's reference to the message whose button was tapped,
        kept so that the button can leave it once the say is sent (a reconsideration)."""
        origin = ctx.origin
        try:
            await ctx.gateway.may_say(what, number, origin.channel, origin.user_key)
        except SayRefused as refused:
            return await self._say_refused(ctx, refused, what)
        aside = self._aside_lead(ctx) if self._puts_aside(ctx) else None
        self._enter(ctx, what, number)
        if what == "recon" and message is not None:
            # the button stays while the reason is being written (abandoned, it still
            # works); the say flow takes it off this message once the reason is sent
            ctx.state.answers[BUTTON_MESSAGE] = message
        asked = self._ask(ctx)
        if aside is not None:
            # the draft put aside is said kept, above the question (tester 10b, item 8)
            asked = dataclasses.replace(asked, text=f"{aside}\n{asked.text}")
        return [asked]

    def _puts_aside(self, ctx: Ctx) -> bool:
        """Whether opening a say flow now puts a draft aside (see :meth:`_enter`)."""
        state = ctx.state
        return (
            state.flow == self.flow.name and state.step not in START_STEPS and not state.is_blank()
        )

    def _enter(self, ctx: Ctx, what: str, number: str) -> None:
        """Opens the say flow's step for ``what``; a draft with something in it is put
        aside whole (another side flow under way is left, as the «Answer» button does)."""
        state = ctx.state
        if self._puts_aside(ctx):
            state.suspend()
        state.flow, state.step = SAY, STEPS[what]
        state.answers = {"number": number, "texts": [], "files": []}
        state.history, state.editing, state.albums = [], False, []

    async def _say_refused(self, ctx: Ctx, refused: SayRefused, what: str) -> list[Reply]:
        if refused.reason == "not_theirs" and self.limiter is not None:
            # a forged or mistyped number: counted like any look-up of someone else's
            await self.limiter.take(f"acct:{ctx.origin.channel}:{ctx.origin.user_key}")
        replies = self._and_again(ctx, refusal_text(ctx, refused, what))
        # a reconsideration asked already, a rating given, a note to a decided request:
        # that button will never work again, and leaves the message where the channel can
        spent = _spent(refused, what)
        if spent:
            replies[0] = dataclasses.replace(replies[0], spent=spent)
        return replies

    def _and_again(self, ctx: Ctx, text: str) -> list[Reply]:
        """``text``, then the question of the step the person was on, with its buttons
        (found by the fresh-clone tester: the thanks for a rating tapped in the middle of
        another dialogue came with the step's buttons alone, its question gone); while
        they are asked whether to throw their draft away, or before or after a request,
        the buttons on screen, as they were."""
        if ctx.state.step in START_STEPS or ctx.state.confirming:
            offered = tuple(Option(o[0], o[1]) for o in ctx.state.offered)
            return [Reply(text, choices=offered)]
        asked = self._ask(ctx)
        return [dataclasses.replace(asked, text=f"{text}\n{asked.text}")]

    async def _say_wish(
        self, ctx: Ctx, what: str, *, lead: str = "", always_ask: bool = False
    ) -> list[Reply]:
        """«أضف ملاحظة لطلبي» or «أبي أتظلم» typed: to the one request it can be about,
        or the person picks which; said plainly when there is none. ``lead`` is said
        first (a request number typed wrong); with ``always_ask`` the person picks even
        when one request fits (a number they typed did not name it)."""
        _ = ctx.texts.gettext
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
        if what == "note":
            # a rejection being reconsidered takes notes too (tester 13, §5)
            fitting = [v for v in mine if RequestStatus(v.status) not in FINAL or v.reconsidering]
            none = _("You have no open request to add a note to.")
            make, question = note_id, _("Which request is your note about?")
        else:
            fitting = [v for v in mine if v.status == RequestStatus.REJECTED.value]
            none = _("None of your requests has been rejected, so there is nothing to reconsider.")
            make, question = reconsider_id, _("Which request should be reconsidered?")
        if not fitting and what == "note" and ctx.state.step in START_STEPS:
            if not ctx.state.confirming:
                # no draft to lose: the first menu, so the way on is on screen (a first
                # message had the line alone, naming a button shown nowhere)
                replies = self._restart(ctx)
                lead = (f"{lead}\n" if lead else "") + none + _new_request_line(ctx)
                return [
                    dataclasses.replace(replies[0], text=f"{lead}\n{replies[0].text}"),
                    *replies[1:],
                ]
        if not fitting and what == "note":
            none += _new_request_line(ctx)  # at the first question: its choices
        if not fitting:
            return self._and_again(ctx, f"{lead}\n{none}" if lead else none)
        if len(fitting) == 1 and not always_ask:
            return await self._open_say(ctx, what, fitting[0].number)
        rows = [row_of(v) for v in fitting[:5]]
        # whom each is for on its button, the day each was filed under the question
        # (fresh-clone tester 14, §5: two «تجديد هوية مقيم» could not be told apart)
        options = tuple(Option(make(row[0]), row_label(ctx, row)) for row in rows)
        question = f"{question}\n{filed_lines(ctx, rows)}"
        nav = tuple(Option(o[0], o[1]) for o in ctx.state.offered if o[0] in NAV_IDS)
        if not any(o.id == "cancel" for o in nav):
            # a way out of the question on every screen (fresh-clone tester 14, §10: after
            # a cancel the picker offered «طلب جديد» alone)
            nav = (*nav, Option("cancel", _("Cancel")))
        ctx.state.offered = [[o.id, o.label] for o in (*options, *nav)]
        return [Reply(f"{lead}\n{question}" if lead else question, choices=(*options, *nav))]

    def _picker_cancelled(self, ctx: Ctx) -> list[Reply] | None:
        """«إلغاء» at «ما الطلب الذي تخصّه ملاحظتك؟» (or the reconsideration's «which
        request?»): said that nothing was added or asked, then where the person was (the
        first menu, or the draft's step). None when that question is not on screen.
        Found by the fresh-clone tester (14, §10): the first menu came back without a word,
        to a person who had just asked to cancel a request."""
        what = picker_of(ctx.state.offered)
        if what is None:
            return None
        _ = ctx.texts.gettext
        ctx.state.note_words = None  # the words that asked for the note go with it
        if what == "note":
            said = _("Alright: nothing was added to your requests.")
        else:
            said = _("Alright: no reconsideration was asked for.")
        if ctx.state.step in START_STEPS:
            replies = self._restart(ctx)
        else:
            replies = [self._ask(ctx)]
        first = replies[0]
        return [dataclasses.replace(first, text=f"{said}\n{first.text}"), *replies[1:]]


def picker_of(offered: list[list[str]]) -> str | None:
    """ "note" or "recon" when the options on screen (``DialogueState.offered``, the
    navigation aside) are «which request?» for a note or a reconsideration (one request
    each, conversations.say_parts); None for any other screen, such as a file offered as
    an addition («إضافتها إلى طلبي» beside «لطلب جديد»)."""
    own = [parse_say(o[0]) for o in offered if o[0] not in NAV_IDS]
    kinds = {parsed[0] if parsed else None for parsed in own}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    return kind if kind in ("note", "recon") else None


def _new_request_line(ctx: Ctx) -> str:
    """How to file a new request, named by the first menu's choices when they are on
    screen (a «New request» button was named that the menu does not have; found by the
    fresh-clone tester); their labels can be typed where there are no buttons. Nothing
    when the person is in the middle of a draft: its step is asked again below."""
    labels = dict((o[0], o[1]) for o in ctx.state.offered)
    if not {"ind", "est"} <= labels.keys():
        return ""
    return " " + ctx.texts.gettext(
        "To file a new request, choose «%(individual)s» or «%(establishment)s»."
    ) % {"individual": labels["ind"], "establishment": labels["est"]}
