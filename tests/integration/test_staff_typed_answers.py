"""Asking, rejecting and reopening from the staff group with a typed answer (a reply to the
bot's prompt), through the real staff router (the harness of test_staff_router: aiogram,
the Bot API stand-in, a real Redis, SQLite and PostgreSQL). Moved out of
test_staff_router.py (692 lines, past the ~400-line limit) unchanged."""

from __future__ import annotations

import datetime as dt

from bot.staff.callbacks import action_data
from bot.staff.router import parse_callback, reject_reasons
from domain.status import RequestStatus
from tests.integration.test_staff_router import (
    COLLEAGUE,
    GRACE_S,
    OFFICER,
    STAFF_CHAT,
    TOPIC,
    Harness,
    _prompt,
    ask_typed,
    h,
)
from tests.integration.test_their_say import _notice_sent

__all__ = ["h"]  # the fixture


async def test_ask_via_force_reply(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "ask", card)
    shown = _prompt(h)
    await h.press(OFFICER, "nq:other", shown)
    assert await h.status(number) is RequestStatus.RECEIVED  # nothing until the question

    menu, call = h.sent()
    # the menu of ready questions gave way to the prompt
    assert menu.params["reply_markup"]["inline_keyboard"]
    assert h.api.calls_for(STAFF_CHAT, "deleteMessage")
    params = call.params
    assert params["reply_markup"]["force_reply"] is True
    assert params["reply_markup"]["selective"] is True
    assert params["message_thread_id"] == TOPIC
    # under the menu it replaced, which replied to the card (as the reject reasons do)
    assert params["reply_parameters"]["message_id"] == shown["message_id"]
    assert menu.params["reply_parameters"]["message_id"] == card["message_id"]
    assert params["parse_mode"] == "HTML"
    assert number in params["text"] and f"tg://user?id={OFFICER.id}" in params["text"]

    prompt = _prompt(h)
    question = "فضلًا أرسل صورة <الجواز> & الإقامة"
    # a colleague's reply to someone else's prompt does not become the question
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "أنا أتولاه", reply_to=prompt, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, question, reply_to=prompt, thread_id=TOPIC)
    )

    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.NEEDS_INFO
    assert record.pending_question == question
    assert record.paused_since is not None
    assert h.kicks == [1]
    # the prompt itself becomes the confirmation: nothing new in the topic
    [confirmation] = h.api.calls_for(STAFF_CHAT, "editMessageText")
    assert confirmation.params["message_id"] == prompt["message_id"]
    assert number in confirmation.params["text"]
    assert len(h.sent()) == 3  # the menu, the prompt, and the word to the colleague
    # the prompt is used up: a second reply asks nothing more
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "سؤال آخر", reply_to=prompt, thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.pending_question == question
    assert h.kicks == [1]


async def test_reply_that_is_not_text_keeps_the_prompt(h: Harness) -> None:
    number = await h.file()
    await ask_typed(h, OFFICER, await h.card(number))
    prompt = _prompt(h)
    await h.feed(h.updates.group_text(OFFICER, STAFF_CHAT, "   ", reply_to=prompt, thread_id=TOPIC))
    assert await h.status(number) is RequestStatus.RECEIVED
    assert "نصًا" in h.sent()[-1].params["text"]
    await h.feed(
        h.updates.group_text(
            OFFICER, STAFF_CHAT, "ما رقم الجواز الجديد؟", reply_to=prompt, thread_id=TOPIC
        )
    )
    assert await h.status(number) is RequestStatus.NEEDS_INFO


async def test_replies_to_other_messages_are_left_alone(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    # officers discussing the card among themselves
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, "من يتولى هذا؟", reply_to=card, thread_id=TOPIC)
    )
    assert await h.status(number) is RequestStatus.RECEIVED
    assert len(h.sent()) == 0


async def test_reject_requires_a_reason_from_the_list(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "no", card)
    assert await h.status(number) is RequestStatus.RECEIVED  # not without a reason

    picker_call = h.sent()[-1]
    keyboard = picker_call.params["reply_markup"]["inline_keyboard"]
    reasons = reject_reasons()
    assert len(reasons) >= 5
    data = [button["callback_data"] for row in keyboard for button in row]
    assert data[: len(reasons)] == [action_data("nr", number, 1, i) for i in range(len(reasons))]
    assert action_data("nr", number, 1, "other") in data
    assert all(len(d.encode()) <= 64 for d in data)
    assert all(parse_callback(d) is not None for d in data)
    assert picker_call.params["message_thread_id"] == TOPIC

    picker = _prompt(h)
    await h.press(OFFICER, "nr:0", picker)
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == reasons[0].text("ar")
    # the picker says what happened and its buttons are gone
    edited = h.api.messages(STAFF_CHAT)[-1]
    assert edited["message_id"] == picker["message_id"]
    assert reasons[0].text("ar") in edited["text"] and "reply_markup" not in edited
    assert h.kicks == [1]


async def test_reject_reason_is_in_the_persons_language(h: Harness) -> None:
    number = await h.file(locale="en")
    await h.press(OFFICER, "no", await h.card(number))
    await h.press(OFFICER, "nr:4", _prompt(h))
    record = await h.desk.find(number)
    assert record is not None and record.decision_reason == reject_reasons()[4].text("en")


async def test_reject_with_another_reason_typed(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    await h.press(OFFICER, "nr:other", _prompt(h))
    assert await h.status(number) is RequestStatus.RECEIVED
    assert h.sent()[-1].params["reply_markup"]["force_reply"] is True
    reason = "صاحب الإقامة خارج المملكة منذ أكثر من ستة أشهر"
    await h.feed(
        h.updates.group_text(OFFICER, STAFF_CHAT, reason, reply_to=_prompt(h), thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.REJECTED
    assert record.decision_reason == reason


async def test_reject_cancelled_changes_nothing(h: Harness) -> None:
    number = await h.file()
    await h.press(OFFICER, "no", await h.card(number))
    picker = _prompt(h)
    await h.press(OFFICER, "nr:cancel", picker)
    assert await h.status(number) is RequestStatus.RECEIVED
    # the menu is gone from the topic
    assert picker["message_id"] not in [m["message_id"] for m in h.api.messages(STAFF_CHAT)]
    assert h.kicks == []


async def test_reopen_asks_for_a_reason(h: Harness) -> None:
    number = await h.file()
    card = await h.card(number)
    await h.press(OFFICER, "re", card)  # not decided yet: refused
    assert h.answers()[-1].params["show_alert"] is True
    await h.press(OFFICER, "take", card)
    await h.press(OFFICER, "ok", card)
    decided = await h.card(number)
    h.clock.now += dt.timedelta(seconds=GRACE_S + 1)
    await _notice_sent(h.sessions, number)  # the outbox told the person
    # another officer's decision: taken over first, on purpose
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, f"/takeover {number}", thread_id=TOPIC)
    )
    await h.press(COLLEAGUE, "re", decided)
    assert await h.status(number) is RequestStatus.ACCEPTED
    await h.feed(
        h.updates.group_text(COLLEAGUE, STAFF_CHAT, "قُبل خطأً", reply_to=_prompt(h), thread_id=TOPIC)
    )
    record = await h.desk.find(number)
    assert record is not None and record.status is RequestStatus.UNDER_REVIEW
    assert record.events[-1].reason == "قُبل خطأً"
    assert record.events[-1].actor == f"officer:{COLLEAGUE.id}:فهد"
    assert record.assigned_name == "فهد"
