"""Whether a message typed outside any step asks to reconsider a rejection: it opens with
that wish within its first words («ابي اتظلم، ارسلت…»), or it asks why a request was
rejected while one of the person's rejections may still be reconsidered («ليش رفضتوه؟»).
The words are conversations/data/their_say.json. Split from conversations/say_commands.py
(past 400 lines) to keep one idea a file."""

from __future__ import annotations

from conversations.flow import Ctx
from conversations.their_say import NEGATION_WORDS, THEIR_SAY_DATA
from conversations.wishes import leads_with, negated, wish
from domain.status import RequestStatus

#: A message opening with a note phrase within this many words asks for a note with its
#: words, however long the note after it («ابي اضيف ملاحظة: …» with a long note).
NOTE_LEAD_WORDS = 5


def leads_with_recon(text: str) -> bool:
    """Whether ``text`` opens with a wish to reconsider within its first words, however
    long the reason after it («ابي اتظلم، ارسلت صورة الاقامه والجواز…»), and does not
    decline one («ما ابي اعادة النظر، بس…»)."""
    return leads_with(text, THEIR_SAY_DATA, "reconsider", within=NOTE_LEAD_WORDS) and not negated(
        text, THEIR_SAY_DATA, "reconsider", "reconsider_negations", within=NEGATION_WORDS
    )


#: The most words of a message objecting to a rejection («ليش رفضتوه؟؟ …») read as a
#: wish to reconsider; a longer one is a description or a question of its own.
WHY_REJECTED_WORDS = 20


async def objects_to_rejection(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` asks why a request was rejected (their_say.json ``why_rejected``)
    while one of the person's requests is a rejection that may still be reconsidered
    (its window, :attr:`StatusView.reconsiderable`) and is not being reconsidered."""
    if not wish(text, THEIR_SAY_DATA, (("why_rejected", True),), max_words=WHY_REJECTED_WORDS):
        return False
    if negated(text, THEIR_SAY_DATA, "reconsider", "reconsider_negations", within=NEGATION_WORDS):
        return False  # «ما ابي اعادة النظر، بس ابي اعرف ليش رفضتوه»
    try:
        mine = await ctx.gateway.my_requests(ctx.origin.channel, ctx.origin.user_key)
    except Exception:
        return False  # not read as an objection: the question is answered as before
    return any(
        view.status == RequestStatus.REJECTED.value
        and view.reconsiderable
        and not view.reconsidering
        for view in mine
    )
