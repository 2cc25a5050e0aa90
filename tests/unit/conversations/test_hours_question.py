"""«what are the working hours?» / «متى الدوام عندكم؟» get an honest «no answer», never a
service. Found by tester 12 (§18, §20): the English question was offered «Technical issue»
(«working» resembles «absher not working»). No seed in shared/seeds gives the working hours,
so none is invented (conversations/data/unanswered.json)."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .test_intake import _to_identity

SERVICE_IDS = ("svc:", "technical_issue", "file:")


def _no_service(chat: Chat) -> bool:
    return not any(any(i.startswith(p) or p in i for p in SERVICE_IDS) for i in chat.choice_ids)


@pytest.mark.parametrize(
    ("language", "question", "no_answer"),
    [
        ("English", "what are the working hours?", "I don't have an answer to that question"),
        ("English", "What are your opening hours?", "I don't have an answer to that question"),
        (None, "متى الدوام عندكم؟", "ليس لدي جواب عن هذا السؤال"),
        (None, "وش ساعات العمل عندكم؟", "ليس لدي جواب عن هذا السؤال"),
    ],
)
async def test_the_hours_are_not_answered_and_no_service_is_offered(
    chat: Chat, language: str | None, question: str, no_answer: str
) -> None:
    await chat.command("start")
    if language:
        await chat.text(language)
    await chat.text(question)
    text = "\n".join(r.text for r in chat.last)
    assert no_answer in text, text
    assert "Is this the service" not in text and "هل هذه هي الخدمة" not in text
    assert _no_service(chat), chat.choice_ids
    # the first menu follows, filing a request one tap away
    assert chat.choice_ids[:2] == ["ind", "est"]


async def test_mid_request_the_hours_question_keeps_the_step(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text("متى الدوام عندكم؟")
    assert "ليس لدي جواب" in chat.last[0].text
    assert "رقم هويتك" in chat.last[-1].text
