"""The description step met with a photo sent twice and with «تم» (found by the
fresh-clone tester): the photo got two contradicting lines («اضغط «تم» عند الانتهاء»
from the documents step, then «اكتب الوصف»), and «تم» with a word more was kept as the
start of the description."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import FIRST, _file, _to_description


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


async def test_a_photo_sent_twice_gets_one_clear_line(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.media(ref="card", content=b"the same photo")
    again = await chat.media(ref="card-again", content=b"the same photo")
    assert len(again) == 1
    said = chat.said
    assert "أرسلت هذه الصورة من قبل" in said
    # what this step wants, and nothing of the documents step's «Done»
    assert "يُرجى وصف طلبك" in said
    assert "«تم»" not in said and "كتابة الوصف في رسالة نصية" not in said
    await chat.text(FIRST)
    await _file(chat, gateway)
    (filed,) = gateway.submissions
    assert filed.description == FIRST and [a.ref for a in filed.attachments] == ["card"]


@pytest.mark.parametrize("done", ["تم شكرا", "خلاص تم", "ok تم", "تمت", "تم الارسال"])
async def test_done_with_a_word_more_is_not_the_description(
    chat: Chat, gateway: MemoryGateway, done: str
) -> None:
    await _to_description(chat)
    await chat.media(ref="card")
    await chat.text(done)
    assert "لم يصلني وصف طلبك بعد" in chat.said
    await chat.text(FIRST)
    await _file(chat, gateway)
    (filed,) = gateway.submissions
    assert filed.description == FIRST


async def test_done_in_a_caption_is_not_the_description(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.media(ref="card", caption="تم شكرا")
    assert "لم يصلني وصف طلبك بعد" not in chat.said and "يُرجى وصف طلبك بكلماتك" in chat.said
    await chat.text(FIRST)
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST
