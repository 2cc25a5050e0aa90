"""Files that never joined a request are removed once old enough; files of filed requests,
and recent ones (a draft still being filled in), stay. Two workers sweeping at once
remove each file once and keep the rest, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.lost_files import SqlLostFiles, drop_stale_notes
from bot.db.models import LostFileNote
from bot.db.requests_repo import SqlRequestGateway
from bot.media_store import MediaStore
from bot.media_sweep import sweep_forever, sweep_media
from conversations.ports import AttachmentInfo
from tests.integration.test_db_requests import submission

GRACE = dt.timedelta(hours=72)


def _age(store: MediaStore, checksum: str, hours: float) -> None:
    # file times are the file system's, so the test ages files relative to its clock
    then = time.time() - hours * 3600
    os.utime(store.path_for(checksum), (then, then))


async def test_only_old_files_of_no_request_are_removed(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession], gateway: SqlRequestGateway
) -> None:
    store = MediaStore(tmp_path)
    filed = store.save(b"passport scan")
    refused = store.save(b"an eleventh photo")
    abandoned = [store.save(f"draft photo {i}".encode()) for i in range(3)]
    recent = store.save(b"a draft being filled in now")
    for checksum in (filed, refused, *abandoned):
        _age(store, checksum, 100)
    _age(store, recent, 2)
    photo = AttachmentInfo("photo", "file-1", "image/jpeg", 13, filed)
    await gateway.submit(submission(attachments=(photo,)))

    now = dt.datetime.now(dt.UTC)
    # two workers sweep at the same moment
    counts = await asyncio.gather(
        sweep_media(store, db_sessionmaker, grace=GRACE, now=now),
        sweep_media(MediaStore(tmp_path), db_sessionmaker, grace=GRACE, now=now),
    )
    assert sum(counts) == 4
    assert store.exists(filed) and store.exists(recent)
    assert not any(store.exists(c) for c in (refused, *abandoned))
    assert await sweep_media(store, db_sessionmaker, grace=GRACE, now=now) == 0


async def test_lost_file_notes_past_their_day_are_deleted_by_the_sweep(
    tmp_path: Path, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Review 14 §5: a note of a file lost while Redis was away that no turn took (the
    person never came back to the documents steps) stayed in lost_file_notes for good,
    read by every busy worker twice a second. The hourly sweep, which every worker runs,
    now deletes the notes past their 24 hours and keeps the younger ones. The clocks are
    injected: the notes are written at chosen instants, the sweep told what time it is."""
    now = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)

    def notes_at(when: dt.datetime) -> SqlLostFiles:
        return SqlLostFiles(db_sessionmaker, clock=lambda: when)

    await notes_at(now - dt.timedelta(hours=30)).add("telegram", "gone")
    await notes_at(now - dt.timedelta(hours=24, minutes=1)).add("whatsapp", "966500000001")
    await notes_at(now - dt.timedelta(hours=2)).add("telegram", "coming-back", 2)
    stop = asyncio.Event()
    sweep = asyncio.create_task(
        sweep_forever(MediaStore(tmp_path), db_sessionmaker, stop, grace=GRACE, clock=lambda: now)
    )
    try:
        for _ in range(500):
            if await _notes(db_sessionmaker) == 1:
                break
            await asyncio.sleep(0.01)
    finally:
        stop.set()
        await sweep
    assert await _notes(db_sessionmaker) == 1
    # the younger note still reaches the person's next turn
    assert await notes_at(now).take("telegram", "coming-back") == 2
    assert await drop_stale_notes(db_sessionmaker, now=now) == 0


async def _notes(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(LostFileNote)) or 0)
