"""«ابي اضيف مستند» from someone with no open request: the line says how to file one with
what is on screen (the first menu's choices), not a «طلب جديد» button that is not there
(found by the fresh-clone tester, section 13), and the choice it names works typed."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


@pytest.fixture
def chat() -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    return Chat(engine.handle)


@pytest.mark.parametrize("started", [False, True])
async def test_the_line_names_the_first_menus_choices(chat: Chat, started: bool) -> None:
    # as the tester's first message in a new chat, or at the first menu
    if started:
        await chat.command("start")
    await chat.text("ابي اضيف مستند")
    assert "ليس لديك طلب مفتوح تُضاف إليه ملاحظة" in chat.said
    assert "«طلب جديد»" not in chat.said
    assert "اختيار «فرد» أو «منشأة»" in chat.said
    assert {"ind", "est"} <= set(chat.choice_ids)  # the choices it names are offered
    assert "هل يُقدَّم الطلب بصفة فرد" in chat.said  # and the question they answer
    await chat.text("فرد")  # typed, as in the terminal chat
    assert "ind" not in chat.choice_ids and "est" not in chat.choice_ids


async def test_in_english(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("I want to add a note to my request")
    assert "You have no open request to add a note to." in chat.said
    assert "«New request»" not in chat.said


async def test_in_the_middle_of_a_draft_the_step_is_asked_again(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")
    step = chat.said
    await chat.text("ابي اضيف مستند")
    assert "ليس لديك طلب مفتوح تُضاف إليه ملاحظة" in chat.said
    assert "«فرد»" not in chat.said and step in chat.said
