"""A negated label word is not the option it names (routing engineer, session 16): at
«أين صاحب الإقامة الآن؟» «مو داخل المملكة», «ما دخل», «مب داخل» recorded the holder
inside the kingdom. Of two options the other is recorded and said back; a denial among
more options is asked again."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.understanding import understand_choice
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore

SAID_BACK = "بحسب ما ورد في رسالتك، سجّلتُ إجابة «أين صاحب الإقامة الآن؟»: «%s»"


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def chat(store: MemoryStore) -> Chat:
    catalogue = load_catalogue()
    return Chat(Engine(store, INTAKE, catalogue, MemoryGateway(), limiter=MemoryLimiter()).handle)


async def _place_recorded(chat: Chat, store: MemoryStore, typed: str) -> str:
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    assert "أين صاحب الإقامة الآن؟" in chat.said
    await chat.text(typed)
    assert "رقم هوية صاحب الطلب" in chat.said  # on to the next step
    state = await store.load("test", "u1")
    return str(state.answers["eligibility"]["location"])


@pytest.mark.parametrize("typed", ["مو داخل المملكة", "ما دخل", "مب داخل", "ومو جوا"])
async def test_denying_inside_records_outside_and_says_so(
    chat: Chat, store: MemoryStore, typed: str
) -> None:
    assert await _place_recorded(chat, store, typed) == "outside"
    assert SAID_BACK % "خارج المملكة" in chat.said


async def test_denying_outside_records_inside_and_says_so(chat: Chat, store: MemoryStore) -> None:
    assert await _place_recorded(chat, store, "لا مو برا") == "inside"
    assert SAID_BACK % "داخل المملكة" in chat.said


async def test_not_in_the_kingdom_is_outside(chat: Chat, store: MemoryStore) -> None:
    assert await _place_recorded(chat, store, "ليس في المملكة") == "outside"


async def test_a_named_place_is_not_said_back(chat: Chat, store: MemoryStore) -> None:
    assert await _place_recorded(chat, store, "داخل") == "inside"
    assert "بحسب ما ورد" not in chat.said


def test_a_denial_among_more_options_is_asked_again() -> None:
    offered = [("a", "داخل المملكة"), ("b", "خارج المملكة"), ("c", "لا أعرف")]
    assert understand_choice("مو داخل", offered) is None
    assert understand_choice("داخل", offered) is not None


def test_change_the_number_is_no_denial() -> None:
    # «غير» is «change» as often as «not»: the routing engineer's change broke this
    offered = [("e:id", "تعديل رقم الهوية"), ("e:phone", "تعديل رقم الجوال")]
    understood = understand_choice("غير الرقم", offered)
    assert understood is not None and set(understood.candidates) == {"e:id", "e:phone"}
