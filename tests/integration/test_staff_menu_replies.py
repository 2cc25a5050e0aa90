"""An officer's reply to the reject-reasons menu («نورة، ما سبب رفض الطلب رقم …؟») is the
reason, as after «Other (type it)», and a reply to the ready questions' menu is the
question. Found by the fresh-clone tester: the reply was dropped without a word and the
request stayed under review. Through the real router, the Bot API stand-in, Redis, SQLite
and PostgreSQL (the harness of test_staff_router); "two workers" are two dispatchers on the
one Redis and database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OutboxMessage
from bot.outbox.queue import replies_from_payload
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.router import staff_router
from domain.catalogue import load_catalogue
from domain.sla import riyadh_date
from domain.status import RequestStatus
from tests.integration.test_staff_router import (
    COLLEAGUE,
    GRACE_S,
    OFFICER,
    STAFF_CHAT,
    STRANGER,
    TOPIC,
    Harness,
    h,
)

__all__ = ["h"]  # the fixture

REASON = "لا يوجد ما يثبت <انتهاء> العقد & الكفالة"


async def _notices(h: Harness) -> list[str]:
    async with h.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "notify").order_by(OutboxMessage.id)
        )
        return ["\n".join(r.text for r in replies_from_payload(row.payload)) for row in rows]


def _worker(
    h: Harness,
    redis: Redis,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    desk: StaffDesk | None = None,
) -> Dispatcher:
    """A second worker: its own desk and staff router on the same Redis and database."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        staff_chat_id=STAFF_CHAT,
        officer_ids="",
        data_dir=tmp_path,
    )
    desk = desk or StaffDesk(sessions, load_catalogue(), clock=h.clock, decision_grace_s=GRACE_S)
    dp = Dispatcher()
    dp.include_router(staff_router(desk, settings, redis, lambda: None, clock=h.clock))
    return dp


async def _feed(h: Harness, dp: Dispatcher, raw: dict[str, Any]) -> None:
    await dp.feed_update(h.bot, Update.model_validate(raw, context={"bot": h.bot}))


async def test_a_reply_to_the_reasons_menu_rejects_with_it_on_another_worker(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))  # worker one posts the menu
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None and "ما سبب رفض الطلب" in menu["text"]
    assert menu["reply_markup"]["inline_keyboard"]
    told_before = len(await _notices(h))
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)

    # a colleague's reply under it is not the reason: they are told whose menu it is
    await _feed(
        h,
        other,
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "انتظري", reply_to=menu, thread_id=TOPIC),
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    assert "موجّهة إلى الموظف الذي ضغط الزر" in h.sent()[-1].params["text"]
    # nor a stranger's, who is not answered at all
    sent = len(h.sent())
    await _feed(
        h,
        other,
        h.updates.group_text(STRANGER, STAFF_CHAT, "مرفوض", reply_to=menu, thread_id=TOPIC),
    )
    assert await h.status(number) is RequestStatus.RECEIVED and len(h.sent()) == sent

    # the officer's reply, taken by the second worker, rejects with it
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == REASON
    assert record.assigned_name == "نورة العتيبي"
    # the menu itself says so, its buttons gone, and nothing else is posted
    [edit] = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert edit.params["message_id"] == menu["message_id"]
    assert f"رُفِض الطلب {number} بقرار من نورة العتيبي" in edit.params["text"]
    assert "reply_markup" not in edit.params or not edit.params["reply_markup"]
    assert len(h.sent()) == sent
    # the person is told the reason as typed (their chat is plain text)
    told = await _notices(h)
    assert len(told) == told_before + 1 and REASON in told[-1]
    # the card shows it escaped
    card = h.renderer.card(record, today=riyadh_date(h.clock()))
    assert "&lt;انتهاء&gt; العقد &amp; الكفالة" in card.html and "<انتهاء>" not in card.html

    # the menu is used up: another reply, on either worker, rejects nothing again
    for dp in (other, h.dp):
        await _feed(
            h,
            dp,
            h.updates.group_text(OFFICER, STAFF_CHAT, "سبب آخر", reply_to=menu, thread_id=TOPIC),
        )
    record = await h.desk.find(number)
    assert record is not None and record.decision_reason == REASON
    assert len(await _notices(h)) == told_before + 1


async def test_a_decision_word_replied_to_the_menu_is_the_reason_not_a_pointer(
    h: Harness,
) -> None:
    """«مرفوض» under a card gets the pointer to the buttons; under the reasons menu, which
    asks for the reason, it is the reason the officer typed."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "مرفوض", reply_to=menu, thread_id=TOPIC))
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == "مرفوض"
    assert not [c for c in h.sent() if "لا يغيّر حالة الطلب" in c.params["text"]]


async def test_a_button_of_the_menu_ends_it_for_replies(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:cancel", menu)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    assert await h.status(number) is RequestStatus.RECEIVED
    # «Other (type it)»: the typed prompt, not the menu, takes the reason
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "سبب", reply_to=menu, thread_id=TOPIC))
    assert await h.status(number) is RequestStatus.RECEIVED
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None and prompt["message_id"] != menu["message_id"]
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.decision_reason == REASON


async def test_a_reply_to_the_menu_of_an_out_of_date_request_is_refused(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    # meanwhile the officer accepts it from the card
    await h.press(OFFICER, "ok", await h.card(number))
    await h.press(OFFICER, "ok", await h.card(number))  # confirmed: nobody had reviewed it
    assert await h.status(number) is RequestStatus.ACCEPTED
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.ACCEPTED
    assert number in h.sent()[-1].params["text"]  # told why, under the reply


async def test_a_reply_to_the_ready_questions_menu_is_the_question(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "ask", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None and menu["reply_markup"]["inline_keyboard"]
    question = "ما تاريخ <انتهاء> الإقامة؟"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=menu, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == question
    [edit] = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert edit.params["message_id"] == menu["message_id"] and number in edit.params["text"]


async def test_a_reply_without_words_to_the_menus_is_not_taken(h: Harness) -> None:
    """Found by tester 10b (item 5): «👍» replied to the reasons menu rejected the request
    and the resident read «السبب: 👍». A reply with fewer than two letters (an emoji,
    punctuation, a number, one letter) is not a reason nor a question: the officer is asked
    for words, nothing reaches the resident, and the menu stays open for the real one."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    told_before = len(await _notices(h))
    for typed in ("👍", "👍👍 !!", "3", "؟", "ب ."):
        await h.feed(
            h.updates.group_text(OFFICER, STAFF_CHAT, typed, reply_to=menu, thread_id=TOPIC)
        )
        assert await h.status(number) is RequestStatus.RECEIVED, typed
        assert "يُرجى كتابة السبب بالكلمات" in h.sent()[-1].params["text"], typed
    assert len(await _notices(h)) == told_before
    assert not h.api.calls_for(STAFF_CHAT, "editMessageText")  # the menu is as it was
    # the menu is still open: the reason typed next is taken
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == REASON
    told = await _notices(h)
    assert len(told) == told_before + 1 and "👍" not in told[-1]

    # the ready questions' menu likewise
    other = await h.file("draft-2")
    await h.press(OFFICER, "ask", await h.card(other))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=menu, thread_id=TOPIC))
    assert await h.status(other) is RequestStatus.RECEIVED
    assert "يُرجى كتابة السؤال بالكلمات" in h.sent()[-1].params["text"]
    question = "ما تاريخ انتهاء الإقامة؟"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=menu, thread_id=TOPIC)
    )
    record = await h.desk.find(other)
    assert record is not None and record.pending_question == question
