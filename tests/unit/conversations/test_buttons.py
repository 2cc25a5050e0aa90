"""Issue 15.6: what a button carries (a language, a service, a step, a request number) is
checked against what the current step allows, like typed input. The real engine, flows and
catalogue; the request side is the in-memory gateway."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_status import MINE, _view

SECOND = "5000000009"

NOT_THIS_STEP = "هذا الزر لا يخص هذه الخطوة"
SORRY = "حدث خطأ"


@pytest.fixture
def gateway() -> MemoryGateway:
    return MemoryGateway()


@pytest.fixture
def chat(gateway: MemoryGateway) -> Chat:
    engine = Engine(MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter())
    return Chat(engine.handle)


@pytest.mark.parametrize("forged", ["lang:xx", "lang:../../etc", "lang:", "lang:AR"])
async def test_a_forged_language_is_refused_and_nothing_breaks(
    chat: Chat, gateway: MemoryGateway, forged: str
) -> None:
    await _to_identity(chat)
    await chat.tap(forged)
    assert NOT_THIS_STEP in chat.said and SORRY not in chat.said
    # still at the same question, and the request goes on to be filed
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact
    await chat.contact(PHONE)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    await chat.tap("confirm")
    # with a language the bot speaks, and every /start afterwards works
    assert gateway.submissions[-1].locale == "ar"
    await chat.command("start")
    assert "أهلًا بك" in chat.said and SORRY not in chat.said


async def test_a_forged_language_before_anything_is_refused_too(chat: Chat) -> None:
    await chat.tap("lang:xx")
    assert NOT_THIS_STEP in chat.said and SORRY not in chat.said
    await chat.command("start")
    assert "أهلًا بك" in chat.said


async def test_a_real_language_button_works_from_any_old_message(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.tap("lang:en")
    assert "I'll continue in English" in chat.said


async def test_an_establishments_service_pressed_after_switching_to_individual_is_refused(
    chat: Chat, gateway: MemoryGateway
) -> None:
    await chat.command("start")
    await chat.tap("est")
    await chat.tap("g:work")
    assert "s:transfer_of_services" in chat.choice_ids
    await chat.tap("back")
    await chat.tap("back")
    await chat.tap("ind")
    await chat.tap("s:transfer_of_services")  # the old list's button
    assert NOT_THIS_STEP in chat.said
    assert any(c.startswith("g:") for c in chat.choice_ids)  # the groups again
    await chat.tap("g:residency")
    assert "s:iqama_renew" in chat.choice_ids


@pytest.mark.parametrize("forged", ["s:no_such_service", "s:", "q:yes", "e:id", "confirm", "r:1"])
async def test_values_no_step_offered_are_refused_politely(chat: Chat, forged: str) -> None:
    await chat.command("start")
    await chat.tap("ind")
    await chat.tap(forged)
    assert NOT_THIS_STEP in chat.said and SORRY not in chat.said
    assert any(c.startswith("g:") for c in chat.choice_ids)


async def test_a_forged_step_cannot_skip_to_the_summary(chat: Chat, gateway: MemoryGateway) -> None:
    await _to_identity(chat)
    for forged in ("e:phone", "confirm", "done", "skip", "send"):
        await chat.tap(forged)
        assert NOT_THIS_STEP in chat.said
    assert gateway.submissions == []
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact  # the identity number was still what was asked


@pytest.mark.parametrize("forged", ["ans:", "ans:123", "ans:abc", "ans:5038329652"])
async def test_a_malformed_request_number_in_an_answer_button(chat: Chat, forged: str) -> None:
    await _to_identity(chat)
    await chat.tap(forged)
    assert "لا ينتظر" in chat.said and SORRY not in chat.said
    await chat.text(RESIDENT)
    assert chat.last[-1].ask_contact  # the draft is where it was


async def test_a_request_number_not_in_the_persons_list_is_refused_as_a_button(
    chat: Chat, gateway: MemoryGateway
) -> None:
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    # two requests of their own, so the look-up lists them (one alone is shown at once)
    gateway.views[SECOND] = (_view(SECOND, "received"), ("test", "u1"), RESIDENT)
    await chat.command("status")
    assert f"r:{MINE}" in chat.choice_ids
    await chat.tap("r:6418407042")  # not a row of the list shown
    assert NOT_THIS_STEP in chat.said
    assert f"r:{MINE}" in chat.choice_ids  # the list again
    await chat.tap(f"r:{MINE}")
    assert "قيد الدراسة" in chat.said
