"""«ليش تسأل؟» at a service's eligibility question: why it is asked, then the question
again, nothing lost (the lead's probe: «ليس لدي جواب عن هذا السؤال. يمكنك كتابته في وصف
الطلب»)."""

from __future__ import annotations

import pytest

from .fakes import Chat

WHY = "أسأل عن هذا لأن إمكان تقديم الطلب من هنا"


@pytest.mark.parametrize("asked", ["ليش تسأل", "ليش تسأل؟", "وش دخلك", "why do you ask"])
async def test_why_a_question_is_asked_is_answered(chat: Chat, asked: str) -> None:
    await chat.command("start")
    await chat.text("ابي اطلع خروج نهائي")
    await chat.tap("s:final_exit_visa")
    assert chat.last[-1].text.endswith("لمن هذا الطلب؟")
    await chat.text(asked)
    assert WHY in chat.said and "ليس لدي جواب" not in chat.said, chat.said
    assert chat.last[-1].text.endswith("لمن هذا الطلب؟") and "q:self" in chat.choice_ids
    await chat.tap("q:self")
    assert "رقم هويتك" in chat.said, chat.said


async def test_elsewhere_it_is_no_such_answer(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ليش تسأل")
    assert WHY not in chat.said, chat.said
