"""Which edits answer a step again (conversations.edits), on the engine with fakes: the
channel-level and two-worker cases are in tests/integration/test_telegram_edits.py."""

from __future__ import annotations

import itertools

import pytest

from conversations import edits
from conversations.engine import Engine
from conversations.events import Origin, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryStore

HINT = "لا أستطيع قراءة التعديل على رسالة سابقة"


class Person:
    """A chat whose messages carry message ids, as Telegram's and WhatsApp's do."""

    def __init__(self) -> None:
        self.store = MemoryStore()
        engine = Engine(self.store, INTAKE, load_catalogue(), MemoryGateway())
        self.chat = Chat(engine.handle)
        self._ids = itertools.count(1)
        self._updates = itertools.count(1000)

    async def say(self, text: str) -> tuple[str, str]:
        """Sends `text`; returns its message id and what the bot said."""
        message_id = str(next(self._ids))
        origin = Origin("test", "u1", str(next(self._updates)), message_id)
        replies = await self.chat.send(Text(origin, text))
        return message_id, "\n".join(r.text for r in replies)

    async def edit(self, message_id: str, text: str) -> str:
        origin = Origin("test", "u1", str(next(self._updates)), message_id, edits=message_id)
        replies = await self.chat.send(Text(origin, text))
        return "\n".join(r.text for r in replies)

    async def step(self) -> str:
        return (await self.store.load("test", "u1")).step


async def to_identity(person: Person) -> None:
    await person.say("/start")
    await person.chat.tap("ind")
    await person.say("ابي اجدد اقامتي")
    await person.chat.tap("s:iqama_renew")
    await person.chat.tap("q:inside")


async def test_after_going_back_an_edit_of_the_old_answer_is_only_a_hint() -> None:
    person = Person()
    await to_identity(person)
    typed, _ = await person.say("2000000007")
    await person.chat.tap("back")
    assert await person.step() == "question"
    assert (await person.edit(typed, "2000000006")).startswith(HINT)
    assert await person.step() == "question"


async def test_an_edit_of_a_message_never_seen_waits_then_is_a_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(edits, "EDIT_WAIT_S", 0.2)
    person = Person()
    await to_identity(person)
    # a message from before the draft expired, or sent elsewhere: nothing to replace
    assert (await person.edit("999", "2000000006")).startswith(HINT)
    assert await person.step() == "identity"


async def test_the_messages_remembered_are_bounded() -> None:
    person = Person()
    await to_identity(person)
    for _ in range(edits.SEEN_MAX + 5):
        await person.say("2000000007")
    seen = (await person.store.load("test", "u1")).seen
    # two messages before the loop, then SEEN_MAX + 5: only the newest are kept
    assert seen == [str(i) for i in range(8, 2 + edits.SEEN_MAX + 5 + 1)]
