"""At «ما سبب طلب إعادة النظر…؟» every text is the reason, a question in it included, as at
the description step. Fresh-clone tester 15 (§2, Telegram): «ارسلت صورة الاقامه والجواز
المنتهي وقلت لكم انه بيتجدد بالسفارة، وش الناقص؟» got the Absher article «تعرف تاريخ انتهاء
إقامتك من منصة أبشر…» and the reason question again; the reason was not kept."""

from __future__ import annotations

import pytest

from .test_stray_files import NUMBER, SayGateway, _chat

REASONS = [
    "ارسلت صورة الاقامه والجواز المنتهي وقلت لكم انه بيتجدد بالسفارة، وش الناقص؟",
    "ليش رفضتوه؟ الاقامة سارية وكل المستندات مرفقة",
    "كم مرة لازم ارسل الجواز؟ ارسلته مرتين",
]


@pytest.mark.parametrize("reason", REASONS)
async def test_a_reason_with_a_question_in_it_is_the_reason(reason: str) -> None:
    gateway = SayGateway()
    chat = _chat(gateway)
    await chat.command("start")
    await chat.tap(f"recon:{NUMBER}")
    assert "سبب" in chat.said
    await chat.text(reason)
    assert gateway.reasons == [reason], chat.said
    assert "أبشر" not in chat.said
