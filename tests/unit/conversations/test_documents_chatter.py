"""Tester 13 §15, §18 and §20 at the documents step: short chatter («لحظة», «ارسلها
الحين», «والتاشيره», «هذي صور جوازه», «ما ادري») was added to the description the officer
reads; «اقامتي خلصت» (my iqama ran out) was taken for «خلصت» = done."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity

STORY = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"


@pytest.fixture
def chat() -> Chat:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


async def _at_documents(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    await chat.text(STORY)


@pytest.mark.parametrize("typed", ["لحظة", "ارسلها الحين", "والتاشيره", "هذي صور جوازه", "ما ادري"])
async def test_chatter_is_not_added_to_the_description(chat: Chat, typed: str) -> None:
    await _at_documents(chat)
    await chat.text(typed)
    assert "أُضيف" not in chat.said
    assert "حين تجهز" in chat.said
    await chat.media(ref="p1")
    await chat.tap("done")
    assert "يُرجى مراجعة طلبك" in chat.said
    assert typed not in chat.said


async def test_my_iqama_ran_out_is_no_done(chat: Chat) -> None:
    await _at_documents(chat)
    await chat.text("اقامتي خلصت")
    assert "فضلًا أرسل مستندًا واحدًا على الأقل" not in chat.said
    assert "أُضيف" in chat.said
    await chat.media(ref="p1")
    await chat.text("خلصت")
    assert "يُرجى مراجعة طلبك" in chat.said
    assert "اقامتي خلصت" in chat.said
