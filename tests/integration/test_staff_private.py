"""An officer's staff command typed in a private chat with the bot, on two workers (real
Redis, SQLite and PostgreSQL, aiogram against the Bot API stand-in). Found by the review of
session 10: «/unassigned» or «/find N» sent to the bot in private got the residents'
welcome, as if the officer were filing a request. Now an officer (a member of the staff
group, or in TAWASUL_OFFICER_IDS) gets one line saying the commands work in the staff
group; anyone else typing the same is a resident and gets the dialogue as before."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_services
from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_webhook import JOURNAL_KEY, TelegramHook
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.media_store import MediaStore
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.router import staff_into
from bot.web import build_web_app
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.turns import apology
from domain.catalogue import load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_staff_router import CONFIGURED, OFFICER, STAFF_CHAT, STRANGER
from tests.integration.test_telegram_webhook import SECRET, Worker

IN_THE_GROUP = "وبقية أوامر الموظفين في مجموعة الموظفين، لا في المحادثة الخاصة مع البوت."


@dataclass
class Two:
    api: TelegramBotAPIStandin
    bots: list[Bot]
    workers: list[Dispatcher]
    updates: UpdateFactory

    async def say(self, worker: int, user: TgUser, text: str) -> list[str]:
        """What ``user`` is answered in private when ``worker`` gets ``text``."""
        return await self.deliver(worker, user, self.updates.text(user, text))

    async def deliver(self, worker: int, user: TgUser, raw: dict[str, Any]) -> list[str]:
        """What ``user`` is answered when ``worker`` gets the update ``raw``."""
        before = len(self.api.texts(user.id))
        bot = self.bots[worker]
        await self.workers[worker].feed_update(
            bot, Update.model_validate(raw, context={"bot": bot})
        )
        return self.api.texts(user.id)[before:]


@pytest.fixture
async def two(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> AsyncIterator[Two]:
    async with _two(redis_client, db_sessionmaker, tmp_path) as workers:
        yield workers


@contextlib.asynccontextmanager
async def _two(
    redis_client: Redis, db_sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> AsyncIterator[Two]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        staff_chat_id=STAFF_CHAT,
        officer_ids=str(CONFIGURED.id),
        data_dir=tmp_path,
    )
    filing = SqlRequestGateway(db_sessionmaker)
    desk = StaffDesk(db_sessionmaker, load_catalogue())
    async with TelegramBotAPIStandin() as api:
        api.set_member(STAFF_CHAT, OFFICER.id, "member")
        api.set_member(STAFF_CHAT, STRANGER.id, "left")
        bots, workers = [], []
        for _ in range(3):  # the third: a worker started later (a restart)
            bot = make_bot(api.token, api.url)
            engine = Engine(
                RedisDialogueStore(redis_client), INTAKE, load_catalogue(), Gateway(filing, desk)
            )
            dp = build_dispatcher(engine.handle, MediaStore(tmp_path))
            staff_into(dp, desk, settings, redis_client, lambda: None)
            bots.append(bot)
            workers.append(dp)
        try:
            yield Two(api, bots, workers, UpdateFactory())
        finally:
            for bot in bots:
                await bot.session.close()


async def test_an_officer_is_told_where_staff_commands_work(two: Two) -> None:
    assert await two.say(0, OFFICER, "/unassigned") == [f"يعمل الأمر /unassigned {IN_THE_GROUP}"]
    # the other worker knows her from the membership cached in Redis: no second look-up
    looked_up = len(two.api.calls_for(STAFF_CHAT, "getChatMember"))
    assert await two.say(1, OFFICER, "/find@TawasulBot 4512345671") == [
        f"يعمل الأمر /find {IN_THE_GROUP}"
    ]
    assert len(two.api.calls_for(STAFF_CHAT, "getChatMember")) == looked_up
    assert await two.say(1, OFFICER, "/desk") == [f"يعمل الأمر /desk {IN_THE_GROUP}"]
    assert await two.say(0, OFFICER, "/export") == [
        "يُصدَّر الملف من الطرفية لا من تيليجرام: "
        "tawasul staff export --from 2026-12-01 --to 2026-12-31"
    ]
    # an officer named in TAWASUL_OFFICER_IDS, not in the group, likewise
    assert await two.say(1, CONFIGURED, "/mine") == [f"يعمل الأمر /mine {IN_THE_GROUP}"]
    # /start, /note (a note on one's own request) and the other residents' commands are
    # theirs too: an officer who sends them is answered like anyone
    for text in (
        "/start", "/note 4512345671", "/rate 4512345671 5", "/reconsider 4512345671",
        "/status", "/lang", "/contact",
    ):  # fmt: skip
        said = await two.say(0, OFFICER, text)
        assert said and IN_THE_GROUP not in " ".join(said)


async def test_anyone_else_typing_a_staff_command_gets_the_residents_dialogue(
    two: Two,
) -> None:
    said = await two.say(0, STRANGER, "/unassigned")
    assert said[0].startswith("أهلًا بك في «تواصل»")  # the residents' welcome, as before
    for worker, text in ((1, "/export"), (0, "/desk"), (1, "/find 4512345671")):
        said = await two.say(worker, STRANGER, text)
        assert said and not any(IN_THE_GROUP in s or "الطرفية" in s for s in said)


async def test_with_redis_away_a_staff_command_in_private_gets_the_outage_apology(
    db_sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """Review 10, item 4: the officer check reads Redis before the residents' router; with
    Redis away it raised there and the person was answered nothing. Now the message goes
    on to the residents' dialogue, whose apology says to send it again."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    nowhere = Redis(host="127.0.0.1", port=port, retry=Retry(NoBackoff(), 0))
    try:
        async with _two(nowhere, db_sessionmaker, tmp_path) as two:
            for worker, user in ((0, STRANGER), (1, OFFICER)):
                assert await two.say(worker, user, "/unassigned") == [apology("ar")]
            # an officer named in TAWASUL_OFFICER_IDS needs no Redis to be known
            assert await two.say(0, CONFIGURED, "/mine") == [f"يعمل الأمر /mine {IN_THE_GROUP}"]
    finally:
        await nowhere.aclose()


async def test_the_same_update_again_is_answered_once_across_workers_and_restarts(
    two: Two,
) -> None:
    """Review 11 (issue 11's item): an officer's /unassigned in private, delivered a second
    time with the same update_id (a worker's journalled update replayed by another, or
    Telegram's redelivery), got the line twice: the middleware claimed nothing. Now it is
    claimed in Redis before the answer, on whichever worker, and a worker started later
    knows it too; a new update of the same words is answered as ever."""
    raw = two.updates.text(OFFICER, "/unassigned")
    assert await two.deliver(0, OFFICER, raw) == [f"يعمل الأمر /unassigned {IN_THE_GROUP}"]
    assert await two.deliver(1, OFFICER, raw) == []
    assert await two.deliver(2, OFFICER, raw) == []  # started after the first answer
    assert await two.deliver(0, OFFICER, raw) == []
    # the officer named in TAWASUL_OFFICER_IDS likewise, and a fresh update is answered
    raw = two.updates.text(CONFIGURED, "/find 4512345671")
    assert await two.deliver(1, CONFIGURED, raw) == [f"يعمل الأمر /find {IN_THE_GROUP}"]
    assert await two.deliver(2, CONFIGURED, raw) == []
    assert await two.say(2, OFFICER, "/unassigned") == [f"يعمل الأمر /unassigned {IN_THE_GROUP}"]


async def test_a_journalled_update_replayed_after_its_worker_died_is_answered_once(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    """Why the webhook's update_id dedupe did not cover it: the journal turns a redelivery
    away only while the update is in hand or once it was closed; one answered by a worker
    that died before closing it is replayed by the next worker (bot.webhook_journal), which
    relies on each handler's own claim. Through the real webhook app: worker A answers the
    officer, then dies before the close (its body back in the journal, no done mark);
    worker B starts and replays it. Before, the officer read the line twice."""
    async with TelegramBotAPIStandin() as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=tmp_path,
            redis_url=redis_url,
            telegram_token=api.token,
            telegram_api_url=api.url,
            telegram_webhook_url="https://bot.example.sa/telegram/webhook",
            telegram_webhook_secret=SECRET,
            staff_schedule=False,
            staff_chat_id=STAFF_CHAT,
            officer_ids=str(CONFIGURED.id),
        )
        async with build_services(settings) as services, AsyncExitStack() as stack:
            bots: list[Bot] = []

            async def worker() -> Worker:
                bot = make_bot(api.token, api.url)
                bots.append(bot)
                dp = build_dispatcher(services.engine.handle, services.intake)
                staff_into(dp, services.desk, settings, services.redis, lambda: None)
                app = build_web_app(
                    services, telegram=TelegramHook(bot, dp, SECRET, services.redis)
                )
                server = await stack.enter_async_context(TestServer(app, host="127.0.0.1"))
                client = await stack.enter_async_context(TestClient[web.Request, None](server))
                return Worker(app, client)

            try:
                a = await worker()
                update = UpdateFactory().text(CONFIGURED, "/mine")
                assert (await a.post(update)).status == 200
                await a.settle()
                line = [f"يعمل الأمر /mine {IN_THE_GROUP}"]
                assert api.texts(CONFIGURED.id) == line
                # A died after answering, before the close: the body is still journalled
                entry = str(update["update_id"])
                await redis_client.delete(f"{JOURNAL_KEY}:done:{entry}")
                await redis_client.hset(JOURNAL_KEY, entry, json.dumps(update))
                b = await worker()  # replays what A left
                await b.settle()
                assert await redis_client.hlen(JOURNAL_KEY) == 0  # replayed and closed
                assert api.texts(CONFIGURED.id) == line
            finally:
                for bot in bots:
                    await bot.session.close()
