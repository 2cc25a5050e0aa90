"""A greeting before an answer in words («السلام عليكم ابي اسأل», «السلام عليكم منشأة»):
the greeting is returned and the rest picks the option. Helper 22's probe: the greeting
was returned and «يُرجى اختيار واحد من ٤ خيارات» came, the wish lost."""

from __future__ import annotations

import pytest

from .fakes import Chat

SALAM_BACK = "وعليكم السلام ورحمة الله وبركاته."


@pytest.mark.parametrize("started", [True, False])
async def test_a_greeting_then_a_wish_for_the_questions(chat: Chat, started: bool) -> None:
    if started:
        await chat.command("start")
    await chat.text("السلام عليكم ابي اسأل")
    assert SALAM_BACK in chat.said and "يُرجى اختيار واحد" not in chat.said, chat.said
    assert "kb:iqama_fees" in chat.choice_ids


async def test_a_greeting_then_who_files(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("السلام عليكم منشأة")
    assert SALAM_BACK in chat.said and "g:work" in chat.choice_ids
    assert "g:passports" not in chat.choice_ids  # an establishment's groups


async def test_a_greeting_then_an_answer_at_a_question(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.text("السلام عليكم برا")
    assert "رقم هويتك" in chat.last[-1].text, chat.said


async def test_a_first_message_greeting_then_who_files(chat: Chat) -> None:
    await chat.text("السلام عليكم فرد")
    assert SALAM_BACK in chat.said and "g:passports" in chat.choice_ids, chat.said


async def test_a_greeting_then_other_words_keeps_the_menu(chat: Chat) -> None:
    await chat.text("السلام عليكم كيف الحال")
    assert SALAM_BACK in chat.said and chat.choice_ids[:2] == ["ind", "est"]
