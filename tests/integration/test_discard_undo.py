"""Issue 10 item 7 on the real Redis store: a deleted draft is kept in the person's
dialogue state, so «تراجع» on another worker brings it back whole; «Delete it?» is still
the question when the person comes back in another process (the terminal chat reopened),
and a draft holding only numbers and words kept early asks before it is deleted."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from redis.asyncio import Redis

from bot.redis_store.dialogue import RedisDialogueStore
from conversations.engine import Engine
from conversations.events import (
    Choice,
    Command,
    Contact,
    Event,
    Media,
    Origin,
    Reply,
    Text,
    Unsupported,
)
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from tests.unit.conversations.fakes import MemoryGateway

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("undo", ["تراجع", "لا لا رجعه", "رجعه لي", "لا تحذفه"])
async def test_undo_on_another_worker_brings_the_draft_back(redis_client: Redis, undo: str) -> None:
    """«لا لا رجعه», «رجعه لي», «لا تحذفه» as «تراجع» (fresh-clone tester 15 §9: «لا لا
    رجعه» right after «حُذف الطلب…» met the first menu, no word about the draft)."""
    gateway = MemoryGateway()
    workers = [
        Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), gateway, clock=lambda: NOW)
        for _ in range(2)
    ]  # fmt: skip
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("telegram", "77", str(next(ids)))

    async def send(event: Event, worker: int = 0) -> list[Reply]:
        return await workers[worker].handle(event)

    for event in (
        Text(o(), "/start"), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
        Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"), Text(o(), "2000000006"),
        Contact(o(), "+966501234567", True),
        Text(o(), "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"),
        Media(o(), "photo", "p1", "image/jpeg", 1000, None, "ab" * 32), Choice(o(), "done"),
    ):  # fmt: skip
        said = await send(event)
    assert "يُرجى مراجعة طلبك" in said[-1].text
    said = await send(Text(o(), "الغاء"))
    assert "هل يُحذف" in said[-1].text
    said = await send(Text(o(), "نعم"))
    assert "حُذف الطلب" in said[0].text
    said = await send(Text(o(), undo), worker=1)
    assert "استرجعنا طلبك" in said[0].text and "2000000006" in said[-1].text
    await send(Choice(o(), "confirm"), worker=0)
    assert [s.identity_number for s in gateway.submissions] == ["2000000006"]


def _engines(redis_client: Redis, count: int) -> list[Engine]:
    store = RedisDialogueStore
    return [
        Engine(store(redis_client), INTAKE, load_catalogue(), MemoryGateway(), clock=lambda: NOW)
        for _ in range(count)
    ]


async def test_delete_it_is_still_asked_after_coming_back(redis_client: Redis) -> None:
    first, again = _engines(redis_client, 2)  # the chat before Ctrl-D, and after
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("console", "back-later", str(next(ids)))

    for event in (
        Command(o(), "start", ""), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
        Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"), Text(o(), "2000000006"),
        Contact(o(), "+966501234567", True),
        Text(o(), "النظام يرفض تجديد الاقامة ولا ادري السبب"),
        Media(o(), "photo", "p1", "image/jpeg", 1000, None, "ab" * 32),
    ):  # fmt: skip
        await first.handle(event)
    said = await first.handle(Command(o(), "start", ""))
    assert "هل يُحذف" in said[-1].text
    said = await again.handle(Command(o(), "resume", ""))
    assert "أهلًا بعودتك" in said[-1].text and "هل يُحذف" in said[-1].text
    said = await again.handle(Text(o(), "لا"))
    text = "\n".join(r.text for r in said)
    assert "يُرجى مراجعة طلبك" not in text and "done" in [c.id for c in said[-1].choices]


async def test_kept_numbers_ask_before_deleting_and_undo_on_another_worker(
    redis_client: Redis,
) -> None:
    workers = _engines(redis_client, 2)
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("telegram", "78", str(next(ids)))

    for event in (
        Command(o(), "start", ""), Choice(o(), "ind"), Text(o(), "ابي جواز جديد"),
        Choice(o(), "s:passport_issue"), Text(o(), "1000000008"),
        Text(o(), "ابي جواز لولدي عمره ٥ سنوات"),
    ):  # fmt: skip
        said = await workers[0].handle(event)
    said = await workers[1].handle(Text(o(), "إلغاء"))
    assert "هل يُحذف" in said[-1].text
    said = await workers[0].handle(Text(o(), "نعم"))
    assert "حُذف الطلب" in said[0].text
    said = await workers[1].handle(Text(o(), "تراجع"))
    assert "استرجعنا طلبك" in said[0].text and "لمن هذا الطلب؟" in said[-1].text


async def test_start_on_choices_alone_asks_and_undo_on_another_worker(
    redis_client: Redis,
) -> None:
    """Tester 12, §5: `/start` on a draft with a service, «لمن» and a shared location
    dropped them without asking and with no «تراجع»; the question and the undo now hold
    across workers (the draft lives in the dialogue state in Redis)."""
    workers = _engines(redis_client, 2)
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("telegram", "79", str(next(ids)))

    for event in (
        Command(o(), "start", ""), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامة زوجتي"),
        Unsupported(o(), "location", (24.71, 46.68)), Choice(o(), "s:iqama_renew"),
    ):  # fmt: skip
        said = await workers[0].handle(event)
    assert "أين صاحب الإقامة الآن؟" in said[-1].text
    said = await workers[1].handle(Command(o(), "start", ""))
    assert "لديك طلب لم يكتمل (تجديد هوية مقيم" in said[-1].text
    assert "هل يُحذف ويُبدأ من جديد؟" in said[-1].text
    said = await workers[0].handle(Text(o(), "نعم"))
    assert "حُذف الطلب" in said[0].text
    said = await workers[1].handle(Text(o(), "تراجع"))
    assert "استرجعنا طلبك" in said[0].text and "أين صاحب الإقامة الآن؟" in said[-1].text


async def test_english_at_delete_it_on_another_worker_asks_it_again(redis_client: Redis) -> None:
    # tester 14 (§8): «English» at «هل يُحذف؟» switched the language and showed the step
    # under it; the question is asked again in English, and answered on the first worker
    gateway = MemoryGateway()
    workers = [
        Engine(RedisDialogueStore(redis_client), INTAKE, load_catalogue(), gateway, clock=lambda: NOW)
        for _ in range(2)
    ]  # fmt: skip
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("telegram", "88", str(next(ids)))

    for event in (
        Text(o(), "/start"), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
        Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"), Text(o(), "2000000006"),
    ):  # fmt: skip
        await workers[0].handle(event)
    said = await workers[0].handle(Text(o(), "إلغاء"))
    assert "هل يُحذف" in said[-1].text
    said = await workers[1].handle(Text(o(), "English"))
    assert said[0].text == "I'll continue in English." and "Delete it?" in said[-1].text
    assert [c.id for c in said[-1].choices] == ["discard", "keep"]
    said = await workers[0].handle(Text(o(), "Yes, delete it"))
    assert "Deleted" in said[0].text and "undo" in [c.id for c in said[-1].choices]


async def test_an_empty_message_at_delete_it_on_another_worker_asks_it_again(
    redis_client: Redis,
) -> None:
    # tester 14 (§9): an empty message got the last answer again, complaint and all; it
    # gets the question waiting, which still waits for the answer given on another worker
    workers = _engines(redis_client, 2)
    ids = itertools.count(1)

    def o() -> Origin:
        return Origin("console", "empty-line", str(next(ids)))

    for event in (
        Command(o(), "start"), Choice(o(), "ind"), Text(o(), "ابي اجدد اقامتي"),
        Choice(o(), "s:iqama_renew"), Choice(o(), "q:inside"), Text(o(), "2000000006"),
        Text(o(), "hello world"),
    ):  # fmt: skip
        said = await workers[0].handle(event)
    assert "ما كتبته ليس رقم جوال" in "\n".join(r.text for r in said)
    said = await workers[1].handle(Text(o(), ""))
    assert len(said) == 1 and "رقم جوالك" in said[0].text and "ما كتبته" not in said[0].text
    await workers[0].handle(Text(o(), "إلغاء"))
    said = await workers[1].handle(Text(o(), "\u200f "))
    assert "هل يُحذف" in said[0].text and [c.id for c in said[0].choices] == ["discard", "keep"]
    said = await workers[0].handle(Text(o(), "نعم"))
    assert "حُذف الطلب" in said[0].text
