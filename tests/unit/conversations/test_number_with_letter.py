"""A number typed with a stray letter at a step that asks for a choice but keeps a number
given early (found by the fresh-clone tester: «1234567890ب» at «أين أنت الآن؟»
answered «لم أفهم إجابتك»). The letter is named, the question asked again, and nothing
given before is lost."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

LETTER_LINE = "يوجد حرف بين الأرقام التي كتبتها"


@pytest.fixture
def chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


@pytest.mark.parametrize("typed", ["1234567890ب", "1234567890 a", "2000000006x"])
async def test_at_an_eligibility_question(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text(typed)
    said = chat.said
    assert LETTER_LINE in said and "لم أفهم" not in said
    assert "أين أنت الآن؟" in said and chat.choice_ids[:2] == ["q:inside", "q:outside"]
    # what was given stands: the service's question is answered, then the number asked
    await chat.tap("q:inside")
    assert "كتابة رقم هويتك" in chat.said
    await chat.text("2000000006")
    assert "مشاركة رقم جوالك" in chat.said


async def test_an_establishment_number_with_a_letter_at_the_service(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("est")
    await chat.text("7001234567ب")
    assert LETTER_LINE in chat.said and "لم أتمكن من تحديد الخدمة" not in chat.said
    assert any(c.startswith("g:") for c in chat.choice_ids)


@pytest.mark.parametrize("typed", ["7001234567ب", "2000000006 x"])
async def test_as_the_first_message(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert LETTER_LINE in chat.said
    assert "يُرجى اختيار" not in chat.said and "ind" in chat.choice_ids
