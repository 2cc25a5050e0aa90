"""Stored requests as plain frozen records: what read access hands out (no ORM object,
session or lazy load escapes bot.db), and the one query shape that loads a request whole.

Split from bot.db.requests_repo (the filing gateway and its look-ups), which re-exports
these names for its importers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import Attachment, Block, Request, StatusEvent
from domain.status import FINAL, RequestStatus


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    """A photo or file of a request: ``ref`` is the channel's file id, ``size`` in bytes."""

    kind: str
    ref: str
    mime: str
    size: int
    checksum: str | None
    file_name: str | None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class StatusEventRecord:
    """One line of a request's audit trail: who (``actor``), when, from and to which status."""

    actor: str
    at: dt.datetime
    from_status: RequestStatus | None
    to_status: RequestStatus
    reason: str | None
    # None for a change of status or hands; "note", "reconsider" or "kept" (see the model)
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """A request as stored. Personal data is kept out of repr() so that logging a record
    never writes an identity number, a phone number or the person's own words."""

    number: str
    status: RequestStatus
    service_id: str
    applicant_kind: str
    channel: str
    user_key: str = field(repr=False)
    identity_number: str = field(repr=False)
    identity_kind: str = field(repr=False)
    establishment_number: str | None = field(repr=False)
    phone: str = field(repr=False)
    description: str = field(repr=False)
    eligibility: dict[str, Any] = field(repr=False)
    locale: str = field(repr=False)
    submitted_at: dt.datetime = field(repr=False)
    due_date: dt.date = field(repr=False)
    updated_at: dt.datetime = field(repr=False)
    attachments: tuple[AttachmentRecord, ...] = field(repr=False)
    events: tuple[StatusEventRecord, ...] = field(repr=False)
    assigned_to: str | None = None
    assigned_name: str | None = field(default=None, repr=False)
    pending_question: str | None = field(default=None, repr=False)
    paused_since: dt.datetime | None = field(default=None, repr=False)
    decision_reason: str | None = field(default=None, repr=False)
    staff_chat_id: int | None = None
    staff_thread_id: int | None = None
    staff_message_id: int | None = None
    # False when the person typed the number and no channel vouched for it
    phone_verified: bool = True
    #: the numbers of the other open requests about the same identity number (filled by
    #: :func:`with_related` where officers read the record; empty otherwise)
    related: tuple[str, ...] = field(default=(), repr=False)
    # the person's satisfaction (1-5) and comment, and an open reconsideration's reason
    satisfaction: int | None = None
    satisfaction_comment: str | None = field(default=None, repr=False)
    reconsider_reason: str | None = field(default=None, repr=False)
    #: the block standing on the person who filed it: who (the audit signature) and why;
    #: None when not blocked (filled by :func:`with_related`, like ``related``)
    sender_blocked_by: str | None = field(default=None, repr=False)
    sender_block_reason: str | None = field(default=None, repr=False)


def select_requests() -> Select[Request]:
    """A query for requests with their attachments and events loaded in the same go, so a
    record can be made after the session is closed."""
    return select(Request).options(selectinload(Request.attachments), selectinload(Request.events))


async def with_related(
    session: AsyncSession, records: Sequence[RequestRecord]
) -> list[RequestRecord]:
    """The records with ``related`` filled: the other open requests (numbers, oldest
    first) about each one's identity number; and ``sender_blocked_by`` and
    ``sender_block_reason`` when the person who filed is blocked (bot.abuse.blocks), so a
    card drawn on any worker says so. Two queries for the lot."""
    identities = {r.identity_number for r in records}
    if not identities:
        return list(records)
    records = await _with_blocks(session, records)
    rows = await session.execute(
        select(Request.identity_number, Request.number)
        .where(
            Request.identity_number.in_(identities),
            Request.status.in_([s.value for s in RequestStatus if s not in FINAL]),
        )
        .order_by(Request.submitted_at, Request.id)
    )
    open_by_identity: dict[str, list[str]] = {}
    for identity, number in rows:
        open_by_identity.setdefault(identity, []).append(number)
    return [
        dataclasses.replace(
            r,
            related=tuple(n for n in open_by_identity.get(r.identity_number, ()) if n != r.number),
        )
        for r in records
    ]


async def _with_blocks(
    session: AsyncSession, records: Sequence[RequestRecord]
) -> list[RequestRecord]:
    people = {(r.channel, r.user_key) for r in records}
    rows = await session.execute(
        select(Block.channel, Block.user_key, Block.blocked_by, Block.reason)
        .where(Block.user_key.in_({key for _channel, key in people}), Block.unblocked_at.is_(None))
        .order_by(Block.id)
    )
    # the newest active block of each person stands (one at most, in practice)
    blocks = {(channel, key): (by, reason) for channel, key, by, reason in rows}
    return [
        dataclasses.replace(
            r,
            sender_blocked_by=blocks[(r.channel, r.user_key)][0],
            sender_block_reason=blocks[(r.channel, r.user_key)][1],
        )
        if (r.channel, r.user_key) in blocks
        else r
        for r in records
    ]


def to_record(request: Request) -> RequestRecord:
    """The frozen record of a request loaded by :func:`select_requests`."""
    return RequestRecord(
        number=request.number,
        status=RequestStatus(request.status),
        service_id=request.service_id,
        applicant_kind=request.applicant_kind,
        channel=request.channel,
        user_key=request.user_key,
        identity_number=request.identity_number,
        identity_kind=request.identity_kind,
        establishment_number=request.establishment_number,
        phone=request.phone,
        description=request.description,
        eligibility=dict(request.eligibility),
        locale=request.locale,
        submitted_at=request.submitted_at,
        due_date=request.due_date,
        updated_at=request.updated_at,
        attachments=tuple(_attachment(a) for a in request.attachments),
        events=tuple(_event(e) for e in request.events),
        assigned_to=request.assigned_to,
        assigned_name=request.assigned_name,
        pending_question=request.pending_question,
        paused_since=request.paused_since,
        decision_reason=request.decision_reason,
        staff_chat_id=request.staff_chat_id,
        staff_thread_id=request.staff_thread_id,
        staff_message_id=request.staff_message_id,
        phone_verified=request.phone_verified,
        satisfaction=request.satisfaction,
        satisfaction_comment=request.satisfaction_comment,
        reconsider_reason=request.reconsider_reason,
    )


def _attachment(a: Attachment) -> AttachmentRecord:
    return AttachmentRecord(
        kind=a.kind,
        ref=a.channel_ref,
        mime=a.mime,
        size=a.size,
        checksum=a.checksum,
        file_name=a.file_name,
        caption=a.caption,
    )


def _event(e: StatusEvent) -> StatusEventRecord:
    return StatusEventRecord(
        actor=e.actor,
        at=e.at,
        from_status=None if e.from_status is None else RequestStatus(e.from_status),
        to_status=RequestStatus(e.to_status),
        reason=e.reason,
        kind=e.kind,
    )
