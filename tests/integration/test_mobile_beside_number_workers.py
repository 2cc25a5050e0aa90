"""A mobile typed beside the identity number at its step is kept for the phone step, the
two messages taken by two workers over one Redis (the kept number lives in the dialogue
state): fresh-clone tester 15 (§7, terminal), where «اقامة العامل ٢٠٠٠٠٠٠٠٠٦ وجوالي
٠٥٥٥١٢٣٤٥٦» was followed at once by «يُرجى كتابة رقم جوالك…»."""

from __future__ import annotations

import datetime as dt
import itertools

from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.events import Choice, Event, Origin, Reply, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


async def test_the_mobile_beside_the_number_is_kept_over_two_workers(redis_client: Redis) -> None:
    workers = [
        Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), MemoryGateway(), clock=lambda: NOW)
        for _ in range(2)
    ]  # fmt: skip
    ids = itertools.count(1)

    def o() -> Origin:  # the terminal: a typed mobile is the person's own
        return Origin("console", "t15", str(next(ids)), phone_typed=True)

    async def send(event: Event, worker: int) -> list[Reply]:
        return await workers[worker].handle(event)

    for i, event in enumerate(
        (Text(o(), "/start"), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
         Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"))
    ):  # fmt: skip
        said = await send(event, i % 2)
    assert "رقم إقامة" in said[-1].text, said[-1].text
    said = await send(Text(o(), "اقامتي ٢٠٠٠٠٠٠٠٠٦ وجوالي ٠٥٥٥١٢٣٤٥٦"), 1)
    text = "\n".join(r.text for r in said)
    assert "احتفظتُ برقم جوالك" in text and "يُرجى كتابة رقم جوالك" not in said[-1].text, text
    said = await send(Text(o(), "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"), 0)
    state = await workers[1].store.load("console", "t15")
    assert state.answers["identity"] == "2000000006"
    assert "555123456" in str(state.answers.get("phone")), state.answers
