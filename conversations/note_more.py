"""More words right after a note was sent («ونسيت اقول ان ابشر يطلع خطأ»): another note on
the same request, with those words in it, sent only when the person sends it. Helper 235's
probe: they were read as a new need («مشكلة تقنية» offered), and the request they were
about was not named again. The opening words are data (``data/their_say.json``,
``note_more``)."""

from __future__ import annotations

from conversations import knowledge
from conversations.flow import Ctx
from conversations.status_question import is_status_question
from conversations.their_say import THEIR_SAY_DATA
from conversations.two_needs import says_a_wish
from conversations.wishes import leads_with

#: Among how many first words the opening word («ونسيت», «وكمان») is looked for.
_LEAD_WORDS = 2


def more_for_note(ctx: Ctx, text: str) -> str | None:
    """The request a note was sent about on the person's last turn, when ``text`` adds to
    it (opens with a ``note_more`` word, wishes nothing new: «وكمان ابي اجدد جوازي» is a
    need, and asks nothing: «وكمان متى يخلص طلبي؟» is answered); None otherwise. A turn
    later it is read as any message is."""
    noted = ctx.state.noted
    if not noted or not ctx.state.handled or ctx.state.handled[-1] != noted[1]:
        return None
    if says_a_wish(text) or not leads_with(text, THEIR_SAY_DATA, "note_more", within=_LEAD_WORDS):
        return None
    if is_status_question(text) or knowledge.explicit_question(text):
        # «وكمان متى يخلص طلبي؟» asks: answered, not kept as a note
        return None
    return noted[0]
