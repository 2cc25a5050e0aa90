"""Tester 13 §13: corrections at the summary. «لحظه رقم الاقامه غلط ابي اعدله» and
«تعديل الاقامة» mean «تعديل رقم الهوية» (the label says «رقم الهوية», people say
«الإقامة»); a new identity number typed at the summary is offered in place of the old."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_manners import _to_summary

NEW = "2123456788"


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


@pytest.mark.parametrize("typed", ["لحظه رقم الاقامه غلط ابي اعدله", "تعديل الاقامة"])
async def test_the_iqama_words_change_the_identity_number(chat: Chat, typed: str) -> None:
    await _to_summary(chat)
    await chat.text(typed)
    assert "فضلًا اضغط «تأكيد وإرسال»" not in chat.said
    assert "أيّها المقصود" not in chat.said
    assert "رقم هوي" in chat.said or "رقم الهوية" in chat.said
    assert "confirm" not in chat.choice_ids


async def test_a_new_number_typed_at_the_summary_is_offered_in_place(chat: Chat) -> None:
    await _to_summary(chat)
    await chat.text("٢١٢٣٤٥٦٧٨٨")
    assert "فضلًا اضغط «تأكيد وإرسال»" not in chat.said
    assert chat.choice_ids[0] == "e:id_typed"
    await chat.tap("e:id_typed")
    assert "يُرجى مراجعة طلبك" in chat.said
    assert NEW in chat.said
