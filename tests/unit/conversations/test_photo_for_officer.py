"""A photo while an officer waits for a document, sent in a new draft: offered as the
officer's answer at the documents step too (the first file of the draft), and, when the
person says it is not, kept for the draft, never lost.

Found by the session-14 brief (after tester 13 §22 and 233bfe6): at the documents step of a
new draft, the passport photo the officer had asked for went into the draft with no
question, and the officer kept waiting; and 233bfe6's «لا» (not the answer) to a photo at
an earlier step dropped the photo: «احتفظتُ بصورتك لطلبك» never came, nothing was kept."""

from __future__ import annotations

from .fakes import Chat, MemoryGateway
from .test_intake import _to_attachments, _to_identity

MINE = "5038329651"
ASKS_A_PHOTO = "يُرجى إرسال صورة جواز ساري المفعول."
OFFER = "هل رسالتك هي الإجابة"


async def test_the_first_photo_at_the_documents_step_is_offered_as_the_answer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(MINE, ASKS_A_PHOTO)
    await _to_attachments(chat)
    await chat.media(ref="passport")
    assert OFFER in chat.said, chat.said
    assert f"ans:{MINE}" in chat.choice_ids
    await chat.tap(f"ans:{MINE}")
    await chat.text("ارسال")
    assert [a.number for a in gateway.answers] == [MINE]
    assert [f.ref for f in gateway.answers[0].attachments] == ["passport"]


async def test_not_the_answer_at_the_documents_step_goes_to_the_draft_and_is_asked_once(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(MINE, ASKS_A_PHOTO)
    await _to_attachments(chat)
    await chat.media(ref="son-passport")
    assert OFFER in chat.said
    await chat.tap("notans")
    assert "وصلتني الصورة" in chat.said, chat.said  # the documents step took it
    await chat.media(ref="son-iqama")  # the draft has a file now: no question again
    assert OFFER not in chat.said, chat.said
    await chat.tap("done")
    assert "ملفان" in chat.said or "المرفقات" in chat.said, chat.said
    assert not gateway.answers


async def test_a_question_asking_no_document_is_not_offered_a_photo_at_the_documents_step(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(MINE, "ما تاريخ انتهاء الإقامة؟")
    await _to_attachments(chat)
    await chat.media()
    assert OFFER not in chat.said and "وصلتني الصورة" in chat.said, chat.said


async def test_not_the_answer_at_an_earlier_step_keeps_the_photo_for_the_draft(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(MINE, ASKS_A_PHOTO)
    await _to_identity(chat)
    await chat.media(ref="kept-photo")
    assert OFFER in chat.said
    await chat.tap("notans")
    assert "احتفظتُ بصورتك" in chat.said, chat.said
    assert "رقم هويتك" in chat.said  # the step's question again


async def test_an_album_said_not_to_be_the_answer_goes_to_the_draft_whole(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.ask(MINE, ASKS_A_PHOTO)
    await _to_attachments(chat)
    for ref in ("a", "b", "c"):
        await chat.media(ref=ref, album="album-1")
    await chat.tap("notans")
    await chat.tap("done")
    assert "٣ ملفات" in chat.said or "3 ملفات" in chat.said, chat.said
