"""An officer's staff command typed in a private chat with the bot, on two workers (real
Redis, SQLite and PostgreSQL, aiogram against the Bot API stand-in). Found by the review of
session 10: «/unassigned» or «/find N» sent to the bot in private got the residents'
welcome, as if the officer were filing a request. Now an officer (a member of the staff
group, or in TAWASUL_OFFICER_IDS) gets one line saying the commands work in the staff
group; anyone else typing the same is a resident and gets the dialogue as before."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import build_dispatcher, make_bot
from bot.db.requests_repo import SqlRequestGateway
from bot.gateway import Gateway
from bot.media_store import MediaStore
from bot.redis_store.dialogue import RedisDialogueStore
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.router import staff_into
from conversations.engine import Engine
from conversations.flows.intake import INTAKE
from conversations.turns import apology
from domain.catalogue import load_catalogue
from standins.telegram_botapi import TelegramBotAPIStandin
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_staff_router import CONFIGURED, OFFICER, STAFF_CHAT, STRANGER

IN_THE_GROUP = "وبقية أوامر الموظفين في مجموعة الموظفين، لا في المحادثة الخاصة مع البوت."


@dataclass
class Two:
    api: TelegramBotAPIStandin
    bots: list[Bot]
    workers: list[Dispatcher]
    updates: UpdateFactory

    async def say(self, worker: int, user: TgUser, text: str) -> list[str]:
        """What ``user`` is answered in private when ``worker`` gets ``text``."""
        before = len(self.api.texts(user.id))
        raw: dict[str, Any] = self.updates.text(user, text)
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
        for _ in range(2):
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
