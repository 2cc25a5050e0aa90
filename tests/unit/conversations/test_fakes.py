"""The unit tests' fakes keep the ports they stand in for: every method of the port, with
its parameters and async-ness. MemoryGateway once lacked ``may_say``, and the dialogue
explorer (test_every_step_renders) logged an AttributeError where the real gateway would
have answered."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from conversations.ports import AttemptLimiter, RequestGateway
from conversations.store import DialogueStore

from .fakes import MemoryGateway, MemoryLimiter, MemoryStore


def _port_methods(port: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in vars(port).items()
        if callable(member) and not name.startswith("_")
    }


@pytest.mark.parametrize(
    ("port", "fake"),
    [
        (RequestGateway, MemoryGateway),
        (DialogueStore, MemoryStore),
        (AttemptLimiter, MemoryLimiter),
    ],
)
def test_a_fake_has_every_method_of_its_port_with_the_same_parameters(
    port: type, fake: type
) -> None:
    methods = _port_methods(port)
    assert methods, port
    for name, declared in methods.items():
        made = getattr(fake, name, None)
        assert made is not None, f"{fake.__name__} lacks {name}"
        assert inspect.iscoroutinefunction(made) == inspect.iscoroutinefunction(declared), name
        wanted = [(p.name, p.kind) for p in inspect.signature(declared).parameters.values()]
        have = [(p.name, p.kind) for p in inspect.signature(made).parameters.values()]
        assert have == wanted, f"{fake.__name__}.{name}{inspect.signature(made)}"


async def test_the_gateway_fake_takes_the_say_of_the_requests_owner_only() -> None:
    from conversations.ports import Note, SayRefused

    gateway = MemoryGateway()
    gateway.ask("4512345671", "ما تاريخ انتهاء الجواز؟", channel="test", user="u1")
    await gateway.may_say("note", "4512345671", "test", "u1")
    await gateway.add_note(Note("4512345671", "test", "u1", "صورة الجواز"))
    assert gateway.said == [("note", "4512345671", "صورة الجواز")]
    for number, user in (("4512345671", "u2"), ("9999999999", "u1")):
        with pytest.raises(SayRefused) as refused:
            await gateway.may_say("note", number, "test", user)
        assert refused.value.reason == "not_theirs"
