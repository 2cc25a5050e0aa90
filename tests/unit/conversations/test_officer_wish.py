"""Tester 13 §17: «ابي اكلم موظف» and «ابغى رقم الجوازات اتصل عليهم» got only «يُرجى
اختيار واحد من ٤ خيارات…»; now the person is told there is no live chat with an officer
here, that an officer reads every request filed here and answers here, and the way on."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


@pytest.mark.parametrize("typed", ["ابي اكلم موظف", "ابغى رقم الجوازات اتصل عليهم"])
async def test_a_wish_for_an_officer_is_answered(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert "محادثة مباشرة مع موظف" in chat.said
    assert "يقرؤه موظف" in chat.said
    assert "يُرجى اختيار واحد من" not in chat.said
    assert "ind" in chat.choice_ids


async def test_mid_request_the_step_stays(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.text("ابي اكلم موظف")
    assert "محادثة مباشرة مع موظف" in chat.said
    assert "s:iqama_renew" in chat.choice_ids


async def test_in_english(chat: Chat) -> None:
    await chat.text("English")
    await chat.text("I want to talk to a human")
    assert "no live chat with an officer" in chat.said


@pytest.mark.parametrize("typed", ["رقم التواصل", "رقم تواصل ٠٥٠١٢٣٤٥٦٧", "رقم تلفون"])
async def test_a_persons_own_contact_number_is_no_wish_for_ours(chat: Chat, typed: str) -> None:
    # review 13 §4: these name the person's own number as often as ours
    await chat.command("start")
    await chat.text(typed)
    assert "محادثة مباشرة مع موظف" not in chat.said
