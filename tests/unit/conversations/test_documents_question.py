"""«وش الاوراق المطلوبة؟» typed once a service is chosen is answered with that service's
documents from the catalogue, and the step is asked again (found by the fresh-clone
tester: at the description step of a passport issue it got an iqama topic); and «is it
one of these?» is said in the singular when one topic is offered."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import CITIZEN, PHONE


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    return Chat(engine.handle)


async def _passport_for_a_child(chat: Chat, *, language: str = "ar") -> None:
    await chat.command("start")
    if language == "en":
        await chat.text("English")
    await chat.tap("ind")
    await chat.text("ابي اصدار جواز سفر لولدي" if language == "ar" else "new passport")
    await chat.tap("s:passport_issue")
    await chat.tap("q:family")
    await chat.text(CITIZEN)
    await chat.contact(PHONE)


async def test_documents_asked_at_the_description_are_the_services(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _passport_for_a_child(chat)
    assert "يُرجى وصف طلبك" in chat.said
    await chat.text("وش الاوراق المطلوبة؟")
    said = chat.said
    assert "صورة شخصية حديثة بخلفية بيضاء" in said and "إيصال سداد الرسوم" in said
    assert "إصدار جواز سفر سعودي" in said  # the service they are for
    assert not any(c.startswith("kb:") for c in chat.choice_ids)  # no iqama topic
    assert "يُرجى وصف طلبك" in said  # the step asked again
    await chat.text("ولدي عمره خمس سنوات ويحتاج جوازًا للسفر مع العائلة")
    await chat.media(ref="p1")
    await chat.media(ref="p2")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == "ولدي عمره خمس سنوات ويحتاج جوازًا للسفر مع العائلة"


async def test_documents_asked_in_english(chat: Chat) -> None:
    await _passport_for_a_child(chat, language="en")
    await chat.text("What documents are needed?")
    assert "Recent personal photo, white background" in chat.said
    assert "Fee payment receipt" in chat.said


async def test_one_topic_offered_is_asked_in_the_singular(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("وش الاوراق المطلوبة؟")  # no service yet: the near topic is offered
    topics = [c for c in chat.choice_ids if c.startswith("kb:")]
    assert len(topics) == 1
    assert "هل هو هذا السؤال؟" in chat.said
    assert "أحد هذه الأسئلة" not in chat.said
