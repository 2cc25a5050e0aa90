"""A nationality said in the first words answers «ما جنسية الزائر؟», served or not. Found
by tester 14 (§6): «ابي امدد زيارة اختي مصرية» → the extension → «ما جنسية الزائر؟ 1) سوري
2) يمني 3) جنسية أخرى»; only «سورية» was read from a message. The words are
domain/data/nationalities.json."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from domain.nationalities import nationalities_named

from .fakes import Chat, MemoryGateway, MemoryStore

ONLY_SYRIANS_AND_YEMENIS = "متاح للجنسيتين السورية واليمنية فقط"
QUESTION = "ما جنسية الزائر؟"


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


@pytest.mark.parametrize(
    ("first", "name"),
    [
        ("ابي امدد زيارة اختي مصرية", "مصرية"),
        ("ابي امدد زيارة امي وهي اردنيه", "أردنية"),
        ("ابغى اجدد تمديد الزيارة لابوي المصري", "مصرية"),
        ("ابي امدد زيارة زوجتي الفلبينية", "فلبينية"),
    ],
)
async def test_a_nationality_not_served_is_told_at_once(first: str, name: str) -> None:
    chat = _chat()
    await chat.text(first)
    await chat.tap("s:visit_visa_extension")
    said = chat.said
    assert f"جنسية الزائر {name}" in said, said
    assert ONLY_SYRIANS_AND_YEMENIS in said and "أقرب فرع للجوازات" in said
    assert QUESTION not in said and "other" in chat.choice_ids
    await chat.text("لا غلطت هي سورية")  # a correction goes on with the request
    assert "رقم حدود" in chat.said, chat.said


async def test_a_served_nationality_is_still_noted() -> None:
    chat = _chat()
    await chat.text("ابي امدد زيارة امي وهي يمنية")
    await chat.tap("s:visit_visa_extension")
    assert "«الجنسية اليمنية»" in chat.said and "رقم حدود" in chat.said, chat.said


async def test_two_nationalities_ask_the_question() -> None:
    chat = _chat()
    await chat.text("انا سوري وابي امدد زيارة امي المصرية")
    await chat.tap("s:visit_visa_extension")
    assert QUESTION in chat.said


@pytest.mark.parametrize("typed", ["تركية", "امي اثيوبية"])
async def test_any_nationality_typed_at_the_question_is_understood(typed: str) -> None:
    chat = _chat()
    await chat.text("ابي امدد زيارة اختي")
    await chat.tap("s:visit_visa_extension")
    await chat.text(typed)
    assert ONLY_SYRIANS_AND_YEMENIS in chat.said, chat.said


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("اختي مصرية", ["egyptian"]),
        ("امي سوريه مو مصريه", ["syrian"]),
        ("زيارة لاهلي اليمنيين", ["yemeni"]),
        ("my sister is Egyptian", ["egyptian"]),
        ("امي مصرية بس جات من سوريا", ["egyptian"]),  # a country is not a nationality
        ("ابي امدد زيارة امي", []),
    ],
)
def test_nationality_words(text: str, named: list[str]) -> None:
    assert nationalities_named(text) == named


async def test_the_nationality_buttons_read_for_a_mother_too(chat: Chat) -> None:
    """A fresh-clone probe: the buttons «سوري», «يمني» are masculine, read for a mother's
    visit as if she were a man; «الجنسية السورية» fits anyone."""
    await chat.command("start")
    await chat.text("ابي امدد زيارة امي")
    await chat.tap("s:visit_visa_extension")
    labels = [c.label for c in chat.last[-1].choices if c.id.startswith("q:")]
    assert labels == ["الجنسية السورية", "الجنسية اليمنية", "جنسية أخرى"], labels
