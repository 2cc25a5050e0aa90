"""Removes photos and files that never joined a request: refused ones, those of drafts
that were abandoned, those an answer to an officer never sent; and the «my data» JSON
copies no channel sent within their 10 minutes (bot.exports); and the notes of files lost
while Redis was away that no turn took within their 24 hours (bot.db.lost_files). Every
worker may sweep at once: the store moves a file aside before deleting it (see
MediaStore.remove_if_stale)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.lost_files import drop_stale_notes
from bot.db.models import Attachment
from bot.exports import EXPORT_TTL, sweep_exports
from bot.media_store import MediaStore

log = logging.getLogger(__name__)

#: How often a worker sweeps; the grace period (hours) makes the exact moment unimportant.
SWEEP_EVERY_S = 3600.0
# SQL's IN list stays well under every backend's parameter limit
_BATCH = 500


async def sweep_media(
    store: MediaStore,
    sessions: async_sessionmaker[AsyncSession],
    *,
    grace: dt.timedelta,
    now: dt.datetime,
) -> int:
    """Removes the files older than ``grace`` (since they were last stored) that no
    attachment of any request refers to; returns how many. The grace period must be
    longer than a draft lives, so files of a draft still being filled in are kept."""
    before = (now - grace).timestamp()
    stale = await asyncio.to_thread(store.stale, before)
    if not stale:
        return 0
    referenced: set[str] = set()
    candidates = sorted(stale)
    async with sessions() as session:
        for start in range(0, len(candidates), _BATCH):
            batch = candidates[start : start + _BATCH]
            rows = await session.scalars(
                select(Attachment.checksum).where(Attachment.checksum.in_(batch)).distinct()
            )
            referenced.update(c for c in rows if c)
    removed = 0
    for checksum in stale - referenced:
        if await asyncio.to_thread(store.remove_if_stale, checksum, before):
            removed += 1
    if removed:
        log.info("media sweep: %d files that joined no request removed", removed)
    return removed


async def sweep_copies(exports: Path, *, now: dt.datetime) -> int:
    """Removes the «my data» JSON copies older than EXPORT_TTL (bot.exports) under
    ``exports``: one never sent (a failed send, the terminal chat's)."""
    before = (now - EXPORT_TTL).timestamp()
    removed = await asyncio.to_thread(sweep_exports, exports, before=before)
    if removed:
        log.info("media sweep: %d my-data copies removed", removed)
    return removed


async def sweep_forever(
    store: MediaStore,
    sessions: async_sessionmaker[AsyncSession],
    stop: asyncio.Event,
    *,
    grace: dt.timedelta,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    every_s: float = SWEEP_EVERY_S,
    exports: Path | None = None,
) -> None:
    """Sweeps now and then every ``every_s`` seconds until ``stop`` is set, the media
    store, (given ``exports``) the «my data» copies, and the lost-file notes past their
    24 hours. A failed sweep is logged and tried again next time: nothing depends on it
    but disk space and the notes' table size."""
    while not stop.is_set():
        try:
            await sweep_media(store, sessions, grace=grace, now=clock())
            if exports is not None:
                await sweep_copies(exports, now=clock())
        except Exception:
            log.exception("media sweep failed; trying again later")
        try:
            dropped = await drop_stale_notes(sessions, now=clock())
            if dropped:
                log.info("media sweep: %d lost-file notes past their 24 hours deleted", dropped)
        except Exception:
            log.exception("lost-file notes sweep failed; trying again later")
        try:
            await asyncio.wait_for(stop.wait(), timeout=every_s)
        except TimeoutError:
            continue
