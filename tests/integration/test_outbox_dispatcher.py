"""The outbox dispatcher with the real Telegram handler for people, on SQLite and
PostgreSQL, a real Redis and the Bot API stand-in: order per person, claims shared by
several workers, leases, retries, 429s and permanent failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import make_engine, make_sessionmaker
from bot.db.models import OutboxMessage, utcnow
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.handlers import PARTS_SENT
from bot.outbox.ratelimit import TelegramLimits
from standins.telegram_botapi import JSON, ApiError, RateLimitPolicy
from tests.integration.outbox_support import Rig, rig

SARA, KHALID, NOURA = 5_100_000_001, 5_100_000_002, 5_100_000_003


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


async def test_each_person_gets_their_notifications_once_and_in_order(r: Rig) -> None:
    await r.notify(SARA, "س1")
    await r.notify(KHALID, "خ1")
    await r.notify(SARA, "س2", "س3")
    await r.notify(KHALID, "خ2")
    await r.drain(r.dispatcher())

    assert r.api.texts(SARA) == ["س1", "س2", "س3"]
    assert r.api.texts(KHALID) == ["خ1", "خ2"]
    rows = await r.rows()
    assert all(row.delivery_status == "sent" and row.sent_at is not None for row in rows)
    assert all(row.claimed_until is None and row.attempts == 0 for row in rows)
    sent_ids = {m["message_id"] for chat in (SARA, KHALID) for m in r.api.messages(chat)}
    assert {int(row.provider_message_id or 0) for row in rows} == sent_ids


async def test_a_later_notification_waits_for_an_earlier_one_of_the_same_person(r: Rig) -> None:
    first, second = await r.notify(SARA, "الأول", "الثاني")
    (other,) = await r.notify(KHALID, "لخالد")
    r.api.fail_next("sendMessage", error_code=500, description="Internal Server Error")
    dispatcher = r.dispatcher(backoff_base_s=60)
    await dispatcher.run_once()  # Sara's first fails; Khalid's goes; Sara's second waits
    assert r.api.texts(KHALID) == ["لخالد"]
    assert r.api.texts(SARA) == ["الأول"]  # the call that got the 500
    assert (await r.row(second)).sent_at is None
    assert await dispatcher.run_once() == 0  # nothing due: the first is backing off
    r.clock.advance(61)
    await r.drain(dispatcher)
    assert r.api.texts(SARA) == ["الأول", "الأول", "الثاني"]  # retried, then the second
    assert (await r.row(first)).attempts == 1
    assert (await r.row(other)).attempts == 0


async def test_a_429_reschedules_exactly_without_counting_an_attempt(r: Rig) -> None:
    first, second = await r.notify(SARA, "واحد", "اثنان")
    # retry_after 3 s: long enough that the pause is still on when the test looks at it,
    # however slowly a busy machine runs the round
    r.api.fail_next("sendMessage", retry_after=3)
    dispatcher = r.dispatcher()
    before = r.clock()
    await dispatcher.run_once()
    after = r.clock()
    row = await r.row(first)
    assert row.sent_at is None and row.delivery_status == "queued"
    assert row.attempts == 0 and row.claimed_until is None and row.last_error is None
    # three seconds after the 429, which came between `before` and `after`
    assert before + dt.timedelta(seconds=2.9) < row.next_attempt_at
    assert row.next_attempt_at < after + dt.timedelta(seconds=3.5)
    # Telegram's word holds for every worker: Sara's chat is paused in the shared limiter
    assert await r.limiter.room(*r.limits.claims(SARA)) == 0
    await asyncio.sleep(3.1)
    await r.drain(dispatcher)
    assert r.api.texts(SARA) == ["واحد", "واحد", "اثنان"]  # the refused call, then both
    assert (await r.row(second)).delivery_status == "sent"


async def test_temporary_failures_back_off_then_give_up(r: Rig) -> None:
    first, second = await r.notify(SARA, "لن يصل", "يصل")
    r.api.fail_next("sendMessage", error_code=502, description="Bad Gateway", count=3)
    dispatcher = r.dispatcher(max_attempts=3, backoff_base_s=10, backoff_max_s=1000)
    # each backoff as bounds: the failure came between the round's start and its end, so
    # the backoff is at most (next attempt - start) and at least (next attempt - end)
    delays: list[tuple[float, float]] = []
    attempts = 0
    for _ in range(50):  # rounds; some only meet the (scaled) per-chat pacing
        before = r.clock()
        await dispatcher.run_once()
        after = r.clock()
        row = await r.row(first)
        if row.delivery_status == "failed":
            break
        if row.attempts > attempts:
            attempts = row.attempts
            delays.append(
                (
                    (row.next_attempt_at - after).total_seconds(),
                    (row.next_attempt_at - before).total_seconds(),
                )
            )
            r.clock.advance(delays[-1][1] + 1)
        else:
            await asyncio.sleep(0.02)
    row = await r.row(first)
    assert row.delivery_status == "failed" and row.sent_at is None and row.attempts == 3
    assert row.last_error is not None and "لن يصل" not in row.last_error
    # half to all of 10 s, then of 20 s
    (least_0, most_0), (least_1, most_1) = delays
    assert 5 <= most_0 and least_0 <= 10, delays[0]
    assert 10 <= most_1 and least_1 <= 20, delays[1]
    await r.drain(dispatcher)  # a failed row does not hold back the next one
    assert r.api.texts(SARA)[-1] == "يصل"
    assert (await r.row(second)).delivery_status == "sent"


async def test_a_blocked_bot_is_a_permanent_failure(r: Rig) -> None:
    (row_id,) = await r.notify(SARA, "مرحبا")
    r.api.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    await r.dispatcher().run_once()
    row = await r.row(row_id)
    assert row.delivery_status == "failed" and row.attempts == 0
    assert row.last_error is not None and "blocked" in row.last_error


async def test_rows_of_a_channel_without_a_handler_are_left_for_another_process(r: Rig) -> None:
    (row_id,) = await r.notify("966500000001", "واتساب", channel="whatsapp")
    assert await r.dispatcher().run_once() == 0
    row = await r.row(row_id)
    assert row.claimed_until is None and row.delivery_status == "queued"


async def test_a_dead_workers_claim_comes_back_after_its_lease(r: Rig) -> None:
    (row_id,) = await r.notify(SARA, "بعد المهلة")
    async with r.sessions() as session, session.begin():  # a worker claimed it, then died
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(claimed_until=utcnow() + dt.timedelta(seconds=60))
        )
    dispatcher = r.dispatcher()
    assert await dispatcher.run_once() == 0
    r.clock.advance(61)
    assert await dispatcher.run_once() == 1
    assert r.api.texts(SARA) == ["بعد المهلة"]


async def test_cancelling_a_worker_mid_send_releases_its_rows(r: Rig) -> None:
    await r.notify(SARA, "أ", "ب")
    gate = r.api.hold("sendMessage", chat_id=SARA)
    task = asyncio.create_task(r.dispatcher().run_forever(asyncio.Event(), poll_s=0.05))
    await asyncio.wait_for(gate.arrived.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    gate.release()
    await asyncio.sleep(0.1)
    assert gate.dropped and r.api.texts(SARA) == []
    assert all(row.claimed_until is None for row in await r.rows())  # no lease to wait out
    await r.drain(r.dispatcher())
    assert r.api.texts(SARA) == ["أ", "ب"]


async def test_a_cancel_a_driver_turns_into_its_own_error_still_stops_the_worker(
    r: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some drivers answer a cancellation mid-query with an error of their own; a worker
    that took it for «the database is away» kept looping, and a stopping process (or a
    test's closing event loop) waited on it for ever."""
    dispatcher = r.dispatcher()
    in_round = asyncio.Event()

    async def round_that_converts_cancel() -> int:
        in_round.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            raise ConnectionError("connection was closed in the middle of operation") from None
        return 0

    monkeypatch.setattr(dispatcher, "run_once", round_that_converts_cancel)
    task = asyncio.create_task(dispatcher.run_forever(asyncio.Event(), poll_s=0.05))
    await asyncio.wait_for(in_round.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)


async def test_several_workers_share_the_queue_without_sending_twice(r: Rig, db_url: str) -> None:
    people = [5_200_000_000 + i for i in range(8)]
    for round_ in range(4):
        for person in people:
            await r.notify(person, f"{person}-{round_}")
    engines = [make_engine(db_url) for _ in range(3)]
    stop = asyncio.Event()
    try:
        workers = [
            r.dispatcher(sessions=make_sessionmaker(engine), batch=5, concurrency=3)
            for engine in engines
        ]
        tasks = [asyncio.create_task(w.run_forever(stop, poll_s=0.02)) for w in workers]
        await r.settled()
        stop.set()
        await asyncio.gather(*tasks)
    finally:
        for engine in engines:
            await engine.dispose()
    for person in people:
        assert r.api.texts(person) == [f"{person}-{i}" for i in range(4)]


async def test_kick_delivers_at_once(r: Rig) -> None:
    dispatcher = r.dispatcher()
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, poll_s=60))
    try:
        await asyncio.sleep(0.2)  # the first round found nothing; the next poll is a minute away
        await r.notify(SARA, "فورًا")
        dispatcher.kick()
        async with asyncio.timeout(30):  # well before the next poll
            await r.api.wait_until(lambda: bool(r.api.texts(SARA)))
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    assert r.api.texts(SARA) == ["فورًا"]


async def test_a_paced_row_goes_out_when_due_not_at_the_next_poll(r: Rig) -> None:
    """Two notifications to one person a moment apart under Telegram's real one-a-second
    pace, with a minute between polls: the second is rescheduled by the limiter and
    must go out when due, even though the same round delivered something else."""
    r.limits = TelegramLimits()
    dispatcher = r.dispatcher()
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run_forever(stop, poll_s=60))
    try:
        await asyncio.sleep(0.1)
        await r.notify(SARA, "قيد الدراسة")
        await r.notify(KHALID, "لخالد")
        dispatcher.kick()
        async with asyncio.timeout(30):  # well before the next poll
            await r.api.wait_until(lambda: len(r.api.texts(SARA)) == 1)
        await r.notify(SARA, "مقبول")
        await r.notify(NOURA, "لنورة")  # delivered in the same round as Sara's wait
        dispatcher.kick()
        async with asyncio.timeout(30):  # due a second after the first, not at the next poll
            await r.api.wait_until(lambda: len(r.api.texts(SARA)) == 2)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    first, second = (c.at for c in r.api.calls_for(SARA, "sendMessage"))
    assert second - first >= 1.0  # paced, not refused
    assert r.api.texts(NOURA) == ["لنورة"]


async def test_a_split_notification_resumes_after_the_part_already_sent(r: Rig) -> None:
    long_text = "أ" * 4000 + "\n\n" + "ب" * 3000  # two messages
    (row_id,) = await r.notify(SARA, long_text)
    seen: list[int] = []

    def second_part_refused(method: str, params: JSON) -> ApiError | None:
        if method.lower() == "sendmessage" and params.get("chat_id") == SARA:
            seen.append(1)
            if len(seen) == 2:
                return ApiError(429, "Too Many Requests: retry after 1", 1)
        return None

    r.api.add_policy(second_part_refused)
    dispatcher = r.dispatcher()
    await dispatcher.run_once()
    assert (await r.row(row_id)).payload[PARTS_SENT] == 1
    await asyncio.sleep(1.1)
    await r.drain(dispatcher)
    texts = [m["text"] for m in r.api.messages(SARA)]
    assert texts == ["أ" * 4000, "ب" * 3000]  # the first part was not sent again


async def test_private_chats_are_paced_to_telegrams_limit(r: Rig) -> None:
    """With the stand-in enforcing one message per (scaled) second per chat, a run of
    notifications to one person gets no 429: the limiter spaces them instead."""
    policy = RateLimitPolicy(scale=0.01)
    r.api.add_policy(policy)
    await r.notify(SARA, *[f"رسالة {i}" for i in range(6)])
    await r.notify(KHALID, *[f"رسالة {i}" for i in range(6)])
    await r.drain(r.dispatcher(), within=30)
    assert policy.rejected == []
    assert r.api.texts(SARA) == [f"رسالة {i}" for i in range(6)]
    sara = [c.at for c in r.api.calls_for(SARA, "sendMessage")]
    assert all(b - a >= 0.01 for a, b in itertools.pairwise(sara))


async def test_a_dispatcher_needs_sane_settings(
    db_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(ValueError):
        OutboxDispatcher(db_sessionmaker, {}, lease_s=0)
