"""What the Telegram channel downloads and keeps, against the Bot API stand-in and a real
Redis: the bytes decide a file's type (a PNG sent "as file" as octet-stream is a photo,
an HEIC becomes a JPEG, a zip named .jpg is refused), nothing is fetched at a step that
takes no files, a file that lies about its size is cut off, and the daily allowance is
shared by two workers."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from PIL import Image
from redis.asyncio import Redis

from bot.channels.telegram import build_dispatcher, make_bot
from bot.media_intake import STORE_REF, DailyQuota, MediaIntake
from bot.media_store import MediaStore
from conversations.events import Event, Media, Reply
from domain.attachments import MAX_FILE_BYTES
from standins.telegram_botapi import TelegramBotAPIStandin, fake_file_id
from standins.telegram_updates import TgUser, UpdateFactory
from tests import samples

USER = TgUser(5_100_000_011, "ريم")
NOON = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)  # a Friday: no calendar involved


@dataclass
class Recorder:
    events: list[Event] = field(default_factory=list)

    async def __call__(self, event: Event) -> list[Reply]:
        self.events.append(event)
        return [Reply("ok")]


@dataclass
class Rig:
    api: TelegramBotAPIStandin
    bot: Bot
    dp: Dispatcher
    engine: Recorder
    store: MediaStore
    updates: UpdateFactory
    takes_files: list[bool]

    async def feed(self, raw: dict[str, Any]) -> Media:
        before = len(self.engine.events)
        await self.dp.feed_update(self.bot, Update.model_validate(raw, context={"bot": self.bot}))
        (event,) = self.engine.events[before:]
        assert isinstance(event, Media)
        return event

    def stored(self) -> list[Path]:
        return [p for p in self.store.root.rglob("*") if p.is_file()]


def quota(redis: Redis, limit: int) -> DailyQuota:
    return DailyQuota(redis, limit, clock=lambda: NOON)


@pytest.fixture
async def rig(tmp_path: Path, redis_client: Redis) -> AsyncIterator[Rig]:
    takes_files = [True]

    async def wants(channel: str, user_key: str) -> bool:
        return takes_files[0]

    async with TelegramBotAPIStandin() as api:
        bot = make_bot(api.token, api.url)
        engine = Recorder()
        store = MediaStore(tmp_path)
        intake = MediaIntake(store, quota(redis_client, 3 * MAX_FILE_BYTES), wants=wants)
        try:
            yield Rig(
                api, bot, build_dispatcher(engine, intake), engine, store, UpdateFactory(),
                takes_files,
            )  # fmt: skip
        finally:
            await bot.session.close()


async def test_a_png_sent_as_a_file_without_a_type_is_a_png(rig: Rig) -> None:
    data = samples.png(seed=7)
    file_id = fake_file_id("document")
    rig.api.add_file(file_id, data)
    raw = rig.updates.document(
        USER, file_id, file_name="IMG_2041", mime_type="application/octet-stream",
        file_size=len(data),
    )  # fmt: skip
    event = await rig.feed(raw)
    assert event.mime == "image/png" and event.checksum == hashlib.sha256(data).hexdigest()
    assert rig.store.read(event.checksum) == data


async def test_an_iphone_heic_becomes_a_jpeg_officers_can_open(rig: Rig) -> None:
    data = samples.heic(80, 60, seed=3)
    file_id = fake_file_id("document")
    rig.api.add_file(file_id, data)
    raw = rig.updates.document(
        USER, file_id, file_name="IMG_2042.HEIC", mime_type="image/heic", file_size=len(data)
    )
    event = await rig.feed(raw)
    assert event.mime == "image/jpeg" and event.file_name == "IMG_2042.jpg"
    assert event.checksum is not None and event.ref == STORE_REF + event.checksum
    with Image.open(rig.store.path_for(event.checksum)) as kept:
        assert (kept.format, kept.size) == ("JPEG", (80, 60))


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (b"PK\x03\x04" + b"\0" * 5000, "photo.jpg", "image/jpeg"),  # a zip named as a photo
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "scan.png", "image/png"),  # a broken PNG
        (b"MZ" + b"\0" * 4000, "IMG_2043", "application/octet-stream"),  # a program
        (b"%PDF-1.4\n" + b"0" * 400, "cut.pdf", "application/pdf"),  # no end: not a whole PDF
    ],
)
async def test_bytes_that_are_not_an_image_or_a_pdf_are_refused_and_not_kept(
    rig: Rig, data: bytes, name: str, mime: str
) -> None:
    file_id = fake_file_id("document")
    rig.api.add_file(file_id, data)
    raw = rig.updates.document(USER, file_id, file_name=name, mime_type=mime, file_size=len(data))
    event = await rig.feed(raw)
    assert event.checksum is None and event.mime == "application/octet-stream"
    assert rig.stored() == []


async def test_a_declared_archive_is_not_even_downloaded(rig: Rig) -> None:
    file_id = fake_file_id("document")
    rig.api.add_file(file_id, b"PK\x03\x04" + b"\0" * 5_000_000)
    raw = rig.updates.document(
        USER, file_id, file_name="docs.zip", mime_type="application/zip", file_size=5_000_004
    )
    event = await rig.feed(raw)
    assert event.checksum is None and event.mime == "application/zip"
    assert "getFile" not in rig.api.methods() and not rig.api.downloads


async def test_nothing_is_fetched_where_no_step_takes_files(rig: Rig) -> None:
    rig.takes_files[0] = False
    data = samples.jpeg(seed=9)
    file_id = fake_file_id("photo")
    rig.api.add_file(file_id, data)
    event = await rig.feed(rig.updates.photo(USER, file_id, file_size=len(data)))
    assert event.checksum is None
    assert "getFile" not in rig.api.methods() and rig.stored() == []


@pytest.mark.parametrize("fault", [502, None], ids=["bad-gateway", "line-cut"])
async def test_a_download_that_fails_passes_the_photo_on_without_its_bytes(
    rig: Rig, fault: int | None
) -> None:
    # aiogram's download raises aiohttp's own errors, not TelegramNetworkError: before, the
    # person's whole turn failed («حدث خطأ…») and the photo they sent was lost with it
    data = samples.jpeg(seed=11)
    file_id = fake_file_id("photo")
    rig.api.add_file(file_id, data)
    rig.api.fail_downloads(status=fault, count=3)  # aiohttp tries a cut line again once
    event = await rig.feed(rig.updates.photo(USER, file_id, file_size=len(data)))
    assert event.ref == file_id and event.checksum is None  # kept by its file_id, unchecked
    assert rig.stored() == []
    rig.api.heal_downloads()
    again = await rig.feed(rig.updates.photo(USER, file_id, file_size=len(data)))
    assert again.checksum == hashlib.sha256(data).hexdigest()  # the line is back: fetched


@pytest.mark.parametrize("claimed", [1024, 0])
async def test_a_file_bigger_than_it_says_is_cut_off_while_downloading(
    rig: Rig, claimed: int
) -> None:
    # declared 1 KB (or nothing) in the update and in getFile, really 15 MB
    data = samples.png(seed=1) + b"\0" * (15 * 1024 * 1024)
    file_id = fake_file_id("photo")
    rig.api.add_file(file_id, data, claimed_size=claimed)
    event = await rig.feed(rig.updates.photo(USER, file_id, file_size=claimed))
    assert event.checksum is None and MAX_FILE_BYTES < event.size < len(data)
    assert rig.stored() == []


async def test_the_daily_allowance_is_shared_by_two_workers(
    rig: Rig, tmp_path: Path, redis_client: Redis
) -> None:
    big = [samples.png(1000, 1100, seed=s) for s in range(4)]  # about 3.3 MB each
    # room for any three of the four files, not for the fourth
    limit = 3 * max(len(b) for b in big)
    assert 4 * min(len(b) for b in big) > limit
    first = MediaIntake(rig.store, quota(redis_client, limit))
    # a second worker: its own dispatcher and media store, the same Redis
    other = Recorder()
    second = build_dispatcher(
        other, MediaIntake(MediaStore(tmp_path / "w2"), quota(redis_client, limit))
    )
    mine = build_dispatcher(rig.engine, first)
    raws = []
    for n, data in enumerate(big):
        file_id = fake_file_id("document")
        rig.api.add_file(file_id, data)
        raws.append(
            rig.updates.document(USER, file_id, file_name=f"p{n}.png", mime_type="image/png",
                                 file_size=len(data))
        )  # fmt: skip
    # the same person's four files reach two workers at the same moment
    await asyncio.gather(
        *(
            dp.feed_update(rig.bot, Update.model_validate(raw, context={"bot": rig.bot}))
            for dp, raw in zip((mine, second, mine, second), raws, strict=True)
        )
    )
    events = [e for e in [*rig.engine.events, *other.events] if isinstance(e, Media)]
    assert sorted(e.problem or "" for e in events) == ["", "", "", "quota"]
    assert sum(1 for e in events if e.checksum) == 3


async def test_what_a_download_did_not_use_is_given_back(redis_client: Redis) -> None:
    day = quota(redis_client, 12 * 1024 * 1024)
    # WhatsApp says nothing of the size before the download: the most a file may have
    assert await day.reserve("whatsapp", "SA.1", MAX_FILE_BYTES)
    assert not await day.reserve("whatsapp", "SA.1", 3 * 1024 * 1024)
    await day.settle("whatsapp", "SA.1", MAX_FILE_BYTES, 1024 * 1024)
    assert await day.reserve("whatsapp", "SA.1", 3 * 1024 * 1024)
    # another person, and the next Riyadh day, start afresh
    assert await day.reserve("whatsapp", "SA.2", 11 * 1024 * 1024)
    tomorrow = DailyQuota(redis_client, 12 * 1024 * 1024, clock=lambda: NOON + dt.timedelta(days=1))
    assert await tomorrow.reserve("whatsapp", "SA.1", 11 * 1024 * 1024)
    # the count lives two days at most and names nobody in clear
    keys = [k.decode() for k in await redis_client.keys("tawasul:media-bytes:*")]
    assert len(keys) == 3 and not any("SA." in k for k in keys)
    ttls = [await redis_client.ttl(k) for k in keys]
    assert all(0 < ttl <= 2 * 24 * 3600 for ttl in ttls)
