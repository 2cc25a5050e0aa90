"""Requests in SQL: the RequestGateway the dialogues file through (once per idempotency
key, the officers' alert queued in the same transaction), and its look-ups, which hand out
plain frozen records (bot.db.request_records, whose names are re-exported here for the
modules that import them from this one)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import SQLITE_BEGIN
from bot.db.filing_statements import (
    RECEIVED,
    account_for,
    add_children,
    filed_by_key,
    new_request,
    resident_actor,
)
from bot.db.models import Account, Request, utcnow
from bot.db.request_records import (
    AttachmentRecord,
    RequestRecord,
    StatusEventRecord,
    select_requests,
    to_record,
    with_related,
)
from bot.outbox.queue import new_staff_card_row, outbox_insert
from bot.outbox.receipts import ReceiptQueue
from conversations.ports import Submission, SubmittedRequest
from domain.request_number import new_request_number
from domain.sla import due_date
from domain.status import RequestStatus

# the records' names are imported from here by many modules, since before the split
__all__ = [
    "MAX_LOCK_ATTEMPTS",
    "MAX_SUBMIT_ATTEMPTS",
    "RECONNECT_WAITS_S",
    "AttachmentRecord",
    "RequestRecord",
    "SqlRequestGateway",
    "StatusEventRecord",
    "record_staff_card",
    "resident_actor",
    "select_requests",
    "to_record",
    "with_related",
]

log = logging.getLogger(__name__)

# How many times one submit starts over after a unique-constraint clash: another worker
# filing the same idempotency key (the next attempt finds its request) or a random request
# number already taken (odds ~1e-9 each). The account's upsert does not clash.
MAX_SUBMIT_ATTEMPTS = 8

# How many times one submit asks SQLite for its write lock before the confirmation fails.
# Each ask waits up to busy_timeout (15 s, bot.db.engine). Under a burst the wait is not
# first come, first served: SQLite's busy handler polls every 100 ms, and a writer that
# begins between two polls takes the lock first, so one confirmation can lose for the whole
# 15 s while its worker's other writers go ahead (each holds the lock over several
# event-loop hops per statement, aiosqlite's cursor, execute and fetch: seconds when the
# loop is busy). Nothing is written when BEGIN
# IMMEDIATE is refused and the idempotency key makes a repeat safe, so it asks again.
MAX_LOCK_ATTEMPTS = 3
_SQLITE_BUSY = 5  # sqlite3.SQLITE_BUSY; extended codes (BUSY_SNAPSHOT ...) keep it in the low byte

# The waits (seconds; 3 s in all) before a submit starts over after losing its database
# connection: PostgreSQL restarted or failed over, or the connection was cut. Without them
# the person confirming then got «عذرًا، حدث خطأ…» (bench/load.py with a restart mid-load:
# 8 and 4 of 40 confirmations). Safe for the idempotency key: a transaction whose COMMIT
# was cut may have been written, and the next attempt then finds its request.
RECONNECT_WAITS_S: tuple[float, ...] = (0.25, 0.5, 1.0, 1.25)
# SQLSTATEs of a lost connection (asyncpg sets them on its errors): class 08, connection
# exception; 57P01 admin_shutdown (a fast shutdown, pg_terminate_backend), 57P02
# crash_shutdown, 57P03 cannot_connect_now (the server is starting or stopping).
_LOST_STATES = frozenset({"57P01", "57P02", "57P03"})


class _FiledBefore(Exception):
    """A request with the submission's idempotency key exists (the filing wrote nothing)."""


class SqlRequestGateway:
    """Files confirmed drafts as requests, once per idempotency key, and reads them back."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        number_factory: Callable[[], str] = new_request_number,
        holidays: frozenset[dt.date] | None = None,
        receipts: ReceiptQueue | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._new_number = number_factory
        # None means the shipped calendar; operators override it with TAWASUL_HOLIDAYS_FILE
        self._holidays = holidays
        # writes a submission's receipt (Submission.receipt) in the filing's transaction
        self._receipts = receipts

    async def submit(self, submission: Submission) -> SubmittedRequest:
        """Files ``submission`` once per idempotency key, with the officers' card and, when
        this gateway has the receipts' queue, the receipt ``submission.receipt`` makes (its
        key in ``follow_up``), in one transaction. A lost database connection is waited
        out (:data:`RECONNECT_WAITS_S`) and the filing started over. Raises IntegrityError
        after :data:`MAX_SUBMIT_ATTEMPTS` clashes, OperationalError when SQLite's write lock
        was refused :data:`MAX_LOCK_ATTEMPTS` times, the connection's error when it is still
        lost after the waits, and any other database failure at once."""
        error: IntegrityError | None = None
        clashes = 0
        refused = 0
        waits = iter(RECONNECT_WAITS_S)
        while clashes < MAX_SUBMIT_ATTEMPTS:
            try:
                return await self._submit_once(submission)
            except _FiledBefore:
                clashes += 1  # filed, then gone before it could be read: start over
                continue
            except IntegrityError as exc:
                # The transaction is rolled back; start over. If another worker filed this
                # key meanwhile, the next attempt finds and returns its request.
                error = exc
                clashes += 1
                log.info("request submit clashed on a unique key; retrying")
            except OperationalError as exc:
                if not _sqlite_busy(exc):
                    await _wait_to_reconnect(exc, waits)
                    continue
                refused += 1
                if refused >= MAX_LOCK_ATTEMPTS:
                    raise
                log.warning("request submit found the database locked; asking again")
            except (DBAPIError, OSError) as exc:  # a TimeoutError is an OSError
                await _wait_to_reconnect(exc, waits)
        if error is None:
            raise RuntimeError("the request filed under this key vanished on every attempt")
        raise error

    async def _submit_once(self, submission: Submission) -> SubmittedRequest:
        try:
            return await self._file(submission)
        except _FiledBefore:
            # the filing's transaction is rolled back, the account's upsert with it
            return await self._filed_before(submission)

    async def _filed_before(self, submission: Submission) -> SubmittedRequest:
        """The request already filed under the submission's idempotency key (a retried
        turn, a second «confirm»). Raises _FiledBefore when it is gone again (deleted
        between the INSERT that met it and this read), for the submit loop to start
        over."""
        async with self._sessionmaker() as session:
            existing = (
                await session.execute(filed_by_key(), {"key": submission.idempotency_key})
            ).first()
        if existing is None:
            raise _FiledBefore
        log.info("request %s already filed for this draft", existing.number)
        return SubmittedRequest(
            number=existing.number,
            service_id=existing.service_id,
            submitted_at=existing.submitted_at,
            due_date=existing.due_date,
            created=False,
        )

    async def _file(self, submission: Submission) -> SubmittedRequest:
        """One filing transaction. Raises _FiledBefore (rolling it back) when a request
        with the submission's idempotency key exists: its INSERT … ON CONFLICT DO NOTHING
        wrote nothing, so a «confirm» no longer reads by key first (issue 12: a statement
        less under the write lock, every filing)."""
        async with self._sessionmaker() as session, session.begin():
            # On SQLite take the write lock at BEGIN: this transaction writes.
            connection = await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            account_id = await account_for(session, submission)
            submitted_at = self._clock()
            number = self._new_number()
            due = due_date(submitted_at, holidays=self._holidays)
            # A clash on the number raises IntegrityError here, inside the transaction; a
            # key filed before (or meanwhile, by another worker) returns no row.
            request_id: int | None = (
                await session.execute(
                    new_request(connection.dialect.name),
                    {
                        "number": number,
                        "idempotency_key": submission.idempotency_key,
                        "account_id": account_id,
                        "channel": submission.channel,
                        "user_key": submission.user_key,
                        "applicant_kind": submission.applicant_kind,
                        "service_id": submission.service_id,
                        "identity_number": submission.identity_number,
                        "identity_kind": submission.identity_kind,
                        "establishment_number": submission.establishment_number,
                        "phone": submission.phone,
                        "phone_verified": submission.phone_verified,
                        "description": submission.description,
                        "eligibility": dict(submission.eligibility),
                        "status": RECEIVED,
                        "locale": submission.locale,
                        "submitted_at": submitted_at,
                        "due_date": due,
                        "updated_at": submitted_at,
                    },
                )
            ).scalar_one_or_none()
            if request_id is None:
                raise _FiledBefore
            await add_children(session, request_id, submission, submitted_at)
            # the officers' alert is queued in the same transaction as the request itself;
            # what it reads of the request is its id and number (a new one has no row yet)
            card = new_staff_card_row(request_id, number)
            filed = SubmittedRequest(
                number=number,
                service_id=submission.service_id,
                submitted_at=submitted_at,
                due_date=due,
                created=True,
            )
            if submission.receipt is not None and self._receipts is not None:
                # and the person's receipt: one transaction where there were two, and its
                # rows in one executemany with the card's, the card's first (issue 12:
                # «confirm» the tail at 200 at once; three INSERTs before)
                receipt, confirmation = submission.receipt(filed)
                key = await self._receipts.add(
                    session,
                    receipt,
                    confirmation,
                    submission.channel,
                    submission.user_key,
                    first=[card],
                )
                filed = dataclasses.replace(filed, follow_up=key)
            else:
                await session.execute(outbox_insert(), card)
            log.info(
                "request %s filed: service=%s channel=%s attachments=%d",
                number,
                submission.service_id,
                submission.channel,
                len(submission.attachments),
            )
            return filed

    async def get_by_number(self, number: str) -> RequestRecord | None:
        async with self._sessionmaker() as session:
            request = await session.scalar(select_requests().where(Request.number == number))
            return None if request is None else to_record(request)

    # ---- look-ups by a request number someone typed or sent in a button ---------------
    # Each asks the database the same single question whether or not the number exists,
    # and loads the whole request only for the person entitled to it: an answer that
    # takes longer when a number exists would tell a stranger that it does (issue 15.2).

    async def owned(self, number: str, channel: str, user_key: str) -> RequestRecord | None:
        """The request if this chat filed it; None when it is missing or someone else's."""
        return await self._entitled(
            Request.number == number, Request.channel == channel, Request.user_key == user_key
        )

    async def with_identity(self, number: str, identity_number: str) -> RequestRecord | None:
        """The request if it was filed with ``identity_number``; None otherwise."""
        return await self._entitled(
            Request.number == number, Request.identity_number == identity_number
        )

    async def owned_question(
        self, number: str, channel: str, user_key: str
    ) -> tuple[RequestStatus, str | None] | None:
        """(status, the officer's open question) of this chat's request; None when it is
        missing or someone else's."""
        async with self._sessionmaker() as session:
            row = (
                await session.execute(
                    select(Request.status, Request.pending_question).where(
                        Request.number == number,
                        Request.channel == channel,
                        Request.user_key == user_key,
                    )
                )
            ).first()
        return None if row is None else (RequestStatus(row[0]), row[1])

    async def _entitled(self, *where: Any) -> RequestRecord | None:
        async with self._sessionmaker() as session:
            request_id = await session.scalar(select(Request.id).where(*where))
            if request_id is None:
                return None
            request = await session.scalar(select_requests().where(Request.id == request_id))
            return None if request is None else to_record(request)

    async def list_for_account(self, channel: str, user_key: str) -> list[RequestRecord]:
        """The requests filed from one chat, newest first."""
        async with self._sessionmaker() as session:
            rows = await session.scalars(_for_account(), {"channel": channel, "user_key": user_key})
            return [to_record(r) for r in rows]


@functools.cache
def _for_account() -> Select[Request]:
    # Built once: every first menu asks it (Gateway.my_requests), and building the query
    # with its two selectinload options cost more CPU than running it on an empty account
    # (the profile of bench/dialogue.py, issue 12).
    return (
        select_requests()
        .join(Account, Request.account_id == Account.id)
        .where(Account.channel == bindparam("channel"), Account.user_key == bindparam("user_key"))
        .order_by(Request.submitted_at.desc(), Request.id.desc())
    )


async def _wait_to_reconnect(exc: Exception, waits: Iterator[float]) -> None:
    """Sleeps the next of ``waits`` when ``exc`` is a lost connection; raises ``exc`` when
    it is not one (a data or programming error is never tried again) or the waits are
    spent. Own code rather than a retry library: one loop already starts a filing over
    for two other causes, and the project has no such dependency."""
    wait = next(waits, None) if connection_lost(exc) else None
    if wait is None:
        raise exc
    # the error's type only: its text may quote the statement
    log.warning(
        "request submit lost its database connection (%s); filing again in %.2f s",
        type(exc).__name__,
        wait,
    )
    await asyncio.sleep(wait)


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` says the database connection was lost or could not be made: what
    SQLAlchemy marks as a disconnect, an error with a connection SQLSTATE (on SQLAlchemy's
    wrapper or asyncpg's own, raised while connecting), or the socket's OSError/timeout."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # SQLAlchemy's error, the driver's (DBAPIError.orig), the asyncpg error it adapts
    orig = getattr(exc, "orig", None)
    for error in (exc, orig, getattr(orig, "__cause__", None)):
        state = getattr(error, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in _LOST_STATES):
            return True
    return isinstance(exc, OSError)  # refused, reset, timed out (TimeoutError)


def _sqlite_busy(exc: OperationalError) -> bool:
    """Whether SQLite refused its lock («database is locked»), after busy_timeout."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == _SQLITE_BUSY


async def record_staff_card(
    session: AsyncSession,
    request_id: int,
    *,
    chat_id: int,
    thread_id: int | None,
    message_id: int,
) -> None:
    """Where the request's card now is in the staff group, so later changes edit it.
    Not a change to the request itself: ``updated_at`` is left as it was."""
    await session.execute(
        update(Request)
        .where(Request.id == request_id)
        .values(
            staff_chat_id=chat_id,
            staff_thread_id=thread_id,
            staff_message_id=message_id,
            updated_at=Request.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
