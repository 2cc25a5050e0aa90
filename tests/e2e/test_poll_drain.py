"""Telegram by polling: updates that a SIGTERM's drain bound cut short are not lost. Real
`tawasul run` processes, a real Redis, SQLite, the Bot API stand-in, all on loopback.

A poller confirms what it fetched (getUpdates' offset) while those updates are still
being handled, so Telegram never sends them again; the bot journals them in Redis first
(bot.channels.poll_journal) and the next poller replays what the stopped one left."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.e2e.run_process import (
    STARTUP_S,
    STOP_MARGIN_S,
    run_env,
    running,
    until,
    until_ready,
)
from tests.servers import RedisServer, free_port

FIRST = TgUser(5_300_000_201, "ريم")
STUCK = TgUser(5_300_000_203, "منى")
DRAIN_S = 3


@pytest.fixture
async def own_redis() -> AsyncIterator[RedisServer]:
    server = RedisServer.start()
    try:
        yield server
    finally:
        server.stop()


def confirmed(api: TelegramBotAPIStandin, update_id: int) -> bool:
    """Whether a getUpdates has confirmed `update_id` (asked from past it): Telegram will
    not send it again."""
    return any(
        call.method.lower() == "getupdates" and int(call.params.get("offset") or 0) > update_id
        for call in api.calls
    )


@pytest.mark.timeout(2 * STARTUP_S + 120)
async def test_by_polling_updates_cut_by_the_drain_are_replayed_by_the_next_poller(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    updates = UpdateFactory(first_update_id=960_000_000)
    async with TelegramBotAPIStandin() as api, aiohttp.ClientSession() as http:
        env = run_env(api, port, own_redis.url, tmp_path, secret=None, TAWASUL_DRAIN_S=str(DRAIN_S))
        async with running(env, tmp_path / "first.log") as run:
            await until_ready(http, base, STARTUP_S, run=run)
            api.queue_update(updates.text(FIRST, "/start"))
            async with asyncio.timeout(STARTUP_S):
                await api.wait_until(lambda: bool(api.calls_for(FIRST.id, "sendMessage")))
            welcome = api.texts(FIRST.id)  # what /start answers a new person

            # STUCK's first reply is held at the Bot API for good (and a second try of it,
            # should one be made); their second update waits behind it (one person's
            # updates one at a time) when the drain runs out
            stuck = api.hold("sendMessage", chat_id=STUCK.id)
            again = api.hold("sendMessage", chat_id=STUCK.id)
            first = updates.text(STUCK, "/start")
            second = updates.text(STUCK, "مرحبا")
            api.queue_update(first)
            api.queue_update(second)
            async with asyncio.timeout(60):
                await stuck.arrived.wait()
            # both are confirmed to Telegram while unfinished: it will not send them again
            await until(lambda: confirmed(api, second["update_id"]), 30, alive=run)
            assert await run.stop(DRAIN_S + STOP_MARGIN_S) == 0, run.tail()
        for gate in (stuck, again):
            if gate.arrived.is_set():
                await until(gate.caller_gone, 30)
            gate.release()  # its caller is gone: Telegram never gets that call
        assert not api.calls_for(STUCK.id, "sendMessage")

        # The next poller replays both from the journal. The first's turn was saved before
        # the drain's bound cut its reply: that reply, kept with the state
        # (conversations.replays), is sent now, once, and then the second is answered.
        async with running(env, tmp_path / "second.log") as run:
            async with asyncio.timeout(STARTUP_S):
                await api.wait_until(lambda: len(api.texts(STUCK.id)) > len(welcome))
            assert await run.stop(DRAIN_S + STOP_MARGIN_S) == 0, run.tail()
        texts = api.texts(STUCK.id)
        assert texts[: len(welcome)] == welcome, texts
        assert texts.count(welcome[0]) == 1, texts
        assert "turn replayed after its process stopped: replies sent again" in run.log()
