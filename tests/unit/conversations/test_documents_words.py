"""Words at the documents step that are not the description (helper 233): «تمم» (a
typo of «تم») and «ارسلتها فوق خلاص» were added to it; a question there («من وين اجيب
ايصال السداد؟») was added with «أُضيف إلى وصفك», as if ignored."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .journeys import DESCRIPTION, _to_attachments


@pytest.mark.parametrize("typed", ["تمم", "ارسلتها فوق خلاص", "ارسلت الصور فوق"])
async def test_done_in_other_words_after_a_file(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.text(typed)
    assert "أُضيف إلى وصفك" not in chat.said and "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION


async def test_sent_above_with_no_file_says_none_arrived(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.text("ارسلتها فوق خلاص")
    assert "لم يصلني أي ملف في هذا الطلب حتى الآن" in chat.said, chat.said
    assert "أُضيف إلى وصفك" not in chat.said and "done" in chat.choice_ids


async def test_a_question_at_the_documents_step_goes_to_the_officer_and_says_so(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    await chat.text("من وين اجيب ايصال السداد؟")
    assert "ليس لديّ جواب عن هذا السؤال" in chat.said, chat.said
    assert "ليجيب عنه الموظف المختص" in chat.said, chat.said
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description.endswith("من وين اجيب ايصال السداد؟")
