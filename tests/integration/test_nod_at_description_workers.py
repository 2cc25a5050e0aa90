"""«ok» then the real text at the description step, taken by two workers over one Redis
(the words kept so far live in the dialogue state): fresh-clone tester 15 (§11), where
the summary and the officer's card read «الوصف: ok / الوالده تبي تمدد…»."""

from __future__ import annotations

import datetime as dt
import itertools

from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.events import Choice, Contact, Event, Origin, Reply, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
TEXT = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"


async def test_a_nod_is_not_the_descriptions_first_line_over_two_workers(
    redis_client: Redis,
) -> None:
    workers = [
        Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway(), clock=lambda: NOW)
        for _ in range(2)
    ]  # fmt: skip
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("telegram", "t15nod", str(next(ids)))

    async def send(event: Event, worker: int) -> list[Reply]:
        return await workers[worker].handle(event)

    for i, event in enumerate(
        (Text(o(), "/start"), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
         Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"), Text(o(), "2000000006"),
         Contact(o(), "+966501234567", True))
    ):  # fmt: skip
        said = await send(event, i % 2)
    assert "يُرجى وصف طلبك" in said[-1].text, said[-1].text
    said = await send(Text(o(), "ok"), 0)
    assert "احتفظتُ بما كتبته" not in said[-1].text, said[-1].text
    await send(Text(o(), TEXT), 1)
    state = await workers[0].store.load("telegram", "t15nod")
    assert state.answers["description"] == TEXT, state.answers
