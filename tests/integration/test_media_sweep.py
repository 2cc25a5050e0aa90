"""Files that never joined a request are removed once old enough; files of filed requests,
and recent ones (a draft still being filled in), stay. Two workers sweeping at once
remove each file once and keep the rest, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.requests_repo import SqlRequestGateway
from bot.media_store import MediaStore
from bot.media_sweep import sweep_media
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
