"""«حالة طلبي 5038329651»: the words are the first question's «حالة طلبي» button, and the
number typed with them is looked up, not asked for again (helper 24's probe); a number
that is no request number is said to be wrong at once."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import RESIDENT
from .test_status import MINE, _view

NOW = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)  # a Friday evening in Riyadh


@pytest.fixture
def chat() -> Chat:
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=lambda: NOW, limiter=MemoryLimiter()
    )
    return Chat(engine.handle)


@pytest.mark.parametrize("typed", [f"حالة طلبي {MINE}", f"وش حالة طلبي {MINE}"])
async def test_the_number_with_the_buttons_words_is_looked_up(chat: Chat, typed: str) -> None:
    await chat.command("start")
    await chat.text(typed)
    assert MINE in chat.said and "يُرجى كتابة رقم الطلب" not in chat.said, chat.said


async def test_a_short_number_with_them_is_said_short(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("وش حالة طلبي 123")
    assert "رقم الطلب يتكون من ١٠ أرقام" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["حالة طلبي اللي قدمته 2024", "حالة طلبي من ١٤٤٦"])
async def test_a_year_with_them_is_no_request_number(chat: Chat, typed: str) -> None:
    # a year tells when the request was filed, not which: the person's requests are listed
    await chat.command("start")
    await chat.text(typed)
    assert "رقم الطلب يتكون من ١٠ أرقام" not in chat.said and MINE in chat.said, chat.said
