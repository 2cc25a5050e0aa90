"""An identity number with a wrong check digit typed where a choice is asked (found by the
fresh-clone tester: «1000000007» at «لمن هذا الطلب؟» got «لم أفهم إجابتك») is named as the
identity step names it, mistyped, and the question asked again; the number typed right
is then kept for the identity step."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .test_intake import CITIZEN, _to_whose

MISTYPED = "1000000007"  # CITIZEN with its last digit wrong
LAST_DIGIT = "الرقم الأخير لا يتوافق"


async def test_at_for_whom_a_mistyped_number_is_named_and_the_question_stays(chat: Chat) -> None:
    await _to_whose(chat)
    await chat.text(MISTYPED)
    assert LAST_DIGIT in chat.said and "لم أفهم" not in chat.said
    assert "لمن هذا الطلب؟" in chat.said and "q:self" in chat.choice_ids
    await chat.text(CITIZEN)
    assert "احتفظتُ برقم الهوية" in chat.said


@pytest.mark.parametrize("typed", [MISTYPED, "١٠٠٠٠٠٠٠٠٧", "رقم هويتي 1000000007"])
async def test_at_the_first_question_a_mistyped_number_is_named(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert LAST_DIGIT in chat.said
    assert "ind" in chat.choice_ids  # the first question again


async def test_at_the_service_question_a_mistyped_number_is_named(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text(MISTYPED)
    assert LAST_DIGIT in chat.said
    assert "ما الخدمة المطلوبة؟" in chat.said


async def test_in_english_a_mistyped_number_at_for_whom(chat: Chat) -> None:
    await chat.text("English")
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("I need a new passport")
    await chat.tap("s:passport_issue")
    await chat.text(MISTYPED)
    assert "its last digit doesn't match" in chat.said and "q:self" in chat.choice_ids
