"""The engine's part for «رقم طلب آخر» and «ارسال» typed before a service is chosen: at
the first question, at «أيّ هذه الخدمات هي المطلوبة؟», right after a status answer.

Found in session 12: after a status answer, a person who typed «رقم طلب آخر» (the label
of the button the answer had when it was their only request) got «هل هذه هي الخدمة التي
تحتاجها؟ أخرى», a service search, and «ارسال» got the services again, or the first
question, with no word about what they asked. Now:

- words asking for another request number (``another_number`` in
  ``conversations/data/status_exits.json``) open the look-up's number prompt, as the
  button does (a draft with data is put aside, as for any look-up);
- words that ask to send (status_prompt.asks_to_send) say what there is to send: the
  request filed in this dialogue was sent already; a draft begun is not complete yet;
  otherwise nothing waits to be sent, and a request is sent with «تأكيد وإرسال» at the
  end of its steps. The question comes back as it was (its choices too).

Later steps read those words as ever (a description takes them as words; the summary's
«تأكيد» sends). With an officer waiting for this person's answer, the words are left to
the parts that take or offer them as the answer.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from conversations.engine_parts import EngineParts
from conversations.events import Reply, Text
from conversations.flow import Ctx
from conversations.flows.more_info import waiting_questions
from conversations.flows.status_prompt import asks_another_number, asks_to_send
from conversations.reading import START_STEPS

if TYPE_CHECKING:
    from conversations.read_message import ReadMessage

#: The intake's steps before a service is chosen (the steps that read a service search).
BEFORE_SERVICE = (*START_STEPS, "applicant", "group", "service", "suggest")


class StatusElsewhere(EngineParts):
    """Mixed into :class:`conversations.engine.Engine`."""

    async def _status_words_before_service(self, m: ReadMessage) -> list[Reply] | None:
        """«رقم طلب آخر» or «ارسال» before a service is chosen (the module's rules); None
        for any other message, or elsewhere."""
        ctx, state = m.ctx, m.ctx.state
        if not isinstance(m.chosen, Text) or m.action is not None:
            return None
        if state.flow != self.flow.name or state.step not in BEFORE_SERVICE:
            return None
        text = m.chosen.text
        another = asks_another_number(text) and "status" in self.side_flows
        if not (another or asks_to_send(text)):
            return None
        if await waiting_questions(ctx):
            return None  # an officer waits: these may be the answer (officer_answers)
        if another:
            return await self._open_status(ctx, None, another=True)
        return self._nothing_to_send(ctx)

    def _nothing_to_send(self, ctx: Ctx) -> list[Reply]:
        _ = ctx.texts.gettext
        state = ctx.state
        if state.step in START_STEPS and state.last_request:
            said = _("Your request %(number)s has already been sent.") % {
                "number": state.last_request
            }
        elif state.step not in START_STEPS and state.has_data():
            said = _(
                "Your request is not complete yet, so it has not been sent. Here is where you left off:"
            )
        else:
            said = " ".join(
                (
                    _("There is no request waiting to be sent."),
                    _(
                        "To file a request, choose the service you need and answer its questions; the last step is «%(confirm)s»."
                    )
                    % {"confirm": _("Confirm and send")},
                )
            )
        if state.step in START_STEPS:
            replies = self._restart(ctx)
        else:
            replies = [self._ask(ctx)]
        first, *rest = replies
        return [dataclasses.replace(first, text=f"{said}\n{first.text}"), *rest]
