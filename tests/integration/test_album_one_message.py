"""An album counts as one message against the per-minute limit, on both channels, and a
file the limit refuses is said, to the person, every time. Found by tester 13 (§3): the
limit (20 a minute) counted every photo of an album, so a person who wrote a few lines and
then sent their documents as albums was cut off: on WhatsApp 4 of 12 photos were dropped
without a word and «تم» then got silence; on Telegram a whole album of 10 was dropped.

Two workers on one real Redis (the limit's windows and the album's count live there, never
in a worker's memory) and SQLite, each wired as ``tawasul run`` wires it (the inbound guard,
album counting), with the Graph API / Bot API stand-ins for what the person reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_services
from bot.web import WHATSAPP_KEY, build_web_app
from standins.graph_api import GraphAPIStandin
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import UpdateFactory
from standins.whatsapp_payloads import PayloadFactory
from tests.integration.test_album_refused import ScreenedRig
from tests.integration.test_telegram_album_count import DESCRIPTION as TG_DESCRIPTION
from tests.integration.test_telegram_album_count import SARA, Rig
from tests.integration.test_telegram_webhook import settings_for as tg_settings
from tests.integration.test_whatsapp_album_count import Client, Workers
from tests.integration.test_whatsapp_webhook import DESCRIPTION, MONA, settings_for
from tests.integration.webhook_steps import say, to_documents

#: WhatsApp: the seven messages to the documents step, then the album, are well under it
PER_MINUTE = 10


@pytest.fixture
async def w(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Workers]:
    settings = None
    async with GraphAPIStandin() as graph:
        settings = settings_for(tmp_path, redis_url, graph).model_copy(
            update={"messages_per_minute": PER_MINUTE}
        )
        async with build_services(settings) as services, AsyncExitStack() as stack:
            apps, clients = [], []
            for _ in range(2):
                app = build_web_app(services)
                server = await stack.enter_async_context(TestServer(app, host="127.0.0.1"))
                clients.append(await stack.enter_async_context(Client(server)))
                apps.append(app)
            for app in apps:
                app[WHATSAPP_KEY].channel.bursts.quiet_s = 0.8
            workers = Workers(graph, services, apps, clients, PayloadFactory(graph.phone_id))
            p = workers.payloads
            await workers.say(p.text(MONA, "مرحبا"))
            await workers.say(p.button_reply(MONA, "ind", "فرد"))
            await workers.say(p.text(MONA, "ابي اجدد اقامتي"))
            await workers.say(p.list_reply(MONA, "s:iqama_renew", "1. تجديد هوية مقيم"))
            await workers.say(p.button_reply(MONA, "q:inside", "داخل المملكة"))
            await workers.say(p.text(MONA, "2000000006"))
            await workers.say(p.text(MONA, DESCRIPTION), worker=1)
            yield workers


async def _burst(w: Workers, first: int, count: int) -> None:
    """``count`` photos a moment apart, the balancer alternating between the workers."""
    for n in range(count):
        await w.post(n % 2, w.photo(first + n))
        await asyncio.sleep(0.05)
    await w.settle()


async def test_a_whatsapp_album_counts_as_one_message(w: Workers) -> None:
    before = len(w.texts())
    await _burst(w, 0, 6)
    said = w.said_since(before)
    assert not any("أسرع" in s for s in said), said
    assert said == ["وصلتني ٦ صور. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."], said
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=1)
    assert "المرفقات: ٦ ملفات" in w.texts()[-1]


async def test_a_whatsapp_album_past_the_limit_is_said_dropped(w: Workers) -> None:
    p = w.payloads
    for n in range(3):
        await w.say(p.text(MONA, f"ملاحظة {n + 1}"), worker=n % 2)
    before = len(w.texts())
    # the limit is reached: the whole album is refused, and said so to the person
    await _burst(w, 10, 3)
    said = w.texts()[before:]
    assert len(said) == 1, said
    assert "أسرع" in said[0] and "لم أستلم الصور" in said[0], said
    # a second album in the same stretch is said too, not dropped in silence
    before = len(w.texts())
    await _burst(w, 20, 2)
    said = w.texts()[before:]
    assert len(said) == 1 and "لم أستلم الصور" in said[0], said


@pytest.fixture
async def rig(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Rig]:
    async with TelegramBotAPIStandin() as api:
        settings = tg_settings(tmp_path, redis_url, api).model_copy(
            update={"messages_per_minute": PER_MINUTE}
        )
        async with build_services(settings) as services, AsyncExitStack() as stack:
            yield ScreenedRig(api, services, UpdateFactory(), stack)


async def test_a_telegram_album_counts_as_one_message(rig: Rig) -> None:
    a, b = await rig.worker(), await rig.worker()
    for raw in to_documents(rig.updates, SARA, TG_DESCRIPTION):
        await say(a, raw)
    await say(b, rig.updates.text(SARA, "هذي صور الجواز"))
    before = len(rig.texts())
    group = "13719276493866667"
    raws = [rig.photo(60 + n, group) for n in range(5)]
    for n, raw in enumerate(raws):
        assert (await (a, b)[n % 2].post(raw)).status == 200
    for worker in (a, b):
        await worker.settle()
    said = rig.texts()[before:]
    assert not any("أسرع" in s for s in said), said
    assert said and said[-1].startswith("وصلتني ٥ صور."), said
    state = await rig.services.engine.store.load("telegram", str(SARA.id))
    assert len(state.answers["attachments"]) == 5


_unused = (web, TestClient)
