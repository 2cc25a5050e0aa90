"""``/rate N 9`` in the middle of a request: said how a rating goes, and the request's step
asked again with its own buttons, so a digit typed next answers the step, not a rating
(the rating question with its five answers is for when nothing else is under way)."""

from __future__ import annotations

from conversations.events import Command

from .fakes import Chat, MemoryGateway
from .test_intake import RESIDENT, _to_identity
from .test_status import _view, chat, gateway, limiter, plain

__all__ = ["chat", "gateway", "limiter"]

DECIDED = "6418407042"


async def test_an_out_of_range_rating_mid_request_keeps_the_step(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.views[DECIDED] = (_view(DECIDED, "accepted"), ("test", "u1"), RESIDENT)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact  # the phone step
    await chat.send(Command(chat.origin(), "rate", f"{DECIDED} ٩"))
    said = plain(chat.said)
    assert "التقييم من 1 إلى 5" in said and "هذا الزر" not in said, said
    assert chat.last[-1].ask_contact and "share_contact" in chat.choice_ids
    assert not any(c.startswith("rate:") for c in chat.choice_ids)
    await chat.send(Command(chat.origin(), "rate", f"{DECIDED} ٤"))
    assert ("rate", DECIDED, "4") in gateway.said
