"""SqlRequestGateway against real SQLite and PostgreSQL databases (fixtures in conftest)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from unittest import mock

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.sql import coercions

from bot.db.models import (
    REQUEST_STATUSES,
    Account,
    Attachment,
    OutboxMessage,
    Request,
    StatusEvent,
)
from bot.db.requests_repo import SqlRequestGateway
from bot.outbox.receipts import ReceiptQueue
from conversations.events import Reply
from conversations.ports import AttachmentInfo, Submission, SubmittedRequest
from conversations.receipt import Receipt
from domain.request_number import new_request_number
from domain.sla import due_date
from domain.status import RequestStatus

TEN_ASCII_DIGITS = re.compile(r"[0-9]{10}")  # not \d: it also matches Arabic-Indic digits

ATTACHMENTS = (
    AttachmentInfo(
        kind="photo",
        ref="AgACAgIAAxkBAAIBY2Zr-file-id",
        mime="image/jpeg",
        size=123_456,
        checksum="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
    AttachmentInfo(
        kind="document",
        ref="wamid.media.778899",
        mime="application/pdf",
        size=2_000_000,
        file_name="جواز.pdf",
    ),
)


def submission(key: str = "draft-1", user_key: str = "5551001", **overrides: object) -> Submission:
    fields: dict[str, object] = {
        "idempotency_key": key,
        "channel": "telegram",
        "user_key": user_key,
        "locale": "ar",
        "applicant_kind": "individual",
        "service_id": "iqama_renew",
        "identity_number": "2000000006",
        "identity_kind": "resident",
        "phone": "+966500000001",
        "description": "لا أستطيع تجديد الإقامة من أبشر",
        "eligibility": {"inside_kingdom": "yes"},
        "attachments": ATTACHMENTS,
    }
    fields.update(overrides)
    return Submission(**fields)  # type: ignore[arg-type]


def luhn_valid(number: str) -> bool:
    """Independent of domain.luhn on purpose: the test should not trust what it checks."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


async def count(sessionmaker: async_sessionmaker[AsyncSession], model: type[object]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_submit_files_a_request(
    gateway: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    before = dt.datetime.now(dt.UTC)
    result = await gateway.submit(submission())

    assert result.created is True
    assert TEN_ASCII_DIGITS.fullmatch(result.number)
    assert luhn_valid(result.number)
    assert result.service_id == "iqama_renew"
    assert result.submitted_at.tzinfo is not None
    assert before <= result.submitted_at <= dt.datetime.now(dt.UTC)
    assert result.due_date == due_date(result.submitted_at)

    record = await gateway.get_by_number(result.number)
    assert record is not None
    assert record.status is RequestStatus.RECEIVED
    assert (record.identity_number, record.identity_kind) == ("2000000006", "resident")
    assert record.phone == "+966500000001"
    assert record.description == "لا أستطيع تجديد الإقامة من أبشر"
    assert record.eligibility == {"inside_kingdom": "yes"}
    assert record.submitted_at == result.submitted_at
    assert record.due_date == result.due_date
    assert [
        (a.kind, a.ref, a.mime, a.size, a.checksum, a.file_name) for a in record.attachments
    ] == [(a.kind, a.ref, a.mime, a.size, a.checksum, a.file_name) for a in ATTACHMENTS]
    assert len(record.events) == 1
    event = record.events[0]
    assert event.from_status is None
    assert event.to_status is RequestStatus.RECEIVED
    assert event.actor == "resident:telegram:5551001"
    assert event.at == result.submitted_at

    async with db_sessionmaker() as session:
        account = (await session.scalars(select(Account))).one()
        assert (account.channel, account.user_key) == ("telegram", "5551001")
        assert account.verified_phone == "+966500000001"
        assert account.locale == "ar"
        stored = (await session.scalars(select(Request))).one()
        assert stored.account_id == account.id
        assert stored.status == "received"


async def test_same_idempotency_key_files_once(
    gateway: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await gateway.submit(submission())
    again = await gateway.submit(submission())

    assert again.created is False
    assert again.number == first.number
    assert again.submitted_at == first.submitted_at
    assert again.due_date == first.due_date
    assert await count(db_sessionmaker, Request) == 1
    assert await count(db_sessionmaker, Attachment) == len(ATTACHMENTS)
    assert await count(db_sessionmaker, StatusEvent) == 1


async def test_concurrent_submits_with_one_key_file_one_request(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Ten workers, each with its own gateway, racing on the same confirmed draft.
    gateways = [SqlRequestGateway(db_sessionmaker) for _ in range(10)]
    results = await asyncio.gather(*(g.submit(submission()) for g in gateways))

    assert sum(r.created for r in results) == 1
    assert len({r.number for r in results}) == 1
    assert await count(db_sessionmaker, Request) == 1
    assert await count(db_sessionmaker, Attachment) == len(ATTACHMENTS)
    assert await count(db_sessionmaker, StatusEvent) == 1
    assert await count(db_sessionmaker, Account) == 1


async def test_first_submits_of_a_new_chat_race_to_one_account(
    gateway: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    results = await asyncio.gather(*(gateway.submit(submission(f"draft-{i}")) for i in range(5)))

    assert all(r.created for r in results)
    assert len({r.number for r in results}) == 5
    assert await count(db_sessionmaker, Account) == 1


async def test_numbers_are_unique_and_not_sequential(gateway: SqlRequestGateway) -> None:
    numbers: list[str] = []
    for batch in range(10):
        results = await asyncio.gather(
            *(gateway.submit(submission(f"draft-{batch}-{i}", user_key=f"u{i}")) for i in range(20))
        )
        numbers.extend(r.number for r in results)

    assert len(numbers) == 200
    assert len(set(numbers)) == 200
    assert all(TEN_ASCII_DIGITS.fullmatch(n) and luhn_valid(n) for n in numbers)
    values = [int(n) for n in numbers]
    # Random, not a counter: neither increasing in filing order nor close to one another.
    assert values != sorted(values)
    ordered = sorted(values)
    assert min(b - a for a, b in itertools.pairwise(ordered)) > 10


async def test_number_clash_is_retried_with_a_new_number(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    taken = new_request_number()
    fresh = new_request_number()
    while fresh == taken:
        fresh = new_request_number()

    def numbers() -> Iterator[str]:
        yield taken
        yield taken  # the clash: the next submit draws an already used number first
        yield fresh

    source = numbers()
    gateway = SqlRequestGateway(db_sessionmaker, number_factory=lambda: next(source))
    first = await gateway.submit(submission("draft-a"))
    second = await gateway.submit(submission("draft-b"))

    assert (first.number, second.number) == (taken, fresh)
    assert second.created is True
    assert await count(db_sessionmaker, Request) == 2


async def test_account_keeps_latest_phone_and_locale_and_lists_its_requests(
    gateway: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    times = iter(
        [
            dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC),
        ]
    )
    clocked = SqlRequestGateway(db_sessionmaker, clock=lambda: next(times))
    first = await clocked.submit(submission("draft-1"))
    second = await clocked.submit(
        submission("draft-2", locale="en", phone="+966500000002", service_id="final_exit_visa")
    )
    await clocked.submit(submission("draft-3", user_key="someone-else"))

    async with db_sessionmaker() as session:
        account = await session.scalar(select(Account).where(Account.user_key == "5551001"))
        assert account is not None
        assert (account.verified_phone, account.locale) == ("+966500000002", "en")

    mine = await gateway.list_for_account("telegram", "5551001")
    assert [r.number for r in mine] == [second.number, first.number]  # newest first
    assert mine[0].submitted_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert await gateway.list_for_account("whatsapp", "5551001") == []
    assert await gateway.get_by_number("5000000000") is None


async def test_record_repr_hides_personal_data(gateway: SqlRequestGateway) -> None:
    result = await gateway.submit(submission())
    record = await gateway.get_by_number(result.number)
    assert record is not None
    shown = repr(record)
    assert result.number in shown
    for secret in ("2000000006", "+966500000001", "5551001", "أبشر"):
        assert secret not in shown


async def test_times_round_trip_as_aware_utc(
    gateway: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    riyadh = dt.timezone(dt.timedelta(hours=3))
    at = dt.datetime(2026, 3, 5, 23, 30, tzinfo=riyadh)  # Thursday night, Riyadh time
    clocked = SqlRequestGateway(db_sessionmaker, clock=lambda: at)
    result = await clocked.submit(submission())
    record = await gateway.get_by_number(result.number)
    assert record is not None
    assert record.submitted_at == at
    assert record.submitted_at.utcoffset() == dt.timedelta(0)
    assert record.due_date == due_date(at)


async def test_foreign_keys_are_enforced(db_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    # On SQLite this holds only because the engine turns the pragma on for every connection.
    with pytest.raises(IntegrityError):
        async with db_sessionmaker() as session, session.begin():
            await session.execute(
                text(
                    "INSERT INTO attachments"
                    " (request_id, kind, channel_ref, mime, size, created_at)"
                    " VALUES (424242, 'photo', 'x', 'image/jpeg', 1, CURRENT_TIMESTAMP)"
                )
            )


def test_status_guard_matches_the_domain() -> None:
    assert set(REQUEST_STATUSES) == {s.value for s in RequestStatus}


async def test_an_unvouched_phone_leaves_the_account_s_own(
    gateway: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await gateway.submit(submission("draft-1"))
    await gateway.submit(
        submission("draft-2", phone="+966500000009", phone_verified=False, locale="en")
    )
    await gateway.submit(submission("draft-3", user_key="typed", phone_verified=False))

    async with db_sessionmaker() as session:
        accounts = {
            a.user_key: (a.verified_phone, a.locale) for a in await session.scalars(select(Account))
        }
    # the typed number is the request's; the language is the account's latest
    assert accounts == {"5551001": ("+966500000001", "en"), "typed": (None, "ar")}


async def test_a_filing_sends_as_many_statements_whatever_its_files(
    gateway: SqlRequestGateway, db_engine: AsyncEngine
) -> None:
    """The filing's SQL does not grow with the files: 2 or 6 files, the same statements,
    one fewer with none (the ORM's unit of work sent one INSERT a file)."""
    sent: list[str] = []

    def note(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(db_engine.sync_engine, "before_cursor_execute", note)
    six = tuple(
        AttachmentInfo(kind="photo", ref=f"file-{i}", mime="image/jpeg", size=1000 + i)
        for i in range(6)
    )
    counts, numbers = [], []
    for key, files in (("draft-1", ATTACHMENTS), ("draft-2", six), ("draft-3", ())):
        sent.clear()
        numbers.append((await gateway.submit(submission(key, attachments=files))).number)
        counts.append(len(sent))
    event.remove(db_engine.sync_engine, "before_cursor_execute", note)

    assert counts[0] == counts[1] == counts[2] + 1, counts
    record = await gateway.get_by_number(numbers[1])
    assert record is not None
    assert [(a.ref, a.size) for a in record.attachments] == [
        (f"file-{i}", 1000 + i) for i in range(6)
    ]


async def test_a_filing_builds_no_statement_of_its_own(
    gateway: SqlRequestGateway, db_engine: AsyncEngine
) -> None:
    """Issue 12: the filing's statements are built once, not at every «confirm», where
    building them (52 SQLAlchemy coercions a filing, about 90 with the receipt) cost more
    CPU than sending them. What is left is the officers' card's row, an ORM object."""
    await gateway.submit(submission("draft-1"))
    with mock.patch.object(coercions, "expect", wraps=coercions.expect) as expect:
        filed = await gateway.submit(submission("draft-2", user_key="5551002"))
    assert filed.created
    assert expect.call_count <= 10, expect.call_count


async def test_a_filing_with_its_receipt_runs_no_orm_flush(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Issue 12: the filing's rows (the request, its officers' card, the receipt's text
    and card) are prebuilt INSERTs, not objects for the ORM's unit of work, which cost a
    fifth of a filing's CPU (two flushes: the receipt's, then the commit's). The rows are
    as before: the text's row before the card's, both held."""
    receipts = ReceiptQueue(db_sessionmaker)
    gateway = SqlRequestGateway(db_sessionmaker, receipts=receipts)

    def receipt_of(filed: SubmittedRequest) -> tuple[Receipt, Reply]:
        receipt = Receipt(filed.number, filed.service_id, dt.date(2026, 12, 2), filed.due_date,
                          7, "ar")  # fmt: skip
        return receipt, Reply(text=f"رقم طلبك {filed.number}")

    flushes: list[object] = []

    def flushed(*args: object) -> None:
        flushes.append(args)

    event.listen(Session, "before_flush", flushed)
    try:
        filed = await gateway.submit(submission(receipt=receipt_of))
    finally:
        event.remove(Session, "before_flush", flushed)
    assert flushes == []
    async with db_sessionmaker() as session:
        rows = (
            await session.execute(
                select(OutboxMessage.kind, OutboxMessage.dedupe_key, OutboxMessage.sent_at)
                .where(OutboxMessage.target.in_(["5551001", "staff"]))
                .order_by(OutboxMessage.id)
            )
        ).all()
    key = f"receipt:{filed.number}"
    assert filed.follow_up == key
    assert [tuple(r) for r in rows] == [
        ("staff_card", None, None),
        ("notify", f"{key}:text", None),
        ("receipt", key, None),
    ]


async def test_a_filing_with_its_receipt_sends_five_statements_and_no_read(
    db_sessionmaker: async_sessionmaker[AsyncSession], db_engine: AsyncEngine
) -> None:
    """Issue 12 («confirm», the tail at 200 at once): inside its transaction a filing with
    its receipt sends the account's upsert, the request's INSERT … ON CONFLICT DO NOTHING,
    its attachments, its first event and its three outbox rows in one executemany: no
    look-up by key first (it was a SELECT, and the outbox rows three INSERTs). A second
    submit of the same key still answers with the first request."""
    gateway = SqlRequestGateway(db_sessionmaker, receipts=ReceiptQueue(db_sessionmaker))

    def receipt_of(filed: SubmittedRequest) -> tuple[Receipt, Reply]:
        receipt = Receipt(filed.number, filed.service_id, dt.date(2026, 12, 2), filed.due_date,
                          7, "ar")  # fmt: skip
        return receipt, Reply(text=f"رقم طلبك {filed.number}")

    sent: list[str] = []

    def note(*args: object) -> None:
        words = str(args[2]).split()  # «INSERT INTO table …» is noted by its table
        sent.append(words[2] if words[:2] == ["INSERT", "INTO"] else words[0])

    event.listen(db_engine.sync_engine, "before_cursor_execute", note)
    try:
        filed = await gateway.submit(submission("draft-9", receipt=receipt_of))
    finally:
        event.remove(db_engine.sync_engine, "before_cursor_execute", note)
    assert filed.created
    written = [s for s in sent if not s.upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT"))]
    assert written == ["accounts", "requests", "attachments", "status_events", "outbox"], sent
    again = await gateway.submit(submission("draft-9", receipt=receipt_of))
    assert (again.created, again.number) == (False, filed.number)
