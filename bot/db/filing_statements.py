"""The filing's SQL, built once (issue 12): the statements a «confirm» runs (the account's
upsert, the request's row, its attachments and first status event, the look-up by
idempotency key) and the two steps that run them. Split from bot.db.requests_repo (the
filing gateway: its transaction, retries and look-ups), which re-exports
:func:`resident_actor`.

Built per «confirm» they cost more CPU than running them (about 90 SQLAlchemy coercions
and a cache key each time, and the ORM's unit of work for the request's row); built once,
each keeps its compiled form and cache key, and only the values change. Core statements
on the tables, so no ORM bookkeeping."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, cast

from sqlalchemy import Insert, Select, Table, bindparam, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import postgresql_insert
from bot.db.models import Account, Attachment, Request, StatusEvent, utcnow
from conversations.ports import Submission
from domain.status import RequestStatus

RECEIVED = RequestStatus("received").value


def resident_actor(channel: str, user_key: str) -> str:
    """The status-event actor for a person acting from their own chat."""
    return f"resident:{channel}:{user_key}"


_REQUESTS = cast(Table, Request.__table__)
_ACCOUNTS = cast(Table, Account.__table__)
_ATTACHMENTS = cast(Table, Attachment.__table__)
_EVENTS = cast(Table, StatusEvent.__table__)


@functools.cache
def filed_by_key() -> Select[tuple[str, str, dt.datetime, dt.date]]:
    """What the request filed under an idempotency key (``key``) says back to the person."""
    c = _REQUESTS.c
    return select(c.number, c.service_id, c.submitted_at, c.due_date).where(
        c.idempotency_key == bindparam("key")
    )


@functools.cache
def new_request(dialect: str) -> Any:
    """The request's row (every column a value at execution), its id returned, for
    ``dialect`` ("sqlite" or "postgresql"); nothing written and no row returned when a
    request with its idempotency key exists (ON CONFLICT DO NOTHING): the filing then
    reads that one (:func:`filed_by_key`), which saves a «confirm» the look-up by key it
    made first every time (issue 12). A clash on the request number still raises
    IntegrityError."""
    insert_for = postgresql_insert() if dialect == "postgresql" else sqlite.insert
    return (
        insert_for(_REQUESTS)
        .on_conflict_do_nothing(index_elements=[_REQUESTS.c.idempotency_key])
        .returning(_REQUESTS.c.id)
    )


@functools.cache
def _new_event() -> Insert:
    """A request's first status event (``request_id``, ``actor``, ``at``)."""
    return insert(_EVENTS).values(
        request_id=bindparam("request_id"),
        actor=bindparam("actor"),
        at=bindparam("at"),
        from_status=None,
        to_status=RECEIVED,
    )


@functools.cache
def _account_upsert(dialect: str, vouched: bool) -> Any:
    """The filing account's INSERT … ON CONFLICT DO UPDATE … RETURNING id, for ``dialect``
    ("sqlite" or "postgresql"); ``vouched``: the phone is the account's too (see
    :func:`account_for`). Values bound at execution: channel, user_key, verified_phone,
    locale, created_at."""
    insert_for = postgresql_insert() if dialect == "postgresql" else sqlite.insert
    c = _ACCOUNTS.c
    values = insert_for(_ACCOUNTS).values(
        channel=bindparam("channel", type_=c.channel.type),
        user_key=bindparam("user_key", type_=c.user_key.type),
        verified_phone=bindparam("verified_phone", type_=c.verified_phone.type),
        locale=bindparam("locale", type_=c.locale.type),
        created_at=bindparam("created_at", type_=c.created_at.type),
    )
    kept: dict[str, Any] = {"locale": values.excluded.locale}
    if vouched:
        kept["verified_phone"] = values.excluded.verified_phone
    return values.on_conflict_do_update(
        index_elements=[c.channel, c.user_key], set_=kept
    ).returning(c.id)


async def account_for(session: AsyncSession, submission: Submission) -> int:
    """The filing account's id, made if missing, remembering its latest language and, when
    vouched for, its phone: one INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite 3.35+,
    PostgreSQL) where the ORM sent a SELECT and then an INSERT or an UPDATE. Two first
    submits from one chat racing here both get the one account (the conflict clause, where
    a plain INSERT made the loser start over on its IntegrityError)."""
    dialect = session.get_bind().dialect.name
    upsert = _account_upsert(dialect, submission.phone_verified)
    result = await session.execute(
        upsert,
        {
            "channel": submission.channel,
            "user_key": submission.user_key,
            # a typed number nobody vouched for is the request's, not the account's
            "verified_phone": submission.phone if submission.phone_verified else None,
            "locale": submission.locale,
            "created_at": utcnow(),
        },
    )
    account_id: int = result.scalar_one()
    return account_id


async def add_children(
    session: AsyncSession, request_id: int, submission: Submission, at: dt.datetime
) -> None:
    """The new request's attachments (one executemany, in the order sent, so their ids
    keep it) and its first status event. Written by statement, not by the ORM's unit of
    work, which on SQLite sends one INSERT … RETURNING per row to learn ids nothing here
    reads (bench/dialogue.py counted 12 statements in a filing with two photos, 10 now,
    whatever the number of files)."""
    if submission.attachments:
        # the table's insert, not the ORM's bulk one, which leaves out a row's None
        # columns and so splits rows with and without a file name into batches
        await session.execute(
            _new_attachments(),
            [
                {
                    "request_id": request_id,
                    "kind": a.kind,
                    "channel_ref": a.ref,
                    "mime": a.mime,
                    "size": a.size,
                    "checksum": a.checksum,
                    "file_name": a.file_name,
                    "caption": a.caption,
                    "created_at": at,
                }
                for a in submission.attachments
            ],
        )
    await session.execute(
        _new_event(),
        {
            "request_id": request_id,
            "actor": resident_actor(submission.channel, submission.user_key),
            "at": at,
        },
    )


@functools.cache
def _new_attachments() -> Insert:
    return insert(_ATTACHMENTS)
