"""Words about the establishment's number at its step (helper 233): a commercial
registration was told it «looks like a national ID», and «وش الرقم الموحد؟» got «ليس لدي
جواب عن هذا السؤال». Both are told what the unified number is; nothing is taken."""

from __future__ import annotations

import pytest

from conversations.engine import Engine

from .fakes import Chat
from .journeys import _to_establishment

UNIFIED = "الرقم الموحد للمنشأة من ١٠ أرقام ويبدأ بـ٧"
ASKED = "يُرجى كتابة الرقم الموحد للمنشأة"


@pytest.mark.parametrize("typed", ["السجل التجاري ١٠١٠١٢٣٤٥٦", "رقم السجل 1010123456", "سجل تجاري"])
async def test_a_commercial_registration_is_not_the_unified_number(
    chat: Chat, engine: Engine, typed: str
) -> None:
    await _to_establishment(chat)
    await chat.text(typed)
    assert "رقم السجل التجاري غير الرقم الموحد" in chat.said, chat.said
    assert "هوية وطنية" not in chat.said and ASKED in chat.said, chat.said
    state = await engine.store.load("test", "u1")
    assert "establishment" not in state.answers


@pytest.mark.parametrize(
    "typed", ["وش الرقم الموحد؟", "وين القى الرقم الموحد", "ايش رقم المنشأة", "ما اعرف رقم المنشأة"]
)
async def test_a_question_about_the_unified_number_is_answered(chat: Chat, typed: str) -> None:
    await _to_establishment(chat)
    await chat.text(typed)
    assert UNIFIED in chat.said and "ليس لدي جواب" not in chat.said, chat.said
    assert ASKED in chat.said


async def test_the_unified_number_is_still_taken(chat: Chat) -> None:
    await _to_establishment(chat)
    await chat.text("الرقم الموحد 7001234567")
    assert "رقم العامل" in chat.said, chat.said


@pytest.mark.parametrize(
    "typed", ["رقم سجل المنشأة 7001234567", "السجل 1010123456 والموحد 7001234567"]
)
async def test_a_unified_number_beside_the_registration_is_taken(
    chat: Chat, engine: Engine, typed: str
) -> None:
    # this helper's probe of the fix above: «رقم سجل المنشأة 7001234567» was refused as a
    # registration and its unified number dropped
    await _to_establishment(chat)
    await chat.text(typed)
    assert "رقم العامل" in chat.said and "غير الرقم الموحد" not in chat.said, chat.said
    state = await engine.store.load("test", "u1")
    assert state.answers["establishment"] == "7001234567"
