"""A need no service's words name, typed at the first question («عندي مخالفة وابي اعترض»):
told the service could not be told from it, and where an unlisted one goes, not «يُرجى
اختيار واحد من ٤ خيارات» as for a stray word."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore

NOT_TOLD = "لم أتمكن من معرفة الخدمة المطلوبة من رسالتك"


@pytest.mark.parametrize("typed", ["عندي مخالفة وابي اعترض", "ابي مساعدة في موضوع"])
async def test_an_unnamed_need_is_told_where_to_go(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert NOT_TOLD in chat.said and "«الدعم الفني وأخرى»" in chat.said, chat.said
    assert chat.choice_ids[:2] == ["ind", "est"]
    await chat.tap("ind")
    assert "g:support" in chat.choice_ids, chat.choice_ids


async def test_a_stray_word_is_asked_to_choose(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("ههههه")
    assert NOT_TOLD not in chat.said and "يُرجى اختيار واحد من ٤ خيارات" in chat.said, chat.said


async def test_in_english_the_group_is_named_in_english(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("English")
    await chat.text("i have a violation and want to object")
    assert "couldn't tell from your message" in chat.said, chat.said
    assert "«Support and other»" in chat.said, chat.said


async def test_a_message_with_a_number_is_not_told_so() -> None:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    chat = Chat(engine.handle)
    await chat.command("start")
    await chat.text("English")
    await chat.text("my request number is 1234567890")
    assert "couldn't tell from your message" not in chat.said, chat.said
    # a look-up: the number's last digit does not match (domain.request_number)
    assert "This request number doesn't look right" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["ايه", "ايوه"])
async def test_a_lone_yes_at_the_first_question_is_no_question(chat: Chat, typed: str) -> None:
    # the lead's probe: «ايه» (Egypt's «what?», the Gulf's «yes») got «ليس لدي جواب عن هذا
    # السؤال»; a yes answers no question of «individual or establishment?»
    await chat.command("start")
    await chat.text(typed)
    assert "ليس لدي جواب" not in chat.said and "يُرجى اختيار" in chat.said, chat.said
