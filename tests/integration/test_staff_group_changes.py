"""The staff group changes under the bot, and no card is lost: a deleted or closed forum
topic is repaired by itself, a group upgraded to a supergroup is followed to its new id,
and a group the bot was removed from (or may no longer post in) keeps its cards waiting,
says so loudly and records the condition, until delivery works again. Two staff handlers
stand for two workers: what one learns, the other knows (Redis, SQL). The dispatcher,
the Bot API stand-in, a real Redis, SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import StaffTopic
from bot.db.requests_repo import SqlRequestGateway
from bot.outbox.queue import STAFF
from bot.outbox.staff_group import UNREACHABLE_RETRY_S, StaffGroupState
from tests.integration.outbox_support import STAFF_CHAT, Rig, rig
from tests.integration.test_db_requests import submission

SUPERGROUP = -1009876543210


@pytest.fixture
async def r(
    db_sessionmaker: async_sessionmaker[AsyncSession], redis_client: Redis, tmp_path: Path
) -> AsyncIterator[Rig]:
    async with rig(db_sessionmaker, redis_client, tmp_path) as value:
        yield value


@pytest.fixture
def filing(db_sessionmaker: async_sessionmaker[AsyncSession]) -> SqlRequestGateway:
    return SqlRequestGateway(db_sessionmaker)


async def file(filing: SqlRequestGateway, key: str, service: str = "iqama_renew") -> str:
    return (await filing.submit(submission(key, service_id=service, attachments=()))).number


def cards_in(r: Rig, chat: int) -> list[dict[str, object]]:
    return [m for m in r.api.messages(chat) if "reply_markup" in m]


async def stored_topics(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        return {t.department: t.thread_id for t in await session.scalars(select(StaffTopic))}


async def test_a_deleted_topic_is_made_again_and_every_worker_uses_the_new_one(
    r: Rig, filing: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first, second = r.staff_handler(forum=True), r.staff_handler(forum=True)
    await file(filing, "d1")
    await r.drain(r.dispatcher({STAFF: first}))
    old = (await stored_topics(db_sessionmaker))["residency"]
    await file(filing, "d2")
    await r.drain(r.dispatcher({STAFF: second}))  # the second worker now knows `old` too

    r.api.delete_topic(STAFF_CHAT, old)
    await file(filing, "d3")
    await r.drain(r.dispatcher({STAFF: first}))
    new = (await stored_topics(db_sessionmaker))["residency"]
    assert new != old and r.api.topics[STAFF_CHAT][new] == "الإقامة"
    assert cards_in(r, STAFF_CHAT)[-1]["message_thread_id"] == new
    # the other worker still had the old topic in mind: it is refused once and finds the
    # repaired one, without making a third
    await file(filing, "d4")
    await r.drain(r.dispatcher({STAFF: second}))
    assert cards_in(r, STAFF_CHAT)[-1]["message_thread_id"] == new
    assert len(r.api.calls_for(STAFF_CHAT, "createForumTopic")) == 2
    assert all(row.delivery_status == "sent" for row in await r.rows())


async def test_a_closed_topic_is_reopened(
    r: Rig, filing: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    dispatcher = r.dispatcher({STAFF: r.staff_handler(forum=True)})
    await file(filing, "c1")
    await r.drain(dispatcher)
    topic = (await stored_topics(db_sessionmaker))["residency"]
    r.api.close_topic(STAFF_CHAT, topic)
    await file(filing, "c2")
    await r.drain(dispatcher)
    assert len(r.api.calls_for(STAFF_CHAT, "reopenForumTopic")) == 1
    assert cards_in(r, STAFF_CHAT)[-1]["message_thread_id"] == topic
    assert all(row.delivery_status == "sent" for row in await r.rows())


async def test_a_configured_topic_that_is_gone_is_not_used_again(
    r: Rig, filing: SqlRequestGateway, db_sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    configured = {"residency": 77}
    r.api.delete_topic(STAFF_CHAT, 77)
    await file(filing, "g1")
    await r.drain(r.dispatcher({STAFF: r.staff_handler(forum=True, topic_ids=configured)}))
    new = (await stored_topics(db_sessionmaker))["residency"]
    assert cards_in(r, STAFF_CHAT)[-1]["message_thread_id"] == new
    # after a restart, with the same settings: straight to the new topic
    calls = len(r.api.calls_for(STAFF_CHAT))
    await file(filing, "g2")
    await r.drain(r.dispatcher({STAFF: r.staff_handler(forum=True, topic_ids=configured)}))
    (sent,) = r.api.calls_for(STAFF_CHAT)[calls:]
    assert sent.params["message_thread_id"] == new


async def test_a_group_upgraded_to_a_supergroup_is_followed(
    r: Rig, filing: SqlRequestGateway, caplog: pytest.LogCaptureFixture
) -> None:
    r.api.migrate(STAFF_CHAT, SUPERGROUP)
    await file(filing, "m1")
    with caplog.at_level(logging.ERROR):
        await r.drain(r.dispatcher({STAFF: r.staff_handler()}))
    assert len(cards_in(r, SUPERGROUP)) == 1
    assert await StaffGroupState(r.redis).chat_id(STAFF_CHAT) == SUPERGROUP
    # said loudly, with the setting to change
    assert any(f"TAWASUL_STAFF_CHAT_ID={SUPERGROUP}" in m for m in caplog.messages)
    # another worker sends there at once, without asking the old group first
    before = len(r.api.calls_for(STAFF_CHAT))
    await file(filing, "m2")
    await r.drain(r.dispatcher({STAFF: r.staff_handler()}))
    assert len(cards_in(r, SUPERGROUP)) == 2 and len(r.api.calls_for(STAFF_CHAT)) == before
    assert all(row.delivery_status == "sent" for row in await r.rows())


@pytest.mark.parametrize(
    ("break_group", "condition"),
    [("remove_bot", "bot_removed"), ("mute_bot", "no_rights")],
)
async def test_cards_wait_while_the_bot_cannot_post_and_go_once_it_can(
    r: Rig,
    filing: SqlRequestGateway,
    caplog: pytest.LogCaptureFixture,
    break_group: str,
    condition: str,
) -> None:
    getattr(r.api, break_group)(STAFF_CHAT)
    numbers = [await file(filing, f"u{i}") for i in range(3)]
    dispatcher = r.dispatcher({STAFF: r.staff_handler()})
    state = StaffGroupState(r.redis)
    with caplog.at_level(logging.ERROR):
        for _ in range(3):  # three rounds a minute apart: one error line, not three
            await dispatcher.run_once()
            r.clock.advance(UNREACHABLE_RETRY_S)
    rows = await r.rows()
    assert [(row.delivery_status, row.attempts) for row in rows] == [("queued", 0)] * 3
    problem = await state.problem()
    assert problem is not None and problem["condition"] == condition
    assert "TAWASUL_STAFF_CHAT_ID" in problem["fix"]
    loud = [m for m in caplog.messages if "cannot reach the group" in m]
    assert len(loud) == 1 and "TAWASUL_STAFF_CHAT_ID" in loud[0]

    r.api.add_bot(STAFF_CHAT)
    r.clock.advance(UNREACHABLE_RETRY_S)
    await r.drain(dispatcher)
    shown = " ".join(str(m.get("text")) for m in cards_in(r, STAFF_CHAT))
    assert all(number in shown for number in numbers)  # no card lost
    assert await state.problem() is None


async def test_without_the_right_to_manage_topics_cards_go_to_the_group_itself(
    r: Rig, filing: SqlRequestGateway
) -> None:
    r.api.fail_next(
        "createForumTopic",
        error_code=400,
        description="Bad Request: not enough rights to create a topic",
    )
    number = await file(filing, "t1")
    await r.drain(r.dispatcher({STAFF: r.staff_handler(forum=True)}))
    (card,) = cards_in(r, STAFF_CHAT)
    assert number in str(card["text"]) and "message_thread_id" not in card
    assert await StaffGroupState(r.redis).problem() is None
