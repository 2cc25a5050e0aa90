"""Tester 13 §15: «تمام كذا» at an officer's question answer prompt was added to the
answer («… تنتهي بعد اسبوع، تمام كذا») instead of sending it."""

from __future__ import annotations

import pytest

from .fakes import Chat, MemoryGateway

NUMBER = "5038329651"


@pytest.fixture
def gateway() -> MemoryGateway:
    gateway = MemoryGateway()
    gateway.ask(NUMBER, "ما تاريخ انتهاء الإقامة؟")
    return gateway


@pytest.mark.parametrize("send", ["تمام كذا", "بس كذا"])
async def test_that_is_it_sends_the_answer(chat: Chat, gateway: MemoryGateway, send: str) -> None:
    await chat.text("تنتهي بعد اسبوع")
    assert gateway.answers == []
    await chat.text(send)
    assert [a.text for a in gateway.answers] == ["تنتهي بعد اسبوع"]
