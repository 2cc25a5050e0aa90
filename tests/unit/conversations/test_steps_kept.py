"""Status words and needs do not take over a step that asks for something else (found by
the fresh-clone tester)."""

from __future__ import annotations

import dataclasses

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_status import plain
from .test_status_needs import _chat

NUMBER = "5038329651"
OTHER = "5000000009"
QUESTION = "ما تاريخ انتهاء الجواز؟"
DESCRIPTION = "أحتاج تأشيرة خروج وعودة لزيارة أهلي لكن المنصة ترفض الطلب بسبب خطأ"


async def test_a_description_at_the_identity_step_asks_for_the_number_first() -> None:
    # «تأشيرة» was read as a typo of «تأخير» (a delay) and, with «الطلب», as a status
    # question: the look-up took over the identity step
    chat: Chat = _chat()
    await _to_identity(chat)
    await chat.text(DESCRIPTION)
    said = plain(chat.said)
    assert "رقم الطلب" not in said and not any(c.startswith("r:") for c in chat.choice_ids)
    assert "بعد الأرقام" in said and "رقم هويتك" in said
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    # the request went on where it was, to the description, which offers what was typed
    assert DESCRIPTION in plain(chat.said)


@pytest.mark.parametrize("two", [False, True])
async def test_after_a_status_look_up_the_officers_question_can_still_be_answered(
    two: bool,
) -> None:
    gateway = MemoryGateway()
    gateway.ask(NUMBER, QUESTION)
    if two:
        # another request of theirs: the look-up lists both to choose from
        view = dataclasses.replace(gateway.views[NUMBER][0], number=OTHER, status="received")
        gateway.views[OTHER] = (view, ("test", "u1"), RESIDENT)
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("وين طلبي")
    if two:
        assert chat.choice_ids[0] == f"r:{NUMBER}"  # the look-up's list
    else:
        # their only request: its status at once, with the officer's question
        assert QUESTION in plain(chat.said) and f"ans:{NUMBER}" in chat.choice_ids
    await chat.text("تاريخ انتهاء الجواز ١٤٤٩/٠٣/١٠")
    said = plain(chat.said)
    # the words go to the officer's question, not to the look-up's number prompt
    assert QUESTION in said and "رقم الطلب يتكون" not in said
    await chat.media(ref="passport-photo")
    assert "اختيار طلب" not in plain(chat.said)
    await chat.text("تم")
    assert [(a.number, a.text) for a in gateway.answers] == [
        (NUMBER, "تاريخ انتهاء الجواز ١٤٤٩/٠٣/١٠")
    ]
    assert [f.ref for f in gateway.answers[0].attachments] == ["passport-photo"]
