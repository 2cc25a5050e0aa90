"""ReceiptQueue.release, on SQLite and PostgreSQL: what the channel's word after a
confirmation does to the receipt's two held rows (the text's durable copy, the card).

Pins the rows' states one by one, so that the release may be written as one statement
(issue 12) and still do what the two did: the text the person has is closed as sent and
not sent again, the card becomes due, and a row a dispatcher holds or has tried is left to
the dispatcher."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gc

from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage
from bot.outbox.queue import RECEIPT
from bot.outbox.receipts import HOLD_S, ReceiptQueue
from conversations.events import Origin, Reply
from conversations.receipt import Receipt

FILED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANSWERED = FILED + dt.timedelta(seconds=2)
HELD = FILED + dt.timedelta(seconds=HOLD_S)
RECEIPT_ = Receipt(
    number="4512345671",
    service_id="technical_issue",
    filed=FILED.date(),
    due=dt.date(2026, 3, 11),
    working_days=7,
    locale="ar",
)


class Clock:
    def __init__(self) -> None:
        self.now = FILED

    def __call__(self) -> dt.datetime:
        return self.now


async def _queued(
    sessions: async_sessionmaker[AsyncSession],
) -> tuple[ReceiptQueue, Clock, str]:
    clock = Clock()
    queue = ReceiptQueue(sessions, clock=clock)
    confirmation = Reply("تم استلام طلبك. رقم الطلب: 4512345671")
    key = await queue.send_after(RECEIPT_, confirmation, Origin("telegram", "42", "7"))
    clock.now = ANSWERED
    return queue, clock, key


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> dict[str, OutboxMessage]:
    async with sessions() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    return {"card" if r.kind == RECEIPT else "text": r for r in rows}


async def _set(sessions: async_sessionmaker[AsyncSession], kind: str, **values: object) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.kind == kind).values(values)
        )


async def test_the_text_sent_in_the_turn_is_closed_and_the_card_made_due(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    queue, _, key = await _queued(db_sessionmaker)
    await queue.release(key, delivered=True)
    rows = await _rows(db_sessionmaker)
    text, card = rows["text"], rows["card"]
    assert (text.delivery_status, text.sent_at, text.last_error) == (
        "sent", ANSWERED, "sent in the turn",
    )  # fmt: skip
    assert text.next_attempt_at == HELD
    assert (card.delivery_status, card.sent_at, card.next_attempt_at) == ("queued", None, ANSWERED)


async def test_a_text_the_platform_refused_is_made_due_before_the_card(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    queue, _, key = await _queued(db_sessionmaker)
    await queue.release(key, delivered=False)
    rows = await _rows(db_sessionmaker)
    for row in rows.values():
        assert (row.delivery_status, row.sent_at, row.next_attempt_at) == (
            "queued", None, ANSWERED,
        )  # fmt: skip
    assert rows["text"].id < rows["card"].id  # the text goes first


async def test_a_text_the_dispatcher_tried_already_is_left_to_it(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # the hold ran out and the dispatcher tried the copy before the channel said it sent
    # the text: closing it now could hide the dispatcher's own send; it is made due instead
    queue, _, key = await _queued(db_sessionmaker)
    await _set(db_sessionmaker, "notify", attempts=1)
    await queue.release(key, delivered=True)
    rows = await _rows(db_sessionmaker)
    assert (rows["text"].delivery_status, rows["text"].sent_at) == ("queued", None)
    assert rows["text"].next_attempt_at == ANSWERED
    assert rows["card"].next_attempt_at == ANSWERED


async def test_a_row_a_dispatcher_holds_is_not_touched(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    queue, _, key = await _queued(db_sessionmaker)
    claimed = ANSWERED + dt.timedelta(seconds=30)
    await _set(db_sessionmaker, "notify", claimed_until=claimed)
    await _set(db_sessionmaker, RECEIPT, claimed_until=claimed)
    await queue.release(key, delivered=True)
    rows = await _rows(db_sessionmaker)
    for row in rows.values():
        assert (row.delivery_status, row.sent_at, row.next_attempt_at) == ("queued", None, HELD)
    # a lease that has run out is free again
    await _set(db_sessionmaker, RECEIPT, claimed_until=FILED)
    await queue.release(key, delivered=False)
    rows = await _rows(db_sessionmaker)
    assert rows["card"].next_attempt_at == ANSWERED
    assert rows["text"].next_attempt_at == HELD


async def test_a_sent_text_is_not_made_due_again(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # a second word for the same receipt (a retried turn) changes nothing already sent
    queue, clock, key = await _queued(db_sessionmaker)
    await queue.release(key, delivered=True)
    clock.now = ANSWERED + dt.timedelta(seconds=5)
    await queue.release(key, delivered=False)
    rows = await _rows(db_sessionmaker)
    assert (rows["text"].delivery_status, rows["text"].sent_at) == ("sent", ANSWERED)
    assert rows["text"].next_attempt_at == HELD
    assert rows["card"].next_attempt_at == clock.now


async def test_releases_asked_for_together_are_written_in_one_transaction(
    db_sessionmaker: async_sessionmaker[AsyncSession], db_engine: AsyncEngine
) -> None:
    """Issue 12 (the tail at 200 at once): releases asked for while none is being written
    yet, or while one is, go in one transaction, not one each queueing for SQLite's write
    lock; each caller returns once its own is written, and each pair of rows ends as a
    release alone leaves it (delivered: the text closed, the card due; not delivered:
    both due)."""
    clock = Clock()
    queue = ReceiptQueue(db_sessionmaker, clock=clock)
    numbers = ["4512345671", "4512345689", "4512345697"]
    keys = [
        await queue.send_after(
            dataclasses.replace(RECEIPT_, number=n),
            Reply(f"رقم الطلب: {n}"),
            Origin("telegram", str(40 + i), "7"),
        )
        for i, n in enumerate(numbers)
    ]
    clock.now = ANSWERED
    begun: list[object] = []

    def began(*args: object) -> None:
        begun.append(args)

    event.listen(db_engine.sync_engine, "begin", began)
    try:
        await asyncio.gather(
            queue.release(keys[0], delivered=True),
            queue.release(keys[1], delivered=False),
            queue.release(keys[2], delivered=True),
        )
    finally:
        event.remove(db_engine.sync_engine, "begin", began)
    assert len(begun) == 1  # three before
    async with db_sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    states = [(r.dedupe_key, r.delivery_status, r.next_attempt_at) for r in rows]
    assert states == [
        (f"receipt:{numbers[0]}:text", "sent", HELD),
        (f"receipt:{numbers[0]}", "queued", ANSWERED),
        (f"receipt:{numbers[1]}:text", "queued", ANSWERED),
        (f"receipt:{numbers[1]}", "queued", ANSWERED),
        (f"receipt:{numbers[2]}:text", "sent", HELD),
        (f"receipt:{numbers[2]}", "queued", ANSWERED),
    ]


async def test_one_release_that_cannot_be_written_does_not_take_the_others_with_it(
    db_sessionmaker: async_sessionmaker[AsyncSession], db_engine: AsyncEngine
) -> None:
    """Issue 11: releases written together shared one fate. One that cannot be written
    failed the others with it (their cards held back until the hold ran out), and its
    failure, when its caller had stopped waiting, was reported by the loop as «Future
    exception was never retrieved» with a traceback. Now each has its own: the others are
    written, the failing one's rows stay held (they go out when the hold runs out)."""
    clock = Clock()
    queue = ReceiptQueue(db_sessionmaker, clock=clock)
    numbers = ["4512345671", "4512345689", "4512345697", "4512345705"]
    keys = [
        await queue.send_after(
            dataclasses.replace(RECEIPT_, number=n),
            Reply(f"رقم الطلب: {n}"),
            Origin("telegram", str(40 + i), "7"),
        )
        for i, n in enumerate(numbers)
    ]
    clock.now = ANSWERED
    bad = {keys[1], keys[3]}

    def refuse(_c: object, _cur: object, statement: str, params: object, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE") and any(k in str(params) for k in bad):
            raise RuntimeError("this release cannot be written")

    reported: list[str] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: reported.append(str(context["message"])))
    event.listen(db_engine.sync_engine, "before_cursor_execute", refuse)
    try:
        # the caller of one failing release stops waiting (its update cancelled)
        gone = asyncio.create_task(queue.release(keys[3], delivered=True))
        await asyncio.sleep(0)
        gone.cancel()
        results = await asyncio.gather(
            queue.release(keys[0], delivered=True),
            queue.release(keys[1], delivered=True),
            queue.release(keys[2], delivered=False),
            return_exceptions=True,
        )
        await asyncio.gather(gone, return_exceptions=True)
        await asyncio.sleep(0.05)  # the write's task ends
        del gone
        gc.collect()
        await asyncio.sleep(0)
    finally:
        event.remove(db_engine.sync_engine, "before_cursor_execute", refuse)
        loop.set_exception_handler(None)
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], Exception)
    async with db_sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    states = [(r.dedupe_key, r.delivery_status, r.next_attempt_at) for r in rows]
    assert states == [
        (f"receipt:{numbers[0]}:text", "sent", HELD),
        (f"receipt:{numbers[0]}", "queued", ANSWERED),
        (f"receipt:{numbers[1]}:text", "queued", HELD),  # held: out when the hold runs out
        (f"receipt:{numbers[1]}", "queued", HELD),
        (f"receipt:{numbers[2]}:text", "queued", ANSWERED),
        (f"receipt:{numbers[2]}", "queued", ANSWERED),
        (f"receipt:{numbers[3]}:text", "queued", HELD),
        (f"receipt:{numbers[3]}", "queued", HELD),
    ]
    assert not [m for m in reported if "never retrieved" in m]
