"""A number sent at the wrong step is named (found by the fresh-clone tester): what it
looks like, and what the step asks for, through the real dialogue."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_establishment, _to_identity

ESTABLISHMENT = "7001234567"
REQUEST = "4512345671"


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


async def test_an_establishment_number_at_the_workers_step(chat: Chat) -> None:
    await _to_establishment(chat)
    await chat.text(ESTABLISHMENT)
    assert "كتابة رقم العامل" in chat.said
    await chat.text(ESTABLISHMENT)
    assert "هذا يبدو رقم منشأة" in chat.said and "كتابة رقم العامل" in chat.said
    assert "الرقم الأول غير صحيح" not in chat.said


async def test_an_iqama_number_at_the_establishment_step(chat: Chat) -> None:
    await _to_establishment(chat)
    await chat.text(RESIDENT)
    assert "هذا يبدو رقم إقامة" in chat.said and "الرقم الموحد للمنشأة" in chat.said


async def test_a_request_number_at_the_identity_step(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(REQUEST)
    assert "هذا يبدو رقم طلب" in chat.said and "«حالة طلبي»" in chat.said
    assert "رقم هويتك" in chat.said  # and what is asked here
    await chat.text(RESIDENT)
    assert "مشاركة رقمي" in chat.said  # the draft went on


@pytest.mark.parametrize("typed", ["2123456788x", "2123456788 x", "x2000000006"])
async def test_an_iqama_number_at_the_phone_step(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(typed)
    assert "هذا يبدو رقم إقامة، وليس رقم جوال" in chat.said
    assert "«مشاركة رقمي»" in chat.said
    await chat.contact(PHONE)
    assert "يُرجى وصف طلبك" in chat.said
