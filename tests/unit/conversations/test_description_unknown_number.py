"""«ما اعرف رقم الحدود حقه وين الاقيه؟» at the description step (tester 13, §12): it was
kept as the description the officer reads. A short message saying an identity number is
not known is answered (the number the request has, where such a number is written, how to
change it) and the step goes on; the words are data (description_words.json)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.normalize import clean_input

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_describe import FIRST, _file, _to_description


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("ما اعرف رقم الحدود حقه وين الاقيه؟", "ختم الدخول في جواز السفر"),
        ("ما ادري وش رقم هويته", "بطاقة هوية مقيم"),  # the kind typed: an iqama
        ("I don't know his border number", "ختم الدخول"),
        ("مو متأكد من رقم الإقامة", "بطاقة هوية مقيم"),
    ],
)
async def test_not_knowing_the_number_is_answered_not_kept(
    chat: Chat, gateway: MemoryGateway, typed: str, where: str
) -> None:
    await _to_description(chat)
    await chat.text(typed)
    said = clean_input(chat.said)
    assert where in said and "2******006" in said and "«تعديل رقم الهوية»" in said
    assert "للمستندات" not in said and "احتفظت" not in said  # still the description step
    await chat.text(FIRST)
    assert "للمستندات" in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == FIRST


async def test_a_case_that_mentions_it_is_the_description(
    chat: Chat, gateway: MemoryGateway
) -> None:
    told = (
        "ابوي جاء زيارة وما اعرف رقم الحدود حقه وابي امدد له الزيارة لانها تنتهي "
        "الاسبوع الجاي وهو مريض ولا يقدر يسافر الحين"
    )
    await _to_description(chat)
    await chat.text(told)
    assert "للمستندات" in chat.said and "ختم الدخول" not in chat.said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == told


async def test_other_numbers_not_known_are_not_this(chat: Chat) -> None:
    """«رقم الطلب» is no identity number: the step reads it as it always has."""
    await _to_description(chat)
    await chat.text("ما اعرف رقم الطلب")
    assert "ختم الدخول" not in chat.said and "تعديل رقم الهوية" not in chat.said


async def test_a_short_case_with_it_is_kept_and_the_ask_answered(
    chat: Chat, gateway: MemoryGateway
) -> None:
    """Review 15 §3: «ما اعرف رقم الإقامة حقي لان بطاقتي ضاعت وابي بدل فاقد» (11 words, the
    case itself) was answered with where the number is written and not kept: the person's
    description was lost. A message longer than the ask is the description, the ask answered
    too."""
    told = "ما اعرف رقم الإقامة حقي لان بطاقتي ضاعت وابي بدل فاقد"
    await _to_description(chat)
    await chat.text(told)
    said = clean_input(chat.said)
    assert "للمستندات" in said and "بطاقة هوية مقيم" in said, said
    await chat.media()
    await _file(chat, gateway)
    assert gateway.submissions[0].description == told
