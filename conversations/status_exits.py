"""The engine's part that takes words out of the status look-up's prompts to where they
belong: the request put aside for the look-up, or the first question.

Found by tester 11 (fault 1), on Telegram, WhatsApp and the terminal: with a draft
waiting at its summary, «تأكيد», «ارسال» and «ارسل الطلب» typed at «اكتب رقم الطلب»
(or at the identity number a stranger's request asks for) were told a request number has
10 digits, or that the number must be digits only, and only «رجوع» got out: the person
thought their request could not be sent. Words with no digit in them are not a number
being typed, so, once every part that reads words at any step has passed on them (a need,
a question, navigation, a courtesy, an officer waiting for an answer), they leave:

- with a draft waiting, to the draft. A wish to send it («تأكيد», «ارسل الطلب»: only
  words that say so, status_prompt.asks_to_send) sends it when it is at its summary, as
  «تأكيد وإرسال» would; elsewhere the draft's question comes back, saying the request is
  not complete yet, or, when one answer was being changed from the summary, that the
  person was changing it (review 11, §11). A plain yes or no («ايه», «تمام», «👍»), a
  question («ارسل؟», «sent?»: review 11, §1) or a word that the summary would take for
  «تأكيد وإرسال» without saying it («خلاص»), sends nothing: the draft's question comes
  back, saying it was not sent. Any other words are read at the draft's step, as if
  typed there («فرد» at the first menu chooses it), under a line saying so;
- with none, to the first question when it reads them as one of its choices («فرد»);
  otherwise the prompt answers them (no request number found in them; a miss, counted).

A photo or file sent at a prompt goes to the draft waiting when the draft would keep it
where it stands (its description or documents step, or before its service): it is kept,
acknowledged and counted as there, an album too (review 11, §14: on WhatsApp, an album of
two sent at «اكتب رقم الطلب» by a person at the documents step was told «وصلت الصورة، لكن
هذه الخطوة لا تأخذ ملفات» and both photos were dropped).

«ما عندي رقم» stays: the prompt advises (conversations.flows.status_prompt).

A person coming back to a prompt (``/resume``: the terminal chat opened again) with a
draft waiting is told of the draft as well, and offered the way back to it: the prompt
once outlived restarts with «أهلًا بعودتك. نكمل من حيث توقفت: اكتب رقم الطلب…» alone.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from conversations.engine_parts import EngineParts
from conversations.events import Choice, Media, Reply, Text
from conversations.flow import Ctx
from conversations.flows.early_files import takes_early
from conversations.flows.status_prompt import (
    PROMPT_STEPS,
    WAY_OUT,
    asks_to_send,
    is_question,
    not_a_number,
    only_symbols,
    says_no_number,
    waiting_draft,
)
from conversations.reading import as_choice, own_options
from conversations.state import DialogueState, replace_state
from conversations.stray_files import FILE_KINDS
from conversations.understanding import plain_yes_or_no, understand_choice

if TYPE_CHECKING:
    from conversations.read_message import ReadMessage

_CONFIRM = "confirm"
_SUMMARY = "summary"


def _reads_as(text: Text, offered: list[list[str]]) -> tuple[str, ...]:
    """The options of ``offered`` that typed words pick (one), or may pick (several)."""
    chosen = as_choice(text, offered, numbers=False)
    if isinstance(chosen, Choice):
        return (chosen.id,)
    understood = understand_choice(text.text, own_options(offered))
    if understood is None:
        return ()
    return (understood.chosen,) if understood.chosen is not None else understood.candidates


def _led(lead: str, reply: Reply) -> Reply:
    return dataclasses.replace(reply, text=f"{lead}\n{reply.text}")


class StatusExits(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`."""

    async def _out_of_status_prompt(self, m: ReadMessage) -> list[Reply] | None:
        """Words at a look-up's prompt taken where they belong (the module's rules); None
        for a number, for «ما عندي رقم» and for words the prompt itself answers."""
        ctx, event, state = m.ctx, m.chosen, m.ctx.state
        if state.flow != "status" or state.step not in PROMPT_STEPS:
            return None
        if isinstance(event, Media) and event.kind in FILE_KINDS and self._draft_takes_files(state):
            return await self._files_to_draft(ctx, event)
        if not isinstance(event, Text):
            return None
        waiting = waiting_draft(state) is not None
        # «👍» with a draft waiting: a yes, taken to the draft like «ايه»
        if not not_a_number(event.text) and not (waiting and only_symbols(event.text)):
            return None
        if says_no_number(event.text):
            return None
        if waiting:
            return await self._words_to_draft(ctx, event)
        if state.step == "identity":
            return None  # a stranger's request: the step says what it needs
        return await self._words_to_first_question(ctx, event)

    def _draft_takes_files(self, state: DialogueState) -> bool:
        """Whether the draft put aside for the look-up would keep a photo or file sent now:
        it waits at a step that takes files (its description or documents), or before its
        service, where files are kept early (conversations.flows.early_files). Channels ask
        it before downloading (:meth:`conversations.turns.Turns._wants_files`)."""
        saved = waiting_draft(state)
        if saved is None:
            return False
        draft = DialogueState(
            flow=str(saved.get("flow")),
            step=str(saved.get("step") or ""),
            editing=bool(saved.get("editing")),
        )
        step = self.flow.steps.get(draft.step)
        return (step is not None and step.takes_files) or takes_early(draft, self.flow.name)

    async def _files_to_draft(self, ctx: Ctx, event: Media) -> list[Reply]:
        """A photo or file sent at a look-up's prompt with a draft waiting that takes it
        (review 11, §14): the draft comes back and takes it as if sent at its step, kept,
        acknowledged and counted there (an album's count too: its later files reach the
        draft's step directly), under a line saying where it went."""
        _ = ctx.texts.gettext
        state = ctx.state
        replace_state(state, state.fresh_draft())
        state.resume()
        before = len(state.answers.get("attachments") or ())
        replies = await self._read(state, event)
        if len(state.answers.get("attachments") or ()) > before:
            lead = _(
                "That is not a request number, so I added what you sent to your request, which has not been sent yet:"
            )
        else:
            # refused (too large, unreadable...): the step's answer says why
            lead = _(
                "That is not a request number, so I took it back to your request, which has not been sent yet:"
            )
        if not replies:
            # the first file of an album answered after its last one (file_counts): the
            # line now, the count then
            return [Reply(lead)]
        return [_led(lead, replies[0]), *replies[1:]]

    async def _words_to_draft(self, ctx: Ctx, event: Text) -> list[Reply]:
        _ = ctx.texts.gettext
        state = ctx.state
        replace_state(state, state.fresh_draft())
        state.resume()
        # the draft's question, asked now so that what a typed word may choose is its own
        asked = self._ask(ctx)
        at_summary = state.step == _SUMMARY
        # a question («ارسل؟», «sent?») asks whether it went: it never sends
        asking = is_question(event.text)
        if asks_to_send(event.text) and not (at_summary and asking):
            if at_summary:
                return await self._read(state, Choice(event.origin, _CONFIRM))
            if state.editing:
                # every step was answered; one was being changed from the summary
                lead = _(
                    "You were changing your request, and it has not been sent yet. Finish the change here, and the summary will come back for you to choose «%(confirm)s»:"
                ) % {"confirm": _("Confirm and send")}
            else:
                lead = _(
                    "Your request is not complete yet, so it has not been sent. Here is where you left off:"
                )
            return [_led(lead, asked)]
        if (
            plain_yes_or_no(event.text)
            or only_symbols(event.text)
            or (at_summary and (asking or _CONFIRM in _reads_as(event, state.offered)))
        ):
            if at_summary:
                lead = _(
                    "That is not a request number. Your request has not been sent yet: to send it, choose «%(confirm)s»."
                ) % {"confirm": _("Confirm and send")}
            else:
                lead = _(
                    "That is not a request number. Here is your request, which has not been sent yet:"
                )
            return [_led(lead, asked)]
        replies = await self._read(state, event)
        lead = _(
            "That is not a request number, so I took it back to your request, which has not been sent yet:"
        )
        return [_led(lead, replies[0]), *replies[1:]] if replies else [_led(lead, asked)]

    async def _words_to_first_question(self, ctx: Ctx, event: Text) -> list[Reply] | None:
        """Words the first question reads as one of its choices («فرد»): the look-up is
        left for a new request, which they answer. None for any other words."""
        state = ctx.state
        first = self.flow.steps[self.flow.first]
        scratch = state.fresh_draft()
        scratch.suspended, scratch.step = None, self.flow.first
        options = first.ask(dataclasses.replace(ctx, state=scratch)).choices
        picked = _reads_as(event, [[o.id, o.label] for o in options])
        if len(picked) != 1:
            return None
        _ = ctx.texts.gettext
        replace_state(state, scratch)
        self._ask(ctx)
        replies = await self._read(state, event)
        lead = _("That is not a request number, so I took it as the start of a new request:")
        return [_led(lead, replies[0]), *replies[1:]] if replies else [_led(lead, self._ask(ctx))]

    def _welcome_back_to_prompt(self, ctx: Ctx) -> list[Reply] | None:
        """«أهلًا بعودتك» at a look-up's prompt with a draft waiting: the draft named and
        offered («العودة إلى طلبي»), the prompt kept for a number; None otherwise."""
        state = ctx.state
        if state.flow != "status" or state.step not in PROMPT_STEPS:
            return None
        if waiting_draft(state) is None:
            return None
        _ = ctx.texts.gettext
        state.answers[WAY_OUT] = True
        lead = _(
            "Welcome back. You were looking up a request. The request you started has not been sent yet: choose «%(resume)s» to finish it, or go on with the look-up:"
        ) % {"resume": _("Back to my request")}
        return [_led(lead, self._ask(ctx))]
