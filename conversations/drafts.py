"""The engine's part that keeps what the person typed: a draft with their data is deleted
only after they confirm, and «Undo» brings it back for a while (see conversations.manners);
a typed answer that fits two buttons equally is asked about instead of guessed."""

from __future__ import annotations

import dataclasses

from conversations.engine_parts import EngineParts
from conversations.events import Choice, Option, Reply, Text
from conversations.flow import Ctx
from conversations.flows.intake_draft import EARLY_ANSWERS, EARLY_PLACED
from conversations.formatting import or_list
from conversations.keywords import is_undo_word
from conversations.manners import ask_discard, keep_for_undo, take_back, undo_note
from conversations.read_message import ReadMessage
from conversations.reading import NAMED_NAV, START_STEPS
from conversations.sent_changes import still_open_line
from conversations.state import DialogueState, replace_state
from domain.catalogue import local


class DraftKeeping(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`."""

    def _which(self, ctx: Ctx, candidates: tuple[str, ...]) -> Reply:
        """Two or more buttons are equally likely: ask which, naming them, with the same
        list as before, so each option keeps its number (found by the tester: a list of
        the candidates alone numbered them 1, 2 where the question had them 3, 4)."""
        _ = ctx.texts.gettext
        labels = dict((o[0], o[1]) for o in ctx.state.offered)
        named = or_list(ctx.texts, [f"«{labels[c]}»" for c in candidates])
        choices = tuple(Option(o[0], o[1]) for o in ctx.state.offered)
        return Reply(_("Which one do you mean: %(options)s?") % {"options": named}, choices=choices)

    def _back_lead(self, ctx: Ctx) -> str:
        """The line before the question of a draft brought back: «the request you were
        filling in» once a service is chosen or something typed or sent; a service list
        alone is not a request yet (found by the tester)."""
        _ = ctx.texts.gettext
        if _begun(ctx.state):
            return _("Now, back to the request you were filling in:")
        if ctx.state.step in ("group", "service", "suggest"):
            return _("Now, back to choosing the service you need:")
        return _("Now, back to where you were:")

    def _and_the_step(self, ctx: Ctx, said: Reply) -> list[Reply]:
        """``said`` (an answer given on the side), then the question the person was on:
        the first question afresh before any, else the step asked again, under
        :meth:`_back_lead` when a draft waits; nothing of the draft lost."""
        if ctx.state.step in START_STEPS:
            return [said, *self._restart(ctx)]
        again = self._ask(ctx)
        if self._has_draft(ctx.state):
            again = dataclasses.replace(again, text=f"{self._back_lead(ctx)}\n{again.text}")
        return [said, again]

    def _aside_lead(self, ctx: Ctx) -> str:
        """The line above the first question of a side trip (a status look-up, a note)
        that puts the draft aside: it is kept, and the dialogue comes back to it. Found by
        tester 10b (item 8): «/status» in the middle of a draft was answered «اكتب رقم
        الطلب…» alone (on Telegram under a bare «حسنًا.»), as if the draft were gone."""
        _ = ctx.texts.gettext
        if _begun(ctx.state):
            return _("The request you were filling in is kept; we will come back to it afterwards.")
        if ctx.state.step in ("group", "service", "suggest"):
            return _("Afterwards, we will come back to choosing the service you need.")
        return _("Afterwards, we will come back to where you were.")

    def _has_draft(self, state: DialogueState) -> bool:
        """Whether the person is filling in a request that «إلغاء» or `/start` would cost
        them: data typed or sent, or a service chosen, or answers given (a shared location,
        «لمن» in their words). Found by tester 12 (§5): `/start` on a draft with a service,
        «لمن» and a location dropped them with neither a question nor «تراجع»."""
        if state.flow != self.flow.name or state.step in START_STEPS:
            return False
        return state.has_data() or _chosen(state)

    def _confirm_discard(self, ctx: Ctx, action: str) -> list[Reply]:
        text, options = ask_discard(ctx)
        if not ctx.state.has_data():
            text = _unfinished(ctx, restart=action == "restart")
        ctx.state.confirming = action
        ctx.state.offered = [[o.id, o.label] for o in options]
        return [Reply(text, choices=options)]

    async def _ask_to_discard(self, ctx: Ctx, action: str) -> list[Reply]:
        """«Delete it?» before a draft with data is deleted; for «إلغاء», with the line
        saying that a request sent earlier and still open is not affected."""
        replies = self._confirm_discard(ctx, action)
        line = await still_open_line(ctx) if action == "cancel" else None
        if line is not None:
            replies[0] = dataclasses.replace(replies[0], text=f"{replies[0].text}\n{line}")
        return replies

    def _welcome_back_to_discard(self, ctx: Ctx, action: str) -> list[Reply]:
        """The person comes back (``/resume``) while «Delete it?» is pending: greeted, and
        asked that again rather than the step under it, so their answer answers it."""
        _ = ctx.texts.gettext
        asked = self._confirm_discard(ctx, action)[0]
        lead = _("Welcome back. Here is where you left off:")
        return [dataclasses.replace(asked, text=f"{lead}\n{asked.text}")]

    async def _discard(self, ctx: Ctx, action: str) -> list[Reply]:
        """Deletes the draft after the person confirmed, keeping it a while for «Undo»;
        after «إلغاء», said that a request sent earlier and still open stays."""
        keep_for_undo(ctx.state, ctx.now)
        note, undo = undo_note(ctx)
        line = await still_open_line(ctx) if action == "cancel" else None
        if line is not None:
            note = f"{note}\n{line}"
        if action == "restart":
            # «Undo» is numbered with the first menu, as its last own option: the menu keeps
            # its numbers (1 is «فرد» as on every other screen). Found by tester 14 (§11):
            # with «1) تراجع» first, a «1» meant for «فرد» brought the deleted draft back;
            # before that, «1) تراجع» above «1) فرد» had two options numbered 1
            replies = self._restart(ctx)
            menu = replies[-1]
            replies[-1] = dataclasses.replace(menu, choices=last_own(menu.choices, undo))
            ctx.state.offered = [[o.id, o.label] for o in replies[-1].choices]
            return [Reply(note), *replies]
        _ = ctx.texts.gettext
        replace_state(ctx.state, ctx.state.fresh_draft())
        if ctx.state.resume():
            return [Reply(note, choices=(undo,)), self._ask(ctx)]
        ctx.state.step = "done"
        new = Option("new", _("New request"))
        ctx.state.offered = [[o.id, o.label] for o in (undo, new)]
        return [Reply(note, choices=(undo, new))]

    async def _draft_choice(self, m: ReadMessage) -> list[Reply] | None:
        """«Discard» or «keep» after «start over?» (the question lasts one turn), and
        «undo» after a draft was discarded."""
        ctx, chosen, state = m.ctx, m.chosen, m.ctx.state
        confirming, state.confirming = state.confirming, None
        m.confirming = confirming
        if confirming and m.action == "resume":
            # coming back is not an answer: the question stays (found by the fresh-clone
            # tester: the step shown instead took the «لا» meant for it as «done»)
            return self._welcome_back_to_discard(ctx, confirming)
        undo_typed = isinstance(m.event, Text) and is_undo_word(m.event.text)
        if confirming and undo_typed:
            # «تراجع» to «Delete it?» takes the cancel back (the tester's order: «إلغاء»
            # then «تراجع» met «لم أفهم» under the step's options): nothing is deleted
            return [self._ask(ctx)]
        if confirming and isinstance(chosen, Choice) and chosen.id in ("discard", "keep"):
            if chosen.id == "keep":
                return [self._ask(ctx)]
            return await self._discard(ctx, confirming)
        if state.discarded and ((isinstance(chosen, Choice) and chosen.id == "undo") or undo_typed):
            return self._undo(ctx)
        return None

    def _undo(self, ctx: Ctx) -> list[Reply]:
        _ = ctx.texts.gettext
        if take_back(ctx.state, ctx.now):
            return [Reply(_("Your request is back as you left it.")), self._ask(ctx)]
        said = Reply(_("Sorry, the deleted request can no longer be brought back."))
        if ctx.state.step in START_STEPS:
            return [said, *self._restart(ctx)]
        return [said, self._ask(ctx)]


def last_own(choices: tuple[Option, ...], extra: Option) -> tuple[Option, ...]:
    """``choices`` with ``extra`` after the question's own options, before the navigation
    every question carries (named, never numbered: conversations.reading.NAMED_NAV), so
    the own options keep their numbers and ``extra`` is numbered after them."""
    own = tuple(o for o in choices if o.id not in NAMED_NAV)
    return (*own, extra, *(o for o in choices if o.id in NAMED_NAV))


def _chosen(state: DialogueState) -> bool:
    """Whether the draft holds a service chosen or answers given before their question
    (a shared location, «لمن» said in words), without anything typed or sent."""
    return bool(state.answers.get("service") or state.answers.get(EARLY_ANSWERS))


def _given(ctx: Ctx) -> list[str]:
    """What a draft of choices holds, in the person's language: the service, then the
    answers to its questions and those kept before them (how domain/data/services.json
    says each option in the bot's voice, else its label), a place from a shared location
    said so; with no service chosen, an answer read from the person's words said so too
    (nothing was chosen: tester 14, §7)."""
    _ = ctx.texts.gettext
    answers = ctx.state.answers
    service_id = answers.get("service")
    service = None
    if isinstance(service_id, str):
        service = next((s for s in ctx.catalogue.services if s.id == service_id), None)
    given: list[str] = [] if service is None else [local(service.name, ctx.locale)]
    said = {**answers.get(EARLY_ANSWERS, {}), **answers.get("eligibility", {})}
    placed = answers.get(EARLY_PLACED, [])
    questions = [q for s in ([service] if service else []) for q in s.questions]
    questions += [q for s in ctx.catalogue.services for q in s.questions]
    for question_id, option_id in said.items():
        question = next((q for q in questions if q.id == question_id), None)
        option = (
            None
            if question is None
            else next((o for o in question.options if o.id == option_id), None)
        )
        if option is None:
            continue
        # in the bot's voice («لأحد أفراد أسرتك»), not the button's («فرد من أسرتي»)
        label = local(option.said or option.label, ctx.locale)
        if question_id in placed and question_id not in answers.get("eligibility", {}):
            label = _("%(answer)s, from the location you shared") % {"answer": label}
        elif service is None:
            label = _("%(answer)s, from what you wrote") % {"answer": label}
        given.append(label)
    return given


def _unfinished(ctx: Ctx, *, restart: bool) -> str:
    """«You have a request not yet finished (…)»: the question before a draft of choices
    is deleted, naming what it holds (tester 12, §5). With no service chosen yet, it says
    so and names what is kept, not a request: found by tester 14 (§7), a long story at the
    first menu (too long to be kept) then «إلغاء» was asked «لديك طلب لم يكتمل (داخل
    المملكة). هل يُحذف؟», a request never begun, for a place read from the story."""
    _ = ctx.texts.gettext
    held = _(", ").join(_given(ctx))
    if not ctx.state.answers.get("service"):
        if restart:
            text = _(
                "No service is chosen yet; what I have kept so far: %(given)s. Delete it and start again?"
            )
        else:
            text = _("No service is chosen yet; what I have kept so far: %(given)s. Delete it?")
        return text % {"given": held}
    if restart:
        text = _("You have a request not yet finished (%(given)s). Delete it and start again?")
    else:
        text = _("You have a request not yet finished (%(given)s). Delete it?")
    return text % {"given": held}


def _begun(state: DialogueState) -> bool:
    """Whether the draft is a request being filled in: a service chosen, or data given."""
    return "service" in state.answers or state.has_data()
