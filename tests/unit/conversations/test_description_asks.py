"""At the description step, a status question, a request number or a plain question is
not taken into the description (found by the fresh-clone tester); a description that
speaks of them is. Through the real dialogue, with the status look-up on."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_describe import _file, _to_description

QUESTION = "هل يمكنني تجديد الإقامة وأنا خارج المملكة؟"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    return Chat(engine.handle)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("وين طلبي", "كتابة رقم الطلب"),
        ("4512345671", "لم يُقدَّم هذا الطلب من هذه المحادثة"),
        ("رقم طلبي ٤٥١٢٣٤٥٦٧١", "لم يُقدَّم هذا الطلب من هذه المحادثة"),
    ],
)
async def test_a_status_question_gets_the_status_and_keeps_the_draft(
    chat: Chat, gateway: MemoryGateway, typed: str, answer: str
) -> None:
    await _to_description(chat)
    await chat.text("انتهت إقامتي")  # too short yet: kept as the start of the description
    await chat.text(typed)
    assert answer in chat.said  # the status path, not a question topic or the description
    assert "مدة معالجة" not in chat.said
    await chat.tap("back")
    assert "يُرجى وصف طلبك" in chat.said  # back to the draft, where it was
    await chat.text("ولا أستطيع تجديدها من أبشر")
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "انتهت إقامتي\nولا أستطيع تجديدها من أبشر"


async def test_a_plain_question_is_offered_not_appended(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_description(chat)
    await chat.text(QUESTION)
    assert "يبدو هذا سؤالًا" in chat.said and "add_question" in chat.choice_ids
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر")  # goes on describing
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "انتهت إقامتي ولا أستطيع تجديدها من أبشر"


async def test_a_question_added_to_the_description_reaches_the_officer(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text(QUESTION)
    await chat.tap("add_question")
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == QUESTION


@pytest.mark.parametrize(
    "told",
    [
        # a request's status spoken of at length: a complaint to file, not a look-up
        "قدمت طلب تجديد قبل شهر وما جاني رد على طلبي للحين",
        # a question inside a description that tells the case
        "انتهت إقامتي الشهر الماضي. هل أقدر أجددها من أبشر؟",
        "انتهت إقامتي وما قدرت أجددها، وش الحل؟",
    ],
)
async def test_a_description_that_asks_stays_a_description(
    chat: Chat, gateway: MemoryGateway, told: str
) -> None:
    await _to_description(chat)
    await chat.text(told)
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == told


async def test_a_question_after_the_start_of_a_description_is_more_of_it(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await _to_description(chat)
    await chat.text("انتهت إقامتي")  # too short yet: the start of the description
    await chat.text("هل أقدر أجددها من أبشر؟")
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == "انتهت إقامتي\nهل أقدر أجددها من أبشر؟"
