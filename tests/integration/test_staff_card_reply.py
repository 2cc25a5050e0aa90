"""A reason or question replied to the request's card rather than to the prompt under it.

Session 13's notes: an officer who pressed «❌ رفض» (or «سبب آخر») and then replied the
reason to the card itself, where the request is, got no answer, and nothing was
proposed: only a reply to the prompt counted. When a prompt or menu of that officer waits
for that card's request, the words are now shown back as a proposal («إرسال»/«إلغاء»);
a colleague's reply, a nod, or a reply to another request's card stays talk. Through the
real router, the Bot API stand-in, Redis, SQLite and PostgreSQL (the harness of
test_staff_router); two workers are two dispatchers on one Redis and database.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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


async def test_a_reason_replied_to_the_card_is_proposed_for_the_menu_on_either_worker(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    card = await h.card(number)
    unrelated = await h.card(await h.file("draft-2"))
    await h.press(OFFICER, "no", card)
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    sent = len(h.sent())
    # talk under the cards stays talk: a colleague's reply, the officer's nod, a reply to
    # another request's card
    for user, text, replied in (
        (COLLEAGUE, REASON, card),
        (OFFICER, "تمام", card),
        (OFFICER, REASON, unrelated),
    ):
        await h.feed(
            h.updates.group_text(user, STAFF_CHAT, text, reply_to=replied, thread_id=TOPIC)
        )
    assert len(h.sent()) == sent
    # the reason replied to the card, on the other worker: shown back, nothing decided yet
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=card, thread_id=TOPIC)
    )
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    assert REASON in proposal["text"]
    assert await h.status(number) is RequestStatus.RECEIVED
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == REASON
    assert menu["message_id"] in _deleted(h)
    # the menu used up: a further reply to the card is talk again
    sent = len(h.sent())
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "سأتصل به غدًا", reply_to=card, thread_id=TOPIC)
    )
    assert len(h.sent()) == sent


async def test_a_typed_prompts_reason_replied_to_the_card_is_proposed_not_acted_on(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "no", card)
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)  # «سبب آخر (اكتبه)»: a typed prompt
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None and "اكتب" not in _buttons(prompt)
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=card, thread_id=TOPIC)
    )
    # a reply to the card is less plainly the reason than a reply to the prompt: one tap
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    assert await h.status(number) is RequestStatus.RECEIVED
    # «إلغاء»: the words were talk; further replies to the card are left alone, and the
    # prompt still takes its reply
    await h.press(OFFICER, _buttons(proposal)[1], proposal)
    sent = len(h.sent())
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "سأتصل به غدًا", reply_to=card, thread_id=TOPIC)
    )
    assert len(h.sent()) == sent
    await _feed(
        h,
        other,
        h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC),
    )
    assert await h.status(number) is RequestStatus.REJECTED


async def test_a_reason_with_a_decision_word_replied_to_the_card_is_the_reason(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    """«رفض لعدم وضوح الصورة» is four words with «رفض» among them: a short reply to a card
    that reads as a decision, which the pointer answers «use the buttons» when nothing
    waits. With the reasons menu waiting for that officer, it is the reason."""
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    card = await h.card(number)
    worded = "رفض لعدم وضوح الصورة"
    # nothing waits: pointed to the buttons, as before
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, worded, reply_to=card, thread_id=TOPIC))
    pointer = h.api.last_message(STAFF_CHAT)
    assert pointer is not None and "الأزرار" in pointer["text"], pointer
    await h.press(OFFICER, "no", card)
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, worded, reply_to=card, thread_id=TOPIC)
    )
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    assert worded in proposal["text"]
    # a bare «مرفوض» is still a decision word for the pointer, not a reason
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "مرفوض", reply_to=card, thread_id=TOPIC))
    assert "الأزرار" in (h.api.last_message(STAFF_CHAT) or {}).get("text", "")
