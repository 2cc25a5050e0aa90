"""Retention of personal data (Saudi PDPL): a request decided longer ago than the
retention period keeps what the directorate must be able to account for (its number,
service, dates, status, who decided what and when, the officers' reasons) and loses what
identifies or describes the person: the identity, establishment and phone numbers, the
description, the person's own words later (notes, answers to officers, reconsideration
reasons, satisfaction comments, each decision's among them), the photos and files, and the texts already delivered
about the request (the outbox rows: staff cards carry the identity and phone numbers).
The officers' internal notes (``staff_notes``, ``/note``) go too: they are written about
the person («called him, his old passport is A1234567») and are kept for the handling of
the request, not for its account; who wrote one and when stay, their words go.

The rule (issue 14): decided requests older than ``TAWASUL_RETENTION_DAYS`` (default 365)
are redacted by a daily job. Every worker may run it at once: each change is guarded by
"not yet redacted", so a request is redacted once and counted once.

The person may speak about a request after it was redacted: a satisfaction comment on its
decision, a reconsideration reason that reopens it, notes and files while it is open again.
Such words are redacted too once the request is decided again (or at once on «delete my
data»): a request is due while any of them is left, not only until its description goes. The same
holds for an officer's note written after the redaction.

Blocks (``blocks``, :mod:`bot.abuse.blocks`) name the person's chat (user key) and hold the
officer's reason, which may describe them. A block in force is kept whole: it is what keeps
an abusive sender out, and its person cannot be served (nor ask for anything) while it
stands. Once lifted for longer than the retention period, its user key and reason are
redacted; who blocked, who lifted it, when, and from which request stay, as the audit of
the officers' own actions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from bot.db.engine import SQLITE_BEGIN
from bot.db.models import (
    Attachment,
    Block,
    OutboxMessage,
    Rating,
    Request,
    StaffNote,
    StatusEvent,
)
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
    deleted from the media store (a file another request still uses is kept), and the
    lifted blocks whose person and reason were redacted."""

    numbers: tuple[str, ...]
    attachments: int
    files: int
    blocks: int = 0


def _decided_at() -> Select[int, dt.datetime]:
    """request_id → when it last became accepted or rejected (the audit trail's own time;
    a reconsidered request counts from its new decision)."""
    return (
        select(StatusEvent.request_id, func.max(StatusEvent.at).label("decided_at"))
        .where(StatusEvent.to_status.in_(_FINAL), StatusEvent.kind.is_(None))
        .group_by(StatusEvent.request_id)
    )


#: The person's own words kept on a request row besides its numbers and description.
_THEIR_SAY: Final = (Request.satisfaction_comment, Request.reconsider_reason)


def _unredacted(column: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
    return and_(column.is_not(None), column != REDACTED)


def _persons_words() -> ColumnElement[bool]:
    """Audit rows holding the person's words (notes, answers, reasons); the officers'
    rows stay whole."""
    return and_(StatusEvent.actor.like("resident:%"), _unredacted(StatusEvent.reason))


def _left_to_redact() -> ColumnElement[bool]:
    """A request still holding personal data: never redacted, or the person spoke (or sent
    files) about it after it was."""
    return or_(
        Request.description != REDACTED,
        *(_unredacted(column) for column in _THEIR_SAY),
        exists().where(Attachment.request_id == Request.id),
        exists().where(StatusEvent.request_id == Request.id, _persons_words()),
        exists().where(StaffNote.request_id == Request.id, StaffNote.text != REDACTED),
        exists().where(Rating.request_id == Request.id, _unredacted(Rating.comment)),
    )


async def due_for_purge(
    sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, days: int
) -> list[tuple[int, str]]:
    """(id, number) of the decided requests whose decision is more than ``days`` days
    before ``now`` (aware, UTC) and that still hold personal data, in number order."""
    decided = _decided_at().subquery()
    cutoff = now - dt.timedelta(days=days)
    async with sessions() as session:
        rows = await session.execute(
            select(Request.id, Request.number)
            .join(decided, decided.c.request_id == Request.id)
            .where(
                Request.status.in_(_FINAL),
                decided.c.decided_at < cutoff,
                _left_to_redact(),
            )
            .order_by(Request.number)
        )
        return [(row.id, row.number) for row in rows]


def _lifted_blocks(cutoff: dt.datetime) -> ColumnElement[bool]:
    return and_(
        Block.unblocked_at.is_not(None), Block.unblocked_at < cutoff, Block.user_key != REDACTED
    )


async def redact_blocks(
    session: AsyncSession, where: ColumnElement[bool], *, dry_run: bool = False
) -> int:
    """Redacts the person (user key) and the officer's reason of the blocks ``where``
    selects (lifted ones only: the caller's condition must say so); returns how many."""
    if dry_run:
        return int(await session.scalar(select(func.count(Block.id)).where(where)) or 0)
    changed = await session.scalars(
        update(Block).where(where).values(user_key=REDACTED, reason=REDACTED).returning(Block.id)
    )
    return len(list(changed))


async def _redact(session: AsyncSession, ids: list[int]) -> tuple[list[int], list[str]]:
    """Redacts what is left of the personal data of the requests among ``ids`` (another
    worker may have done some; the person may have spoken since an earlier redaction);
    returns the ids changed now and their files' checksums."""
    mine = set(
        await session.scalars(
            update(Request)
            .where(Request.id.in_(ids), Request.description != REDACTED)
            .values(identity_number=REDACTED, phone=REDACTED, description=REDACTED, eligibility={})
            .returning(Request.id)
        )
    )
    for column in (Request.establishment_number, *_THEIR_SAY):
        mine.update(
            await session.scalars(
                update(Request)
                .where(Request.id.in_(ids), _unredacted(column))
                .values({column: REDACTED})
                .returning(Request.id)
            )
        )
    # the person's words in the audit trail (notes, answers to an officer, reasons);
    # the officers' rows (who decided what, when, why) stay whole
    mine.update(
        await session.scalars(
            update(StatusEvent)
            .where(StatusEvent.request_id.in_(ids), _persons_words())
            .values(reason=REDACTED)
            .returning(StatusEvent.request_id)
        )
    )
    # each decision's rating keeps its number and date; the person's comment goes
    mine.update(
        await session.scalars(
            update(Rating)
            .where(Rating.request_id.in_(ids), _unredacted(Rating.comment))
            .values(comment=REDACTED)
            .returning(Rating.request_id)
        )
    )
    # the officers' internal notes: their words go, who wrote each and when stay
    mine.update(
        await session.scalars(
            update(StaffNote)
            .where(StaffNote.request_id.in_(ids), StaffNote.text != REDACTED)
            .values(text=REDACTED)
            .returning(StaffNote.request_id)
        )
    )
    removed = (
        await session.execute(
            delete(Attachment)
            .where(Attachment.request_id.in_(ids))
            .returning(Attachment.request_id, Attachment.checksum)
        )
    ).all()
    mine.update(request_id for request_id, _checksum in removed)
    if not mine:
        return [], []
    # the texts already delivered about them (staff cards carry the identity and phone
    # numbers, a note's card the person's words); a row still to be sent keeps what it
    # must send
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.request_id.in_(mine), OutboxMessage.sent_at.is_not(None))
        .values(payload={"redacted": True})
    )
    return sorted(mine), [c for _r, c in removed if c]


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
    lifted = _lifted_blocks(now - dt.timedelta(days=days))
    if dry_run:
        async with sessions() as session:
            count = await session.scalar(
                select(func.count(Attachment.id)).where(
                    Attachment.request_id.in_([i for i, _ in due] or [-1])
                )
            )
            blocks = await redact_blocks(session, lifted, dry_run=True)
        return PurgeReport(tuple(n for _, n in due), int(count or 0), 0, blocks)
    done, attachments, removed = await redact_requests(
        sessions, store, due, now=now, media_grace=media_grace
    )
    async with sessions.begin() as session:
        await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        blocks = await redact_blocks(session, lifted)
    if done or blocks:
        log.info(
            "retention: %d decided requests older than %d days redacted, %d files deleted, "
            "%d lifted blocks redacted",
            len(done),
            days,
            removed,
            blocks,
        )
    return PurgeReport(tuple(done), attachments, removed, blocks)


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
            # reads what is still due, then redacts it: the write lock first (SQLITE_BEGIN)
            await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
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
