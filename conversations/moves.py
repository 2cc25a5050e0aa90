"""The engine's part that moves a person between steps: asking a step's question (with
the buttons every step carries), applying a step's outcome, starting and restarting,
cancelling, going back, opening a status look-up and closing a flow (back to a draft put
aside, with the words that say what it is).

Mixed into :class:`conversations.engine.Engine`; split from it to keep one idea a file.
"""

from __future__ import annotations

import dataclasses

from conversations import languages
from conversations.events import (
    Event,
    Media,
    Option,
    Reply,
    Text,
    unique_options,
)
from conversations.faq_options import faq_option, over_topics
from conversations.first_message import FirstMessage
from conversations.flow import Ctx, Finish, Next, Outcome, Retry, Stay
from conversations.flows import status as status_flow
from conversations.flows.files_again import restore
from conversations.flows.later_requests import next_line
from conversations.flows.more_info import answer_cancelled
from conversations.flows.status_attempts import paused_for, wait_message
from conversations.flows.status_identity import identity_beside
from conversations.flows.their_say import cancelled
from conversations.manners import greeting_in_kind, salute, wants_welcome
from conversations.reading import NAV_IDS, START_STEPS
from conversations.sent_changes import cancelled_line, open_numbers
from conversations.state import replace_state


class Moves(FirstMessage):
    """Mixed into :class:`conversations.engine.Engine`."""

    async def _open_status(
        self, ctx: Ctx, number: str | None, *, another: bool = False, said: Event | None = None
    ) -> list[Reply]:
        """A status look-up: of ``number``, of the person's own request(s), or (``another``,
        «Another request number» pressed) the prompt for a number; an identity number
        ``said`` beside ``number`` answers the identity check at once."""
        state = ctx.state
        aside = None
        if state.flow == self.flow.name and state.step not in START_STEPS and not state.is_blank():
            aside = self._aside_lead(ctx)
            state.suspend()
        state.flow, state.step = "status", "number"
        state.answers, state.history, state.editing = {}, [], False
        beside = identity_beside(said.text, number) if isinstance(said, Text) and number else None
        outcome = await status_flow.enter(
            ctx, number, self.limiter, another=another, identity=beside
        )
        if isinstance(outcome, Next):
            state.step = outcome.step
            asked = self._ask(ctx)
            if aside is not None:
                # the draft put aside is said kept, above the question (tester 10b, item 8)
                asked = dataclasses.replace(asked, text=f"{aside}\n{asked.text}")
            return [asked]
        return self._apply(ctx, outcome)

    async def _forgot_number(self, ctx: Ctx) -> list[Reply]:
        """«نسيت رقم الطلب» at the first question: the look-up, its own answer to it (the
        chat's requests listed, which need no number, or where the number is)."""
        state = ctx.state
        state.flow, state.step = "status", "number"
        state.answers, state.history, state.editing = {}, [], False
        return self._apply(ctx, await status_flow.no_number(ctx))

    async def _kept_early(self, ctx: Ctx, event: Media, kept: str) -> list[Reply]:
        """The answer to a photo kept before a service was chosen (conversations.flows.
        early_files): ``kept``, what became of it ("" for the rest of an album: nothing),
        above the answer its caption gets as typed words, or above the step's question."""
        caption = (event.caption or "").strip()
        if caption:
            replies = await self._read(ctx.state, Text(event.origin, caption))
        elif kept:
            replies = [self._ask(ctx)]
        else:
            return []
        if not kept or not replies:
            return [Reply(kept)] if kept else replies
        return [dataclasses.replace(replies[0], text=f"{kept}\n{replies[0].text}"), *replies[1:]]

    async def _status_paused(self, ctx: Ctx) -> list[Reply] | None:
        """A number typed after a status look-up was paused for failed attempts: the
        person was checking a status, so they are told it is still paused, with the time
        left, and given the menu (found by the fresh-clone tester: it started a new request
        with the number). None when look-ups are not paused."""
        if self.limiter is None:
            return None
        seconds = await paused_for(ctx, self.limiter)
        if seconds <= 0:
            return None
        return [Reply(wait_message(ctx, seconds)), *self._restart(ctx)]

    def _restart(
        self,
        ctx: Ctx,
        *,
        language_choice: bool = False,
        ask: bool = True,
        welcome: bool = False,
        salutation: str | None = None,
        said: str = "",
    ) -> list[Reply]:
        """A new draft at the first question. The full welcome is shown when ``welcome``
        (/start) or when the person has not seen it lately; ``ask`` False leaves the first
        question to the caller (a first message that already answers it)."""
        fresh = ctx.state.fresh_draft()
        fresh.suspended = None
        replace_state(ctx.state, fresh)
        ctx.state.step = self.flow.first
        lines = []
        if salutation is not None:
            # «وعليكم السلام» first; a plain hello is answered by the welcome itself
            lines.append(salute(ctx, salutation, said))
        if wants_welcome(ctx.state, ctx.now) or welcome or language_choice:
            if salutation == "greeting" and greeting_in_kind(said) is None:
                # «أهلًا بك في «تواصل»» answers a plain hello; «هلا» gets «هلا بك» above it
                lines.pop()
            # the way to the other language, written in it, for who cannot read this one
            lines += [self.flow.greeting(ctx), languages.OTHER_LANGUAGE_HINT[ctx.locale]]
            ctx.state.welcome_turn = [ctx.origin.event_id, ctx.locale]
        replies = [Reply("\n".join(lines))] if lines else []
        if ask:
            replies.append(self._ask(ctx, language_choice=language_choice))
        return replies

    def _welcome_back(self, ctx: Ctx) -> list[Reply]:
        """A person coming back to the conversation (``/resume``: the terminal chat opened
        again) is greeted briefly and asked the question they were at; with nothing under
        way, the first question (the full welcome only when not seen lately, as for any
        new start). Found by the fresh-clone tester: reopening the terminal chat repeated
        the full welcome, or the whole help, to someone already in a conversation."""
        _ = ctx.texts.gettext
        state = ctx.state
        if state.step in START_STEPS:
            welcomed, waiting = state.welcomed, state.next_requests
            replies = self._next_kept(ctx, waiting, self._restart(ctx))
            if state.welcomed != welcomed:
                return replies  # the full welcome was due: it greets them
            return [Reply(_("Welcome back.")), *replies]
        at_prompt = self._welcome_back_to_prompt(ctx)  # a draft waits under a look-up
        if at_prompt is not None:
            return at_prompt
        asked = self._ask(ctx)
        if state.next_requests and state.step == self.flow.first and not self._has_draft(state):
            # back again at the first question, the next request still waiting
            return [Reply(_("Welcome back.")), *self._next_kept(ctx, state.next_requests, [asked])]
        lead = _("Welcome back. Here is where you left off:")
        return [dataclasses.replace(asked, text=f"{lead}\n{asked.text}")]

    async def _cancel(self, ctx: Ctx) -> list[Reply]:
        _ = ctx.texts.gettext
        # leaving a status look-up throws nothing away: «تم الإلغاء، ولم يُرسَل أي طلب»
        # there spoke of a request nobody was writing (found by the fresh-clone tester)
        looking_up = ctx.state.flow == "status"
        # a note, a reconsideration or a comment stopped: said of the request that was
        # sent, which stays (tester 12, §4: «ولم يُرسَل أي طلب» after a note)
        said = cancelled(ctx) or answer_cancelled(ctx)  # (an answer to an officer: e4)
        if said is None and not looking_up:
            # a request sent earlier and still open: never «لم يُرسَل أي طلب» (tester 13, §1)
            still_open = await open_numbers(ctx)
            if still_open:
                said = cancelled_line(ctx, still_open[0])
        replace_state(ctx.state, ctx.state.fresh_draft())
        if ctx.state.resume():
            lead = self._back_lead(ctx)
            if not looking_up:
                lead = (said or _("Cancelled. Nothing was sent.")) + "\n" + lead
            return [Reply(lead), self._ask(ctx)]
        if looking_up:
            ctx.state.step = self.flow.first
            asked = self._ask(ctx)
            lead = _("Alright, back to the main menu:")
            return [dataclasses.replace(asked, text=f"{lead}\n{asked.text}")]
        ctx.state.step = "done"
        ctx.state.offered = [["new", _("New request")]]
        if said is not None:
            said += "\n" + _("Send any message when you need anything else.")
        return [
            Reply(
                said
                or _("Cancelled. Nothing was sent. Send any message when you want to start again."),
                choices=(Option("new", _("New request")),),
            )
        ]

    def _back(self, ctx: Ctx) -> list[Reply]:
        state = ctx.state
        if over_topics(state.offered):
            # «رجوع» under the FAQ list: the question the person was on, asked again
            return [self._ask(ctx)]
        if not state.history and state.flow == "status":
            # out of a status question to where the person was: their draft, or the first
            # question («رجوع» there once answered «هذه هي الخطوة الأولى», a dead end)
            replace_state(state, state.fresh_draft())
            if not state.resume():
                return self._restart(ctx)
            # said that it is the draft coming back (tester 13, §18: the bare «لمن هذا
            # الطلب؟» came, as if a new request had begun)
            asked = self._ask(ctx)
            return [dataclasses.replace(asked, text=f"{self._back_lead(ctx)}\n{asked.text}")]
        step = self._flow(state).steps.get(state.step)
        if step is not None and step.back is not None and step.back(ctx):
            # back among the step's own questions («أين صاحب الإقامة الآن؟» to «لمن هذا
            # الطلب؟»: found by tester 10b, «رجوع» there went past it to the services)
            return [self._ask(ctx)]
        if not state.history:
            _ = ctx.texts.gettext
            return [self._reply(ctx, _("This is the first step."), with_choices=True)]
        # out of «إعادة إرسال المستندات» before a new file: the files sent before
        restored = restore(ctx) if state.step == "attachments" else None
        state.step = state.history.pop()
        # going back out of an edit returns to the normal order of steps
        if state.step == "summary":
            state.editing = False
        return [*(Reply(r) for r in (restored,) if r), self._ask(ctx)]

    def _apply(self, ctx: Ctx, outcome: Outcome) -> list[Reply]:
        state = ctx.state
        if isinstance(outcome, Next):
            if outcome.step != state.step:
                state.history.append(state.step)
            if outcome.step == "summary":
                state.editing = False
                state.history = [s for s in state.history if s != "summary"]
            state.step = outcome.step
            return [*(Reply(s) for s in outcome.say), self._ask(ctx)]
        if isinstance(outcome, Retry):
            return [self._reply(ctx, outcome.hint, with_choices=True)]
        if isinstance(outcome, Stay):
            return [self._reply(ctx, s, with_choices=outcome.with_choices) for s in outcome.say]
        return self._finish(ctx, outcome)

    def _finish(self, ctx: Ctx, outcome: Finish) -> list[Reply]:
        _ = ctx.texts.gettext
        last, waiting = ctx.state.last_request, ctx.state.next_requests
        looked_up = ctx.state.flow == "status"
        replace_state(ctx.state, ctx.state.fresh_draft())
        ctx.state.last_request = last
        ctx.state.next_requests = [list(r) for r in outcome.later] or None
        choices = outcome.choices
        if looked_up and waiting:
            # a look-up between two requests named together keeps the next one offered
            # (helper 26: after «حالة طلبي», «الطلب التالي» was gone)
            ctx.state.next_requests = waiting
            offered = next_line(ctx, waiting)
            choices = (*choices, offered[1]) if offered is not None else choices
        *first, final = outcome.say
        closing = [*(Reply(s) for s in first)]
        spent = outcome.spent if outcome.spent_on is not None else ()
        said = Reply(
            final,
            choices=choices,
            follow_up=outcome.follow_up,
            spent=spent,
            spent_on=outcome.spent_on if spent else None,
        )
        if ctx.state.resume():
            # the draft's question comes next and a typed number answers it: the card's own
            # options stay buttons, unnumbered (helper 21, §13: «1) أضف ملاحظة لطلبي» above
            # «1) داخل المملكة», and the «1» meant for the note answered the draft)
            closing.append(dataclasses.replace(said, numbered=not said.choices))
            closing.append(Reply(self._back_lead(ctx)))
            return [*closing, self._ask(ctx)]
        ctx.state.step = "done"
        ctx.state.offered = [[o.id, o.label] for o in choices]
        if looked_up:
            # the next message may be another request number (conversations.flows.status_lookup.
            # number_after_answer)
            ctx.state.status_turn = ctx.origin.event_id
        return [*closing, said]

    def _ask(self, ctx: Ctx, *, language_choice: bool = False) -> Reply:
        step = self._flow(ctx.state).steps[ctx.state.step]
        prompt = step.ask(ctx)
        extras: tuple[Option, ...] = ()
        if language_choice:
            # asked for help: everything that works at any step, as buttons too
            _ = ctx.texts.gettext
            other = languages.other_language(ctx.locale)
            language = Option(f"lang:{other}", languages.NAMES[other])
            status = Option("status", _("My request status"))
            restart = Option("restart", _("Start over"))
            extras = (restart, status, faq_option(ctx), *self._data_options(ctx), language)
            extras = _with_room(prompt.choices, extras, keep_first=(language, status))
        # navigation last, so a channel that offers it in words keeps the numbers of the
        # rest; a step may offer what the help extras offer too (status): once is enough
        choices = unique_options(
            (*prompt.choices, *extras, *_nav(ctx, can_go_back=step.can_go_back))
        )
        ctx.state.offered = [[o.id, o.label] for o in choices]
        return Reply(
            prompt.text,
            choices=choices,
            ask_contact=prompt.ask_contact,
            numbered=not step.free_text,
        )

    def _reply(self, ctx: Ctx, text: str, *, with_choices: bool) -> Reply:
        """A reply that stays on the step and offers the step's choices again."""
        if not with_choices:
            return Reply(text)
        asked = self._ask(ctx)
        return Reply(
            text, choices=asked.choices, ask_contact=asked.ask_contact, numbered=asked.numbered
        )


#: The most numbered choices a question asked again under the help shows: one WhatsApp
#: list page (ten rows, the tenth a «More» past that), less one (helper 235: the summary
#: under «مساعدة» showed twelve).
_MOST_WITH_HELP = 9


def _with_room(
    own: tuple[Option, ...], extras: tuple[Option, ...], *, keep_first: tuple[Option, ...]
) -> tuple[Option, ...]:
    """The help's ``extras`` that fit beside the step's ``own`` choices within
    :data:`_MOST_WITH_HELP`, in their order; ``keep_first`` kept before the rest (the
    language, which the help's text points to, and the status). Those the step offers
    already take no room."""
    ids = {o.id for o in own}
    wanted = [o for o in extras if o.id not in ids]
    room = max(0, _MOST_WITH_HELP - len([o for o in own if o.id not in NAV_IDS]))
    ranked = [*[o for o in keep_first if o in wanted], *[o for o in wanted if o not in keep_first]]
    kept = {o.id for o in ranked[:room]}
    return tuple(o for o in extras if o.id in kept or o.id in ids)


def _nav(ctx: Ctx, *, can_go_back: bool) -> tuple[Option, ...]:
    _ = ctx.texts.gettext
    back = (Option("back", _("Back")),) if can_go_back else ()
    return (*back, Option("help", _("Help")), Option("cancel", _("Cancel")))
