"""An explicit request for a language, within a message, switches at once, like /lang.
Found by the fresh-clone tester: «I do not read Arabic, please answer in English» was
answered in Arabic until the third English message (the count for messages that merely
are in the other language, ada06c7), and «كلمني بالعربي» the other way. The phrases are
data (conversations/data/languages.json)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.languages import language_asked
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import RESIDENT, _to_identity

ENGLISH = "I'll continue in English."
ARABIC = "سأكمل معك باللغة العربية."


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


@pytest.mark.parametrize(
    "typed",
    [
        "I do not read Arabic, please answer in English",
        "I don't read Arabic",
        "sorry I can't understand arabic",
        "English please",
        "can you reply in english?",
        "كلمني بالانجليزي",
        "ما افهم عربي",
    ],
)
async def test_a_request_for_english_switches_at_once(typed: str) -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text(typed)
    assert chat.last[0].text == ENGLISH
    assert "Are you filing as an individual" in chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]
    # the next message, Arabic or not, does not switch back: it was chosen
    await chat.tap("ind")
    assert "Which service do you need?" in chat.said


@pytest.mark.parametrize(
    "typed", ["كلمني بالعربي", "لو سمحت كلمني بالعربي", "ما افهم انجليزي", "Arabic please"]
)
async def test_a_request_for_arabic_switches_at_once_keeping_the_place(typed: str) -> None:
    chat = _chat()
    await _to_identity(chat)
    await chat.text("English")
    await chat.text(RESIDENT)  # at the phone step, in English
    assert "share your mobile number" in chat.said
    await chat.text(typed)
    assert chat.last[0].text == ARABIC
    assert "مشاركة رقم جوالك" in chat.said  # the same step, asked again in Arabic


@pytest.mark.parametrize(
    "typed",
    [
        "my son can speak english and arabic",  # a fact, not a wish
        "the error message is in english",
        "I want to renew my passport",
        "عربي او انجليزي عادي",
        "I don't read Arabic, ما افهم انجليزي",
    ],
)
def test_words_that_do_not_ask_for_one_language_switch_nothing(typed: str) -> None:
    assert language_asked(typed) is None


async def test_a_description_that_asks_for_english_switches_and_keeps_the_step() -> None:
    """At the description step too: a request, not the description."""
    chat = _chat()
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said
    await chat.text("I do not read Arabic, please answer in English")
    assert chat.last[0].text == ENGLISH
    assert "Describe your request" in chat.said


async def test_a_long_description_that_mentions_a_language_is_kept_as_the_description() -> None:
    """Found by the review: «ما اعرف انجليزي» said in passing in a 17-word description was
    taken as a wish for Arabic (already in use), and the description was lost."""
    gateway = MemoryGateway()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway).handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact("+966501234567")
    assert "يُرجى وصف طلبك" in chat.said
    words = (
        "حاولت اجدد الاقامة من ابشر وطلع لي خطأ بالانجليزي وانا ما اعرف انجليزي "
        "فما فهمت وش المطلوب مني بالضبط"
    )
    await chat.text(words)
    assert ARABIC not in [r.text for r in chat.last]
    await chat.media(ref="card")
    await chat.tap("done")
    await chat.tap("confirm")
    (filed,) = gateway.submissions
    assert filed.description == words


@pytest.mark.parametrize("typed", ["ما اعرف انجليزي", "كلمني بالعربي", "عربي"])
async def test_a_wish_for_the_language_in_use_goes_on_without_saying_it_switches(
    typed: str,
) -> None:
    """Found by the fresh-clone tester: «ما اعرف انجليزي» at a choice step of an Arabic
    chat was answered «سأكمل معك باللغة العربية», as if the chat had been in English. The
    person is told briefly that we carry on in Arabic and the same step is asked again."""
    chat = _chat()
    await _to_identity(chat)
    await chat.text(RESIDENT)
    assert "مشاركة رقم جوالك" in chat.said
    await chat.text(typed)
    texts = [r.text for r in chat.last]
    assert ARABIC not in texts
    assert texts[0] == "لا عليك، نكمل معك بالعربية."
    assert "مشاركة رقم جوالك" in chat.said  # the same step, nothing lost


async def test_a_wish_for_english_in_an_english_chat_goes_on() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.text("English")
    await chat.text("I don't read Arabic")
    texts = [r.text for r in chat.last]
    assert ENGLISH not in texts
    assert texts[0] == "No problem, we'll carry on in English."
    assert "Are you filing as an individual" in chat.said
