"""An emoji alone in a note (or an answer to an officer) is not kept as its words
(helper 233: «👍» was kept as the note); the note's words and «send» still work."""

from __future__ import annotations

import pytest

from conversations.events import Choice

from .fakes import Chat, MemoryGateway
from .test_status import MINE, chat, gateway, limiter, plain

__all__ = ["chat", "gateway", "limiter"]


@pytest.mark.parametrize("typed", ["👍", "👍🏻", "..."])
async def test_a_note_of_no_words_is_not_kept(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await chat.command("start")
    await chat.send(Choice(chat.origin(), f"note:{MINE}"))
    await chat.text(typed)
    assert "لم تصلني كلمات في هذه الرسالة، فلم يُضَف منها شيء" in plain(chat.said), chat.said
    await chat.text("ارسال")
    assert not any(s[0] == "note" for s in gateway.said)  # nothing to send yet
    await chat.text("الجواز ينتهي قريب")
    await chat.text("ارسال")
    assert ("note", MINE, "الجواز ينتهي قريب") in gateway.said, plain(chat.said)
