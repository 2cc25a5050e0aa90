"""A WhatsApp photo that meets Redis away past the wait (issue 11): Telegram's answer
is the file's own apology («the photo you just sent did not reach us… please send it
again»), the lost file noted for the person's next turn; WhatsApp's was the general
apology, the channel's own Redis steps before the dialogue's turn (the window, the
waiting replies) raising out of it, so the file was not noted either.

Two WhatsApp workers on one real redis-server of the test's own (stopped, then back on its
append-only file), SQLite, real Cloud API payloads (the set-up of
test_whatsapp_album_count); the waits for Redis shortened from 20 s."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.web import QUEUE_KEY, WHATSAPP_KEY
from conversations.i18n import DEFAULT_LOCALE
from conversations.store_outage import file_apology
from conversations.turns import apology
from standins.whatsapp_payloads import encode, sign
from tests.integration.redis_restart_support import redis_server
from tests.integration.test_whatsapp_album_count import MONA, Workers, _workers
from tests.integration.test_whatsapp_webhook import APP_SECRET
from tests.servers import RedisServer

__all__ = ["redis_server"]  # the fixture

#: the waits for Redis, shortened (20 s in production)
WAIT_S = 0.5


@pytest.fixture
async def w(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[Workers]:
    async with _workers(tmp_path, redis_server.url, None) as workers:
        workers.services.engine.store_wait_s = WAIT_S
        for app in workers.apps:
            app[WHATSAPP_KEY].channel.bursts.store_wait_s = WAIT_S
        yield workers


async def test_a_photo_meeting_redis_away_gets_the_files_own_apology(
    w: Workers, redis_server: RedisServer
) -> None:
    before = len(w.texts())
    redis_server.pause()
    try:
        body = encode(w.photo(1))
        headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
        response = await w.clients[1].post("/whatsapp/webhook", data=body, headers=headers)
        assert response.status == 500  # not journalled: Meta delivers it again
        async with asyncio.timeout(30):
            await w.apps[1][QUEUE_KEY].join()
    finally:
        await asyncio.to_thread(redis_server.restart)
    said = w.texts()[before:]
    assert said == [file_apology(DEFAULT_LOCALE)], said
    assert apology(DEFAULT_LOCALE) not in said
    # the lost file is noted for the person's next turn, on any worker: «Done» does not
    # go on without it (conversations.store_outage)
    before = len(w.texts())
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=0)
    shown = "\n".join(w.texts()[before:])
    assert "المرفقات" not in shown, shown
    assert "لم تصلنا" in shown or "لم يصلنا" in shown, shown
