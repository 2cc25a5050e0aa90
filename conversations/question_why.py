"""«ليش تسأل؟» at one of a service's eligibility questions («لمن هذا الطلب؟», «أين صاحب
الإقامة الآن؟»): why it is asked. No seed gives each question's reason, so the answer says
what holds for all of them. The phrases are data (``data/question_why.json``). The lead's
probe: it got «ليس لدي جواب عن هذا السؤال. يمكنك كتابته في وصف الطلب»."""

from __future__ import annotations

from pathlib import Path

from conversations.flow import Ctx
from conversations.wishes import wish

_DATA = Path(__file__).resolve().parent / "data" / "question_why.json"
#: A longer message is read as ever (it may answer the question with a reason).
_MAX_WORDS = 8


def why_asked(ctx: Ctx, text: str) -> str | None:
    """Why the question on screen is asked, when ``text`` asks that at a service's
    question step; None anywhere else or for any other message."""
    if ctx.state.step != "question" or not wish(
        text, _DATA, (("why", True),), max_words=_MAX_WORDS
    ):
        return None
    return ctx.texts.gettext(
        "I ask this because whether the request can be filed here, and what it needs, depend on the answer; the officer also reads it with your request."
    )
