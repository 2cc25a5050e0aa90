"""A rating typed instead of tapped (tester 9's fault 4): «1», «٥» or «⭐⭐⭐⭐⭐» sent as the
next message after a decision's rating question rates the request, as its star does;
the same message at another time is read as ever (the first menu's option)."""

from __future__ import annotations

import datetime as dt

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.flows.their_say import NO_COMMENT
from conversations.ports import SayRefused, StatusView
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore
from .test_stray_files import Clock

NUMBER = "4512345671"


class RatedGateway(MemoryGateway):
    """One decided request of the chat's; a second rating is refused as the desk does."""

    async def rate(self, number: str, channel: str, user_key: str, rating: int) -> None:
        if any(w == "rate" and n == number for w, n, _r in self.said):
            raise SayRefused(number, "already")
        await super().rate(number, channel, user_key, rating)


def _setup() -> tuple[Chat, RatedGateway, Clock]:
    gateway, clock = RatedGateway(), Clock()
    chat = Chat(Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, clock=clock).handle)
    return chat, gateway, clock


def _decide(gateway: RatedGateway, chat: Chat, at: dt.datetime) -> None:
    view = StatusView(
        NUMBER, "iqama_renewal", "rejected", at - dt.timedelta(days=3), at.date(),
        history=((at - dt.timedelta(days=3), "new"), (at, "rejected")),
    )  # fmt: skip
    gateway.views[NUMBER] = (view, ("test", chat.user), "2000000006")


@pytest.mark.parametrize(("typed", "rating"), [("1", 1), ("٥", 5), ("⭐⭐⭐⭐⭐", 5), ("⭐️⭐️", 2)])
async def test_a_rating_typed_after_the_question_is_stored_and_thanked(
    typed: str, rating: int
) -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)  # the notice with its stars comes now
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == [("rate", NUMBER, str(rating))]
    # thanked, and asked for a comment (its «No comment» button), as a star's tap is;
    # not the first menu read into it
    assert NO_COMMENT in chat.choice_ids and "ind" not in chat.choice_ids


async def test_a_digit_after_another_message_is_the_menus_again() -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text("السلام عليكم")  # the next message was not a rating
    clock.now += dt.timedelta(minutes=1)
    await chat.text("1")
    assert gateway.said == []
    assert NO_COMMENT not in chat.choice_ids


async def test_a_typed_rating_after_a_tapped_one_is_read_as_ever() -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.tap(f"rate:{NUMBER}:4")
    await chat.tap(NO_COMMENT)
    gateway.said.clear()
    await chat.text("5")
    assert gateway.said == []
    assert NO_COMMENT not in chat.choice_ids


@pytest.mark.parametrize("typed", ["6", "15", "⭐⭐⭐⭐⭐⭐", "ممتاز 5"])
async def test_other_words_are_not_ratings(typed: str) -> None:
    chat, gateway, clock = _setup()
    await chat.command("start")
    clock.now += dt.timedelta(hours=1)
    _decide(gateway, chat, clock.now)
    clock.now += dt.timedelta(minutes=5)
    await chat.text(typed)
    assert gateway.said == []


async def test_a_digit_in_a_dialogue_with_no_turn_on_record_is_the_menus() -> None:
    """A request decided long ago and never rated, and a dialogue that has expired (or was
    saved before turns were timed): «1» picks «فرد», never a one-star rating."""
    chat, gateway, clock = _setup()
    _decide(gateway, chat, clock.now - dt.timedelta(days=30))
    await chat.text("1")
    assert gateway.said == []
    assert NO_COMMENT not in chat.choice_ids
