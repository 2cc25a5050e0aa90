"""Two mobile numbers in one message at the phone step are offered as choices: «which one
should you be contacted on?» (helper 23's probe: «type just one», and both were lost)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore, TerminalChat, WhatsAppChat

TWO = "جوالي 0501234567 وجوال زوجتي ٠٥٥١٢٣٤٥٦٧"
ASKED = "في رسالتك أكثر من رقم جوال. على أيّها يُتواصل معك؟"


async def _at_phone(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("تجديد الاقامة")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:self")
    await chat.tap("q:inside")
    await chat.text("2000000006")


async def _filed_phone(chat: Chat, gateway: MemoryGateway) -> str:
    assert "يُرجى وصف طلبك" in chat.said, chat.said
    await chat.text("انتهت صلاحية إقامتي وأحتاج إلى تجديدها قبل السفر")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    return gateway.submissions[0].phone


@pytest.mark.parametrize("kind", [Chat, TerminalChat, WhatsAppChat])
@pytest.mark.parametrize(
    ("answer", "phone"),
    [("!ph:1", "+966551234567"), ("الاول", "+966501234567"), ("٢", "+966551234567")],
)
async def test_the_number_is_picked_from_those_offered(
    kind: type[Chat], answer: str, phone: str
) -> None:
    gateway = MemoryGateway()
    chat = kind(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _at_phone(chat)
    await chat.text(TWO)
    assert ASKED in chat.said, chat.said
    labels = [c.label.strip("\u2066\u2069") for c in chat.last[-1].choices]
    assert labels[:2] == ["+966501234567", "+966551234567"]
    await (chat.tap(answer[1:]) if answer.startswith("!") else chat.text(answer))
    assert await _filed_phone(chat, gateway) == phone


async def test_one_number_typed_instead_is_taken() -> None:
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _at_phone(chat)
    await chat.text(TWO)
    await chat.text("0561234567")
    assert await _filed_phone(chat, gateway) == "+966561234567"
