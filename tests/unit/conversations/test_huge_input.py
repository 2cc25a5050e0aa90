"""Issue 15.9: a text of ten thousand digits (or any digits, spaced, with a plus sign) gets
a polite answer at every step, never «حدث خطأ», and the step is kept. It used to reach
``int()`` through the menu-number reading, which refuses strings over 4300 digits."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Awaitable, Callable

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_intake import PHONE, RESIDENT, _to_identity

SORRY = "حدث خطأ"
START = dt.datetime(2026, 12, 6, 5, 0, tzinfo=dt.UTC)
HUGE = ["1" * 10_000, "١" * 10_000, "9" * 5_000 + " " + "9" * 5_000, "+" + "5" * 10_000]


async def _start(chat: Chat) -> None:
    await chat.command("start")


async def _group(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ind")


async def _establishment(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("est")
    await chat.tap("g:work")
    await chat.tap("s:transfer_of_services")


async def _phone(chat: Chat) -> None:
    await _to_identity(chat)
    await chat.text(RESIDENT)


async def _description(chat: Chat) -> None:
    await _phone(chat)
    await chat.contact(PHONE)


async def _attachments(chat: Chat) -> None:
    await _description(chat)
    await chat.text("انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام")


async def _summary(chat: Chat) -> None:
    await _attachments(chat)
    await chat.media()
    await chat.tap("done")


async def _status_number(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("status")


async def _status_identity(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("حالة الطلب 5000000009")


async def _answer(chat: Chat) -> None:
    await chat.command("start")
    await chat.tap("ans:5038329651")


STEPS: dict[str, Callable[[Chat], Awaitable[None]]] = {
    "applicant": _start,
    "group": _group,
    "establishment": _establishment,
    "identity": _to_identity,
    "phone": _phone,
    "description": _description,
    "attachments": _attachments,
    "summary": _summary,
    "status number": _status_number,
    "status identity": _status_identity,
    "answer to an officer": _answer,
}


@pytest.mark.parametrize("step", STEPS)
async def test_ten_thousand_digits_get_a_polite_answer_at_every_step(step: str) -> None:
    gateway = MemoryGateway()
    gateway.questions[("5038329651", "test", "u1")] = "أرفق صورة الجواز"
    # each message a minute after the last: separate attempts, not the parts of one paste
    # (those are answered once at the description and documents steps, test_describe.py)
    minutes = itertools.count()
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), gateway, limiter=MemoryLimiter(),
        clock=lambda: START + dt.timedelta(minutes=next(minutes)),
    )  # fmt: skip
    chat = Chat(engine.handle)
    await STEPS[step](chat)
    before = chat.last[-1]
    for huge in HUGE:
        await chat.text(huge)
        assert chat.said and SORRY not in chat.said, (step, huge[:3])
        # the step's own buttons are offered again: nothing was lost
        assert set(before.choices) <= set(chat.last[-1].choices) or step == "answer to an officer"
