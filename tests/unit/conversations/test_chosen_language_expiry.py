"""A language the person chose in so many words outlives their draft as a choice (found by
the fresh-clone tester): once the 24-hour draft had expired, a chosen English counted as
merely read from the person's words, so their first Arabic words after a day switched the
whole conversation to Arabic instead of offering the switch."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.events import Command
from conversations.flows.intake import INTAKE
from conversations.languages import OTHER_LANGUAGE_HINT
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

SUNDAY = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _chat(store: MemoryStore, clock: Clock) -> Chat:
    return Chat(Engine(store, INTAKE, load_catalogue(), MemoryGateway(), clock=clock).handle)


@pytest.mark.parametrize("how", ["typed", "button", "command"])
async def test_a_chosen_language_is_still_chosen_after_the_draft_expired(how: str) -> None:
    store, clock = MemoryStore(), Clock(SUNDAY)
    chat = _chat(store, clock)
    await chat.command("start")
    if how == "typed":
        await chat.text("English")
    elif how == "button":
        await chat.text("help")
        await chat.tap("lang:en")
    else:
        await chat.send(Command(chat.origin(), "lang", "en"))
    assert "I'll continue in English." in chat.said
    # a day and more later: the draft's TTL has removed it, the language key stays
    clock.now = SUNDAY + dt.timedelta(hours=25)
    store.expire("test", "u1")
    await chat.text("السلام عليكم ابي اجدد اقامتي")
    # still English, with the way to Arabic offered, as on the day it was chosen
    assert "Is this the service you need?" in chat.said  # the iqama's alone (tester 14 §1)
    assert OTHER_LANGUAGE_HINT["en"] in chat.said
    assert chat.last[-1].locale == "en"


async def test_a_language_only_read_from_words_still_follows_the_words_after_expiry() -> None:
    store, clock = MemoryStore(), Clock(SUNDAY)
    chat = _chat(store, clock)
    await chat.text("hello I want to renew my passport")  # English, read from the words
    assert chat.last[-1].locale == "en"
    clock.now = SUNDAY + dt.timedelta(hours=25)
    store.expire("test", "u1")
    await chat.text("السلام عليكم ابي اجدد اقامتي")
    assert "هل هذه هي الخدمة المطلوبة؟" in chat.said  # the iqama's alone
    assert chat.last[-1].locale == "ar"


async def test_choosing_the_language_already_in_use_is_remembered_as_a_choice() -> None:
    # Arabic read from the first words, then «عربي» typed: the language does not change,
    # but it is now chosen, and a day later English words do not switch it
    store, clock = MemoryStore(), Clock(SUNDAY)
    chat = _chat(store, clock)
    await chat.text("السلام عليكم")
    await chat.text("عربي")
    assert store.locales[("test", "u1")] == "ar:chosen"
    clock.now = SUNDAY + dt.timedelta(hours=25)
    store.expire("test", "u1")
    await chat.text("hello I want to renew my passport")
    assert chat.last[-1].locale == "ar"
    assert OTHER_LANGUAGE_HINT["ar"] in chat.said  # the way to English, offered
