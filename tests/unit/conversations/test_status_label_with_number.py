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
from .test_status import MINE, THEIRS, _view

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


@pytest.mark.parametrize("typed", [f"حالة طلبي {MINE}", f"لا غلطت الرقم الصحيح {MINE}"])
async def test_a_request_number_in_words_at_the_identity_step_is_looked_up(typed: str) -> None:
    # helper 25: at «رقم الهوية» of another chat's look-up, «حالة طلبي 9492155172» was
    # told the identity number starts with ١, ٢ or ٣; a request number never does
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "owner"), RESIDENT)
    gateway.views[THEIRS] = (_view(THEIRS, "under_review"), ("test", "owner"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=lambda: NOW, limiter=MemoryLimiter()
    )
    chat = Chat(engine.handle, user="relative")
    await chat.command("start")
    await chat.text(f"حالة طلبي {THEIRS}")
    assert "رقم الهوية" in chat.said, chat.said
    said = await chat.text(typed)
    text = "\n".join(r.text for r in said)
    assert "الهوية الوطنية تبدأ بـ١" not in text and "رقم الهوية" in text, text
    said = await chat.text(RESIDENT)  # the number asked about now is the one shown
    text = "\n".join(r.text for r in said)
    assert MINE in text and THEIRS not in text, text


async def test_another_chats_card_offers_the_ways_on() -> None:
    # helper 25: the card shown after the identity check ended with no choice at all
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "owner"), RESIDENT)
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, clock=lambda: NOW, limiter=MemoryLimiter()
    )
    chat = Chat(engine.handle, user="relative")
    await chat.command("start")
    await chat.text(f"حالة طلبي {MINE}")
    await chat.text(RESIDENT)
    assert MINE in chat.said and chat.choice_ids == ["another", "new"], chat.choice_ids
    await chat.tap("another")
    assert "يُرجى كتابة رقم الطلب" in chat.said, chat.said
