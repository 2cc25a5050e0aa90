"""A photo or an album at the description step while the words told before it are
offered («الإبقاء على وصفي»): the files are kept and the offer is said again, not «يُرجى
وصف طلبك» as if nothing had been told (helper 233)."""

from __future__ import annotations

from .fakes import Chat, MemoryGateway
from .test_keep_description_words import STORY as TOLD
from .test_keep_description_words import _offered

OFFER = "يمكنك الضغط على «الإبقاء على وصفي» للمتابعة به، أو إرسال نص جديد ليحلّ محلّه."


async def test_a_photo_under_the_offer_says_the_offer_again(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _offered(chat)
    await chat.media(ref="p1")
    assert OFFER in chat.said and "يُرجى وصف طلبك" not in chat.said, chat.said
    assert "keep_description" in chat.choice_ids
    await chat.tap("keep_description")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == TOLD and [a.ref for a in filed.attachments] == ["p1"]


async def test_an_album_under_the_offer_says_the_offer_again(chat: Chat) -> None:
    await _offered(chat)
    await chat.media(ref="a1", album="A1")
    assert OFFER in chat.said and "يُرجى وصف طلبك" not in chat.said, chat.said
    for ref in ("a2", "a3"):
        await chat.media(ref=ref, album="A1")
        assert chat.said == ""  # the rest of the album: one answer for all of it
