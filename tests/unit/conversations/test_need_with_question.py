"""A need and a question in one message where the service is chosen: the question is
answered and the services the need names are offered, as the need alone would have them
(tester 12, fault 13: the group menu came back after the fees answer, the need dropped).
On Telegram, WhatsApp and the terminal chat, through the channel-neutral engine."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat, TerminalChat, WhatsAppChat
from .test_status import plain

BOTH = "ابي اجدد اقامتي وكمان ابي اعرف كم الرسوم"
FEES = "رسوم إصدار الإقامة"
GROUP_MENU = "اختيار مجموعة"


@pytest.mark.parametrize("channel", [Chat, WhatsAppChat, TerminalChat])
async def test_the_fees_are_answered_and_the_renewal_offered(
    engine: Engine, channel: type[Chat]
) -> None:
    chat = channel(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(BOTH)
    said = plain(chat.said)
    assert FEES in said and "أيّ هذه الخدمات تحتاج" in said, said
    assert GROUP_MENU not in said
    assert "s:iqama_renew" in chat.choice_ids
    # the renewal goes on from there, as after «ابي اجدد اقامتي» alone
    await chat.tap("s:iqama_renew")
    assert any(c.startswith("q:") for c in chat.choice_ids), chat.said


async def test_a_question_alone_still_gets_the_menu_back(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("كم رسوم الاقامة؟")
    said = plain(chat.said)
    assert FEES in said and GROUP_MENU in said, said
