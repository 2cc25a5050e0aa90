"""A situation told with «what do I do?» before a service is chosen is the need it names,
its words kept for the description. Session 20's new-user probe: «اقامتي انتهت والكفيل
مسافر وش اسوي» got the «who may file» answer (on «الكفيل») and the words were lost;
«كفيلي مسافر واقامتي منتهية ايش اسوي» the iqama validity's."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.knowledge import asks_what_to_do
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import PHONE, RESIDENT

WHO_MAY_FILE = "يقدّم الطلبَ صاحبُ الشأن بنفسه"


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


@pytest.mark.parametrize(
    "story",
    [
        "اقامتي انتهت والكفيل مسافر وش اسوي",
        "كفيلي مسافر واقامتي منتهية ايش اسوي",
        "اقامتي خلصت والكفيل ما يرد علي ايش الحل",
    ],
)
async def test_the_situation_is_the_need_and_its_words_the_description(story: str) -> None:
    chat = _chat()
    await chat.text(story)  # the first message, before /start
    said = chat.said
    assert WHO_MAY_FILE not in said and "أبشر" not in said, said
    assert "احتفظتُ بما كتبت" in said or "احتفظت بما كتبت" in said, said
    assert chat.choice_ids[0] == "s:iqama_renew", chat.choice_ids
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text(RESIDENT)
    await chat.text(PHONE)
    # the words, offered at the description step as the person wrote them
    assert story in chat.said and "keep_description" in chat.choice_ids, chat.said


async def test_at_the_first_question_too() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text("اقامتي انتهت والكفيل مسافر وش اسوي")
    assert WHO_MAY_FILE not in chat.said
    assert "s:iqama_renew" in chat.choice_ids, chat.said


async def test_a_question_about_who_may_file_is_still_answered() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text("هل يقدر كفيلي يقدم عني؟")
    assert WHO_MAY_FILE in chat.said, chat.said


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("اقامتي انتهت وش اسوي", True),
        ("ايش الحل", True),
        ("what should I do now?", True),
        ("ابي اجدد اقامتي", False),
        ("وش الاوراق المطلوبة", False),
    ],
)
def test_words_asking_what_to_do(text: str, asks: bool) -> None:
    assert asks_what_to_do(text) is asks
