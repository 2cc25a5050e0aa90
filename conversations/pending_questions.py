"""The question a person has not answered yet, asked again: by an empty message (the
question alone, with no word about what was "written") and after a language switch (in
the new language), so the answer they give next still answers it.

The questions that wait outside a step's own question, each for one turn:
«هل يُحذف؟» before a draft is deleted (``DialogueState.confirming``: «إلغاء», «ابدأ من
جديد»), «Delete your data?» (its «yes» offered: conversations.my_data), and a message held
while the person says whether it answers an officer's question, or whether a file is for
their open request (``DialogueState.held``: conversations.officer_answers,
conversations.forgotten_files). Anything else is the step's question, which
:meth:`Moves._ask` asks.

Found by tester 14: «English» typed at «هل يُحذف؟» switched the language and showed the
step under it, the question neither answered nor asked again (§8); an empty line at the
phone step printed «ما كتبته ليس رقم جوال.», at the summary «لم يُرسَل طلبك…» (§9).
"""

from __future__ import annotations

from typing import Any

from conversations.engine_parts import EngineParts
from conversations.events import Reply, Text
from conversations.flow import Ctx
from conversations.flows.more_info import held_line, waiting_questions
from conversations.forgotten_files import FOR_NOTE, file_offer
from conversations.my_data import YES
from conversations.read_message import ReadMessage
from conversations.reading import START_STEPS
from domain.normalize import clean_input


class PendingQuestions(EngineParts):
    """Mixed into :class:`conversations.engine.Engine` (through conversations.routing)."""

    async def _pending_question(
        self, ctx: Ctx, *, confirming: str | None, held: dict[str, Any] | None, erase: bool
    ) -> Reply | None:
        """The question waiting for the person's answer (see the module's text), asked
        again in the language now in use, its options offered and what it is about kept
        for one more turn; None when none waits."""
        if confirming:
            return (await self._ask_to_discard(ctx, confirming))[0]
        if erase:
            return self._confirm_erase(ctx)
        if held is None:
            return None
        if held.get(FOR_NOTE):
            ctx.state.held = held
            return file_offer(ctx, held)
        try:
            waiting = await waiting_questions(ctx)
        except Exception:
            waiting = []  # the requests cannot be read: the step's question instead
        if not waiting:
            return None
        ctx.state.held = held
        offer = self._offer(ctx, waiting)
        return Reply(f"{held_line(ctx, held)}\n{offer.text}", choices=offer.choices)

    async def _empty_message(self, m: ReadMessage) -> list[Reply] | None:
        """A message with nothing in it (Enter alone in the terminal; only spaces or
        invisible marks elsewhere): the question waiting, asked again alone. None before
        the first question or after the last, where any message starts, and at a step that
        takes the person's words (a description, an answer, a note), which says itself
        that no text came and what it kept («لم أجد كلمات في هذه الرسالة…»)."""
        if not isinstance(m.event, Text) or m.free_text or clean_input(m.event.text):
            return None
        ctx, state = m.ctx, m.ctx.state
        again = await self._pending_question(
            ctx,
            confirming=state.confirming,
            held=state.held,
            erase=any(o[0] == YES for o in state.offered),
        )
        if again is not None:
            return [again]
        if state.step in START_STEPS or self._step(state) is None:
            return None
        return [self._ask(ctx)]
