"""Issue 13 on the real Redis store, with two workers: questions asked in the middle of a
request (typed, from «أسئلة شائعة», in Arabizi) are answered, and the half-filled request
continues on either worker with nothing lost."""

from __future__ import annotations

import datetime as dt
import itertools

from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.events import Choice, Contact, Event, Media, Origin, Reply, Text
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway

NOW = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)  # a Friday night in Riyadh


async def test_questions_mid_request_on_two_workers_lose_nothing(redis_client: Redis) -> None:
    gateway = MemoryGateway()
    workers = [
        Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), gateway, clock=lambda: NOW)
        for _ in range(2)
    ]  # fmt: skip
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("whatsapp", "9665", str(next(ids)))

    async def send(event: Event, worker: int) -> list[Reply]:
        return await workers[worker].handle(event)

    for event in (
        Text(o(), "مرحبا"), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
        Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"), Text(o(), "2000000006"),
    ):  # fmt: skip
        said = await send(event, 0)
    assert said[-1].ask_contact  # the phone step, the identity number given

    # a typed question, on the other worker: the answer, then the phone step again
    said = await send(Text(o(), "كم غرامة تأخير تجديد الاقامة؟"), 1)
    assert "٥٠٠ ريال" in said[0].text and said[-1].ask_contact
    assert "نعود إلى الطلب" in said[-1].text
    # the frequently asked questions, then one of them, on alternating workers
    said = await send(Text(o(), "أسئلة شائعة"), 0)
    assert [c.id for c in said[-1].choices][:2] == ["kb:iqama_conditions", "kb:late_penalty"]
    said = await send(Choice(o(), "kb:follow_request"), 1)
    assert "رقم الطلب" in said[0].text and said[-1].ask_contact
    # Arabizi
    said = await send(Text(o(), "kam yom ya5od el talab?"), 0)
    assert "٧ أيام عمل" in said[0].text and said[-1].ask_contact

    for worker, event in enumerate((
        Contact(o(), "+966501234567", True),
        Text(o(), "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"),
        Media(o(), "photo", "p1", "image/jpeg", 1000, None, "ab" * 32),
        Choice(o(), "done"),
    )):  # fmt: skip
        said = await send(event, worker % 2)
    assert "2000000006" in said[-1].text  # the summary still has the identity number
    await send(Choice(o(), "confirm"), 1)
    (filed,) = gateway.submissions
    assert filed.service_id == "iqama_renew" and filed.identity_number == "2000000006"
    assert filed.phone == "+966501234567" and [a.ref for a in filed.attachments] == ["p1"]
