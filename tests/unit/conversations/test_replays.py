"""A turn replayed after its process died between saving it and sending its replies gets
those replies again; anything else seen twice stays silent (conversations.replays)."""

from __future__ import annotations

from conversations.engine import Engine
from conversations.events import Choice, Command, Option, Reply
from conversations.flows.intake import INTAKE
from conversations.replays import replaying, replies_from_json, replies_to_json
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore


def _chat() -> tuple[Engine, Chat]:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), MemoryGateway())
    return engine, Chat(engine.handle)


async def test_a_replayed_saved_turn_gets_its_own_replies_again() -> None:
    engine, chat = _chat()
    await chat.command("start")
    tap = Choice(chat.origin("u1-tap"), "ind")
    first = await engine.handle(tap)
    assert first and first[-1].choices, "the next question, with its buttons"
    with replaying():
        again = await engine.handle(tap)
    assert again == first


async def test_a_duplicate_that_is_not_a_replay_stays_silent() -> None:
    engine, chat = _chat()
    await chat.command("start")
    tap = Choice(chat.origin("u1-tap"), "ind")
    assert await engine.handle(tap)
    # a platform's redelivery of an update that was answered
    assert await engine.handle(tap) == []


async def test_a_replay_of_an_older_turn_says_nothing() -> None:
    engine, chat = _chat()
    start = Command(chat.origin("u1-start"), "start")
    assert await engine.handle(start)
    await chat.tap("ind")  # the person has moved on
    with replaying():
        assert await engine.handle(start) == []


async def test_replies_keep_every_field_through_json() -> None:
    replies = [
        Reply(
            "نص",
            choices=(Option("a", "أ", "وصف"), Option("b", "ب")),
            ask_contact=True,
            media=("/tmp/card.png",),
            locale="en",
            numbered=False,
            follow_up="receipt:1234567897",
            contact_keyboard_shown=True,
        ),
        Reply("plain"),
    ]
    assert replies_from_json(replies_to_json(replies)) == replies
