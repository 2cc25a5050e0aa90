"""The welcome is shown once when the person's first message is /start (found by the
fresh-clone tester: the terminal chat, which sends /start as it opens, and Telegram's Start
button followed by a typed /start showed the whole welcome twice in a row). A later /start,
once the person has moved on or switched language, still shows it."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

WELCOME = "أهلًا بك في «تواصل»"
FIRST_QUESTION = "هل يُقدَّم الطلب بصفة فرد"


def _chat() -> Chat:
    return Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)


async def test_start_right_after_the_welcome_asks_the_first_question_only() -> None:
    chat = _chat()
    await chat.command("start")
    assert WELCOME in chat.said
    for _ in range(2):
        await chat.command("start")
        assert WELCOME not in chat.said
        assert FIRST_QUESTION in chat.said and chat.choice_ids[:2] == ["ind", "est"]


async def test_start_after_moving_on_or_switching_language_welcomes_again() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.command("start")
    assert WELCOME in chat.said  # the person had moved on: a new start, greeted
    await chat.text("English")
    await chat.command("start")
    assert "Welcome to Tawasul" in chat.said  # not yet seen in English
