"""Photos chosen together on WhatsApp are acknowledged once, with their count, however the
load balancer spreads their webhook calls over two workers.

Found by the fresh-clone tester: one photo was answered «وصلتني ملفاتك» (every WhatsApp file
is put in an album), and several without saying how many. Two web apps on one real Redis
and one SQLite database, as two `tawasul run` workers: the album and its count live in
Redis (bot.channels.whatsapp_bursts), never in a worker's memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import Services, build_services
from bot.web import QUEUE_KEY, WHATSAPP_KEY, build_web_app
from standins.graph_api import GraphAPIStandin
from standins.whatsapp_payloads import PayloadFactory, encode, sign
from tests.integration.test_whatsapp_webhook import (
    APP_SECRET,
    DESCRIPTION,
    MONA,
    PDF,
    PNG,
    settings_for,
)

Client = TestClient[web.Request, None]


@dataclass
class Workers:
    graph: GraphAPIStandin
    services: Services
    apps: list[web.Application]
    clients: list[Client]
    payloads: PayloadFactory

    async def post(self, worker: int, payload: dict[str, Any]) -> None:
        """Posts to one worker; its handling goes on after the 200, as behind a balancer."""
        body = encode(payload)
        headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
        response = await self.clients[worker].post("/whatsapp/webhook", data=body, headers=headers)
        assert response.status == 200

    async def settle(self) -> None:
        async with asyncio.timeout(30):
            for app in self.apps:
                await app[QUEUE_KEY].join()

    async def say(self, payload: dict[str, Any], worker: int = 0) -> None:
        await self.post(worker, payload)
        await self.settle()

    def texts(self) -> list[str]:
        return self.graph.texts(MONA.wa_id or "")

    def said_since(self, before: int) -> list[str]:
        """The first line of each message since ``before`` (the navigation words after
        an acknowledgement left out)."""
        return [text.split("\n")[0] for text in self.texts()[before:]]

    def photo(self, n: int) -> dict[str, Any]:
        stored = self.graph.add_media(PNG + bytes([n]), "image/png")
        return self.payloads.image(MONA, stored.id, stored.sha256_b64, mime="image/png")


@asynccontextmanager
async def _workers(
    tmp_path: Path, redis_url: str, db_url: str | None, *, described: bool = True
) -> AsyncIterator[Workers]:
    """Two workers at MONA's documents step, or at the description step when not
    ``described`` (SQLite in the data directory when ``db_url`` is None)."""
    async with (
        GraphAPIStandin() as graph,
        build_services(settings_for(tmp_path, redis_url, graph, database_url=db_url)) as services,
        AsyncExitStack() as stack,
    ):
        apps, clients = [], []
        for _ in range(2):
            app = build_web_app(services)
            server = await stack.enter_async_context(TestServer(app, host="127.0.0.1"))
            clients.append(await stack.enter_async_context(Client(server)))
            apps.append(app)
        for app in apps:
            # a shorter wait for the album's last file than in service, for the test's time
            app[WHATSAPP_KEY].channel.bursts.quiet_s = 0.8
        workers = Workers(graph, services, apps, clients, PayloadFactory(graph.phone_id))
        p = workers.payloads
        await workers.say(p.text(MONA, "مرحبا"))
        await workers.say(p.button_reply(MONA, "ind", "فرد"))
        await workers.say(p.text(MONA, "ابي اجدد اقامتي"))
        await workers.say(p.list_reply(MONA, "s:iqama_renew", "1. تجديد هوية مقيم"))
        await workers.say(p.button_reply(MONA, "q:inside", "داخل المملكة"))
        await workers.say(p.text(MONA, "2000000006"))
        if described:
            await workers.say(p.text(MONA, DESCRIPTION), worker=1)
        yield workers


@pytest.fixture
async def w(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Workers]:
    async with _workers(tmp_path, redis_url, None) as workers:
        yield workers


@pytest.fixture
async def w_describe(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Workers]:
    """Two workers at MONA's description step."""
    async with _workers(tmp_path, redis_url, None, described=False) as workers:
        yield workers


@pytest.fixture
async def w_db(
    tmp_path: Path, redis_url: str, redis_client: Redis, db_url: str
) -> AsyncIterator[Workers]:
    """:func:`w` on SQLite and on PostgreSQL."""
    async with _workers(tmp_path, redis_url, db_url) as workers:
        yield workers


async def test_three_photos_on_two_workers_are_counted_once(w: Workers) -> None:
    before = len(w.texts())
    # three webhook calls a moment apart, the balancer alternating between the workers
    for n, worker in enumerate((0, 1, 0)):
        await w.post(worker, w.photo(n))
        await asyncio.sleep(0.1)
    await w.settle()
    acks = w.said_since(before)
    assert acks == ["وصلتني ٣ صور. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."], acks
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=1)
    assert "المرفقات: ٣ ملفات" in w.texts()[-1]


async def test_one_photo_is_the_photo_and_a_later_one_is_its_own(w: Workers) -> None:
    before = len(w.texts())
    await w.say(w.photo(1))
    assert w.said_since(before) == [
        "وصلتني الصورة. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ]
    # sent a minute later (WhatsApp's timestamps): another album, answered on its own
    later = w.graph.add_media(PNG + b"later", "image/png")
    payload = w.payloads.image(
        MONA, later.id, later.sha256_b64, mime="image/png", ts=int(time.time()) + 60
    )
    await w.say(payload, worker=1)
    assert w.said_since(before + 1) == [
        "وصلتني الصورة. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ]


async def test_a_photo_and_a_file_together_are_two_files(w: Workers) -> None:
    before = len(w.texts())
    doc = w.graph.add_media(PDF, "application/pdf")
    p = w.payloads
    # a redelivery of the photo's webhook call is not counted twice
    photo = w.photo(7)
    await w.post(0, photo)
    await w.post(1, p.document(MONA, doc.id, doc.sha256_b64, filename="passport.pdf"))
    await w.post(1, photo)
    await w.settle()
    assert w.said_since(before) == [
        "وصلني ملفان. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ]


async def test_a_photo_sent_again_within_an_album_is_one_answer_of_what_was_kept(
    w_db: Workers,
) -> None:
    """Tester 10b: a repeated photo inside a two-photo album got «أرسلت هذا الملف من قبل…»
    and then «وصلتني صورتان», though one photo only was new. The album's two webhook calls
    go to the two workers; the answer comes once, after both, and says what was kept."""
    w = w_db
    await w.say(w.photo(1))
    before = len(w.texts())
    # the same photo again (new message, new media id, the same bytes) and a new one
    await w.post(0, w.photo(1))
    await w.post(1, w.photo(2))
    await w.settle()
    said = w.said_since(before)
    assert said == [
        "وصلتني صورة جديدة. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
        " يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ], said
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=1)
    assert "المرفقات: ملفان" in w.texts()[-1]


async def test_one_photo_twice_in_an_album_over_two_workers_was_not_sent_before(
    w_db: Workers,
) -> None:
    """Review 11, §7: the same photo chosen twice in one album was told «ووصلني ملف أرسلته من
    قبل»; it came twice in this album, on two workers, and is a photo."""
    w = w_db
    before = len(w.texts())
    await w.post(0, w.photo(5))
    await w.post(1, w.photo(5))
    await w.settle()
    said = w.said_since(before)
    assert said == [
        "وصلتني الصورة نفسها مرتين، فاحتفظتُ بها مرة واحدة. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ], said
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=1)
    assert "المرفقات: ملف واحد" in w.texts()[-1]


async def test_a_repeat_and_a_new_photo_at_the_description_over_two_workers(
    w_describe: Workers,
) -> None:
    """Session 11 (helpers' own not done): at the description step, an album of a photo
    sent before and a new one got «أرسلت هذا الملف من قبل…» at the repeat's turn and nothing
    at the new photo's. The album's two calls go to the two workers; one answer says both,
    then asks for the description."""
    w = w_describe
    await w.say(w.photo(1))
    before = len(w.texts())
    await w.post(0, w.photo(1))
    await w.post(1, w.photo(2))
    await w.settle()
    said = w.texts()[before:]
    assert len(said) == 1, said
    assert said[0].startswith(
        "احتفظتُ بصورة جديدة لطلبك. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
    ), said
    assert "يُرجى وصف طلبك بالكلمات" in said[0], said
    await w.say(w.payloads.text(MONA, DESCRIPTION), worker=1)
    assert "أرسلت ملفين لهذا الطلب من قبل" in w.texts()[-1], w.texts()[-1]
