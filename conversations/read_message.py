"""One message as the engine reads it (conversations.routing), filled in stage by stage
and handed to the current step's answer (conversations.step_answers).

Split from conversations/routing.py to keep one idea a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conversations.events import Event
from conversations.flow import Ctx, Step
from conversations.reading import navigation


@dataclass
class ReadMessage:
    """One message as :meth:`Routing._read` reads it, filled in stage by stage."""

    ctx: Ctx
    # as sent (a pressed button checked against the buttons offered)
    event: Event
    # the step the person is at, if the flow has it
    step: Step | None
    # the step takes the person's own words (a description), so numbers are not options
    free_text: bool
    # False: the person said it is not an answer to an officer; not offered as one again
    answers: bool
    # the option a typed message names, else the event itself
    chosen: Event
    # the message held last turn while asking whether it answers an officer (one turn)
    held: dict[str, Any] | None = None
    # «السلام عليكم» before a need: said back above the step's answer
    greeted: str = ""
    # «هل يُحذف؟» was waiting (DialogueState.confirming, which lasts one turn): "cancel"
    # or "restart", asked again after a language switch (conversations.pending_questions)
    confirming: str | None = None
    # «مو منشأة», «عندي عامل»: the option a denial of the other took, or other words took
    # at the first question, said back above the step's answer
    taken_from_words: str | None = None

    @property
    def action(self) -> str | None:
        """The navigation the message asks for (back, cancel, help, restart...), if any."""
        return navigation(self.chosen)
