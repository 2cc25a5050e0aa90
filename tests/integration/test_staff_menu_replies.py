"""An officer's reply to the reject-reasons menu («نورة، ما سبب رفض الطلب رقم …؟») is the
reason, as after «Other (type it)», and a reply to the ready questions' menu is the
question. Found by the fresh-clone tester: the reply was dropped without a word and the
request stayed under review. Through the real router, the Bot API stand-in, Redis, SQLite
and PostgreSQL (the harness of test_staff_router); "two workers" are two dispatchers on the
one Redis and database."""

from __future__ import annotations

import asyncio
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
    _buttons,
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


def _proposal(h: Harness) -> dict[str, Any]:
    """The bot's last message in the group: the officer's reply shown back with «Send» and
    «Cancel»."""
    proposal = h.api.last_message(STAFF_CHAT)
    assert proposal is not None and len(_buttons(proposal)) == 2, proposal
    return proposal


def _deleted(h: Harness) -> list[int]:
    return [c.params["message_id"] for c in h.api.calls_for(STAFF_CHAT, "deleteMessage")]


async def test_a_reply_to_the_reasons_menu_is_shown_back_and_sent_on_another_worker(
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

    # the officer's reply, taken by the second worker, is shown back: nothing decided yet
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    assert len(await _notices(h)) == told_before
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    assert "&lt;انتهاء&gt;" not in proposal["text"] and "<انتهاء>" in proposal["text"]
    [send, cancel] = proposal["reply_markup"]["inline_keyboard"][0]
    assert (send["text"], cancel["text"]) == ("إرسال الرفض", "إلغاء")
    # a colleague cannot send it
    await h.press(COLLEAGUE, send["callback_data"], proposal)
    assert await h.status(number) is RequestStatus.RECEIVED
    # «إرسال الرفض», pressed on the first worker: the proposal lives in Redis
    await h.press(OFFICER, send["callback_data"], proposal)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == REASON
    assert record.assigned_name == "نورة العتيبي"
    # the proposal itself says so, its buttons gone, and the menu goes
    [edit] = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert edit.params["message_id"] == proposal["message_id"]
    assert f"رُفِض الطلب {number} بقرار من \u2068نورة العتيبي\u2069" in edit.params["text"]
    assert "reply_markup" not in edit.params or not edit.params["reply_markup"]
    assert menu["message_id"] in _deleted(h)
    # the person is told the reason as typed (their chat is plain text)
    told = await _notices(h)
    assert len(told) == told_before + 1 and REASON in told[-1]
    # the card shows it escaped
    card = h.renderer.card(record, today=riyadh_date(h.clock()))
    assert "&lt;انتهاء&gt; العقد &amp; الكفالة" in card.html and "<انتهاء>" not in card.html

    # pressed again, on the other worker: no longer waiting, nothing more
    await _feed(h, other, h.updates.callback(OFFICER, send["callback_data"], message=proposal))
    assert "لم يعد هذا بانتظار التأكيد" in h.answers()[-1].params["text"]
    # the menu is used up: another reply, on either worker, proposes nothing again
    sent = len(h.sent())
    for dp in (other, h.dp):
        await _feed(
            h,
            dp,
            h.updates.group_text(
                OFFICER, STAFF_CHAT, "سبب آخر تمامًا", reply_to=menu, thread_id=TOPIC
            ),
        )
    record = await h.desk.find(number)
    assert record is not None and record.decision_reason == REASON
    assert len(await _notices(h)) == told_before + 1 and len(h.sent()) == sent


async def test_a_remark_replied_to_the_menu_rejects_nothing(h: Harness) -> None:
    """Found by review 11 (item 1): «لحظة أتأكد» («one moment, let me check») written as a
    reply to the reasons menu rejected the request with it as the reason. Now it is only
    shown back; «إلغاء» drops it and the menu stays open, a newer reply replaces it, and a
    menu answered by its own buttons makes it void."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    told_before = len(await _notices(h))
    remark = "لحظة أتأكد"
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, remark, reply_to=menu, thread_id=TOPIC))
    assert await h.status(number) is RequestStatus.RECEIVED
    first = _proposal(h)
    assert remark in first["text"]
    # a second reply replaces the first proposal (its message goes)
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "دقيقة من فضلك", reply_to=menu, thread_id=TOPIC)
    )
    second = _proposal(h)
    assert second["message_id"] != first["message_id"] and first["message_id"] in _deleted(h)
    await h.press(OFFICER, _buttons(first)[0], first)  # the replaced one sends nothing
    assert await h.status(number) is RequestStatus.RECEIVED
    # «إلغاء»: nothing sent, the proposal goes, the menu stays
    await h.press(OFFICER, _buttons(second)[1], second)
    assert "لم يُرسَل شيء" in h.answers()[-1].params["text"]
    assert second["message_id"] in _deleted(h) and menu["message_id"] not in _deleted(h)
    assert await h.status(number) is RequestStatus.RECEIVED
    assert len(await _notices(h)) == told_before
    # a reply, then a reason picked from the menu itself: the proposal is void
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, remark, reply_to=menu, thread_id=TOPIC))
    third = _proposal(h)
    await h.press(OFFICER, "nr:0", menu)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason != remark
    await h.press(OFFICER, _buttons(third)[0], third)
    assert "أُجيب عن القائمة في هذه الأثناء" in h.answers()[-1].params["text"]
    told = await _notices(h)
    assert len(told) == told_before + 1 and remark not in told[-1]


async def test_a_decision_word_replied_to_the_menu_is_not_a_pointer(
    h: Harness,
) -> None:
    """«مرفوض» under a card gets the pointer to the buttons; under the reasons menu, which
    asks for the reason, it is a reply too short to be one: the officer is asked for the
    reason in words (review 11, item 2), never pointed to the buttons."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "مرفوض", reply_to=menu, thread_id=TOPIC))
    assert await h.status(number) is RequestStatus.RECEIVED
    assert "يُرجى كتابة السبب بالكلمات" in h.sent()[-1].params["text"]
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


async def test_a_reply_to_the_ready_questions_menu_is_the_question_once_sent(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "ask", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None and menu["reply_markup"]["inline_keyboard"]
    question = "ما تاريخ <انتهاء> الإقامة؟"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=menu, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    proposal = _proposal(h)
    assert f"هل يُرسَل هذا السؤال عن الطلب رقم {number}" in proposal["text"]
    assert proposal["reply_markup"]["inline_keyboard"][0][0]["text"] == "إرسال السؤال"
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == question
    [edit] = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert edit.params["message_id"] == proposal["message_id"] and number in edit.params["text"]
    assert menu["message_id"] in _deleted(h)


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
    for typed in ("👍", "👍👍 !!", "3", "؟", "ب .", "لا", "تمام", "لا لا"):
        await h.feed(
            h.updates.group_text(OFFICER, STAFF_CHAT, typed, reply_to=menu, thread_id=TOPIC)
        )
        assert await h.status(number) is RequestStatus.RECEIVED, typed
        assert "يُرجى كتابة السبب بالكلمات" in h.sent()[-1].params["text"], typed
    assert len(await _notices(h)) == told_before
    assert not h.api.calls_for(STAFF_CHAT, "editMessageText")  # the menu is as it was
    assert not h.api.calls_for(STAFF_CHAT, "deleteMessage")
    # the menu is still open: the reason typed next is taken, once sent
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
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
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    record = await h.desk.find(other)
    assert record is not None and record.pending_question == question


async def test_a_typed_reason_or_question_needs_words_too(h: Harness) -> None:
    """Found by review 11 (item 2): after «سبب آخر (اكتبه)», «👍» was still the reason
    (4db1af6 guarded only the menu), and a bare «لا» passed the two-letter minimum. A
    reason or question the person reads now needs two words and six letters
    (officers.typed_words); the prompt stays open and the words typed next are taken."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None and prompt["message_id"] != menu["message_id"]
    told_before = len(await _notices(h))
    for typed in ("👍", "لا", "no", "تمام", "مرفوض", "٣ ٣"):
        await h.feed(
            h.updates.group_text(OFFICER, STAFF_CHAT, typed, reply_to=prompt, thread_id=TOPIC)
        )
        assert await h.status(number) is RequestStatus.RECEIVED, typed
        said = h.sent()[-1].params["text"]
        assert "يُرجى كتابة السبب في بضع كلمات، فصاحب الطلب سيقرؤه." in said, typed
    assert len(await _notices(h)) == told_before
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "الجواز منتهي", reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == "الجواز منتهي"
    # a typed question likewise
    other = await h.file("draft-2")
    await h.press(OFFICER, "ask", await h.card(other))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nq:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "؟", reply_to=prompt, thread_id=TOPIC))
    assert await h.status(other) is RequestStatus.RECEIVED
    assert "يُرجى كتابة السؤال في بضع كلمات" in h.sent()[-1].params["text"]
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "صورة الجواز؟", reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(other)
    assert record is not None and record.pending_question == "صورة الجواز؟"


async def test_a_reply_to_the_re_ask_is_a_reply_to_the_prompt_on_either_worker(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    """Found by tester 11 (fault 3): «👍» replied to the reasons menu (or the typed
    question's prompt) got «يُرجى كتابة السبب بالكلمات…»; the officer's real reason, written
    as a reply to that re-ask, was dropped without a word and the request stayed as it was.
    Now a reply to the re-ask is a reply to the menu or prompt it stands for, on either
    worker: the menu's reason is shown back for «إرسال الرفض», the typed question is sent and
    the prompt becomes the confirmation."""
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    # «👍» to the menu on worker one, then «👍» to its re-ask on worker two: asked again
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=menu, thread_id=TOPIC))
    reask = h.api.last_message(STAFF_CHAT)
    assert reask is not None and "يُرجى كتابة السبب بالكلمات" in reask["text"]
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=reask, thread_id=TOPIC)
    )
    again = h.api.last_message(STAFF_CHAT)
    assert again is not None and again["message_id"] != reask["message_id"]
    assert "يُرجى كتابة السبب بالكلمات" in again["text"]
    # a colleague's reply to the re-ask is not the reason either
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, REASON, reply_to=reask, thread_id=TOPIC)
    )
    assert "موجّهة إلى الموظف الذي ضغط الزر" in h.sent()[-1].params["text"]
    # the reason replied to the first re-ask, on worker two: shown back for sending
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=reask, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    proposal = _proposal(h)
    assert f"هل يُرفَض الطلب رقم {number} بهذا السبب؟" in proposal["text"]
    await h.press(OFFICER, _buttons(proposal)[0], proposal)  # sent on worker one
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == REASON
    assert menu["message_id"] in _deleted(h)
    # the menu is used up: a reply to the other re-ask proposes nothing
    sent = len(h.sent())
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "سبب آخر تمامًا", reply_to=again, thread_id=TOPIC)
    )
    assert len(h.sent()) == sent

    # a typed question («سؤال آخر (اكتبه)»): its re-ask's reply is the question
    second = await h.file("draft-2")
    await h.press(OFFICER, "ask", await h.card(second))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nq:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None and prompt["message_id"] != menu["message_id"]
    await _feed(
        h, other, h.updates.group_text(OFFICER, STAFF_CHAT, "👍", reply_to=prompt, thread_id=TOPIC)
    )
    reask = h.api.last_message(STAFF_CHAT)
    assert reask is not None and "يُرجى كتابة السؤال في بضع كلمات" in reask["text"]
    question = "وش تاريخ انتهاء جواز الزوجة؟ ارسل صورة واضحة"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=reask, thread_id=TOPIC)
    )
    record = await h.desk.find(second)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == question
    # the prompt itself becomes the confirmation
    edits = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert edits[-1].params["message_id"] == prompt["message_id"]
    assert second in edits[-1].params["text"]


async def test_a_reason_not_in_the_persons_language_is_flagged_to_the_officer(
    h: Harness,
) -> None:
    """Found by tester 11 (fault 13): «Passport copy is not clear…» typed after «سبب آخر»
    reached an Arabic reader, and the officer's confirmation said nothing of it; then
    (e9c4bdb) it said so only after the rejection was sent (review 11, §15). Now such a
    reason is shown back with the warning and «إرسال الرفض»/«إلغاء» before anything is
    sent; a reason in the person's language gets no warning."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nr:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    reason = "Passport copy is not clear, please submit again"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, reason, reply_to=prompt, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED  # nothing sent yet
    proposal = _proposal(h)
    assert "تنبيه: لغة صاحب الطلب" in proposal["text"], proposal["text"]
    assert "والسبب مكتوب بغيرها" in proposal["text"] and reason in proposal["text"]
    await h.press(OFFICER, _buttons(proposal)[0], proposal)  # sent, knowing
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == reason
    edit = h.api.calls_for(STAFF_CHAT, "editMessageText")[-1]
    assert edit.params["message_id"] == proposal["message_id"]
    assert "تنبيه" not in edit.params["text"]  # said before, not again after
    assert prompt["message_id"] in _deleted(h)

    # a reply in English to the menu itself: the same warning under its proposal
    english = await h.file("draft-3")
    await h.press(OFFICER, "no", await h.card(english))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, reason, reply_to=menu, thread_id=TOPIC))
    assert "تنبيه: لغة صاحب الطلب" in _proposal(h)["text"]
    assert await h.status(english) is RequestStatus.RECEIVED

    # a reason in Arabic, through the menu's «إرسال الرفض»: no note
    other = await h.file("draft-2")
    await h.press(OFFICER, "no", await h.card(other))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    proposal = _proposal(h)
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    assert await h.status(other) is RequestStatus.REJECTED
    last = h.api.calls_for(STAFF_CHAT, "editMessageText")[-1]
    assert last.params["message_id"] == proposal["message_id"]
    assert "تنبيه" not in last.params["text"]


async def test_a_proposal_outliving_its_menu_says_the_menu_expired_not_that_it_was_answered(
    h: Harness,
    redis_client: Redis,
    db_sessionmaker: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    """Found by review 11 (§9): a proposal waits 24 hours from the reply, its menu 24 hours
    from the press, so a reply to a menu 23 hours old pressed an hour later read «The menu
    was answered meanwhile» (the officer may think a colleague decided). Its expiry is
    read by Redis's clock, so either worker tells the two apart; a menu really answered
    meanwhile still says so."""
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    menu_key = f"tawasul:staff:prompt:{STAFF_CHAT}:{menu['message_id']}"
    await redis_client.pexpire(menu_key, 300)  # the menu's last moments
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    proposal = _proposal(h)
    for _wait in range(100):  # Redis expires it, by its own clock
        if not await redis_client.exists(menu_key):
            break
        await asyncio.sleep(0.05)
    assert not await redis_client.exists(menu_key)
    other = _worker(h, redis_client, db_sessionmaker, tmp_path)
    await _feed(h, other, h.updates.callback(OFFICER, _buttons(proposal)[0], message=proposal))
    said = h.answers()[-1].params["text"]
    assert "انتهت مهلة هذه القائمة" in said and "«❌ رفض»" in said, said
    assert "أُجيب عن القائمة" not in said, said
    assert await h.status(number) is RequestStatus.RECEIVED

    # answered meanwhile (its «Cancel» pressed): that is what it says
    await h.press(OFFICER, "no", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, REASON, reply_to=menu, thread_id=TOPIC))
    proposal = _proposal(h)
    await h.press(OFFICER, "nr:cancel", menu)
    await h.press(OFFICER, _buttons(proposal)[0], proposal)
    said = h.answers()[-1].params["text"]
    assert "أُجيب عن القائمة" in said and "انتهت مهلة" not in said, said
    assert await h.status(number) is RequestStatus.RECEIVED


async def test_a_typed_question_not_in_the_persons_language_is_shown_back_first(
    h: Harness,
) -> None:
    """Fresh-clone tester 15 (§10): Khalid's «What is the exact expiry date of the visa?»
    typed after «سؤال آخر (يُكتب)» reached an Arabic-speaking resident at once. It is shown
    back with the warning for «إرسال» first, as a typed reason not in the person's script
    is; a question in Arabic is still sent at once (the test above)."""
    number = await h.file()
    await h.press(OFFICER, "ask", await h.card(number))
    menu = h.api.last_message(STAFF_CHAT)
    assert menu is not None
    await h.press(OFFICER, "nq:other", menu)
    prompt = h.api.last_message(STAFF_CHAT)
    assert prompt is not None
    question = "What is the exact expiry date of the visa?"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=prompt, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED  # nothing sent yet
    proposal = _proposal(h)
    assert "وسؤالك بغيرها" in proposal["text"] and question in proposal["text"]
    await h.press(OFFICER, _buttons(proposal)[0], proposal)  # sent, knowing
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == question
