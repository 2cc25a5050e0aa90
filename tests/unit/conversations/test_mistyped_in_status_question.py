"""Tester 13 §14: a request number with a wrong check digit inside a status question
(«وش صار على طلبي ٥٠٢٢٤٧٧٠١٢», in a draft) was dropped and the number asked for as if
none had been given; now it is said to look mistyped, as the status prompt says."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.request_number import mistyped_request_number

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore

MISTYPED = "يبدو أن في رقم الطلب خطأ"


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


def test_the_rule() -> None:
    assert mistyped_request_number("وش صار على طلبي ٥٠٢٢٤٧٧٠١٢") == "5022477012"
    assert mistyped_request_number("وش صار على طلبي ٥٠٢٢٤٧٧٠١١") is None  # valid
    assert mistyped_request_number("جوالي 0501234567") is None


async def test_in_a_draft_the_slip_is_named(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.text("وش صار على طلبي ٥٠٢٢٤٧٧٠١٢")
    assert MISTYPED in chat.said


async def test_as_a_first_message_the_slip_is_named(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("وش صار على طلبي ٥٠٢٢٤٧٧٠١٢")
    assert MISTYPED in chat.said
