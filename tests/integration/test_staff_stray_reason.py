"""A reason posted in the staff group without replying to the menu that asked for it.

Session 12's notes: an officer who pressed «❌ رفض» and typed the reason in the group
(not as a reply) got no answer, and the request stayed as it was. Now, when exactly one
menu or prompt waits for that officer in that topic, offered in the last ten minutes,
the words are shown back as a proposal («إرسال»/«إلغاء»); with several, the officer is
told once to reply to the right one; other talk stays unanswered. Through the real
router, the Bot API stand-in, Redis, SQLite and PostgreSQL (the harness of
test_staff_router); two workers are two dispatchers on one Redis and database.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Block
from domain.status import RequestStatus
from tests.integration.test_staff_menu_replies import REASON, _deleted, _feed, _proposal, _worker
from tests.integration.test_staff_router import (
    COLLEAGUE,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    _buttons,
    h,
)

__all__ = ["h"]  # the fixture


def _waiting_key() -> str:
    return f"tawasul:staff:waiting:{STAFF_CHAT}:{OFFICER.id}"


async def test_a_reason_typed_without_replying_is_proposed_when_one_menu_waits(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    sent = len(h.sent())
    # talk stays talk: a colleague's message, the officer's nod, another topic
    for user, text, topic in (
        (COLLEAGUE, REASON, TOPIC),
        (OFFICER, "تمام", TOPIC),
        (OFFICER, REASON, TOPIC + 1),
    ):
        await h.feed(h.updates.group_text(user, STAFF_CHAT, text, thread_id=topic))
    assert len(h.sent()) == sent
    # the reason typed in the topic, on the other worker: shown back, nothing decided
    await _feed(h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, thread_id=TOPIC))
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    assert await h.status(number) is RequestStatus.RECEIVED
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == REASON
    assert menu["message_id"] in _deleted(h)
    # the menu used up: the next message is talk again
    sent = len(h.sent())
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "سأتصل به غدًا", thread_id=TOPIC))
    assert len(h.sent()) == sent


async def test_a_menu_offered_long_ago_does_not_take_talk(h: Harness, redis_client: Redis) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    seconds, _micro = await redis_client.time()
    eleven_minutes_ago = (int(seconds) - 11 * 60) * 1000
    await redis_client.zadd(_waiting_key(), {str(menu["message_id"]): eleven_minutes_ago})
    sent = len(h.sent())
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, thread_id=TOPIC))
    assert len(h.sent()) == sent
    # a reply to it still works as ever
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    assert f"الطلب رقم {number}" in _proposal(h)["text"]


async def test_with_two_menus_waiting_the_officer_is_told_once_which_to_reply_to(
    h: Harness,
) -> None:
    first, second = await h.file("a"), await h.file("b")
    await h.press(OFFICER, "no", await h.card(first))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "ask", await h.card(second))
    sent = len(h.sent())
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "تمام", thread_id=TOPIC))
    assert len(h.sent()) == sent  # a nod is talk, however many wait
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, thread_id=TOPIC))
    told = h.api.last_message(STAFF_CHAT)
    assert told is not None
    assert told["text"].startswith("أكثر من رسالة لي تنتظر ردّك")
    assert first in told["text"] and second in told["text"]
    sent = len(h.sent())
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "سبب آخر مختلف", thread_id=TOPIC))
    assert len(h.sent()) == sent  # once
    assert await h.status(first) is RequestStatus.RECEIVED
    # the reason replied to the reasons menu goes; the line goes with it
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    assert await h.status(first) is RequestStatus.REJECTED
    assert told["message_id"] in _deleted(h)


async def test_a_blocks_reason_typed_without_replying_is_proposed_too(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "bl", await h.card(number))
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None and "يُرجى كتابة سبب حظر صاحب الطلب" in prompt["text"]
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "رسائل مسيئة متكررة", thread_id=TOPIC))
    proposal = _proposal(h)
    assert f"هل يُحظَر صاحب الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    assert proposal["reply_markup"]["inline_keyboard"][0][0]["text"] == "حظر صاحب الطلب"
    async with h.sessions() as session:
        assert not list(await session.scalars(select(Block)))
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    async with h.sessions() as session:
        [row] = list(await session.scalars(select(Block)))
    assert row.reason == "رسائل مسيئة متكررة"
    assert prompt["message_id"] in _deleted(h)


async def test_after_cancel_the_officers_talk_is_left_alone(h: Harness) -> None:
    # a remark taken for the reason costs one «إلغاء»; the officer's next messages are not
    # proposed again for that menu, and a reply to the menu still is
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "فهد، هل راجعت المرفقات؟", thread_id=TOPIC)
    )
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[1], proposal)  # «إلغاء»
    assert proposal["message_id"] in _deleted(h)
    sent = len(h.sent())
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "سأتصل بصاحب الطلب غدًا", thread_id=TOPIC)
    )
    assert len(h.sent()) == sent
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    assert await h.status(number) is RequestStatus.REJECTED
