"""«ما اعرف رقم اقامتي» at the summary: where that number is written and the number the
request holds, the summary asked again; not the identity step (helper 25: «تعديل رقم
الهوية» was read in «رقم اقامتي»)."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .journeys import RESIDENT, _to_attachments


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("ما اعرف رقم اقامتي", "رقم الإقامة مكتوب على بطاقة هوية مقيم"),
        ("ما اعرف رقم الحدود", "رقم الحدود مطبوع على ختم الدخول"),
    ],
)
async def test_not_knowing_a_number_at_the_summary_is_answered_there(
    chat: Chat, gateway: MemoryGateway, typed: str, where: str
) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.text(typed)
    assert where in chat.said and "2******006" in chat.said, chat.said
    assert "يُرجى مراجعة طلبك" in chat.said and chat.choice_ids[0] == "confirm", chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].identity_number == RESIDENT


async def test_a_wish_to_change_the_number_still_goes_to_its_step(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.text("ابي اعدل رقم اقامتي")
    assert "يُرجى مراجعة طلبك" not in chat.said and "رقم هويتك" in chat.said, chat.said
