"""Redis restarting while a WhatsApp album is being counted (issue 11): the album's steps
(bot.channels.whatsapp_bursts) run before the dialogue's turn and did not wait for Redis as
Telegram's do (e358ed4): their ConnectionError left the channel and the worker answered
each photo with the general apology, the album never acknowledged.

Two WhatsApp workers on one real redis-server of the test's own with its append-only file
(stopped while the album's first photo waits for the rest, back a second later), SQLite,
real Cloud API payloads; the set-up of test_whatsapp_album_count and of
test_album_redis_restart (redis_restart_support)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.web import WHATSAPP_KEY
from conversations.i18n import DEFAULT_LOCALE
from conversations.turns import apology
from tests.integration.redis_restart_support import HeldPause, redis_server
from tests.integration.test_whatsapp_album_count import MONA, Workers, _workers
from tests.integration.webhook_steps import until
from tests.servers import RedisServer

__all__ = ["redis_server"]  # the fixture

#: «Received 2 photos»: the album's one answer
TWO_PHOTOS = "وصلتني صورتان"


@pytest.fixture
async def w(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[Workers]:
    async with _workers(tmp_path, redis_server.url, None) as workers:
        yield workers


async def test_an_album_that_meets_redis_restarting_is_acknowledged_once_with_its_count(
    w: Workers, redis_server: RedisServer
) -> None:
    """Redis stops while the album's first photo (worker 0) waits for the second (worker
    1), and is back a second later: the album is acknowledged once with its count, no
    apology, and the summary holds both photos."""
    pause = HeldPause()
    for app in w.apps:
        bursts = app[WHATSAPP_KEY].channel.bursts
        bursts.quiet_s, bursts.sleep = 0.3, pause
    before = len(w.texts())
    await w.post(0, w.photo(1))
    await until(pause.pausing.is_set)  # the first photo waits for the rest of its album
    await w.post(1, w.photo(2))
    await asyncio.sleep(0.2)  # the second photo has joined its album
    redis_server.pause()
    pause.go.set()
    await asyncio.sleep(1.0)  # Redis restarting on its append-only file
    await asyncio.to_thread(redis_server.restart)
    await until(lambda: len(w.texts()) > before)
    await w.settle()
    said = w.said_since(before)
    assert apology(DEFAULT_LOCALE).split("\n")[0] not in said, said
    assert len(said) == 1 and said[0].startswith(TWO_PHOTOS), said
    await w.say(w.payloads.button_reply(MONA, "done", "تم"), worker=1)
    assert "المرفقات: ملفان" in w.texts()[-1]  # «Attachments: 2 files»
