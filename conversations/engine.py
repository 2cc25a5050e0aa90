"""The engine: (state, inbound event) -> (new state, replies), with the store around it.

It owns what every step shares: claiming the event id, the words and buttons that work
everywhere (cancel, back, help, restart), turning a typed number or label into the choice
it names, polite answers to things a step cannot use, and compare-and-set retries.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    Option,
    Reply,
    Text,
    Unsupported,
)
from conversations.flow import Ctx, Finish, Flow, Next, Outcome, Retry, Stay
from conversations.flows.more_info import MORE_INFO, start_answer
from conversations.keywords import global_action
from conversations.ports import RequestGateway
from conversations.state import DialogueState
from conversations.store import DialogueStore
from domain.catalogue import Catalogue
from domain.normalize import clean_input, fold_arabic

log = logging.getLogger(__name__)

CAS_ATTEMPTS = 8
NAV_IDS = ("back", "cancel", "help", "restart", "new")
_START_STEPS = ("", "done")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Engine:
    store: DialogueStore
    flow: Flow
    catalogue: Catalogue
    gateway: RequestGateway
    clock: Callable[[], dt.datetime] = field(default=_utcnow)
    # flows entered from a button rather than from the start (answering an officer)
    side_flows: Mapping[str, Flow] = field(default_factory=lambda: {MORE_INFO.name: MORE_INFO})

    def _flow(self, state: DialogueState) -> Flow:
        return self.side_flows.get(state.flow, self.flow)

    async def handle(self, event: Event) -> list[Reply]:
        origin = event.origin
        claimed, state = await self.store.claim_and_load(
            origin.channel, origin.user_key, origin.event_id
        )
        if not claimed:
            log.info("duplicate event %s/%s ignored", origin.channel, origin.event_id)
            return []
        try:
            for _attempt in range(CAS_ATTEMPTS):
                replies = await self._turn(state, event)
                if await self.store.save(origin.channel, origin.user_key, state):
                    return replies
                state = await self.store.load(origin.channel, origin.user_key)
            raise RuntimeError("dialogue state kept changing under us")
        except Exception:
            await self.store.release(origin.channel, origin.event_id)
            raise

    async def _turn(self, state: DialogueState, event: Event) -> list[Reply]:
        ctx = Ctx(state, event.origin, self.catalogue, self.gateway, self.clock())
        if isinstance(event, Choice) and event.id.startswith("ans:"):
            return await self._answer_officer(ctx, event.id.removeprefix("ans:"))
        action = _global_action(event)
        if action == "restart" or state.step in _START_STEPS:
            return await self._start(ctx, event, action)
        if action == "cancel":
            return self._cancel(ctx)
        if action == "help":
            return [Reply(self._flow(state).help(ctx)), self._ask(ctx)]
        if action == "back":
            return self._back(ctx)
        event = _as_choice(event, state.offered)
        polite = _unusable(ctx, event)
        if polite is not None:
            return [self._reply(ctx, polite, with_choices=True)]
        outcome = await self._flow(state).steps[state.step].answer(ctx, event)
        return self._apply(ctx, outcome)

    async def _answer_officer(self, ctx: Ctx, number: str) -> list[Reply]:
        refusal = await start_answer(ctx, number)
        if refusal is None:
            return [self._ask(ctx)]
        if ctx.state.step in _START_STEPS:
            return [Reply(refusal)]
        return [self._reply(ctx, refusal, with_choices=True)]

    async def _start(self, ctx: Ctx, event: Event, action: str | None) -> list[Reply]:
        state = ctx.state
        if state.step == "done" and isinstance(event, Choice) and event.id == "confirm":
            # a second tap on an old confirm button: the request was already filed
            _ = ctx.texts.gettext
            return [
                Reply(
                    _("Your request %(number)s has already been sent.")
                    % {"number": state.last_request}
                )
            ]
        if action == "help":
            return [Reply(self.flow.help(ctx)), *self._restart(ctx)]
        return self._restart(ctx)

    def _restart(self, ctx: Ctx) -> list[Reply]:
        fresh = ctx.state.fresh_draft()
        fresh.suspended = None
        _replace(ctx.state, fresh)
        ctx.state.step = self.flow.first
        return [Reply(self.flow.greeting(ctx)), self._ask(ctx)]

    def _cancel(self, ctx: Ctx) -> list[Reply]:
        _ = ctx.texts.gettext
        _replace(ctx.state, ctx.state.fresh_draft())
        if ctx.state.resume():
            return [
                Reply(_("Cancelled. Nothing was sent. Back to the request you were filling in:")),
                self._ask(ctx),
            ]
        ctx.state.step = "done"
        ctx.state.offered = [["new", _("New request")]]
        return [
            Reply(
                _("Cancelled. Nothing was sent. Send any message when you want to start again."),
                choices=(Option("new", _("New request")),),
            )
        ]

    def _back(self, ctx: Ctx) -> list[Reply]:
        state = ctx.state
        if not state.history:
            _ = ctx.texts.gettext
            return [self._reply(ctx, _("This is the first step."), with_choices=True)]
        state.step = state.history.pop()
        # going back out of an edit returns to the normal order of steps
        if state.step == "summary":
            state.editing = False
        return [self._ask(ctx)]

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
        last = ctx.state.last_request
        _replace(ctx.state, ctx.state.fresh_draft())
        ctx.state.last_request = last
        *first, final = outcome.say
        closing = [*(Reply(s) for s in first)]
        if ctx.state.resume():
            closing.append(Reply(final))
            closing.append(Reply(_("Now, back to the request you were filling in:")))
            return [*closing, self._ask(ctx)]
        ctx.state.step = "done"
        ctx.state.offered = [[o.id, o.label] for o in outcome.choices]
        return [*closing, Reply(final, choices=outcome.choices)]

    def _ask(self, ctx: Ctx) -> Reply:
        step = self._flow(ctx.state).steps[ctx.state.step]
        prompt = step.ask(ctx)
        choices = (*prompt.choices, *_nav(ctx, can_go_back=step.can_go_back))
        ctx.state.offered = [[o.id, o.label] for o in choices]
        return Reply(prompt.text, choices=choices, ask_contact=prompt.ask_contact)

    def _reply(self, ctx: Ctx, text: str, *, with_choices: bool) -> Reply:
        """A reply that stays on the step and offers the step's choices again."""
        if not with_choices:
            return Reply(text)
        asked = self._ask(ctx)
        return Reply(text, choices=asked.choices, ask_contact=asked.ask_contact)


def _replace(state: DialogueState, fresh: DialogueState) -> None:
    """Replaces the content of ``state`` in place, keeping its version for the CAS write."""
    version = state.version
    for name in DialogueState.__dataclass_fields__:
        setattr(state, name, getattr(fresh, name))
    state.version = version


def _nav(ctx: Ctx, *, can_go_back: bool) -> tuple[Option, ...]:
    _ = ctx.texts.gettext
    back = (Option("back", _("Back")),) if can_go_back else ()
    return (*back, Option("cancel", _("Cancel")))


def _global_action(event: Event) -> str | None:
    if isinstance(event, Command):
        return {"start": "restart", "new": "restart"}.get(event.name, event.name)
    if isinstance(event, Choice) and event.id in NAV_IDS:
        return "restart" if event.id == "new" else event.id
    if isinstance(event, Text):
        return global_action(event.text)
    return None


def _as_choice(event: Event, offered: list[list[str]]) -> Event:
    """A typed "2", "٢" or a button's label answers like pressing the button."""
    if not isinstance(event, Text) or not offered:
        return event
    typed = clean_input(event.text)
    if typed.isdigit() and 1 <= int(typed) <= len(offered):
        return Choice(event.origin, offered[int(typed) - 1][0])
    folded = fold_arabic(typed)
    for option_id, label in offered:
        if folded and folded == fold_arabic(label):
            return Choice(event.origin, option_id)
    return event


def _unusable(ctx: Ctx, event: Event) -> str | None:
    """A polite word for kinds of message no step can use; None when a step should decide."""
    _ = ctx.texts.gettext
    if isinstance(event, Command):
        return _("I don't know that command. You can use the buttons, or type «help».")
    if isinstance(event, Unsupported):
        if event.kind in ("location", "venue"):
            return _("Thank you, but a location isn't needed here. Please type your answer.")
        return _("I can't use this kind of message here. Please type your answer.")
    if isinstance(event, Media):
        if event.kind in ("voice", "audio"):
            return _("I can't listen to voice messages yet. Please type your answer.")
        if event.kind in ("sticker", "animation"):
            return _("Stickers can't be used here. Please type your answer or choose a button.")
        if event.kind == "video":
            return _("Videos can't be attached. Please send photos or PDF files instead.")
    if isinstance(event, Contact) and ctx.state.step != "phone":
        return _("I don't need a phone number at this step.")
    return None
