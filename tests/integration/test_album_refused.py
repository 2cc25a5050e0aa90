"""An album part of which the abuse screen refused (too many messages a minute) is still
answered: found in session 12, when the screen refused one file of a counted album, the
dialogue waited for that file and the album's answer never came, so the person heard
nothing of the files that were kept. Real Telegram updates (``media_group_id``) posted to
the webhooks of two worker apps wired as ``tawasul run`` wires them (the inbound guard,
album counting, downloads inside the turn), one real Redis, SQLite, and the Bot API
stand-in for what the person reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_services
from bot.channels.sent_marks import SentMarks
from bot.channels.telegram import build_dispatcher
from bot.channels.telegram_albums import TelegramAlbums
from bot.channels.telegram_webhook import TelegramHook
from bot.web import build_web_app
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import UpdateFactory
from tests.integration.test_telegram_album_count import DESCRIPTION, QUIET_S, SARA, Rig
from tests.integration.test_telegram_webhook import SECRET, Worker, settings_for
from tests.integration.webhook_steps import say, to_documents

#: the eight updates to the documents step and two more pass; the album is the eleventh
PER_MINUTE = 10


class ScreenedRig(Rig):
    def dispatcher(self, handle: Any = None, quiet_s: float = QUIET_S) -> Any:
        handle = handle or self.services.engine.handle
        return build_dispatcher(
            handle,
            self.services.intake,
            fetching=handle,
            screen=self.services.screen,
            sent_marks=SentMarks(self.services.redis),
            albums=TelegramAlbums(self.services.redis, quiet_s=quiet_s),
        )

    async def worker(self, handle: Any = None, quiet_s: float = QUIET_S) -> Worker:
        hook = TelegramHook(self.bot(), self.dispatcher(handle, quiet_s), SECRET,
                            self.services.redis)  # fmt: skip
        app = build_web_app(self.services, telegram=hook)
        server = await self.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
        client = await self.stack.enter_async_context(TestClient[web.Request, None](server))
        return Worker(app, client)


@pytest.fixture
async def rig(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Rig]:
    async with TelegramBotAPIStandin() as api:
        settings = settings_for(tmp_path, redis_url, api).model_copy(
            update={"messages_per_minute": PER_MINUTE}
        )
        async with build_services(settings) as services:
            async with AsyncExitStack() as stack:
                yield ScreenedRig(api, services, UpdateFactory(), stack)


async def test_an_album_past_the_minute_limit_is_said_refused_over_two_workers(
    rig: Rig,
) -> None:
    """Since tester 13 (§3) an album is one message for the limit, decided by its first
    file (bot.abuse.guard), so it is no longer cut in two; one that comes past the limit
    is refused whole, and the person is told the files were not received."""
    a, b = await rig.worker(), await rig.worker()
    for raw in to_documents(rig.updates, SARA, DESCRIPTION):
        await say(a, raw)
    assert "«تم»" in rig.texts()[-1]
    for n in range(2):
        await say((a, b)[n % 2], rig.updates.text(SARA, f"ملاحظة {n + 1}"))
    before = len(rig.texts())
    group = "13719276493866666"
    raws = [rig.photo(40 + n, group) for n in range(4)]
    for n, raw in enumerate(raws):
        assert (await (a, b)[n % 2].post(raw)).status == 200
    for w in (a, b):
        await w.settle()
    said = rig.texts()[before:]
    assert len(said) == 1, said
    assert "الانتظار" in said[0] and "لم أستلم الصور أو الملفات" in said[0], said
    state = await rig.services.engine.store.load("telegram", str(SARA.id))
    assert not state.answers.get("attachments")
