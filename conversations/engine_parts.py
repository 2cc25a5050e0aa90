"""What the engine's mixins (moves, languages, drafts, officer answers, questions...) may
call on the engine they are mixed into, declared once for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from conversations.events import Event, Option, Reply
    from conversations.flow import Ctx, Flow, Outcome, Step
    from conversations.formatting import Digits
    from conversations.ports import AttemptLimiter
    from conversations.state import DialogueState


class EngineParts:
    """Base of :class:`conversations.engine.Engine`'s mixins; adds nothing at run time."""

    if TYPE_CHECKING:
        # provided by the Engine this is mixed into
        flow: Flow
        side_flows: Mapping[str, Flow]
        limiter: AttemptLimiter | None
        arabic_digits: Digits

        def _flow(self, state: DialogueState) -> Flow: ...
        def _ctx(self, state: DialogueState, event: Event) -> Ctx: ...
        def _step(self, state: DialogueState) -> Step | None: ...
        def _data_options(self, ctx: Ctx) -> tuple[Option, ...]: ...
        def _cannot_answer(self, ctx: Ctx) -> list[Reply]: ...

        def _ask(self, ctx: Ctx, *, language_choice: bool = False) -> Reply: ...
        def _apply(self, ctx: Ctx, outcome: Outcome) -> list[Reply]: ...
        def _reply(self, ctx: Ctx, text: str, *, with_choices: bool) -> Reply: ...
        def _restart(self, ctx: Ctx, *, ask: bool = True) -> list[Reply]: ...
        def _has_draft(self, state: DialogueState) -> bool: ...
        def _back_lead(self, ctx: Ctx) -> str: ...
        async def _read(
            self, state: DialogueState, event: Event, *, answers: bool = True
        ) -> list[Reply]: ...
