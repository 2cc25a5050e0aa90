"""A need typed where a request number is asked for is understood and offered, and
nothing the person gave is lost (found by the fresh-clone tester: the number prompt had
no way out but «cancel»)."""

from __future__ import annotations

import datetime as dt

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity
from .test_status import FILED, MINE, _view, plain

SECOND = "5000000009"


def _chat(*, two: bool = False) -> Chat:
    """A person with one request of their own (its status is shown at once), or with
    ``two`` (the look-up lists them to choose from)."""
    gateway = MemoryGateway()
    gateway.views[MINE] = (_view(MINE, "under_review"), ("test", "u1"), RESIDENT)
    if two:
        gateway.views[SECOND] = (_view(SECOND, "received"), ("test", "u1"), RESIDENT)
    engine = Engine(
        MemoryStore(),
        INTAKE,
        load_catalogue(),
        gateway,
        clock=lambda: FILED + dt.timedelta(days=1),
        limiter=MemoryLimiter(),
    )
    return Chat(engine.handle)


async def _at_the_number_prompt() -> Chat:
    """A person with one request, at «another request»'s number prompt."""
    chat = _chat()
    await chat.command("start")
    await chat.tap("status")  # their only request's status
    await chat.tap("another")
    return chat


async def test_a_need_at_the_number_prompt_is_offered_and_taken_with_its_words() -> None:
    chat = await _at_the_number_prompt()
    await chat.text("أبغى أجدد الجواز")
    assert "تجديد جواز السفر" in plain(chat.said) and "رقم الطلب" in plain(chat.said)
    assert chat.choice_ids[0] == "need"
    assert "cancel" in chat.choice_ids  # still at the prompt, if they meant a number
    await chat.tap("need")
    # the words they typed chose the service list: nothing to type again
    assert chat.choice_ids[0] == "s:passport_renew"
    await chat.tap("s:passport_renew")
    assert "s:" not in " ".join(chat.choice_ids)


async def test_a_need_at_the_list_is_offered_and_a_request_number_still_works() -> None:
    chat = _chat(two=True)
    await chat.command("start")
    await chat.text("وين طلبي")
    assert chat.choice_ids[0] == f"r:{MINE}"
    await chat.text("ابي اجدد اقامتي")
    assert "تجديد هوية مقيم" in plain(chat.said)
    assert chat.choice_ids[:2] == ["need", f"r:{MINE}"]
    await chat.text(MINE)  # they did mean to look one up after all
    assert "قيد الدراسة" in plain(chat.said)


async def test_a_need_with_a_filled_draft_put_aside_offers_the_draft_back() -> None:
    chat = _chat()
    await _to_identity(chat)
    await chat.text(RESIDENT)
    await chat.contact(PHONE)  # a draft with an identity number and a phone
    await chat.tap("status")  # their only request's status
    await chat.tap("another")
    await chat.text("أبغى أجدد الجواز")
    assert chat.choice_ids[0] == "resume"
    await chat.tap("resume")
    assert "يُرجى وصف طلبك" in plain(chat.said)  # the description step, numbers kept
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")
    await chat.media()
    await chat.tap("done")
    assert RESIDENT in plain(chat.said)  # the summary shows the identity number given


async def test_a_question_or_a_mistyped_number_at_the_prompt_is_not_taken_for_a_need() -> None:
    chat = await _at_the_number_prompt()
    await chat.text("رقم طلبي 50383")
    assert "need" not in chat.choice_ids and "10" in plain(chat.said)
