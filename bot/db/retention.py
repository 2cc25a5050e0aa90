"""Retention of personal data (Saudi PDPL): a request decided longer ago than the
retention period keeps what the directorate must be able to account for (its number,
service, dates, status, who decided what and when, the officers' reasons) and loses what
identifies or describes the person: the identity, establishment and phone numbers, the
description, the person's own words later (notes, answers to officers, reconsideration
reasons, satisfaction comments), the photos and files, and the texts already delivered
about the request (the outbox rows: staff cards carry the identity and phone numbers).

The rule (issue 14): decided requests older than ``TAWASUL_RETENTION_DAYS`` (default 365)
are redacted by a daily job. Every worker may run it at once: each change is guarded by
"not yet redacted", so a request is redacted once and counted once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Attachment, OutboxMessage, Request, StatusEvent
from bot.media_store import MediaStore
from domain.status import FINAL

log = logging.getLogger(__name__)

#: What replaces a redacted value. Ten characters: it fits the narrowest column it goes
#: into (identity and establishment numbers, String(10)).
REDACTED: Final = "[redacted]"
# requests handled per transaction: short transactions, and SQL IN lists well under every
# backend's parameter limit
_BATCH: Final = 200
_FINAL: Final = tuple(str(s) for s in FINAL)


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did, or would do with ``dry_run``: the numbers of the requests
    redacted (in number order), the attachment rows removed with them and the files
    deleted from the media store (a file another request still uses is kept)."""

    numbers: tuple[str, ...]
    attachments: int
    files: int


def _decided_at() -> Select[int, dt.datetime]:
    """request_id → when it last became accepted or rejected (the audit trail's own time;
    a reconsidered request counts from its new decision)."""
    return (
        select(StatusEvent.request_id, func.max(StatusEvent.at).label("decided_at"))
        .where(StatusEvent.to_status.in_(_FINAL), StatusEvent.kind.is_(None))
        .group_by(StatusEvent.request_id)
    )


async def due_for_purge(
    sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, days: int
) -> list[tuple[int, str]]:
    """(id, number) of the decided requests whose decision is more than ``days`` days
    before ``now`` (aware, UTC) and that are not redacted yet, in number order."""
    decided = _decided_at().subquery()
    cutoff = now - dt.timedelta(days=days)
    async with sessions() as session:
        rows = await session.execute(
            select(Request.id, Request.number)
            .join(decided, decided.c.request_id == Request.id)
            .where(
                Request.status.in_(_FINAL),
                decided.c.decided_at < cutoff,
                Request.description != REDACTED,
            )
            .order_by(Request.number)
        )
        return [(row.id, row.number) for row in rows]


async def _redact(session: AsyncSession, ids: list[int]) -> tuple[list[int], list[str]]:
    """Redacts the requests among ``ids`` that are not redacted yet (another worker may
    have done some); returns their ids and their files' checksums."""
    mine = list(
        await session.scalars(
            update(Request)
            .where(Request.id.in_(ids), Request.description != REDACTED)
            .values(identity_number=REDACTED, phone=REDACTED, description=REDACTED)
            .returning(Request.id)
        )
    )
    if not mine:
        return [], []
    for column in (
        Request.establishment_number,
        Request.satisfaction_comment,
        Request.reconsider_reason,
    ):
        await session.execute(
            update(Request)
            .where(Request.id.in_(mine), column.is_not(None))
            .values({column: REDACTED})
        )
    # the person's words in the audit trail (notes, answers to an officer, reasons);
    # the officers' rows (who decided what, when, why) stay whole
    await session.execute(
        update(StatusEvent)
        .where(
            StatusEvent.request_id.in_(mine),
            StatusEvent.actor.like("resident:%"),
            StatusEvent.reason.is_not(None),
        )
        .values(reason=REDACTED)
    )
    # the texts already delivered about them (staff cards carry the identity and phone
    # numbers); a row still to be sent keeps what it must send
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.request_id.in_(mine), OutboxMessage.sent_at.is_not(None))
        .values(payload={"redacted": True})
    )
    checksums = list(
        await session.scalars(
            delete(Attachment).where(Attachment.request_id.in_(mine)).returning(Attachment.checksum)
        )
    )
    return mine, [c for c in checksums if c]


async def _still_used(session: AsyncSession, checksums: set[str]) -> set[str]:
    if not checksums:
        return set()
    rows = await session.scalars(
        select(Attachment.checksum).where(Attachment.checksum.in_(checksums)).distinct()
    )
    return {c for c in rows if c}


async def purge_decided(
    sessions: async_sessionmaker[AsyncSession],
    store: MediaStore,
    *,
    now: dt.datetime,
    days: int,
    media_grace: dt.timedelta,
    dry_run: bool = False,
) -> PurgeReport:
    """Redacts the decided requests older than ``days`` (see the module's docstring) and
    deletes their files, unless another request uses the same file or it was sent again
    within ``media_grace`` (a draft may be about to use it; the media sweep removes it
    later). With ``dry_run`` nothing changes and the report says what would."""
    due = await due_for_purge(sessions, now=now, days=days)
    if dry_run:
        async with sessions() as session:
            count = await session.scalar(
                select(func.count(Attachment.id)).where(
                    Attachment.request_id.in_([i for i, _ in due] or [-1])
                )
            )
        return PurgeReport(tuple(n for _, n in due), int(count or 0), 0)
    done, attachments, removed = await redact_requests(
        sessions, store, due, now=now, media_grace=media_grace
    )
    if done:
        log.info(
            "retention: %d decided requests older than %d days redacted, %d files deleted",
            len(done),
            days,
            removed,
        )
    return PurgeReport(tuple(done), attachments, removed)


async def redact_requests(
    sessions: async_sessionmaker[AsyncSession],
    store: MediaStore,
    requests: list[tuple[int, str]],
    *,
    now: dt.datetime,
    media_grace: dt.timedelta,
) -> tuple[list[str], int, int]:
    """Redacts the given requests ((id, number) pairs) as the retention does (see the
    module's docstring), whatever their age: the daily purge and a person's own «delete my
    data» both come here. The caller chooses which requests (decided ones only). Returns
    the numbers redacted now (in number order; one another worker redacted first is not
    counted), the attachment rows removed and the files deleted (a file another request
    uses, or sent again within ``media_grace`` of ``now``, is kept)."""
    numbers = dict(requests)
    done: list[str] = []
    attachments = 0
    checksums: set[str] = set()
    for start in range(0, len(requests), _BATCH):
        ids = [i for i, _ in requests[start : start + _BATCH]]
        async with sessions.begin() as session:
            mine, files = await _redact(session, ids)
        done += [numbers[i] for i in mine]
        attachments += len(files)
        checksums.update(files)
    async with sessions() as session:
        unused = checksums - await _still_used(session, checksums)
    before = (now - media_grace).timestamp()
    removed = 0
    for checksum in sorted(unused):
        if await asyncio.to_thread(store.remove_if_stale, checksum, before):
            removed += 1
    return sorted(done), attachments, removed
