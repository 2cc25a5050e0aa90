"""Redis going away between the two photos of an album (issue 11, the load test's Redis
fault): Telegram sends each photo as its own update, the first is acknowledged, and the
person presses «تم» at once. The request must never be filed without the second photo.

Telegram by webhook into real worker apps (build_web_app, the production wiring: photos
downloaded inside the engine's turn), a real redis-server of the test's own with its
append-only file, stopped and started again as an outage would, SQLite, and the Bot API
stand-in for what the person sees and for the photos' bytes. A gate between a worker's
channel and the engine holds the second photo until Redis is stopped, so that its turn
meets the outage whatever the machine's speed."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image
from sqlalchemy import func, select

from bot.app import Services, build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_webhook import TelegramHook
from bot.db.models import Attachment, Request
from bot.web import build_web_app
from conversations.engine import Prepare
from conversations.events import Event, Media, Reply
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_telegram_webhook import SECRET, Worker, settings_for
from tests.integration.webhook_steps import WAIT_S, say, to_documents, until
from tests.servers import RedisServer

SARA = TgUser(5_100_000_031, "سارة")
ALBUM = "album-of-two"
#: What the second photo's turn logs when it meets the store away (old code and new).
UNREACHABLE = "dialogue store unreachable"


def photo_bytes(seed: int) -> bytes:
    """A real JPEG (the bot reads a file's type from its bytes), different per seed."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 256, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


@dataclass
class Outage:
    redis: RedisServer
    api: TelegramBotAPIStandin
    services: Services
    stack: AsyncExitStack
    updates: UpdateFactory
    #: set to let the held photo through to the engine
    gate: asyncio.Event
    #: the Telegram update ids of photos to hold at the gate
    held: set[str]

    async def worker(self) -> Worker:
        """One worker app, wired as `tawasul run` wires it (downloads inside the turn)."""
        engine = self.services.engine

        async def gated(event: Event, *, prepare: Prepare | None = None) -> list[Reply]:
            if isinstance(event, Media) and event.origin.event_id in self.held:
                await self.gate.wait()
            return await engine.handle(event, prepare=prepare)

        bot = make_bot(self.api.token, self.api.url)
        self.stack.push_async_callback(bot.session.close)
        dispatcher = build_dispatcher(gated, self.services.intake, fetching=gated)
        hook = TelegramHook(bot, dispatcher, SECRET, self.services.redis)
        app = build_web_app(self.services, telegram=hook)
        server = await self.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
        client = await self.stack.enter_async_context(TestClient[web.Request, None](server))
        return Worker(app, client)

    def photo(self, seed: int, album: str | None = ALBUM) -> dict[str, Any]:
        file_id, data = fake_file_id("photo"), photo_bytes(seed)
        self.api.add_file(file_id, data)
        return self.updates.photo(SARA, file_id, file_size=len(data), media_group_id=album)

    def texts(self) -> list[str]:
        return self.api.texts(SARA.id)

    async def filed(self) -> list[int]:
        """The number of attachments of each request filed (none filed: empty)."""
        async with self.services.sessions() as session:
            rows = await session.execute(
                select(func.count(Attachment.id))
                .select_from(Request)
                .outerjoin(Attachment, Attachment.request_id == Request.id)
                .group_by(Request.id)
            )
            return [int(n) for (n,) in rows]


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer.start(persistent=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def outage(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[Outage]:
    async with TelegramBotAPIStandin() as api:
        async with build_services(settings_for(tmp_path, redis_server.url, api)) as services:
            async with AsyncExitStack() as stack:
                yield Outage(
                    redis_server, api, services, stack, UpdateFactory(), asyncio.Event(), set()
                )


async def _deliver(w: Worker, raw: dict[str, Any]) -> None:
    """Delivers as Telegram does: again until the webhook answers 200 (a 503 while Redis
    is away), bounded."""
    async with asyncio.timeout(WAIT_S):
        while (await w.post(raw)).status != 200:  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def _to_documents(o: Outage, w: Worker) -> None:
    description = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"
    for raw in to_documents(o.updates, SARA, description):
        await say(w, raw)
    assert "«تم»" in o.texts()[-1]  # the documents step


async def _album_with_the_second_photo_in_the_outage(
    o: Outage, a: Worker, b: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    """The album's first photo is handled and acknowledged by worker ``a``; its second,
    accepted by worker ``b``, reaches the engine only once Redis is stopped."""
    first, second = o.photo(1), o.photo(2)
    o.held.add(str(second["update_id"]))
    await say(a, first)
    assert "وصلتني ملفاتك" in o.texts()[-1]  # «Received your files»
    assert (await b.post(second)).status == 200  # journalled, held at the gate
    o.redis.pause()
    caplog.clear()
    o.gate.set()
    await until(lambda: any(UNREACHABLE in r.getMessage() for r in caplog.records))


async def test_the_second_photo_waits_for_redis_and_done_files_both(
    outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    """Two workers; Redis back within the wait: nothing is lost, no apology is needed."""
    o = outage
    caplog.set_level(logging.WARNING)
    a, b = await o.worker(), await o.worker()
    await _to_documents(o, a)
    await _album_with_the_second_photo_in_the_outage(o, a, b, caplog)
    seen = len(o.texts())
    # the person presses «تم» on the acknowledgement at once; Redis is still away, so
    # Telegram is refused (503) and delivers it again
    done = o.updates.callback(SARA, "done")
    assert (await a.post(done)).status == 503
    o.redis.restart()
    await _deliver(a, done)
    await a.settle()
    await b.settle()
    summary = o.texts()[-1]
    assert "المرفقات: ملفان" in summary  # «Attachments: 2 files»
    assert not any("عذرًا" in t for t in o.texts()[seen:])
    await say(b, o.updates.callback(SARA, "confirm"))
    assert await o.filed() == [2]


async def test_a_photo_lost_past_the_wait_is_named_and_done_does_not_file_without_it(
    outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis away longer than a file's turn waits: the person is told that the photo did
    not reach us, and «تم» pressed before reading it does not file the request; they are
    asked for the photo, and once it is sent again the request is filed with both."""
    o = outage
    caplog.set_level(logging.WARNING)
    o.services.engine.store_wait_s = 0.2  # the outage outlasts it
    a = await o.worker()
    await _to_documents(o, a)
    await _album_with_the_second_photo_in_the_outage(o, a, a, caplog)
    await until(lambda: "لم تصلنا الصورة" in o.texts()[-1])
    assert "ليس ضمن طلبك" in o.texts()[-1]  # «it is not in your request»
    # «تم» pressed on the acknowledgement before the apology was read: delivered again
    # by Telegram until Redis is back
    done = o.updates.callback(SARA, "done")
    assert (await a.post(done)).status == 503
    o.redis.restart()
    await _deliver(a, done)
    await a.settle()
    told = o.texts()[-1]
    assert "لم تصلنا صورة أو ملف أرسلته" in told and "إرساله مرة أخرى" in told
    assert await o.filed() == []
    # pressing «تم» again does not file either; the summary is not even shown
    await say(a, o.updates.callback(SARA, "done"))
    assert "لم تصلنا صورة" in o.texts()[-1] and await o.filed() == []
    # the person sends the photo again: kept, and «تم» goes on to the summary
    await say(a, o.photo(2, album=None))
    assert "وصلتني الصورة" in o.texts()[-1]  # «Received your photo»
    await say(a, o.updates.callback(SARA, "done"))
    assert "المرفقات: ملفان" in o.texts()[-1]
    await say(a, o.updates.callback(SARA, "confirm"))
    assert await o.filed() == [2]
