"""Answering an officer's question from any step, without losing a half-filled request."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import RESIDENT, _to_identity

NUMBER = "5038329651"


@pytest.fixture
def gateway() -> MemoryGateway:
    gateway = MemoryGateway()
    gateway.questions[(NUMBER, "test", "u1")] = "أرفق صورة الجواز من فضلك"
    return gateway


async def test_answer_joins_the_request_and_the_draft_comes_back(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)  # now on the phone step of a new request
    await chat.tap(f"ans:{NUMBER}")
    assert "أرفق صورة الجواز من فضلك" in chat.said
    await chat.text("أرفقت صورة الجواز الجديد")
    await chat.media(ref="passport-photo")
    await chat.tap("send")
    assert len(gateway.answers) == 1
    answer = gateway.answers[0]
    assert answer.number == NUMBER and answer.text == "أرفقت صورة الجواز الجديد"
    assert [a.ref for a in answer.attachments] == ["passport-photo"]
    assert "أُضيف ردّك" in chat.said
    # back where the person was, with what they had typed
    assert chat.last[-1].ask_contact
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said


async def test_sending_nothing_is_refused(chat: Chat, gateway: MemoryGateway) -> None:
    await chat.tap(f"ans:{NUMBER}")
    await chat.tap("send")
    assert "كتابة إجابتك أو إرسال ملف أولًا" in chat.said
    assert gateway.answers == []


async def test_someone_elses_or_unknown_request_gets_one_polite_answer(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.tap("ans:5000000009")
    assert "لا ينتظر" in chat.said
    await chat.text(RESIDENT)  # still on the identity step: nothing lost
    assert chat.last[-1].ask_contact


async def test_cancel_returns_to_the_draft_without_sending(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_identity(chat)
    await chat.tap(f"ans:{NUMBER}")
    await chat.text("نص لن يُرسل")
    await chat.text("إلغاء")
    assert gateway.answers == []
    assert "رقم هويتك" in chat.said


async def test_forged_answer_buttons_count_as_attempts_and_the_owners_do_not(
    gateway: MemoryGateway,
) -> None:
    limiter = MemoryLimiter()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=limiter).handle)
    await chat.command("start")
    # the owner's own button, pressed again and again, costs nothing
    for _ in range(MemoryLimiter.max_failures + 1):
        await chat.tap(f"ans:{NUMBER}")
        assert "أرفق صورة الجواز من فضلك" in chat.said
        await chat.text("إلغاء")
    # numbers that are not theirs are counted: the same answer for each...
    for forged in ("5000000009", "6418407042", "5038329669", "5000000017", "5000000025"):
        await chat.tap(f"ans:{forged}")
        assert "لا ينتظر" in chat.said
    # ...and the account's look-ups of other people's numbers are paused now
    await chat.text("حالة الطلب 5000000033")
    assert "أُوقف الاستعلام مؤقتًا" in chat.said
    # while the officer waiting for this person can still be answered
    await chat.tap(f"ans:{NUMBER}")
    assert "أرفق صورة الجواز من فضلك" in chat.said


async def test_the_same_photo_twice_in_an_answer_is_kept_once(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.tap(f"ans:{NUMBER}")
    await chat.media(ref="tg-a", content=b"passport page")
    await chat.media(ref="tg-b", content=b"passport page")
    assert "أرسلت هذه الصورة من قبل" in chat.said
    await chat.media(ref="tg-c", content=b"visa page")
    await chat.tap("send")
    assert [a.ref for a in gateway.answers[0].attachments] == ["tg-a", "tg-c"]
