"""The engine's part for a need typed where a request number is asked for.

Someone at «your requests» or at the request-number prompt who types what they need
(«أبغى أجدد الجواز») has changed their mind: they want to file, not to look up. The
need is understood (the catalogue reads it), kept, and offered as one tap:

- with no request being filled in, «قدّم هذا الطلب» leaves the look-up and reads the kept
  words as the first message of a new request (the services it names are offered);
- with a request put aside for the look-up that holds the person's data, that request is
  offered instead («عُد إلى طلبي»): two drafts cannot be kept at once, and the one with
  their numbers, words and files is never thrown away unasked.

Buttons: ``need`` and ``resume``, accepted only where they were offered.

An officer waiting for the person's answer also ends the look-up's prompts: words or a
file sent there are that answer (found by the fresh-clone tester: after «وين طلبي», the
answer was told a request number has 10 digits, a photo to choose a request).
"""

from __future__ import annotations

from conversations import knowledge
from conversations.engine_parts import EngineParts
from conversations.events import Event, Media, Option, Reply, Text
from conversations.flow import Ctx
from conversations.flows.more_info import waiting_questions
from conversations.flows.status_ordinals import menu_position
from conversations.flows.status_prompt import RESUME, says_no_number
from conversations.reading import STATUS_RESTART_STEPS
from conversations.state import DialogueState, replace_state
from domain.catalogue import local
from domain.normalize import clean_input
from domain.request_number import looks_like_request_number

NEED = "need"
_KEPT = "need"


def _put_aside_with_data(state: DialogueState) -> bool:
    saved = state.suspended
    if not saved:
        return False
    answers = saved.get("answers") or {}
    return DialogueState(answers=answers).has_data()


def at_number_prompt(state: DialogueState) -> bool:
    """Whether the look-up's list or request-number prompt is open."""
    return state.flow == "status" and state.step in STATUS_RESTART_STEPS


class StatusNeeds(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`."""

    async def _answer_instead_of_number(self, ctx: Ctx, event: Event) -> list[Reply] | None:
        """Words or a file sent at the look-up's prompts while an officer waits for this
        person's answer: the look-up is left (a draft put aside for it comes back) and
        the message read there, where it is taken or offered as the answer. None when
        nothing waits, or for what the prompt reads (a number typed in digits alone,
        a question for the knowledge base)."""
        state = ctx.state
        if not at_number_prompt(state) or not isinstance(event, Text | Media):
            return None
        if isinstance(event, Text):
            typed = clean_input(event.text)
            if not any(ch.isalpha() for ch in typed) or knowledge.explicit_question(typed):
                return None
        if not await waiting_questions(ctx):
            return None
        replace_state(state, state.fresh_draft())
        state.resume()
        return await self._read(state, event)

    def _need_instead_of_number(self, ctx: Ctx, event: Event) -> list[Reply] | None:
        """The offer for a need typed at the look-up's number prompts; None when the
        message is not one (a number, a question, words naming no service)."""
        state = ctx.state
        if state.flow != "status" or state.step not in STATUS_RESTART_STEPS:
            return None
        if not isinstance(event, Text) or looks_like_request_number(event.text):
            return None
        if knowledge.explicit_question(event.text):
            # «كيف اجدد جوازي؟» is a question: the knowledge base answers it
            return None
        if any(ch.isdigit() for ch in event.text):
            # digits are a number being typed, however badly: the step says what is wrong
            return None
        if says_no_number(event.text) or menu_position(event.text) is not None:
            # «ما عندي رقم الطلب ضاع» (its «ضاع» is a lost passport's word), «الثاني»: the
            # prompt's own answers, not a passport or «أخرى» to file (helper 233)
            return None
        matches = ctx.catalogue.match(event.text, limit=1)
        if not matches:
            return None
        _ = ctx.texts.gettext
        service = local(matches[0].name, ctx.locale)
        state.answers[_KEPT] = event.text
        if _put_aside_with_data(state):
            text = _(
                "This sounds like a request for «%(service)s», not a request number. You have a request you have not finished yet: go back to it to finish it, or cancel it there to file a new one."
            ) % {"service": service}
            option = Option(RESUME, _("Back to my request"))
        else:
            text = _(
                "This sounds like a new request for «%(service)s», not a request number. Would you like to file it? Or type the request number you are looking for."
            ) % {"service": service}
            option = Option(NEED, _("Yes, file this request"))
        asked = self._ask(ctx)
        choices = (option, *asked.choices)
        state.offered = [[o.id, o.label] for o in choices]
        return [Reply(text, choices=choices)]

    async def _to_need(self, ctx: Ctx, choice_id: str) -> list[Reply] | None:
        """A tap on «قدّم هذا الطلب» or «عُد إلى طلبي»; None for any other button."""
        state = ctx.state
        if choice_id not in (NEED, RESUME) or state.flow != "status":
            return None
        typed = str(state.answers.get(_KEPT, ""))
        if choice_id == RESUME or _put_aside_with_data(state) or not typed:
            _ = ctx.texts.gettext
            replace_state(state, state.fresh_draft())
            if state.resume():
                return [Reply(_("Back to the request you were filling in:")), self._ask(ctx)]
            return self._restart(ctx)
        # a draft put aside with nothing typed in it (a service list) gives way to the need
        fresh = state.fresh_draft()
        fresh.suspended = None
        replace_state(state, fresh)
        state.step = self.flow.first
        first = self.flow.steps[self.flow.first]
        outcome = await first.answer(ctx, Text(ctx.origin, typed))
        return self._apply(ctx, outcome)
