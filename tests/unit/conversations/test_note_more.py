"""Words right after a note was sent that add to it («ونسيت اقول ان ابشر يطلع خطأ») open
another note on the same request with them in it, sent only by «إرسال»; a new need
(«وكمان ابي اجدد جوازي») or the same words a turn later are read as ever. Helper 235:
they were offered «مشكلة تقنية» as a new service."""

from __future__ import annotations

import pytest

from conversations.their_say import note_id

from .fakes import Chat
from .test_status import MINE, plain
from .test_ways_out import SayGateway, _writing_a_note

ANOTHER = "ملاحظتك السابقة أُرسلت"
SERVICE_OFFER = "هل هذه هي الخدمة المطلوبة"


async def _noted() -> tuple[Chat, SayGateway]:
    chat, gateway = await _writing_a_note()
    await chat.text("الكفيل وافق على التجديد")
    await chat.tap("send")
    return chat, gateway


@pytest.mark.parametrize(
    "more", ["ونسيت اقول ان ابشر يطلع خطأ", "وكمان الكفيل مسافر", "للعلم الجواز جديد"]
)
async def test_more_words_right_after_a_note_start_another_on_it(more: str) -> None:
    chat, gateway = await _noted()
    await chat.text(more)
    said = plain(chat.said)
    assert ANOTHER in said and MINE in said and more in said, said
    assert SERVICE_OFFER not in said and chat.choice_ids[0] == "send", chat.choice_ids
    assert len(gateway.notes) == 1  # not sent until the person sends it
    await chat.tap("send")
    assert [n.text for n in gateway.notes] == ["الكفيل وافق على التجديد", more]


async def test_a_question_after_a_note_is_answered() -> None:
    chat, _gateway = await _noted()
    await chat.text("وكمان متى يخلص طلبي؟")
    assert ANOTHER not in chat.said and MINE in plain(chat.said), chat.said


async def test_a_new_need_after_a_note_is_a_need() -> None:
    chat, _gateway = await _noted()
    await chat.text("وكمان ابي اجدد جوازي")
    assert ANOTHER not in chat.said and SERVICE_OFFER in chat.said, chat.said


async def test_a_turn_later_the_words_are_read_as_ever() -> None:
    chat, _gateway = await _noted()
    await chat.tap(f"st:{MINE}")
    await chat.text("ونسيت اقول ان ابشر يطلع خطأ")
    assert ANOTHER not in chat.said, chat.said


@pytest.mark.parametrize("typed", ["1", "٢"])
async def test_a_number_alone_is_no_note(typed: str) -> None:
    # helper 235: a lone «1» at the note step became the note
    chat, gateway = await _writing_a_note()
    await chat.text(typed)
    assert "لا يُضاف رقم وحده إلى ملاحظتك" in chat.said, chat.said
    await chat.tap("send")
    assert not gateway.notes and "يُرجى كتابة ملاحظتك" in chat.said, chat.said


async def test_with_a_draft_back_under_the_note_the_words_still_add_to_it() -> None:
    # the lead's terminal probe: a draft came back at its description step after the note,
    # and «ونسيت اقول…» became the new request's description
    from .test_intake import PHONE, RESIDENT, _to_identity
    from .test_ways_out import _chat

    gateway = SayGateway()
    chat = _chat(gateway)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said
    await chat.tap("status")  # their only request's status, with «أضف ملاحظة لطلبي»
    await chat.tap(note_id(MINE))
    await chat.text("الكفيل وافق على التجديد")
    await chat.tap("send")
    assert "يُرجى وصف طلبك" in chat.said, chat.said  # the draft is back
    await chat.text("ونسيت اقول ان ابشر يطلع خطأ")
    assert ANOTHER in chat.said and chat.choice_ids[0] == "send", chat.said
    await chat.tap("send")
    assert [n.text for n in gateway.notes][-1] == "ونسيت اقول ان ابشر يطلع خطأ"
    assert "يُرجى وصف طلبك" in chat.said, chat.said  # the draft again, its words untouched
