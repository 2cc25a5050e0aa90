"""The «my data» JSON copy does not outlive its sending (issue 14, PDPL): Telegram (the real
dispatcher, the Bot API stand-in) and WhatsApp (the real webhook path, the Graph API
stand-in) send it as a document and remove it at once; a copy no channel sent (a terminal's,
a failed send) is removed by the media sweep once 10 minutes old. Real Redis and SQL."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from aiogram.types import Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.personal_data import SqlPersonalData
from bot.db.requests_repo import SqlRequestGateway
from bot.exports import EXPORT_NAME
from bot.media_store import MediaStore
from bot.media_sweep import sweep_copies
from bot.redis_store.dialogue import RedisDialogueStore
from bot.web import QUEUE_KEY, build_web_app
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from domain.catalogue import load_catalogue
from standins.graph_api import GraphAPIStandin
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from standins.whatsapp_payloads import PayloadFactory, encode, sign
from tests.integration.test_db_requests import submission
from tests.integration.test_retention import GRACE
from tests.integration.test_whatsapp_webhook import APP_SECRET, MONA, settings_for

PERSON = TgUser(5551001, "سالم")
NOW = dt.datetime(2027, 12, 10, 6, 0, tzinfo=dt.UTC)


def _copies(exports: Path) -> list[Path]:
    return sorted(exports.glob(f"*/{EXPORT_NAME}"))


async def test_telegram_sends_the_copy_then_removes_it(
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    gateway: SqlRequestGateway,
    tmp_path: Path,
) -> None:
    await gateway.submit(submission(user_key=str(PERSON.id), identity_number="2000000006"))
    exports = tmp_path / "exports"
    personal = SqlPersonalData(
        db_sessionmaker, MediaStore(tmp_path), 365, GRACE, clock=lambda: NOW, exports=exports
    )
    engine = Engine(
        RedisDialogueStore(redis_client),
        INTAKE,
        load_catalogue(),
        gateway,
        personal_data=personal,
    )
    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        try:
            dp = build_dispatcher(engine.handle, MediaStore(tmp_path))
            raw = UpdateFactory().text(PERSON, "بياناتي")
            await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))
        finally:
            await bot.session.close()
    [sent] = api.calls_for(PERSON.id, "sendDocument")
    # aiogram names the upload "attach://<field>" and sends the file as that field
    [document] = [v for v in sent.params.values() if isinstance(v, dict) and "upload" in v]
    assert document["upload"] == EXPORT_NAME
    assert json.loads(document["data"])["requests"][0]["identity_number"] == "2000000006"
    assert exports.is_dir() and _copies(exports) == []  # gone once sent
    assert list(exports.iterdir()) == []  # its random directory too


async def test_whatsapp_sends_the_copy_then_removes_it(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    async with GraphAPIStandin() as graph:
        settings = settings_for(tmp_path, redis_url, graph)
        async with build_services(settings) as services:
            await services.gateway.submit(
                submission(channel="whatsapp", user_key=MONA.key, identity_number="2000000006")
            )
            app = build_web_app(services)
            async with (
                TestServer(app, host="127.0.0.1") as server,
                TestClient[web.Request, None](server) as client,
            ):
                body = encode(PayloadFactory(graph.phone_id).text(MONA, "بياناتي"))
                headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
                response = await client.post("/whatsapp/webhook", data=body, headers=headers)
                assert response.status == 200
                await app[QUEUE_KEY].join()
    uploads = [c for c in graph.calls if c.kind == "media_upload"]
    assert [c.body["mime"] for c in uploads] == ["application/json"]
    assert MONA.wa_id and "[document]" in graph.texts(MONA.wa_id)
    stored = graph.media[uploads[0].body["id"]]
    assert json.loads(stored.data)["requests"][0]["identity_number"] == "2000000006"
    assert _copies(tmp_path / "exports") == []  # gone once sent


async def test_the_media_sweep_removes_copies_older_than_ten_minutes(
    db_sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    # the copies' ages are set below; writing the second must not sweep the first, which it
    # did when the process's clock ran ahead of the file system's (faketime at Friday
    # 2026-12-04 21:30 UTC, two days after the files were written)
    personal = SqlPersonalData(
        db_sessionmaker, MediaStore(tmp_path), 365, GRACE, clock=lambda: NOW, exports=exports,
        wall_clock=lambda: 0.0,
    )  # fmt: skip
    old = Path((await personal.held("telegram", "u1", "ar")).document or "")
    fresh = Path((await personal.held("telegram", "u2", "ar")).document or "")
    # file times are the file system's: set relative to the instant the sweep is told
    now = dt.datetime.now(dt.UTC)
    for path, age in ((old, dt.timedelta(minutes=11)), (fresh, dt.timedelta(minutes=9))):
        at = (now - age).timestamp()
        os.utime(path, (at, at))
    assert await sweep_copies(exports, now=now) == 1
    assert _copies(exports) == [fresh] and not old.parent.exists()
    # nothing to do, and no exports directory at all, are fine
    assert await sweep_copies(exports, now=now) == 0
    assert await sweep_copies(tmp_path / "none", now=now) == 0
