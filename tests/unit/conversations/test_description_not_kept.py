"""Tester 14 §4, §12: words at the description and documents steps that are not the case
the officer reads. «ابي اكلم موظف» and «لا غلطت ابي اجدد جوازي مو الاقامة» typed at the
description step became the description; «هذي الصور», «بعد شوي ارسل الباقي» at the
documents step were added to it; «ok» there with no file was taken for «تم»; and «تمام»
right after «الحين ارسل الباقي» closed the step, so the next nod filed the request."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity

CASE = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    return Chat(engine.handle)


async def _to_description(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said or "وصف" in chat.said


async def _filed_description(chat: Chat, gateway: MemoryGateway) -> str:
    await chat.tap("done")
    await chat.tap("confirm")
    return gateway.submissions[0].description


async def test_a_wish_for_an_officer_at_the_description_is_answered_not_kept(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("ابي اكلم موظف")
    assert "لا تتوفر هنا محادثة مباشرة مع موظف" in chat.said
    assert "احتفظت بما كتبت" not in chat.said
    await chat.text(CASE)
    await chat.media(ref="p1")
    assert await _filed_description(chat, gateway) == CASE


async def test_a_slip_naming_another_service_at_the_description_offers_the_change(
    chat: Chat,
) -> None:
    await _to_description(chat)
    await chat.text("لا غلطت ابي اجدد جوازي مو الاقامة")
    assert "هل أغيّر خدمة طلبك" in chat.said
    assert "chg:yes" in chat.choice_ids
    await chat.tap("chg:yes")
    assert "صورة الإقامة" not in chat.said


@pytest.mark.parametrize("chatter", ["هذي الصور", "بعد شوي ارسل الباقي", "الحين ارسل الباقي"])
async def test_chatter_at_the_documents_is_not_added_to_the_description(
    chat: Chat, gateway: MemoryGateway, chatter: str
) -> None:
    await _to_description(chat)
    await chat.text(CASE)
    await chat.media(ref="p1")
    await chat.text(chatter)
    assert "أُضيف إلى وصفك" not in chat.said
    assert await _filed_description(chat, gateway) == CASE


async def test_ok_with_no_file_is_not_done(chat: Chat) -> None:
    await _to_description(chat)
    await chat.text(CASE)
    await chat.text("ok")
    assert "على الأقل" not in chat.said
    assert "يُرجى مراجعة طلبك" not in chat.said
    assert "done" in chat.choice_ids


async def test_a_nod_after_more_is_coming_asks_and_does_not_close_the_step(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(CASE)
    await chat.media(ref="p1")
    await chat.text("الحين ارسل الباقي")
    await chat.text("تمام")
    assert "يُرجى مراجعة طلبك" not in chat.said
    assert "هل اكتمل إرسال المستندات" in chat.said
    await chat.media(ref="p2")
    await chat.tap("done")
    await chat.tap("confirm")
    assert [a.ref for a in gateway.submissions[0].attachments] == ["p1", "p2"]
