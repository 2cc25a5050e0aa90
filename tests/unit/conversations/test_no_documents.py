"""«ما عندي مستندات» at the documents step: the person is told why a document is needed,
that the request is kept and what to do if one cannot be had; the words are not added to
the description the officer reads. With the documents the service needs already sent,
it means «Done». Found by session 18's probe: it was «added to your description», and
«تم» then said only «please send at least one document»."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway
from .test_intake import _to_attachments

NEEDED = "لا يمكن إرسال هذا الطلب دون مستند واحد على الأقل"
KEPT = "طلبك الذي بدأته محفوظ"


@pytest.mark.parametrize(
    "typed",
    ["ما عندي مستندات", "ليس لدي أوراق", "ما عندي اي صور", "لا يوجد", "ماعندي", "ما معي الاوراق"],
)
async def test_no_documents_is_answered_and_not_added_to_the_description(
    chat: Chat, gateway: MemoryGateway, typed: str
) -> None:
    await _to_attachments(chat)
    await chat.text(typed)
    assert NEEDED in chat.said and KEPT in chat.said, chat.said
    assert "أُضيف إلى وصفك" not in chat.said
    # the person finds a photo after all: the request goes on, without those words
    await chat.media(ref="p1")
    await chat.tap("done")
    await chat.tap("confirm")
    (sent,) = gateway.submissions
    assert typed not in sent.description, sent.description


async def test_in_english_too(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await _to_attachments(chat)
    await chat.text("I don't have the documents")
    assert "cannot be sent without at least 1 document" in chat.said, chat.said


async def test_with_a_file_sent_no_more_documents_means_done(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_attachments(chat)
    await chat.media(ref="p1")
    await chat.text("ما عندي مستندات ثانية")
    assert "يُرجى مراجعة طلبك" in chat.said, chat.said
    await chat.tap("confirm")
    (sent,) = gateway.submissions
    assert "مستندات ثانية" not in sent.description


async def test_a_description_that_mentions_a_missing_paper_is_still_added(chat: Chat) -> None:
    await _to_attachments(chat)
    await chat.text("الجواز ضايع من شهر وما عندي صورة منه، قدمت بلاغ فقدان")
    assert "أُضيف إلى وصفك" in chat.said, chat.said
