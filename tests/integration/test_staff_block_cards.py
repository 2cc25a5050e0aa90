"""A block or its lifting redraws the sender's cards at once, and a blocked sender's card
lifts the block with a button.

Session 12's notes and tester 12 (§16): after ``/block N`` (or ``/unblock N``) the card
showed the change only at its next redraw, for whatever other reason, and a blocked
sender's card named ``/unblock N`` but had no button. Two workers, each with its own Redis
client and staff router, on one real Redis and one database (SQLite and PostgreSQL); the
cards' redraws are the outbox rows the workers' dispatchers take.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Block, OutboxMessage, Request, utcnow
from tests.integration.test_abuse_telegram import OFFICER, OTHER, PERSON, STAFF_CHAT, Two, _two
from tests.integration.test_db_requests import submission

STRANGER_ID = 9009


@pytest.fixture
async def two(
    redis_url: str,
    redis_client: Redis,  # flushes the database first
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> AsyncIterator[Two]:
    async for harness in _two(redis_url, db_sessionmaker, tmp_path):
        yield harness


async def _drawn(two: Two) -> None:
    """Every card drawn: no redraw waits in the outbox."""
    async with two.sessions() as session, session.begin():
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.kind == "staff_card", OutboxMessage.sent_at.is_(None))
            .values(sent_at=utcnow())
        )


async def _waiting(two: Two) -> set[str]:
    """The requests whose card waits to be redrawn."""
    async with two.sessions() as session:
        rows = await session.scalars(
            select(Request.number)
            .join(OutboxMessage, OutboxMessage.request_id == Request.id)
            .where(OutboxMessage.kind == "staff_card", OutboxMessage.sent_at.is_(None))
        )
        return set(rows)


async def _decide(two: Two, number: str) -> None:
    async with two.sessions() as session, session.begin():
        await session.execute(
            update(Request).where(Request.number == number).values(status="accepted")
        )


def _alerts(two: Two) -> list[str]:
    return [str(c.params.get("text")) for c in two.api.calls if c.method == "answerCallbackQuery"]


async def test_a_block_and_its_lifting_redraw_the_senders_cards_at_once(two: Two) -> None:
    file = two.filing.submit
    open_one = (await file(submission("a", user_key=str(PERSON.id)))).number
    decided = (await file(submission("b", user_key=str(PERSON.id)))).number
    old = (await file(submission("c", user_key=str(PERSON.id)))).number
    someone_else = (await file(submission("d", user_key=str(OTHER.id)))).number
    await _decide(two, decided)
    await _decide(two, old)
    await _drawn(two)

    # blocked from the decided request's number, on worker 0: that card and the sender's
    # open one are redrawn now; their other decided one and someone else's are left
    said = await two.staff(0, f"/block {decided} رسائل مسيئة")
    assert "حُظِر صاحب الطلب" in said
    assert await _waiting(two) == {decided, open_one}
    assert someone_else not in await _waiting(two) and old not in await _waiting(two)
    await _drawn(two)

    # «🔓 رفع الحظر» on the open request's card: a first press (worker 1) asks again and
    # lifts nothing; the second (worker 0) lifts it, and the cards are redrawn again
    await two.bot.send_message(STAFF_CHAT, "🆕 card")
    card = two.api.last_message(STAFF_CHAT)
    assert card is not None
    lift = f"st:ub:{open_one}:1"
    await two.feed(1, two.updates.callback(OFFICER, lift, message=card))
    assert "يُضغط «رفع الحظر» مرة أخرى" in _alerts(two)[-1]
    assert await _waiting(two) == set()
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.unblocked_at is None
    await two.feed(0, two.updates.callback(OFFICER, lift, message=card))
    assert "رُفِع الحظر عن صاحب الطلب" in _alerts(two)[-1]
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.unblocked_by == f"officer:{OFFICER.id}:نورة العتيبي"
    assert await _waiting(two) == {open_one}  # named, and the only open one
    assert await two.says(1, PERSON, "/start")  # served again

    # a press on a card drawn before the lifting says so, and unblocks nothing twice
    await _drawn(two)
    await two.feed(1, two.updates.callback(OFFICER, lift, message=card))
    assert "غير محظور" in _alerts(two)[-1]
    assert await _waiting(two) == {open_one}  # that card was out of date: redrawn

    # /unblock redraws too
    await two.staff(1, f"/block {open_one} رسائل مسيئة")
    await _drawn(two)
    assert "رُفِع الحظر" in await two.staff(0, f"/unblock {open_one}")
    assert await _waiting(two) == {open_one}


async def test_only_officers_lift_a_block_from_the_card(two: Two) -> None:
    number = (await two.filing.submit(submission("a", user_key=str(PERSON.id)))).number
    await two.staff(0, f"/block {number} رسائل مسيئة")
    await two.bot.send_message(STAFF_CHAT, "🆕 card")
    card = two.api.last_message(STAFF_CHAT)
    assert card is not None
    stranger = type(OFFICER)(STRANGER_ID, "زائر")
    for worker in (0, 1):
        await two.feed(worker, two.updates.callback(stranger, f"st:ub:{number}:1", message=card))
    assert all("للموظفين المخوّلين" in a for a in _alerts(two))
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.unblocked_at is None
