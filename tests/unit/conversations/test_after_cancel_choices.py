"""What the person is offered once «إلغاء» → «نعم» has deleted the request they were
filling in. Found by fresh users in sessions 14–15 (terminal and Telegram): the menu read
«1) تراجع 2) طلب جديد», and «تراجع» ("go back") after a cancel that is done read as going
back a step, not as bringing the deleted request back, which is what it does. The
button now says what it does, «استرجاع الطلب», beside «طلب جديد»; a typed «تراجع» still
brings the request back (keywords.json ``undo``)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_intake import RESIDENT, _to_identity


async def _cancelled() -> Chat:
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway()).handle)
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.text("إلغاء")
    await chat.text("نعم")
    return chat


async def test_the_choices_after_a_cancel_say_what_they_do() -> None:
    chat = await _cancelled()
    labels = [c.label for c in chat.last[-1].choices]
    assert chat.choice_ids == ["undo", "new"]
    assert labels == ["استرجاع الطلب", "طلب جديد"], labels
    assert "تراجع" not in chat.said
    assert "بالضغط على «استرجاع الطلب»" in chat.said


@pytest.mark.parametrize("typed", ["1", "استرجاع الطلب", "تراجع"])
async def test_the_request_comes_back_as_it_was_left(typed: str) -> None:
    chat = await _cancelled()
    await chat.text(typed)
    assert "عاد طلبك كما تركته" in chat.said or "كما تركته" in chat.said, chat.said
    assert "رقم جوال" in chat.said  # the step after the identity number, where it was left
