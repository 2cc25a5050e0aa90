"""A second mobile typed at the description step replaces the first, and says so with
both numbers (helper 24's probe: it replaced it in silence; on Telegram a typed first
number was called «shared from your account»). One shared with the button stays."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat

DESCRIPTION = "انتهت صلاحية إقامتي وأحتاج إلى تجديدها قبل السفر"


async def _at_description(chat: Chat, phone: str | None) -> None:
    await chat.command("start")
    await chat.text("تجديد الاقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    if phone is None:
        await chat.contact("+966501234567")
    else:
        await chat.text(phone)
    assert "يُرجى وصف طلبك" in chat.said, chat.said


async def _filed(chat: Chat, gateway: MemoryGateway) -> str:
    await chat.text(DESCRIPTION)
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    assert gateway.submissions[0].description == DESCRIPTION
    return gateway.submissions[0].phone


@pytest.mark.parametrize("kind", [Chat, TerminalChat, WhatsAppChat])
async def test_a_typed_first_number_is_replaced_and_both_are_named(kind: type[Chat]) -> None:
    gateway = MemoryGateway()
    chat = kind(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _at_description(chat, "0501234567")
    await chat.text("0551234567")
    assert "مكان الرقم ⁨+966501234567⁩" in chat.said, chat.said
    assert "شاركته من حسابك" not in chat.said
    assert await _filed(chat, gateway) == "+966551234567"


async def test_a_shared_number_stays_on_telegram() -> None:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _at_description(chat, None)
    await chat.text("0551234567")
    assert "شاركته من حسابك: ⁨+966501234567⁩" in chat.said, chat.said
    assert await _filed(chat, gateway) == "+966501234567"
