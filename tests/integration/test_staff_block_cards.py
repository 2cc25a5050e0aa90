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
from bot.staff.callbacks import block_mark
from tests.integration.abuse_two import OFFICER, OTHER, PERSON, STAFF_CHAT, Two, _two
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


async def _lift(two: Two, number: str) -> str:
    """The «🔓 رفع الحظر» button of a card drawn now: it names the block standing."""
    async with two.sessions() as session:
        block = await session.scalar(
            select(Block).where(Block.unblocked_at.is_(None)).order_by(Block.id.desc())
        )
    assert block is not None
    return f"st:ub:{number}:1:{block_mark(block.blocked_by, block.reason)}"


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

    # «🔓 رفع الحظر» on the open request's card (worker 1): the first press lifts it, says
    # so in its answer and under the card for every officer (tester 15: the first press of
    # a second-press confirmation read as nothing happening), and the cards are redrawn
    await two.bot.send_message(STAFF_CHAT, "🆕 card")
    card = two.api.last_message(STAFF_CHAT)
    assert card is not None
    lift = await _lift(two, open_one)
    before = len(two.api.texts(STAFF_CHAT))
    await two.feed(1, two.updates.callback(OFFICER, lift, message=card))
    assert "رُفِع الحظر عن صاحب الطلب" in _alerts(two)[-1]
    [under] = two.api.texts(STAFF_CHAT)[before:]
    assert f"رُفِع الحظر عن صاحب الطلب رقم {open_one}" in under, under
    [sent] = two.api.calls_for(STAFF_CHAT, "sendMessage")[-1:]
    assert sent.params["reply_parameters"]["message_id"] == card["message_id"]
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.unblocked_by == f"officer:{OFFICER.id}:نورة العتيبي"
    assert await _waiting(two) == {open_one}  # named, and the only open one
    assert await two.says(1, PERSON, "/start")  # served again

    # a press on a card drawn before the lifting (worker 0) says so, and unblocks nothing
    await _drawn(two)
    await two.feed(0, two.updates.callback(OFFICER, lift, message=card))
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
    lift = await _lift(two, number)
    for worker in (0, 1):
        await two.feed(worker, two.updates.callback(stranger, lift, message=card))
    assert all("للموظفين المخوّلين" in a for a in _alerts(two))
    async with two.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.unblocked_at is None


async def test_a_lift_pressed_on_a_card_drawn_before_the_block_changed_lifts_nothing(
    two: Two,
) -> None:
    """Session 13's notes: «🔓 رفع الحظر» had no check of what the card showed. A card drawn
    for one block, pressed after that block was lifted and another laid (for another
    reason), lifted the new block it never showed, on two presses."""
    number = (await two.filing.submit(submission("a", user_key=str(PERSON.id)))).number
    await two.staff(0, f"/block {number} رسائل مسيئة")
    await two.bot.send_message(STAFF_CHAT, "🆕 card")
    card = two.api.last_message(STAFF_CHAT)
    assert card is not None
    stale = await _lift(two, number)
    # meanwhile, on the other worker, the block is lifted and laid again for another reason
    assert "رُفِع الحظر" in await two.staff(1, f"/unblock {number}")
    await two.staff(1, f"/block {number} رسائل تهديد متكررة")
    await _drawn(two)
    for worker in (0, 1):  # both presses of the stale card, one on each worker
        await two.feed(worker, two.updates.callback(OFFICER, stale, message=card))
        said = _alerts(two)[-1]
        assert said == (
            f"الحظر القائم على صاحب الطلب رقم {number} ليس الذي عرضته هذه البطاقة، فهو الآن "
            "بقرار من \u2068نورة العتيبي\u2069. لم يُرفَع شيء، وستُحدَّث البطاقة، ويمكنك الضغط على زرّها "
            "من جديد إن لزم رفعه."
        ), said
    async with two.sessions() as session:
        active = list(await session.scalars(select(Block).where(Block.unblocked_at.is_(None))))
    assert [b.reason for b in active] == ["رسائل تهديد متكررة"]  # still blocked
    assert await _waiting(two) == {number}  # the stale card is redrawn
    # the redrawn card's button lifts it at once
    fresh = await _lift(two, number)
    assert fresh != stale
    await two.feed(1, two.updates.callback(OFFICER, fresh, message=card))
    assert "رُفِع الحظر عن صاحب الطلب" in _alerts(two)[-1]
    # a card from before marks (st:ub:N:V) lifts nothing either: it is redrawn
    await two.staff(1, f"/block {number} رسائل مسيئة")
    for worker in (0, 1):
        await two.feed(worker, two.updates.callback(OFFICER, f"st:ub:{number}:1", message=card))
    assert "لم يُرفَع شيء" in _alerts(two)[-1]
    async with two.sessions() as session:
        assert await session.scalar(select(Block).where(Block.unblocked_at.is_(None)))
