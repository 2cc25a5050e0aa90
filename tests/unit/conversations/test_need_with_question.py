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
    assert FEES in said and "هل هذه هي الخدمة المطلوبة" in said, said  # named whole
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


NO_ANSWER = "عذرًا، ليس لدي جواب عن هذا السؤال"


@pytest.mark.parametrize("channel", [Chat, WhatsAppChat, TerminalChat])
@pytest.mark.parametrize(
    "words", ["ابي اجدد اقامتي، وكم ساعات الدوام؟", "ابي اجدد اقامتي، وكم مدة التجديد؟"]
)
async def test_an_unanswerable_question_beside_a_need_keeps_the_need(
    engine: Engine, channel: type[Chat], words: str
) -> None:
    """Found in session 12: no answer for the question, and the need was dropped (the
    group menu came back)."""
    chat = channel(engine.handle)
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(words)
    said = plain(chat.said)
    assert NO_ANSWER in said and "وصف الطلب" in said, said
    assert "هل هذه هي الخدمة المطلوبة" in said and GROUP_MENU not in said, said
    assert "s:iqama_renew" in chat.choice_ids
    await chat.tap("s:iqama_renew")
    assert any(c.startswith("q:") for c in chat.choice_ids), chat.said


async def test_an_unanswerable_question_beside_a_need_in_a_first_message(
    engine: Engine,
) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("ابي اجدد اقامتي، وكم ساعات الدوام؟")
    assert NO_ANSWER in plain(chat.said)
    assert "file:iqama_renew" in chat.choice_ids  # «تقديم طلب الآن» for the need
    await chat.tap("file:iqama_renew")
    assert any(c.startswith("q:") for c in chat.choice_ids), chat.said


async def test_an_unanswerable_question_alone_offers_no_service(engine: Engine) -> None:
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("كم ساعات الدوام؟")
    assert NO_ANSWER in plain(chat.said)
    assert not any(c.startswith("file:") for c in chat.choice_ids)
