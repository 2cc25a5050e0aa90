"""The dependants' question answered in the person's own words (found by the fresh-clone
tester): «ولدي», «زوجتي», a sentence about the problem, through the real dialogue."""

from __future__ import annotations

import pytest

from .fakes import Chat
from .test_intake import PHONE, RESIDENT

QUESTION = "هل صاحب الطلب تابع لك أو مكفول لديك؟"


async def _to_question(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("خدمات التابعين")
    await chat.tap("s:dependents")
    assert QUESTION in chat.said


@pytest.mark.parametrize("typed", ["ولدي", "نعم هذا ولدي", "زوجتي", "هذا سواقي", "my son"])
async def test_a_family_word_says_yes(chat: Chat, typed: str) -> None:
    await _to_question(chat)
    await chat.text(typed)
    assert "رقم هوية صاحب الطلب" in chat.said


@pytest.mark.parametrize("typed", ["لا هو صديقي", "صديقي", "ولدي مو مكفول علي"])
async def test_a_friend_is_not_a_dependant(chat: Chat, typed: str) -> None:
    await _to_question(chat)
    await chat.text(typed)
    assert "لا يمكن تقديم طلب عن شخص لا يتبع لحسابك" in chat.said


async def test_a_word_that_decides_nothing_asks_again(chat: Chat) -> None:
    await _to_question(chat)
    await chat.text("اخوي")  # a brother may or may not be on the account: not guessed
    assert "لم أفهم إجابتك" in chat.said and chat.choice_ids[:2] == ["q:yes", "q:no"]


async def test_a_description_is_kept_and_the_question_asked_again(chat: Chat) -> None:
    told = "ابي اضيف ولدي المولود الجديد في ابشر وما قدرت بسبب خطأ"
    await _to_question(chat)
    await chat.text(told)
    assert "احتفظتُ بما كتبته" in chat.said and QUESTION in chat.said
    assert chat.choice_ids[:2] == ["q:yes", "q:no"]
    await chat.text("ايه")
    await chat.text(RESIDENT)
    await chat.contact(PHONE)
    # at the description step the sentence is offered, not asked for again
    assert told in chat.said and chat.choice_ids[0] == "keep_description"
    await chat.tap("keep_description")
    assert "صورة إقامة أو جواز التابع" in chat.said  # on to the documents
