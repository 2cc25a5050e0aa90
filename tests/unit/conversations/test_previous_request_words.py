"""«طلبي السابق» asks about a request sent before: its status, not «رجوع» (helper 235: at
the first menu it got «هذه هي الخطوة الأولى», its «السابق» read as «previous step»). So
does «ليش ما تردون علي من اسبوع» (helper 235: only the processing-time FAQ was offered)."""

from __future__ import annotations

import pytest

from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue

from .fakes import Chat, MemoryGateway, MemoryLimiter, MemoryStore
from .test_status import MINE, plain
from .test_ways_out import _chat

NUMBER_PROMPT = "يُرجى كتابة رقم الطلب"


@pytest.mark.parametrize(
    "typed",
    ["طلبي السابق", "الطلب القديم", "my previous request", "انتم ليش ما تردون علي من اسبوع"],
)
async def test_my_previous_request_asks_its_number(typed: str) -> None:
    engine = Engine(
        MemoryStore(), INTAKE, load_catalogue(), MemoryGateway(), limiter=MemoryLimiter()
    )
    chat = Chat(engine.handle)  # no request filed from this chat
    await chat.command("start")
    await chat.text(typed)
    assert "الخطوة الأولى" not in chat.said, chat.said
    assert NUMBER_PROMPT in chat.said or "request number" in chat.said, chat.said


@pytest.mark.parametrize("typed", ["طلبي السابق", "ليش ما رديتوا علي"])
async def test_with_one_request_sent_it_is_its_status(typed: str) -> None:
    chat = _chat()  # one request of this chat's, under review
    await chat.command("start")
    await chat.text(typed)
    assert MINE in plain(chat.said) and "قيد الدراسة" in plain(chat.said), chat.said


async def test_a_description_telling_of_a_previous_request_stays_one() -> None:
    chat = _chat()
    await chat.command("start")
    await chat.tap("ind")
    await chat.text("ابي اجدد اقامتي")
    await chat.tap("s:iqama_renew")
    await chat.tap("q:inside")
    await chat.text("2000000006")
    await chat.contact("+966501234567")
    await chat.text("الطلب السابق انرفض وابي اقدم من جديد")
    assert "done" in chat.choice_ids and NUMBER_PROMPT not in chat.said, chat.said
