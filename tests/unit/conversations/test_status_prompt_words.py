"""Words at the look-up's number prompt that are not a need to file (helper 233): «ما
عندي رقم الطلب ضاع» was offered a passport's issue (its «ضاع» is a lost passport's word)
and «الثاني» «أخرى»."""

from __future__ import annotations

from .fakes import Chat, MemoryGateway, MemoryLimiter
from .status_views import FILED, _chat

NOT_A_NEED = "وليس رقم طلب"


def _nobodys_chat() -> Chat:
    """A chat with no request of its own: «حالة طلبي» asks for a number."""
    return _chat(MemoryGateway(), MemoryLimiter(), FILED)


async def test_a_lost_request_number_gets_where_it_is_not_a_passport() -> None:
    chat = _nobodys_chat()
    await chat.command("start")
    await chat.tap("status")
    await chat.text("ما عندي رقم الطلب ضاع")
    assert NOT_A_NEED not in chat.said and "إصدار جواز" not in chat.said, chat.said
    assert "موجود في رسالة «تم استلام طلبك»" in chat.said, chat.said


async def test_an_ordinal_at_the_number_prompt_asks_for_the_number() -> None:
    chat = _nobodys_chat()
    await chat.command("start")
    await chat.tap("status")
    await chat.text("الثاني")
    assert NOT_A_NEED not in chat.said and "«أخرى»" not in chat.said, chat.said
    assert "يُرجى كتابة رقم الطلب" in chat.said, chat.said


async def test_a_need_at_the_number_prompt_is_still_offered() -> None:
    chat = _nobodys_chat()
    await chat.command("start")
    await chat.tap("status")
    await chat.text("ابي اجدد جوازي")
    assert NOT_A_NEED in chat.said and "«تجديد جواز السفر»" in chat.said, chat.said
