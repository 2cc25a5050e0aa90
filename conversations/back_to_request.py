"""«ابي ارجع لطلبي اللي كنت فيه», «لا، أكمل الطلب» typed where no request is being filled
in (the first menu): the person means the request they were filling in, not a service. The
draft just deleted comes back (as «تراجع» brings it); with none, they are told plainly there
is none to go back to, with the way to follow a sent request and the first menu. Found by
tester 12 (§5): the words were matched to services («تأشيرة خروج وعودة» for «ارجع»,
«مشكلة تقنية» for «ما اقدر اكمل الطلب»). The phrases are data
(``data/back_to_request.json``)."""

from __future__ import annotations

from pathlib import Path

from conversations.engine_parts import EngineParts
from conversations.events import Reply, Text
from conversations.read_message import ReadMessage
from conversations.reading import START_STEPS
from conversations.wishes import wish

#: The phrases that ask to go back to the request being filled in.
BACK_TO_REQUEST_DATA = Path(__file__).resolve().parent / "data" / "back_to_request.json"
#: A longer message is read as ever (it may describe a need).
_MAX_WORDS = 8
#: The steps where a service is still being chosen: with nothing else in the draft, there
#: is no request being filled in there either (helper 235: «العودة إلى طلبي» at the
#: services offered matched «تأشيرة خروج وعودة» on «العودة»).
_CHOOSING = ("group", "service", "suggest")
#: What a draft holds while a service is chosen before anything is typed for it (with
#: words kept early, the draft is the request being filled in: its question is asked).
_NOTHING_TYPED = frozenset(("applicant", "group", "suggestions"))


class BackToRequest(EngineParts):
    """Mixed into :class:`conversations.routing.Routing`."""

    async def _back_to_request(self, m: ReadMessage) -> list[Reply] | None:
        """The reply to a wish to go back to the request being filled in, typed at the
        first menu or while a first service is chosen; None for any other message or step
        (mid-request the step reads it)."""
        ctx, state = m.ctx, m.ctx.state
        if not isinstance(m.event, Text) or state.confirming or state.flow != self.flow.name:
            return None
        choosing = state.step in _CHOOSING and "service" not in state.answers
        if state.step not in START_STEPS and state.step != self.flow.first and not choosing:
            return None
        typed = m.event.text
        wishes = (("not_back", False), ("back", True))
        if not wish(typed, BACK_TO_REQUEST_DATA, wishes, max_words=_MAX_WORDS):
            return None
        _ = ctx.texts.gettext
        if choosing and not set(state.answers) <= _NOTHING_TYPED:
            # words kept early for this very request: it is the one being filled in
            said = _("This is the request you are filling in, and what you wrote is kept.")
            return [Reply(said), self._ask(ctx)]
        if state.discarded:
            return self._undo(ctx)
        said = _(
            "There is no request being filled in here to go back to. To see where a request you sent stands, you can type «my request status»; to start a new one, choose below."
        )
        return [Reply(said), *self._restart(ctx)]
