"""The phone step where the number is shared from the person's own account by the «Share
my number» button (Telegram): why the number is asked for, and what to do when the button
does not work, said to a question or complaint about it and under «help».

Found by tester 13 (§6): «ما ابي اشارك رقمي، ليش تحتاجونه؟» got «ليس لدي جواب عن هذا
السؤال»; «الزر ما يشتغل عندي» was kept as the request's description, and «مساعدة» gave the
general help only. The reason given is the directorate's own: a request is handled only
when its owner files it from their own account (seed 004, «ملاحظة هامة»), which is why
DESIGN.md takes a shared contact only when it is the sender's own.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from conversations.events import Text
from conversations.flow import Ctx
from domain.normalize import fold_arabic

_DATA = Path(__file__).resolve().parent.parent / "data" / "phone_concerns.json"
#: The most words a bare «why» message has («ليش؟», «طيب ليش»).
_WHY_WORDS = 3


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    about = frozenset(fold_arabic(w) for w in raw["about"])
    why = frozenset(fold_arabic(w) for w in raw["why"])
    return about, why


def shares_by_button(ctx: Ctx) -> bool:
    """Whether the person is at the phone step where the number can only come from the
    «Share my number» button: not a channel that vouches for a number (WhatsApp), nor
    one where it is typed (a username-only WhatsApp account, the terminal)."""
    origin = ctx.origin
    return (
        ctx.state.flow == "intake"
        and ctx.state.step == "phone"
        and origin.vouched_phone is None
        and not origin.phone_unverified
        and not origin.phone_typed
    )


def is_phone_concern(ctx: Ctx, event: object) -> bool:
    """A text at the button's phone step asking why the number is needed, refusing to
    share it or saying the button does not work (phone_concerns.json); never a message
    with a digit (a number typed is the step's own to answer)."""
    if not isinstance(event, Text) or not shares_by_button(ctx):
        return False
    if any(ch.isdigit() for ch in event.text):
        return False
    folded = fold_arabic(event.text)
    words = folded.split()
    about, why = _words()
    if any(w in about for w in words) or any(" " in p and p in folded for p in about):
        return True
    return len(words) <= _WHY_WORDS and any(w in why for w in words)


def why_the_number(ctx: Ctx) -> str:
    """Why the number is asked for, how to share it, what to do when the button does not
    work, and that the request cannot go on without it."""
    _ = ctx.texts.gettext
    return _(
        "Your mobile number is needed because the directorate handles a request only when its owner files it from their own account: the number comes from your own account here, and the officer can reach you on it about your request. Press «Share my number» below the typing box. If the button does not show or does nothing, open this chat in the app on your phone (the web version and some computer apps do not show the button) and press it there. The request cannot go on without the number; to stop, type «cancel»."
    )
