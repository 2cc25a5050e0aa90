"""Redis restarting while a Telegram album is being counted (issue 11, the load test's
Redis-restart row: 3 to 11 albums a run got no answer at all, neither their count nor an
apology, though the residents filed their requests once they sent the album again).

Found in session 14: the album's count (bot.channels.telegram_albums) is made in the
channel, before the dialogue's turn, which waits for Redis; its ConnectionError left the
channel, the webhook logged «ConnectionError while handling Telegram update» and closed
the update, so that photo never reached the dialogue, and the album, answered after its
last photo, was never answered.

Two worker apps wired as ``tawasul run`` wires them (albums counted, downloads inside the
turn), a real redis-server of the test's own with its append-only file, stopped while the
album's first photo waits for the rest (the album's own pause is the moment), SQLite, and
the Bot API stand-in for what the person sees."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.app import Services, build_services
from bot.channels.sent_marks import SentMarks
from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_albums import TelegramAlbums
from bot.channels.telegram_webhook import TelegramHook
from bot.db.models import Attachment, Request
from bot.web import build_web_app
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.redis_restart_support import HeldPause, redis_server
from tests.integration.test_album_outage import photo_bytes
from tests.integration.test_telegram_webhook import SECRET, Worker, settings_for
from tests.integration.webhook_steps import WAIT_S, say, to_documents, until
from tests.servers import RedisServer

__all__ = ["redis_server"]  # the fixture

NOURA = TgUser(5_100_000_141, "نورة")
DESCRIPTION = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"
#: «Received 2 photos»: the album's one answer
TWO_PHOTOS = "وصلتني صورتان"
#: the file apology's words (conversations.store_outage.file_apology)
NOT_RECEIVED = "لم تصلنا الصورة"
#: a shorter wait for an album's last file than in service, for the test's time
QUIET_S = 0.3


@dataclass
class Rig:
    redis: RedisServer
    api: TelegramBotAPIStandin
    services: Services
    stack: AsyncExitStack
    updates: UpdateFactory = field(default_factory=UpdateFactory)
    #: the album's own pause (its first photo waiting for the rest; after the fix, the
    #: waits for Redis too), the first one held until the test lets it go
    pause: HeldPause = field(default_factory=HeldPause)

    @property
    def pausing(self) -> asyncio.Event:
        return self.pause.pausing

    @property
    def go(self) -> asyncio.Event:
        return self.pause.go

    async def worker(self, store_wait_s: float = WAIT_S) -> Worker:
        """One worker app, wired as ``tawasul run`` wires it."""
        engine = self.services.engine
        albums = TelegramAlbums(
            self.services.redis, quiet_s=QUIET_S, store_wait_s=store_wait_s, sleep=self.pause
        )
        dispatcher = build_dispatcher(
            engine.handle,
            self.services.intake,
            fetching=engine.handle,
            sent_marks=SentMarks(self.services.redis),
            albums=albums,
        )
        bot = make_bot(self.api.token, self.api.url)
        self.stack.push_async_callback(bot.session.close)
        hook = TelegramHook(bot, dispatcher, SECRET, self.services.redis)
        app = build_web_app(self.services, telegram=hook)
        server = await self.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
        client = await self.stack.enter_async_context(TestClient[web.Request, None](server))
        return Worker(app, client)

    def album(self, name: str, *seeds: int) -> list[dict[str, Any]]:
        out = []
        for seed in seeds:
            file_id, data = fake_file_id("photo"), photo_bytes(seed)
            self.api.add_file(file_id, data)
            out.append(self.updates.photo(NOURA, file_id, file_size=len(data), media_group_id=name))
        return out

    def texts(self) -> list[str]:
        return self.api.texts(NOURA.id)

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
async def rig(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[Rig]:
    async with TelegramBotAPIStandin() as api:
        async with build_services(settings_for(tmp_path, redis_server.url, api)) as services:
            async with AsyncExitStack() as stack:
                yield Rig(redis_server, api, services, stack)


async def _documents(rig: Rig, w: Worker) -> None:
    for raw in to_documents(rig.updates, NOURA, DESCRIPTION):
        await say(w, raw)
    assert "«تم»" in rig.texts()[-1]  # the documents step


async def _deliver(w: Worker, raw: dict[str, Any]) -> None:
    """Delivers as Telegram does: again until the webhook answers 200 (503 while Redis is
    away), bounded."""
    async with asyncio.timeout(WAIT_S):
        while (await w.post(raw)).status != 200:  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def test_an_album_that_meets_redis_restarting_is_answered_once_and_filed_whole(
    rig: Rig,
) -> None:
    """Redis stops while the album's first photo (worker a) waits for the second (worker
    b) and is back a second later: the album is answered once, with its count, no
    apology, and the request is filed with both photos, once."""
    a, b = await rig.worker(), await rig.worker()
    await _documents(rig, a)
    seen = len(rig.texts())
    first, second = rig.album("album-restart", 1, 2)
    assert (await a.post(first)).status == 200
    await until(rig.pausing.is_set)  # the first photo waits for the rest of its album
    assert (await b.post(second)).status == 200
    rig.redis.pause()
    rig.go.set()
    await asyncio.sleep(1.0)  # Redis restarting on its append-only file
    await asyncio.to_thread(rig.redis.restart)
    # the person waits for the answer (no «Done» before it, as bench/load.py's residents)
    await until(lambda: len(rig.texts()) > seen)
    await a.settle()
    await b.settle()
    told = rig.texts()[seen:]
    assert len(told) == 1 and TWO_PHOTOS in told[0], told
    await _deliver(b, rig.updates.callback(NOURA, "done"))
    await b.settle()
    assert "المرفقات: ملفان" in rig.texts()[-1]  # «Attachments: 2 files»
    await say(a, rig.updates.callback(NOURA, "confirm"))
    assert await rig.filed() == [2]


async def test_an_album_that_outlasts_the_wait_for_redis_gets_the_apology_then_goes_on(
    rig: Rig,
) -> None:
    """Redis stays away past the album's wait and the dialogue's: each photo gets the
    apology naming it (never silence); once Redis is back the person sends the album
    again, is answered with its count, and files the request with both photos, once."""
    rig.services.engine.store_wait_s = 0.3
    a, b = await rig.worker(store_wait_s=0.3), await rig.worker(store_wait_s=0.3)
    await _documents(rig, a)
    seen = len(rig.texts())
    first, second = rig.album("album-away", 1, 2)
    assert (await a.post(first)).status == 200
    await until(rig.pausing.is_set)
    assert (await b.post(second)).status == 200
    rig.redis.pause()
    rig.go.set()
    await until(lambda: sum(NOT_RECEIVED in t for t in rig.texts()[seen:]) == 2)
    await a.settle()
    await b.settle()
    assert len(rig.texts()) == seen + 2  # one apology per photo, nothing else
    await asyncio.to_thread(rig.redis.restart)
    seen = len(rig.texts())
    for raw in rig.album("album-again", 1, 2):
        await _deliver(a, raw)
    await until(lambda: len(rig.texts()) > seen)
    await a.settle()
    assert any(TWO_PHOTOS in t for t in rig.texts()[seen:]), rig.texts()[seen:]
    await say(a, rig.updates.callback(NOURA, "done"))
    assert "المرفقات: ملفان" in rig.texts()[-1]
    await say(a, rig.updates.callback(NOURA, "confirm"))
    assert await rig.filed() == [2]
