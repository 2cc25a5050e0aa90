"""A Telegram album is answered once, with its count, however its updates are spread over
workers: found in session 11 (helpers' own not done), an album holding a photo sent
before got two answers on Telegram («أرسلت هذا الملف من قبل…» at the repeat's turn, then
«وصلتني ملفاتك» at the new photo's), where WhatsApp's, counted, got one.

Real Telegram updates (``media_group_id``) posted to the webhooks of two worker apps wired
as ``tawasul run`` wires them (album counting, downloads inside the turn), one real Redis,
SQLite, and the Bot API stand-in for what the person sees; and polling's fetched batch
(bot.channels.poll_journal) on the same Redis, its updates started at once as aiogram
starts them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import Services, build_services
from bot.channels.poll_journal import PollJournal
from bot.channels.sent_marks import SentMarks
from bot.channels.telegram import build_dispatcher, make_bot
from bot.channels.telegram_albums import TelegramAlbums
from bot.channels.telegram_webhook import JOURNAL_KEY, TelegramHook
from bot.web import build_web_app
from bot.webhook_journal import Journal
from conversations.engine import Prepare
from conversations.events import Event, Media, Reply
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from tests.integration.test_album_outage import photo_bytes
from tests.integration.test_telegram_webhook import SECRET, Worker, settings_for
from tests.integration.webhook_steps import say, to_documents

SARA = TgUser(5_100_000_071, "سارة")
KHALID = TgUser(5_100_000_072, "خالد")
DESCRIPTION = "انتهت إقامتي ولا أستطيع تجديدها من أبشر بسبب خطأ في النظام"
#: a shorter wait for an album's last file than in service, for the test's time
QUIET_S = 0.5


@dataclass
class Rig:
    api: TelegramBotAPIStandin
    services: Services
    updates: UpdateFactory
    stack: AsyncExitStack

    def bot(self) -> Bot:
        bot = make_bot(self.api.token, self.api.url)
        self.stack.push_async_callback(bot.session.close)
        return bot

    def dispatcher(self, handle: Any = None, quiet_s: float = QUIET_S) -> Any:
        """The residents' dispatcher as ``tawasul run`` builds it (albums counted);
        ``handle`` stands between the channel and the engine."""
        handle = handle or self.services.engine.handle
        return build_dispatcher(
            handle,
            self.services.intake,
            fetching=handle,
            sent_marks=SentMarks(self.services.redis),
            albums=TelegramAlbums(self.services.redis, quiet_s=quiet_s),
        )

    async def worker(self, handle: Any = None, quiet_s: float = QUIET_S) -> Worker:
        dispatcher = self.dispatcher(handle, quiet_s)
        hook = TelegramHook(self.bot(), dispatcher, SECRET, self.services.redis)
        app = build_web_app(self.services, telegram=hook)
        server = await self.stack.enter_async_context(TestServer(app, host="127.0.0.1"))
        client = await self.stack.enter_async_context(TestClient[web.Request, None](server))
        return Worker(app, client)

    def photo(self, seed: int, album: str | None = None) -> dict[str, Any]:
        """A photo whose bytes are ``seed``'s (the same seed: the same photo), with a
        file id of its own as each sending has."""
        file_id, data = fake_file_id("photo"), photo_bytes(seed)
        self.api.add_file(file_id, data)
        return self.updates.photo(SARA, file_id, file_size=len(data), media_group_id=album)

    def texts(self) -> list[str]:
        return self.api.texts(SARA.id)


@pytest.fixture
async def rig(tmp_path: Path, redis_url: str, redis_client: Redis) -> AsyncIterator[Rig]:
    async with TelegramBotAPIStandin() as api:
        async with build_services(settings_for(tmp_path, redis_url, api)) as services:
            async with AsyncExitStack() as stack:
                yield Rig(api, services, UpdateFactory(), stack)


async def _documents(rig: Rig, w: Worker) -> None:
    for raw in to_documents(rig.updates, SARA, DESCRIPTION):
        await say(w, raw)
    assert "«تم»" in rig.texts()[-1]  # the documents step


async def _album_over(workers: list[Worker], raws: list[dict[str, Any]]) -> None:
    """Posts an album's updates one after another (Telegram waits for each 200), each to
    the next worker, then waits until every worker has handled what it accepted."""
    for n, raw in enumerate(raws):
        assert (await workers[n % len(workers)].post(raw)).status == 200
    for w in workers:
        await w.settle()


async def test_an_album_with_a_photo_sent_before_is_one_answer_over_two_workers(
    rig: Rig,
) -> None:
    a, b = await rig.worker(), await rig.worker()
    await _documents(rig, a)
    await say(a, rig.photo(1))
    assert rig.texts()[-1].startswith("وصلتني الصورة.")
    before = len(rig.texts())
    await _album_over(
        [a, b], [rig.photo(1, "13719276493812345"), rig.photo(2, "13719276493812345")]
    )
    said = rig.texts()[before:]
    assert said == [
        "وصلتني صورة جديدة. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
        " يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ], said
    await say(b, rig.updates.callback(SARA, "done"))
    assert "المرفقات: ملفان" in rig.texts()[-1], rig.texts()[-1]


async def test_an_album_of_three_is_counted_over_two_workers(rig: Rig) -> None:
    a, b = await rig.worker(), await rig.worker()
    await _documents(rig, a)
    before = len(rig.texts())
    group = "13719276493899999"
    await _album_over([a, b], [rig.photo(n, group) for n in (3, 4, 5)])
    assert rig.texts()[before:] == [
        "وصلتني ٣ صور. يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ]
    # every update finished, and the album's note in Redis goes with its TTL
    assert await rig.services.redis.hlen(JOURNAL_KEY) == 0


async def test_the_same_photo_twice_in_an_album_at_the_description_step(rig: Rig) -> None:
    a, b = await rig.worker(), await rig.worker()
    for raw in to_documents(rig.updates, SARA, DESCRIPTION)[:-1]:
        await say(a, raw)
    before = len(rig.texts())
    group = "13719276493877777"
    await _album_over([a, b], [rig.photo(6, group), rig.photo(6, group)])
    said = rig.texts()[before:]
    assert len(said) == 1 and said[0].startswith(
        "وصلتني الصورة نفسها مرتين، فاحتفظتُ بها مرة واحدة."
    ), said


async def test_a_polled_album_with_a_repeat_is_one_answer(rig: Rig) -> None:
    """Polling: the fetched batch is noted (PollJournal.kept) before aiogram starts one
    task per update, as it does."""
    w = await rig.worker()
    await _documents(rig, w)
    await say(w, rig.photo(7))
    before = len(rig.texts())
    bot, dispatcher = rig.bot(), rig.dispatcher()
    journal = PollJournal(Journal(rig.services.redis, JOURNAL_KEY), bot, dispatcher)
    group = "13719276493855555"
    raws = [rig.photo(8, group), rig.photo(7, group)]
    updates = [Update.model_validate(raw, context={"bot": bot}) for raw in raws]
    fresh = await journal.kept(updates)
    assert len(fresh) == 2
    await asyncio.gather(*(dispatcher.feed_update(bot, u) for u in fresh))
    said = rig.texts()[before:]
    assert said == [
        "وصلتني صورة جديدة. ووصلتني صورة أرسلتها من قبل، فاحتفظتُ بها مرة واحدة."
        " يمكنك إرسال المزيد، أو الضغط على «تم» عند الانتهاء."
    ], said


async def test_an_album_gathering_holds_up_nobody_else_on_the_worker(rig: Rig) -> None:
    """The album's first photo waits for the rest holding the person's turn, the others
    behind it: in the webhook's eight worker tasks, ten photos held them all, and another
    resident's message waited for the album. Album files wait in tasks of their own."""
    engine = rig.services.engine
    order: list[str] = []

    async def recording(event: Event, *, prepare: Prepare | None = None) -> list[Reply]:
        order.append("photo" if isinstance(event, Media) else event.origin.user_key)
        return await engine.handle(event, prepare=prepare)

    # a long wait for the album's last photo: the other message has all of it to be handled
    w = await rig.worker(recording, quiet_s=4.0)
    await _documents(rig, w)
    order.clear()
    group = "13719276493833333"
    for n in range(10):
        assert (await w.post(rig.photo(20 + n, group))).status == 200
    assert (await w.post(rig.updates.text(KHALID, "/start"))).status == 200
    await w.settle()
    assert order.index(str(KHALID.id)) < order.index("photo"), order
    assert rig.api.texts(KHALID.id), "Khalid is answered"
    assert rig.texts()[-1].startswith("وصلتني ١٠ صور."), rig.texts()[-1]
