"""Words at the number steps that are neither a number nor the case (helper 233): «نفس
الرقم اللي مسجل في ابشر» at the first phone step was kept as the description; «ما
اذكره» at the identity step got «لا يوجد في رسالتك رقم», and «ما اتذكر الرقم» was kept
as the description."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .journeys import RESIDENT, _to_identity

CANNOT_SEE = "لا أستطيع الاطلاع على الأرقام المسجلة في أبشر"


@pytest.mark.parametrize("typed", ["نفس الرقم اللي مسجل في ابشر", "الرقم المسجل في أبشر"])
async def test_the_number_registered_in_absher_is_asked_for_here(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text(typed)
    assert CANNOT_SEE in chat.said and "احتفظتُ بما كتبته" not in chat.said, chat.said
    assert "share_contact" in chat.choice_ids
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said  # nothing kept for the description


async def test_words_of_the_case_naming_absher_are_still_kept(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("ابشر ما يقبل التجديد")
    assert CANNOT_SEE not in chat.said and "احتفظتُ بما كتبته" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["ما اذكره", "ما اتذكر الرقم", "نسيته"])
async def test_not_remembering_the_number_says_where_it_is(chat: Chat, typed: str) -> None:
    await _to_identity(chat)
    await chat.text(typed)
    assert "رقم الإقامة مكتوب على بطاقة هوية مقيم" in chat.said, chat.said
    assert "احتفظتُ بما كتبته" not in chat.said and "لا يوجد في رسالتك رقم" not in chat.said
